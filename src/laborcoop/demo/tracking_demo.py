"""Demo data for tracking (三线跟踪): employment records for about 60% of the working-age laborers, with their
wage and social-insurance months and some follow-up visits, so that trajectories, both sides' views, tasks and
warnings have content at once.

- Every laborer the seed marked 已就业 gets an ongoing record matching their employer and 务工地域: 县内 in the
  home county, 省内县外 in another Hunan county, 省外 at a partner-region county (济南, 广州, 深圳, 东莞, 义乌, ...);
  the seed's employer names are the platform's enterprises where they match. About 40 of 泸溪县's 省外 workers
  work at the demo enterprise of `qiye` in 济南 (reported by the enterprise).
- One in five of them also has an earlier, ended job; about one in eight of the 未就业 / 务农 working-age laborers
  have one ended job (some of them recently: those are ended through the `employment_changed` signal as a
  write would, so the follow-up tasks, notices and warnings of a job loss appear).
- Wage months for the last complete months (some missing, to raise the wage warnings), insurance months for the
  insured (some stopped), follow-ups of the last four months, a few people unreachable after three failed calls.

Records are written in bulk (like the seed), not audited one by one; the tracking receivers see them through
`employment_changed`, and the nightly jobs (derived status, follow-up plan, warnings) run at the end.
Idempotent: a database that already has records other than hires from recommendations is left alone.
"""

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from laborcoop.accounts.models import User
from laborcoop.demo.generator.weights import ENTERPRISE_AREAS
from laborcoop.employers.models import Enterprise
from laborcoop.employment import choices as c
from laborcoop.employment.models import EmploymentRecord, InsuranceMonth, WageMonth
from laborcoop.employment.records.summary import laborer_summaries_sync
from laborcoop.employment.records.validation import work_area_of
from laborcoop.employment.signals import employment_changed
from laborcoop.regions.models import Region, RegionLevel
from laborcoop.registry import choices as rc
from laborcoop.registry.models import Laborer, VitalStatus
from laborcoop.tracking import choices as tc
from laborcoop.tracking.models import DestinationNotice, FollowUp
from laborcoop.tracking.notices.services import destination_notice_confirm, destination_notice_report_not_arrived

SEED = "laborcoop-tracking-demo"
DEMO_COUNTY = "433122"  # 泸溪县: the demo officers' county
ENTERPRISE_WORKERS = 40  # 泸溪县 省外 workers placed at the demo enterprise in 济南
PAST_JOB_SHARE = 0.2  # of the employed: an earlier, ended job
ENDED_JOB_SHARE = 0.12  # of the working-age 未就业 / 务农: one ended job
RECENT_END_DAYS = 90  # ended jobs this recent are ended through the signal (tasks, notices, warnings)
WAGE_MONTHS = 6
FOLLOWUP_SHARE = 0.3
UNREACHABLE_SHARE = 0.01
PARTNER_PREFIXES = ("3701", "4401", "4403", "4419", "3307", "3304")
CHUNK = 1000
# Employers named after a place (东莞…, 长沙…, the seed's enterprise areas) work there: (place, region prefix).
PLACE_PREFIXES = tuple((place, prefix) for _key, prefix, _share, place, _industries in ENTERPRISE_AREAS if place)

WAGE_RANGE: dict[str, tuple[int, int]] = {
    rc.WorkArea.IN_COUNTY: (1900, 3600),
    rc.WorkArea.IN_PROVINCE: (2800, 5200),
    rc.WorkArea.OUT_OF_PROVINCE: (3800, 7200),
}
END_REASONS = (
    c.EndReason.CONTRACT_EXPIRED,
    c.EndReason.RESIGNED,
    c.EndReason.SEASONAL,
    c.EndReason.FAMILY,
    c.EndReason.ENTERPRISE_CLOSED,
    c.EndReason.DISMISSED,
)
EMPLOYEE_INSURANCE: list[str] = [
    c.InsuranceType.EMPLOYEE_PENSION,
    c.InsuranceType.EMPLOYEE_MEDICAL,
    c.InsuranceType.WORK_INJURY,
    c.InsuranceType.UNEMPLOYMENT,
]


LEFT_TO_CONFIRM = 3  # notices of qiye's latest hires it has not answered yet: its 到岗确认 to-do
REGISTERED_DAYS_AGO = 75  # when the demo registry was built: due tasks of the last weeks


@dataclass
class TrackingDemoReport:
    created: bool = False
    ongoing: int = 0
    ended: int = 0
    working_age: int = 0
    with_records: int = 0
    wage_months: int = 0
    insurance_months: int = 0
    followups: int = 0
    notices_answered: int = 0
    jobs_run: dict[str, str] = field(default_factory=dict)

    @property
    def share_with_records(self) -> float:
        return self.with_records / self.working_age if self.working_age else 0.0


@dataclass
class _Person:
    id: int
    region: str
    birth: date
    status: str
    employer: str
    area: str
    age: int


@dataclass
class _Places:
    """Counties to send people to, and the platform's enterprises by name."""

    hunan: list[str]
    partner: list[str]
    enterprises: dict[str, tuple[int, str, str]]  # name -> (id, county code, industry)
    demo_enterprise: tuple[int, str, str, str] | None  # (id, county code, industry, name)
    hunan_names: list[tuple[str, str]] = field(default_factory=list)  # (county code, enterprise name) in Hunan
    partner_names: list[tuple[str, str]] = field(default_factory=list)  # the same outside Hunan


def _county_of(code: str, counties: set[str]) -> str | None:
    county = code[:6].ljust(12, "0")
    if county in counties:
        return county
    prefecture = code[:4].ljust(12, "0")
    return prefecture if prefecture in counties else None


def _places() -> _Places:
    counties = set(
        Region.objects.filter(level=RegionLevel.COUNTY, valid_to__isnull=True).values_list("code", flat=True)
    )
    # Prefecture-level cities without counties (东莞) stand in for their county.
    with_counties = {code[:4] for code in counties}
    counties |= {
        code
        for code in Region.objects.filter(level=RegionLevel.PREFECTURE, valid_to__isnull=True).values_list(
            "code", flat=True
        )
        if code[:4] not in with_counties
    }
    hunan = sorted(code for code in counties if code.startswith("43"))
    partner = sorted(code for code in counties if code.startswith(PARTNER_PREFIXES))
    enterprises: dict[str, tuple[int, str, str]] = {}
    for pk, name, region, industry in Enterprise.objects.order_by("id").values_list("id", "name", "region", "industry"):
        county = _county_of(str(region), counties)
        if county is not None:
            enterprises.setdefault(name, (pk, county, industry))
    demo = None
    qiye = User.objects.filter(username="qiye").select_related("enterprise").first()
    if qiye is not None and qiye.enterprise is not None:
        county = _county_of(str(qiye.enterprise.region_id), counties)
        if county is not None:
            demo = (qiye.enterprise.pk, county, qiye.enterprise.industry, qiye.enterprise.name)
    by_place = sorted((county, name) for name, (_pk, county, _industry) in enterprises.items())
    return _Places(
        hunan,
        partner,
        enterprises,
        demo,
        hunan_names=[row for row in by_place if row[0].startswith("43")],
        partner_names=[row for row in by_place if not row[0].startswith("43")],
    )


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _rng_for(laborer_id: int) -> random.Random:
    digest = hashlib.blake2b(f"{SEED}:{laborer_id}".encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _months_back(today: date, n: int) -> list[date]:
    """The first days of the `n` complete months before `today`'s month, oldest first."""
    months: list[date] = []
    m = _month_start(today)
    for _ in range(n):
        m = _month_start(m - timedelta(days=1))
        months.append(m)
    return months[::-1]


def _people(today: date) -> list[_Person]:
    """Working-age laborers with labor ability, alive, not in school, without any record yet."""
    rows = (
        Laborer.objects.filter(
            labor_skill__in=list(rc.HAS_LABOR),
            vital_status=VitalStatus.NORMAL,
            student_status="",
            employment_records__isnull=True,
        )
        .order_by("id")
        .values_list("id", "region", "birth_date", "employment_status", "employer_name", "work_area")
    )
    people = []
    for pk, region, birth, status, employer, area in rows:
        age = _age(birth, today)
        if 16 <= age < 60 or (status == rc.EmploymentStatus.EMPLOYED and 16 <= age < 75):
            people.append(_Person(pk, str(region), birth, status, employer, area, age))
    return people


def _place_prefix(employer: str) -> str:
    """The region prefix of the place an employer's name starts with (东莞… -> 4419), or ""."""
    for place, prefix in PLACE_PREFIXES:
        if employer.startswith(place):
            return prefix
    return ""


def _work_county(
    p: _Person, area: str, rng: random.Random, places: _Places, employer: str
) -> tuple[str, int | None, str]:
    """(county code, enterprise id or None, industry) of a job at `employer`, in `area` for `p`. A platform
    enterprise's job is where the enterprise is (the area follows it); another employer named after a place
    (东莞…, 长沙…) is in that place: the record, the summary and the name never disagree."""
    home = p.region[:6].ljust(12, "0")
    found = places.enterprises.get(employer) if employer else None
    if found is not None:
        return found[1], found[0], found[2]
    if area == rc.WorkArea.IN_COUNTY:
        return home, None, ""
    pool = places.hunan if area == rc.WorkArea.IN_PROVINCE else places.partner
    choices = [code for code in pool if code != home and work_area_of(p.region, code) == area] or [home]
    prefix = _place_prefix(employer)
    in_place = [code for code in choices if code.startswith(prefix)] if prefix else []
    return rng.choice(in_place or choices), None, ""


def _other_employer(p: _Person, area: str, rng: random.Random, places: _Places) -> str:
    """A platform enterprise in `area` for `p` other than their current employer (an earlier job), or ""."""
    home = p.region[:6]
    pool = places.hunan_names if area != rc.WorkArea.OUT_OF_PROVINCE else places.partner_names
    for _ in range(8):
        if not pool:
            break
        county, name = rng.choice(pool)
        if name == p.employer:
            continue
        if (area == rc.WorkArea.IN_COUNTY) == (county[:6] == home):
            return name
    return ""


def _record(
    p: _Person,
    *,
    area: str,
    start: date,
    end: date | None,
    rng: random.Random,
    places: _Places,
    at_demo_enterprise: bool = False,
    employer: str | None = None,
) -> EmploymentRecord:
    """A record of `p` at `employer` (default: the seed's employer of `p`)."""
    employer = p.employer if employer is None else employer
    if at_demo_enterprise and places.demo_enterprise is not None:
        ent_id, county, industry, name = places.demo_enterprise
        employer = name
        enterprise_id: int | None = ent_id
        area = work_area_of(p.region, county)
    else:
        county, enterprise_id, industry = _work_county(p, area, rng, places, employer)
        area = work_area_of(p.region, county)
        prefix = _place_prefix(employer)
        if not employer or (enterprise_id is None and prefix and not county.startswith(prefix)):
            employer = f"{'本县' if area == rc.WorkArea.IN_COUNTY else '外地'}务工单位"
    low, high = WAGE_RANGE.get(area, (2000, 4000))
    wage = rng.randrange(low, high, 100)
    if area == rc.WorkArea.IN_COUNTY:
        channel = rng.choices(
            [c.Channel.ASSIST_WORKSHOP, c.Channel.PUBLIC_WELFARE, c.Channel.SELF_EMPLOYED, c.Channel.OTHER],
            [3, 2 if p.age >= 45 else 1, 3, 2],
        )[0]
        if channel == c.Channel.PUBLIC_WELFARE:
            wage = rng.randrange(1500, 2200, 100)
    else:
        channel = rng.choices([c.Channel.LABOR_COOPERATION, c.Channel.MIGRANT], [1, 1])[0]
    contract = rng.random() < (0.85 if enterprise_id else 0.6)
    insured = contract and rng.random() < 0.75
    insurance = EMPLOYEE_INSURANCE[: rng.choice((2, 3, 4))] if insured else []
    return EmploymentRecord(
        laborer_id=p.id,
        region_id=p.region,
        enterprise_id=enterprise_id,
        employer_name=employer,
        start_date=start,
        end_date=end,
        end_reason=rng.choice(END_REASONS) if end is not None else "",
        work_region_id=county,
        work_area=area,
        industry=industry,
        monthly_wage=wage,
        contract_signed=contract,
        contract_term=c.ContractTerm.FIXED if contract else "",
        insurance_types=insurance,
        insured_from=start if insured else None,
        channel=channel,
        point_to_point=area == rc.WorkArea.OUT_OF_PROVINCE and rng.random() < 0.35,
        source=c.Source.ENTERPRISE if at_demo_enterprise else rng.choice((c.Source.OFFICER, c.Source.IMPORT)),
    )


def _earliest_start(p: _Person) -> date:
    try:
        return p.birth.replace(year=p.birth.year + 16)
    except ValueError:  # 29 February
        return p.birth.replace(year=p.birth.year + 16, day=28)


def _plan(people: list[_Person], today: date, places: _Places) -> tuple[list[EmploymentRecord], set[int]]:
    """The records to write and the ids (positions in the list) to end through the signal afterwards."""
    records: list[EmploymentRecord] = []
    recent: set[int] = set()
    demo_slots = ENTERPRISE_WORKERS if places.demo_enterprise is not None else 0
    for p in people:
        rng = _rng_for(p.id)
        floor = _earliest_start(p)
        if p.status == rc.EmploymentStatus.EMPLOYED:
            start = max(floor, today - timedelta(days=rng.randint(20, 1100)))
            at_demo = (
                demo_slots > 0
                and p.region.startswith(DEMO_COUNTY)
                and p.area == rc.WorkArea.OUT_OF_PROVINCE
                and rng.random() < 0.3
            )
            demo_slots -= at_demo
            area = p.area or rc.WorkArea.IN_COUNTY
            if rng.random() < PAST_JOB_SHARE:
                past_end = start - timedelta(days=rng.randint(30, 200))
                past_start = past_end - timedelta(days=rng.randint(90, 540))
                if past_start >= floor:
                    past_area = rng.choice(list(WAGE_RANGE))
                    # An earlier job is at another employer than the current one.
                    past_employer = _other_employer(p, past_area, rng, places)
                    records.append(
                        _record(
                            p,
                            area=past_area,
                            start=past_start,
                            end=past_end,
                            rng=rng,
                            places=places,
                            employer=past_employer,
                        )
                    )
            records.append(
                _record(p, area=area, start=start, end=None, rng=rng, places=places, at_demo_enterprise=at_demo)
            )
        elif rng.random() < ENDED_JOB_SHARE:
            end = today - timedelta(days=rng.randint(3, 540))
            start = end - timedelta(days=rng.randint(60, 720))
            if start < floor:
                continue
            area = rng.choices(list(WAGE_RANGE), [3, 3, 4])[0]
            rec = _record(p, area=area, start=start, end=end, rng=rng, places=places)
            if (today - end).days <= RECENT_END_DAYS:
                recent.add(len(records))
            records.append(rec)
    return records, recent


def _lines(records: list[EmploymentRecord], today: date) -> tuple[list[WageMonth], list[InsuranceMonth]]:
    wages: list[WageMonth] = []
    insurance: list[InsuranceMonth] = []
    recent = _months_back(today, WAGE_MONTHS)
    insured_before: set[int] = set()
    for rec in sorted(records, key=lambda r: (r.end_date is not None, r.laborer_id)):
        rng = _rng_for(rec.laborer_id * 31 + rec.start_date.toordinal())
        last = rec.end_date or today
        months = [m for m in recent if _month_start(rec.start_date) <= m <= _month_start(last)]
        if rec.end_date is None and rng.random() < 0.1:
            months = months[:-2]  # the enterprise stopped reporting: a wage warning
        if rec.enterprise_id is not None or rng.random() < 0.7:
            for m in months:
                amount = max(400, int(rec.monthly_wage or 3000) + rng.randrange(-300, 301, 50))
                wages.append(
                    WageMonth(
                        record=rec,
                        laborer_id=rec.laborer_id,
                        region_id=rec.region_id,
                        month=m,
                        amount=amount,
                        source=c.LineSource.ENTERPRISE if rec.enterprise_id else c.LineSource.OFFICER,
                    )
                )
        if rec.insurance_types and rec.laborer_id not in insured_before:
            insured_before.add(rec.laborer_id)  # one insured job per person keeps (person, month, type) unique
            paid = months[:-3] if rec.end_date is None and rng.random() < 0.08 else months  # some stopped paying
            for m in paid:
                for kind in rec.insurance_types:
                    insurance.append(
                        InsuranceMonth(
                            laborer_id=rec.laborer_id,
                            record=rec,
                            region_id=rec.region_id,
                            month=m,
                            insurance_type=kind,
                            source=c.LineSource.LINKAGE,
                        )
                    )
    return wages, insurance


def _followups(records: list[EmploymentRecord], today: date, officer: User | None) -> list[FollowUp]:
    rows: list[FollowUp] = []
    latest: dict[int, EmploymentRecord] = {}
    for rec in records:
        if rec.laborer_id not in latest or rec.start_date > latest[rec.laborer_id].start_date:
            latest[rec.laborer_id] = rec
    for laborer_id, rec in latest.items():
        rng = _rng_for(laborer_id * 7 + 3)
        if rng.random() >= FOLLOWUP_SHARE:
            continue
        failing = rng.random() < UNREACHABLE_SHARE / FOLLOWUP_SHARE
        visits = 3 if failing else rng.randint(1, 3)
        day = today - timedelta(days=rng.randint(100, 130))
        for streak in range(1, visits + 1):
            day = min(today, day + timedelta(days=rng.randint(20, 40)))
            if failing:
                outcome = tc.ContactOutcome.NOT_REACHED
            elif rec.end_date is None or rec.end_date > day:
                outcome = tc.ContactOutcome.WORKING
            elif rec.work_area != rc.WorkArea.IN_COUNTY and rng.random() < 0.6:
                outcome = tc.ContactOutcome.RETURNED
            else:
                outcome = tc.ContactOutcome.NOT_WORKING
            rows.append(
                FollowUp(
                    laborer_id=laborer_id,
                    region_id=rec.region_id,
                    contacted_on=day,
                    method=rng.choice(list(tc.ContactMethod.values)),
                    outcome=outcome,
                    note="" if not failing else "电话无人接听",
                    failed_streak=streak if failing else 0,
                    created_by=officer,
                )
            )
    return rows


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def demo_tracking_ensure(*, today: date | None = None) -> TrackingDemoReport:
    """Write the tracking demo data once (see the module docstring)."""
    today = today or timezone.localdate()
    report = TrackingDemoReport()
    if EmploymentRecord.objects.exclude(source=c.Source.REFERRAL).exists():
        return _counts(report, today)
    places = _places()
    records, recent = _plan(_people(today), today, places)
    officer = User.objects.filter(username="xian").first()
    to_end: list[tuple[EmploymentRecord, date, str]] = []
    for i in recent:
        rec = records[i]
        assert rec.end_date is not None
        to_end.append((rec, rec.end_date, rec.end_reason))
        rec.end_date, rec.end_reason = None, ""  # written ongoing, ended below as a real write would
    with transaction.atomic():
        # The registry was built before the tracking started (the seed registers everyone today): without
        # this, nobody would be due for a routine follow-up (the plan counts from the registration day).
        Laborer.objects.filter(created_at__gte=timezone.now() - timedelta(days=1)).update(
            created_at=timezone.now() - timedelta(days=REGISTERED_DAYS_AGO)
        )
        EmploymentRecord.objects.bulk_create(records, batch_size=500)
        wages, insurance = _lines(records, today)
        WageMonth.objects.bulk_create(wages, batch_size=1000)
        InsuranceMonth.objects.bulk_create(insurance, batch_size=1000)
        followups = _followups(records, today, officer)
        FollowUp.objects.bulk_create(followups, batch_size=1000)
        unreachable = {f.laborer_id for f in followups if f.failed_streak >= 3}
        Laborer.objects.filter(pk__in=unreachable).update(unreachable=True, unreachable_since=today)
        for chunk in _chunks(records):
            employment_changed.send(
                sender=EmploymentRecord, records=chunk, created={r.pk for r in chunk}, ended=set(), acting_user=None
            )
        for rec, end, reason in to_end:
            rec.end_date, rec.end_reason = end, reason
        EmploymentRecord.objects.bulk_update([r for r, _, _ in to_end], ["end_date", "end_reason"], batch_size=500)
        ended_ids = {r.pk for r, _, _ in to_end}
        # The summary (就业状态, 务工单位, 务工地域) follows the records, as every write keeps it.
        laborer_summaries_sync(laborer_ids={r.laborer_id for r in records})
        for chunk in _chunks([r for r, _, _ in to_end]):
            employment_changed.send(
                sender=EmploymentRecord,
                records=chunk,
                created=set(),
                ended={r.pk for r in chunk} & ended_ids,
                acting_user=officer,
            )
    report.created = True
    report.wage_months, report.insurance_months, report.followups = len(wages), len(insurance), len(followups)
    report.notices_answered = _answer_notices(today)
    return _counts(report, today)


def _answer_notices(today: date) -> int:
    """`qiye` answers the destination notices of its own workers through the real service, as the input side
    would: most confirmed, one in eight 未到岗, the newest week and the three latest hires before it left open
    (qiye's home lists them as arrivals to confirm); returns how many were answered."""

    user = User.objects.filter(username="qiye").first()
    if user is None or user.enterprise_id is None:
        return 0
    notices = DestinationNotice.objects.filter(
        record__enterprise_id=user.enterprise_id,
        record__start_date__lte=today - timedelta(days=7),
        status=tc.NoticeStatus.SENT,
    ).order_by("pk")
    answered = 0
    pending = list(notices)
    to_answer = pending[: -LEFT_TO_CONFIRM or None] if len(pending) > 2 * LEFT_TO_CONFIRM else pending
    for i, notice in enumerate(to_answer):
        if i % 8 == 7:
            destination_notice_report_not_arrived(
                acting_user=user, notice_id=notice.pk, expected_version=notice.version, note="本人未到岗，电话未接通"
            )
        else:
            destination_notice_confirm(acting_user=user, notice_id=notice.pk, expected_version=notice.version)
        answered += 1
    return answered


def _counts(report: TrackingDemoReport, today: date) -> TrackingDemoReport:
    report.ongoing = EmploymentRecord.objects.filter(end_date__isnull=True).count()
    report.ended = EmploymentRecord.objects.filter(end_date__isnull=False).count()
    working_age = [
        p
        for p in Laborer.objects.filter(
            labor_skill__in=list(rc.HAS_LABOR), vital_status=VitalStatus.NORMAL, student_status=""
        ).values_list("id", "birth_date")
        if 16 <= _age(p[1], today) < 60
    ]
    ids = {pk for pk, _ in working_age}
    with_records = set(EmploymentRecord.objects.values_list("laborer_id", flat=True).distinct())
    report.working_age = len(ids)
    report.with_records = len(ids & with_records)
    if not report.created:
        report.wage_months = WageMonth.objects.count()
        report.insurance_months = InsuranceMonth.objects.count()
        report.followups = FollowUp.objects.count()
    return report
