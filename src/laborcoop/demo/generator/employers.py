"""Employers: enterprises and their job postings, and the employer names of employed laborers."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random

from laborcoop.core.validation.checksums import USCC_ALPHABET, make_uscc
from laborcoop.employers import choices as ec
from laborcoop.employers.models import Enterprise, JobPosting

from .. import names as nm
from .people import given_name, phone_number
from .regions import County, RegionPools, strip_suffix
from .sampling import Weighted
from .sampling import weighted as _w
from .weights import ENTERPRISE_AREAS, IN_COUNTY, IN_PROVINCE, PARTNER_AREAS, SURNAMES, F, M


@dataclass
class EmployerPools:
    by_county: dict[str, list[str]] = field(default_factory=dict)  # county code6 -> enterprise names
    hunan: list[tuple[str, str]] = field(default_factory=list)  # (county code6, name)
    partner: list[str] = field(default_factory=list)

    def add(self, region_code: str, name: str) -> None:
        if region_code.startswith("43"):
            self.by_county.setdefault(region_code[:6], []).append(name)
            self.hunan.append((region_code[:6], name))
        else:
            self.partner.append(name)


def _local_employer(rng: Random, county: County) -> str:
    place = county.name or "本县"
    trade = rng.choice(("农业专业合作社", "建筑劳务有限公司", "生态农业有限公司", "农产品加工厂", "商贸有限公司"))
    return f"{place}{rng.choice(nm.BRANDS)}{trade}"


def employer_name(rng: Random, employers: EmployerPools, county: County, area: str) -> str:
    if area == IN_COUNTY:
        local = employers.by_county.get(county.code6)
        return rng.choice(local) if local and rng.random() < 0.6 else _local_employer(rng, county)
    if area == IN_PROVINCE:
        for _ in range(3):
            if employers.hunan:
                code6, name = rng.choice(employers.hunan)
                if code6 != county.code6:
                    return name
        return f"长沙{rng.choice(nm.BRANDS)}{rng.choice(nm.INDUSTRY_PROFILE['C'][0])}有限公司"
    if employers.partner:
        return rng.choice(employers.partner)
    return f"东莞{rng.choice(nm.BRANDS)}{rng.choice(nm.INDUSTRY_PROFILE['C'][0])}有限公司"


def generate_enterprises(
    rng: Random, pools: RegionPools, count: int, taken_usccs: set[str], taken_names: set[str]
) -> list[Enterprise]:
    areas = [(a, a[2]) for a in ENTERPRISE_AREAS if a[0] in pools.enterprise_areas]
    if not areas:
        return []
    pick_area = Weighted(areas)
    result: list[Enterprise] = []
    for _ in range(count):
        key, prefix, _share, place, industries = pick_area.pick(rng)
        regions = pools.enterprise_areas[key]
        workshop = key == "xiangxi" and rng.random() < 0.7
        if key == "xiangxi":
            luxi = [r for r in regions if r[0].startswith("433122")]
            code, township = rng.choice(luxi if luxi and rng.random() < 0.4 else regions)
        else:
            code, township = rng.choice(regions)
        county = pools.region_names.get(code[:6] + "000000", "")
        if key == "xiangxi":
            section, trade, _occ = rng.choice(nm.WORKSHOP_TRADES)
            place = strip_suffix(county, ("县", "市")) or "湘西"
        else:
            section = Weighted(industries).pick(rng)
            trade = rng.choice(nm.INDUSTRY_PROFILE[section][0])
        name = ""
        for _attempt in range(20):
            suffix = rng.choice(("有限公司", "有限公司", "有限责任公司"))
            if section == "A" and rng.random() < 0.5:
                suffix = "专业合作社"
            candidate = f"{place}{rng.choice(nm.BRANDS)}{trade}{suffix}"
            if candidate not in taken_names:
                name = candidate
                break
        if not name:
            continue
        taken_names.add(name)
        authority = "93" if suffix == "专业合作社" else "92" if workshop and rng.random() < 0.2 else "91"
        while True:
            body = "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
            uscc = make_uscc(f"{authority}{code[:6]}{body}")
            if uscc not in taken_usccs:
                taken_usccs.add(uscc)
                break
        size = (
            _w(("small", 40), ("micro", 60)).pick(rng)
            if workshop
            else _w(("large", 6), ("medium", 24), ("small", 45), ("micro", 25)).pick(rng)
        )
        area_code = nm.LANDLINE_AREA_CODES.get(prefix, "")
        if area_code and rng.random() < 0.3:
            contact_phone = f"{area_code}-{rng.randint(2, 8)}{rng.randrange(10**6, 10**7)}"
        else:
            contact_phone = phone_number(10**9 + rng.randrange(10**9))
        contact = SURNAMES[""].pick(rng) + given_name(rng, M if rng.random() < 0.5 else F, rng.randint(1970, 1998))
        base = not workshop and key == "xiangxi" and rng.random() < 0.5
        result.append(
            Enterprise(
                name=name,
                uscc=uscc,
                region_id=code,
                industry=section,
                size=size,
                contact_name=contact,
                contact_phone=contact_phone,
                address=f"{county}{township}{rng.choice(nm.BRANDS)}路{rng.randint(1, 300)}号",
                is_assist_workshop=workshop,
                is_assist_base=base or (key in PARTNER_AREAS and rng.random() < 0.08),
                description=(
                    f"就业帮扶车间，主营{trade}，吸纳脱贫劳动力和监测对象就近就业。"
                    if workshop
                    else f"主营{trade}，长期招聘一线员工。"
                ),
            )
        )
    return result


def generate_jobs(rng: Random, enterprises: Sequence[Enterprise], as_of: date) -> list[JobPosting]:
    jobs: list[JobPosting] = []
    for e in enterprises:
        region = str(e.region_id)
        coastal = not region.startswith("43")
        if e.is_assist_workshop:
            trade = next((t for t in nm.WORKSHOP_TRADES if t[1] in e.name), nm.WORKSHOP_TRADES[0])
            occupations: tuple[str, ...] = trade[2]
        else:
            occupations = nm.INDUSTRY_PROFILE.get(e.industry, nm.INDUSTRY_PROFILE["C"])[1]
        for _ in range(rng.randint(2, 5)):
            occupation = rng.choice(occupations)
            if e.is_assist_workshop:
                wage_min = rng.randrange(1800, 3001, 100)
            elif coastal:
                wage_min = rng.randrange(4000, 6501, 100)
            else:
                wage_min = rng.randrange(3000, 5001, 100)
            wage_max = wage_min + rng.randrange(500, 3001, 100)
            age_max = _w((45, 20), (50, 30), (55, 30), (60, 20)).pick(rng)
            education_min = _w(("", 60), ("小学", 5), ("初中", 27), ("高中", 6), ("大专", 2)).pick(rng)
            sex = ""
            if occupation in ("缝纫工", "绣工", "家政服务员", "育婴员") and rng.random() < 0.3:
                sex = F
            elif occupation in ("保安", "建筑工", "钢筋工", "货车司机", "架子工") and rng.random() < 0.4:
                sex = M
            expired = rng.random() < 0.1
            if expired:
                valid_until = as_of - timedelta(days=rng.randint(1, 60))
                valid_from = valid_until - timedelta(days=rng.randint(30, 120))
                status = ec.JobStatus.CLOSED if rng.random() < 0.6 else ec.JobStatus.OPEN
            else:
                valid_from = as_of - timedelta(days=rng.randint(0, 90))
                valid_until = as_of + timedelta(days=rng.randint(15, 150))
                draw = rng.random()
                status = (
                    ec.JobStatus.OPEN if draw < 0.88 else ec.JobStatus.PAUSED if draw < 0.93 else ec.JobStatus.CLOSED
                )
            accommodation = rng.random() < (0.8 if coastal else 0.3 if e.is_assist_workshop else 0.5)
            meals = rng.random() < (0.6 if coastal else 0.4)
            perks = "，包吃住" if accommodation and meals else "，提供住宿" if accommodation else ""
            jobs.append(
                JobPosting(
                    enterprise=e,
                    region_id=region,
                    title=occupation if rng.random() < 0.5 else f"招聘{occupation}",
                    occupation=occupation,
                    openings=rng.randint(5, 30) if e.is_assist_workshop else rng.randint(1, 60),
                    wage_min=wage_min,
                    wage_max=wage_max,
                    work_region_id=region,
                    age_min=_w((16, 30), (18, 70)).pick(rng),
                    age_max=age_max,
                    sex_requirement=sex,
                    education_min=education_min,
                    provides_accommodation=accommodation,
                    provides_meals=meals,
                    is_low_threshold=education_min in ("", "小学")
                    and age_max >= 50
                    and occupation not in nm.SKILLED_OCCUPATIONS,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    status=status,
                    description=f"{occupation}，月薪{wage_min}-{wage_max}元{perks}。",
                )
            )
    return jobs
