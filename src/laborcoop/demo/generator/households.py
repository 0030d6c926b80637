"""The household generator: household and laborer rows (ID numbers, birth dates, poverty attributes, work and
job wishes), in the column order of LABORER_FIELDS and HOUSEHOLD_FIELDS."""

from datetime import date, timedelta
from random import Random
from typing import Any

from laborcoop.core.validation.checksums import make_id_number
from laborcoop.registry import choices as rc
from laborcoop.registry.identity import EMPTY_PHONE, PHONE_COLUMN_NAMES, identity_columns, phone_columns

from .. import names as nm
from .employers import EmployerPools, employer_name
from .people import Member, assign_names, for_age, given_name, labor_skill, phone_number, plan_household, student_status
from .regions import County, RegionPools
from .sampling import FastRandom
from .weights import (
    ADULT_CHILD_MARITAL,
    DISABILITY,
    EDUCATION_BY_AGE,
    EMPLOYED,
    EMPLOYMENT,
    FARMING,
    HAS_LABOR,
    HEAD_WITHOUT_SPOUSE,
    HEALTH_BY_AGE,
    IN_COUNTY,
    IN_PROVINCE,
    NOT_APPLICABLE,
    OCCUPATION_BY_SEX,
    OUT_OF_PROVINCE,
    POVERTY_ATTRIBUTE,
    POVERTY_CAUSE,
    QUALIFICATION,
    TRAINING,
    WAGES,
    WILLINGNESS,
    WORK_AREA,
    M,
    R,
)

# fmt: off
LABORER_FIELDS: tuple[str, ...] = (
    "household_id", "region_id", "person_no", "name", "id_type", "id_number_enc", "id_number_hash",
    "id_masked", "id_last4", "disability_cert_suffix", "sex", "birth_date", "ethnicity", "relation",
    "education", "student_status", "health", "disability_category", "labor_skill", "political_status",
    "marital_status", "phone_enc", "phone_hash", "phone_masked", "phone_last4", "qualification", "skills",
    "employment_status",
    "employer_name", "work_area", "work_region_willingness", "intended_occupations", "intended_regions",
    "expected_wage", "training_needs", "unreachable", "unreachable_since", "warnings", "version",
)
JSON_FIELDS = frozenset(
    {"health", "work_region_willingness", "intended_occupations", "intended_regions", "training_needs",
     "warnings"}
)
# fmt: on
_INDEX = {name: i for i, name in enumerate(LABORER_FIELDS)}
REGION, ID_HASH, SEX, BIRTH, PHONE = (
    _INDEX[f] for f in ("region_id", "id_number_hash", "sex", "birth_date", "phone_enc")
)
_PHONE_COLUMNS = slice(PHONE, PHONE + len(PHONE_COLUMN_NAMES))  # the stored columns of the mobile number
_EMPTY: tuple[str, ...] = ()
EMPTY_WARNINGS: dict[str, list[str]] = {}
EMPTY_PHONE_ROW = [getattr(EMPTY_PHONE, name) for name in PHONE_COLUMN_NAMES]

# fmt: off
HOUSEHOLD_FIELDS: tuple[str, ...] = (
    "id", "household_no", "region_id", "household_type", "poverty_attribute", "monitor_category",
    "identified_on", "risk_eliminated", "poverty_causes", "phone_enc", "phone_hash", "phone_masked", "phone_last4",
    "address", "warnings", "version",
)
# fmt: on


class Generator:
    """Generates households and their members; one instance per seed run."""

    def __init__(
        self,
        *,
        pools: RegionPools,
        employers: EmployerPools,
        seed: int,
        offset: int,
        as_of: date,
        household_counters: dict[str, int],
        taken_hashes: set[str],
    ) -> None:
        self.pools = pools
        self.employers = employers
        self.rng: Random = FastRandom(f"laborcoop-seed:{seed}:{offset}")
        self.as_of = as_of
        self.phone_k = offset
        self.counters = household_counters
        self.used_ids: set[int] = set()
        self.taken_hashes = taken_hashes

    # A person's ID: county address code, birth date, a sequence with the sex parity; unique in this run.
    def id_number(self, county: County, birth: date, sex: str) -> str:
        address = county.id_address(birth)
        parity = 1 if sex == M else 0
        base = int(f"{address}{birth:%Y%m%d}") * 1000
        for _ in range(200):
            seq = self.rng.randrange(0, 500) * 2 + parity
            if base + seq not in self.used_ids:
                self.used_ids.add(base + seq)
                return make_id_number(address, birth, seq)
        raise RuntimeError("no free ID sequence")  # 500 people of one sex born on one day in one county

    def birth_date(self, age: int) -> date:
        """A birth date that makes the person exactly `age` on as_of."""
        day = min(self.as_of.day, 28) if self.as_of.month == 2 else self.as_of.day
        latest = date(self.as_of.year - age, self.as_of.month, day)
        return latest - timedelta(days=self.rng.randrange(0, 365))

    def household(self, size: int) -> tuple[list[Any], list[list[Any]]]:
        rng = self.rng
        county = self.pools.counties[self.pools.county_pick.pick(rng)]
        village_code, address = rng.choice(county.villages)
        number = self.counters.get(village_code, 0) + 1
        self.counters[village_code] = number
        household_no = f"{village_code}{number:06d}"
        members = plan_household(rng, size)
        assign_names(rng, county, members)
        spouse_present = any(m.relation == R.SPOUSE for m in members)
        parents_both = sum(m.relation in (R.FATHER, R.MOTHER) for m in members) == 2
        married_son = any(m.relation == R.DAUGHTER_IN_LAW for m in members)
        rows: list[list[Any]] = []
        phones: list[list[Any]] = []
        for index, m in enumerate(members):
            row = self.person(county, village_code, household_no, index, m, spouse_present, parents_both, married_son)
            rows.append(row)
            if row[PHONE]:
                phones.append(row[_PHONE_COLUMNS])
        household = self.household_row(household_no, village_code, address, phones)
        return household, rows

    def household_row(self, household_no: str, village: str, address: str, phones: list[list[Any]]) -> list[Any]:
        rng = self.rng
        lifted = rng.random() < 0.6
        monitor = ""
        if lifted:
            attribute = POVERTY_ATTRIBUTE.pick(rng)
            if rng.random() < 0.08:
                monitor = "脱贫不稳定户"
        else:
            attribute = ""
            draw = rng.random()
            monitor = "边缘易致贫户" if draw < 0.12 else "突发严重困难户" if draw < 0.17 else ""
        causes: tuple[str, ...] = _EMPTY
        if lifted or monitor:
            causes = (POVERTY_CAUSE.pick(rng),)
            if rng.random() < 0.35:
                second = POVERTY_CAUSE.pick(rng)
                causes = causes if second == causes[0] else (*causes, second)
        if monitor:
            identified = date(rng.randint(2020, self.as_of.year - 1), rng.randint(1, 12), rng.randint(1, 28))
        elif lifted:
            identified = date(rng.randint(2014, 2019), rng.randint(1, 12), rng.randint(1, 28))
        else:
            identified = None
        return [
            None,  # id: reserved from the sequence (COPY) or returned by bulk_create
            household_no,
            village,
            "脱贫户" if lifted else "一般农户",
            attribute,
            monitor,
            identified,
            (rng.random() < 0.6) if monitor else None,
            causes,
            *(phones[0] if phones else EMPTY_PHONE_ROW),
            f"{address}{rng.randint(1, 12)}组{rng.randint(1, 60)}号",
            EMPTY_WARNINGS,
            1,
        ]

    def person(
        self,
        county: County,
        village: str,
        household_no: str,
        index: int,
        m: Member,
        spouse_present: bool,
        parents_both: bool,
        married_son: bool,
    ) -> list[Any]:
        rng = self.rng
        age = m.age
        birth = self.birth_date(age)
        ident = identity_columns(self.id_number(county, birth, m.sex))
        while ident.id_number_hash in self.taken_hashes:  # appending: the database has this number already
            ident = identity_columns(self.id_number(county, birth, m.sex))
        student = student_status(rng, age)
        education = "" if student else for_age(EDUCATION_BY_AGE, age).pick(rng)
        health = for_age(HEALTH_BY_AGE, age).pick(rng)
        disability = DISABILITY.pick(rng) if "残疾" in health else ""
        skill = labor_skill(rng, age, health, bool(student))
        has_labor = skill in HAS_LABOR
        name = m.surname + given_name(rng, m.sex, birth.year)

        political = "群众"
        if age >= 18:
            draw = rng.random()
            political = "中共党员" if draw < (0.09 if age >= 45 else 0.05) else political
            if political == "群众" and age <= 28 and rng.random() < 0.2:
                political = "共青团员"
        elif age >= 14 and rng.random() < (0.4 if student else 0.2):
            political = "共青团员"

        if m.relation in (R.HEAD, R.SPOUSE):
            marital = "已婚" if spouse_present else HEAD_WITHOUT_SPOUSE.pick(rng)
        elif m.relation in (R.FATHER, R.MOTHER):
            marital = "已婚" if parents_both else "丧偶"
        elif m.relation == R.DAUGHTER_IN_LAW or (m.relation == R.SON and married_son):
            marital = "已婚"
        elif age >= 22:
            marital = ADULT_CHILD_MARITAL.pick(rng)
        else:
            marital = "未婚" if age >= 16 else ""

        phone = ""
        if age >= 16 and rng.random() < (0.6 if age >= 75 else 0.92):
            phone = phone_number(self.phone_k)
            self.phone_k += 1
        phone_cols = phone_columns(phone)

        qualification = skills = ""
        if skill == "技能劳动力":
            qualification = QUALIFICATION.pick(rng)
            skills = rng.choice(nm.SKILLED_OCCUPATIONS)
            if rng.random() < 0.25:  # 工种/技能 is a list of 工种 of the taxonomy, shown joined by 、
                extra = rng.choice(nm.SKILLED_OCCUPATIONS)
                skills = skills if extra == skills else f"{skills}、{extra}"

        status, work_area, employer = NOT_APPLICABLE, "", ""
        willingness: tuple[str, ...] = _EMPTY
        occupations: tuple[str, ...] = _EMPTY
        regions: tuple[str, ...] = _EMPTY
        training: tuple[str, ...] = _EMPTY
        wage = None
        unreachable, unreachable_since = False, None
        if has_labor and not student and age >= 16:
            group = "older" if age >= 60 else "weak" if skill == "弱劳动力或半劳动力" else "prime"
            status = EMPLOYMENT[group].pick(rng)
            if status == EMPLOYED:
                work_area = WORK_AREA[group].pick(rng)
                employer = employer_name(rng, self.employers, county, work_area)
                willingness = tuple(sorted({work_area, *WILLINGNESS.pick(rng)})) if rng.random() < 0.3 else (work_area,)
            elif status == FARMING:
                willingness = (IN_COUNTY,)
            else:
                willingness = WILLINGNESS.pick(rng)
            first = skills or OCCUPATION_BY_SEX[m.sex].pick(rng)
            second = OCCUPATION_BY_SEX[m.sex].pick(rng) if rng.random() < 0.45 else first
            occupations = (first,) if second == first else (first, second)
            # 意向地区 as region codes (chosen in the picker): a partner city for those who would leave the
            # province, the provincial capital or their own prefecture for those who would stay in it.
            if OUT_OF_PROVINCE in willingness and self.pools.partner_prefectures and rng.random() < 0.4:
                regions = (rng.choice(self.pools.partner_prefectures),)
                if rng.random() < 0.2:
                    extra = rng.choice(self.pools.partner_prefectures)
                    regions = regions if extra == regions[0] else (*regions, extra)
            elif IN_PROVINCE in willingness and rng.random() < 0.25:
                # xx01: the provincial capital (长沙市 for 湖南).
                regions = (village[:2] + "0100000000",) if rng.random() < 0.6 else (village[:4] + "00000000",)
            wage = WAGES.pick(rng)
            if age < 55 and rng.random() < 0.55:
                training = (TRAINING.pick(rng),)
                if rng.random() < 0.25:
                    extra = TRAINING.pick(rng)
                    training = training if extra == training[0] else (*training, extra)
            if age < 60 and rng.random() < 0.012:
                unreachable = True
                unreachable_since = self.as_of - timedelta(days=rng.randint(30, 400))

        return [
            None,  # household_id: set when the household row exists
            village,
            f"{household_no}{index + 1:02d}",
            name,
            rc.IdType.RESIDENT_ID.value,
            ident.id_number_enc,
            ident.id_number_hash,
            ident.id_masked,
            ident.id_last4,
            "",
            m.sex,
            birth,
            m.ethnicity,
            str(m.relation),
            education,
            student,
            health,
            disability,
            skill,
            political,
            marital,
            *(getattr(phone_cols, name) for name in PHONE_COLUMN_NAMES),
            qualification,
            skills,
            status,
            employer,
            work_area,
            willingness,
            occupations,
            regions,
            wage,
            training,
            unreachable,
            unreachable_since,
            EMPTY_WARNINGS,
            1,
        ]
