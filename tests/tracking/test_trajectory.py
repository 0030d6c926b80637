"""The trajectory selector (tracking.trajectory.selectors): overlapping sources resolved, spells, gaps, moves, income
(reported over declared), insurance, follow-ups, recommendations, the status, scope and query count."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.employment.choices import EndReason, TrackStatus
from laborcoop.employment.models import EmploymentRecord, InsuranceMonth, WageMonth
from laborcoop.matching.models import Recommendation
from laborcoop.registry.models import Laborer
from laborcoop.tracking.choices import ContactMethod, ContactOutcome
from laborcoop.tracking.models import FollowUp
from laborcoop.tracking.trajectory.selectors import (
    DECLARED,
    REPORTED,
    EmployedSpell,
    Gap,
    laborer_trajectory,
)
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import JobPostingFactory, LaborerFactory

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 15)
LUXI, FENGHUANG, SHENZHEN = "433122000000", "433123000000", "440306000000"


@dataclass
class History:
    laborer: Laborer
    r1: EmploymentRecord
    r2: EmploymentRecord
    r3: EmploymentRecord
    r4: EmploymentRecord


def build_history(visitor: Any = None) -> History:
    """凤凰县 (overlapped by an import of a 深圳 job), 深圳 again after 15 days, 4 months without work, then a
    job at home with a contract and insurance; wage months, insurance months, a follow-up, a recommendation."""
    laborer = LaborerFactory(name="向金花")

    def record(start: date, end: date | None, county: str, wage: int, **kw: Any) -> EmploymentRecord:
        return EmploymentRecordFactory(
            laborer=laborer,
            start_date=start,
            end_date=end,
            end_reason=EndReason.RESIGNED if end else "",
            work_region_id=county,
            monthly_wage=wage,
            **kw,
        )

    r1 = record(date(2023, 1, 10), date(2023, 6, 30), FENGHUANG, 3000, employer_name="凤凰古城旅游公司")
    r2 = record(date(2023, 6, 1), date(2023, 12, 31), SHENZHEN, 5000, employer_name="深圳测试电子厂", source="import")
    r3 = record(date(2024, 1, 15), date(2024, 8, 31), SHENZHEN, 5200, employer_name="深圳另一电子厂")
    r4 = record(
        date(2025, 1, 1),
        None,
        LUXI,
        2500,
        employer_name="泸溪县合作社",
        contract_signed=True,
        insurance_types=["城镇职工养老"],
    )
    for month, amount in ((date(2025, 2, 1), 2600), (date(2025, 3, 1), 2700)):
        WageMonth.objects.create(record=r4, laborer=laborer, region_id=laborer.region_id, month=month, amount=amount)
    for month, kind in ((date(2025, 2, 1), "职工医疗"), (date(2025, 2, 1), "城镇职工养老"), (date(2025, 3, 1), "工伤")):
        InsuranceMonth.objects.create(
            laborer=laborer, record=r4, region_id=laborer.region_id, month=month, insurance_type=kind
        )
    FollowUp.objects.create(
        laborer=laborer,
        region_id=laborer.region_id,
        contacted_on=date(2024, 10, 1),
        method=ContactMethod.PHONE,
        outcome=ContactOutcome.NOT_WORKING,
        created_by=visitor,
    )
    Recommendation.objects.create(
        job=JobPostingFactory(title="包装工"), laborer=laborer, region_id=laborer.region_id, score=61
    )
    return History(laborer, r1, r2, r3, r4)


@pytest.fixture
def history(users: dict[str, Any]) -> History:
    return build_history(users["broker"])


def test_segments_resolve_the_overlap_deterministically(users: dict[str, Any], history: History) -> None:
    t = laborer_trajectory(user=users["county_officer"], laborer=history.laborer, today=TODAY)
    assert [(s.record_id, s.start, s.end, s.clipped) for s in t.segments] == [
        (history.r1.pk, date(2023, 1, 10), date(2023, 5, 31), True),  # cut by the 深圳 job starting 1 June
        (history.r2.pk, date(2023, 6, 1), date(2023, 12, 31), False),
        (history.r3.pk, date(2024, 1, 15), date(2024, 8, 31), False),
        (history.r4.pk, date(2025, 1, 1), None, False),
    ]
    assert t.segments[0].end_reason == ""  # the stored reason belongs to the stored end
    assert t.segments[1].end_reason_label == "本人辞职"
    assert [s.work_area for s in t.segments] == ["02", "03", "03", "01"]


def test_spells_and_gaps(users: dict[str, Any], history: History) -> None:
    t = laborer_trajectory(user=users["county_officer"], laborer=history.laborer, today=TODAY)
    assert t.spells == [
        EmployedSpell(
            start=date(2023, 1, 10),
            end=date(2024, 8, 31),  # the 15 days between the two 深圳 jobs are a job change
            months=19,
            record_ids=(history.r1.pk, history.r2.pk, history.r3.pk),
        ),
        EmployedSpell(start=date(2025, 1, 1), end=None, months=5, record_ids=(history.r4.pk,)),
    ]
    assert t.gaps == [Gap(start=date(2024, 9, 1), end=date(2024, 12, 31), days=122)]


def test_trailing_gap_when_the_last_job_ended(users: dict[str, Any]) -> None:
    laborer = LaborerFactory()
    EmploymentRecordFactory(
        laborer=laborer, start_date=date(2025, 1, 1), end_date=date(2025, 5, 31), end_reason=EndReason.SEASONAL
    )
    t = laborer_trajectory(user=users["county_officer"], laborer=laborer, today=TODAY)
    assert t.gaps == [Gap(start=date(2025, 6, 1), end=None, days=15)]
    assert (t.status.status, t.status.since) == (TrackStatus.UNEMPLOYED, date(2025, 5, 31))


def test_moves_between_work_counties(users: dict[str, Any], history: History) -> None:
    t = laborer_trajectory(user=users["county_officer"], laborer=history.laborer, today=TODAY)
    assert [(m.on, m.from_code, m.to_code, m.work_area_label) for m in t.moves] == [
        (date(2023, 1, 10), LUXI, FENGHUANG, "省内县外"),
        (date(2023, 6, 1), FENGHUANG, SHENZHEN, "省外"),
        (date(2025, 1, 1), SHENZHEN, LUXI, "县内"),  # the second 深圳 job is no move
    ]
    assert (t.moves[0].from_name, t.moves[0].to_name) == ("泸溪县", "凤凰县")


def test_income_reported_over_declared(users: dict[str, Any], history: History) -> None:
    t = laborer_trajectory(user=users["county_officer"], laborer=history.laborer, today=TODAY)
    by_month = {i.month: (i.amount, i.kind) for i in t.income}
    assert len(t.income) == 12 + 8 + 6  # every month of a segment up to June 2025; none in the gap
    assert by_month[date(2023, 5, 1)] == (3000, DECLARED)
    assert by_month[date(2023, 6, 1)] == (5000, DECLARED)  # June belongs to the 深圳 job
    assert by_month[date(2024, 1, 1)] == (5200, DECLARED)
    assert date(2024, 10, 1) not in by_month
    assert by_month[date(2025, 2, 1)] == (2600, REPORTED)
    assert by_month[date(2025, 3, 1)] == (2700, REPORTED)
    assert by_month[date(2025, 4, 1)] == (2500, DECLARED)


def test_insurance_followups_recommendations_and_status(users: dict[str, Any], history: History) -> None:
    t = laborer_trajectory(user=users["county_officer"], laborer=history.laborer, today=TODAY)
    assert [(m.month, m.insurance_types) for m in t.insurance] == [
        (date(2025, 2, 1), ("城镇职工养老", "职工医疗")),
        (date(2025, 3, 1), ("工伤",)),
    ]
    assert [(f.contacted_on, f.method_label, f.outcome_label) for f in t.followups] == [
        (date(2024, 10, 1), "电话", "联系上，未就业")
    ]
    [rec] = t.recommendations
    assert (rec.job_title, rec.state, rec.state_label) == ("包装工", "recommended", "推荐")
    # Paid months of this job stop in March: more than two months before June, so not (yet) stable.
    assert (t.status.status, t.status.since, t.status.stable_months, t.status.stable_months_required) == (
        TrackStatus.EMPLOYED,
        date(2025, 1, 1),
        5,
        3,
    )
    assert (t.home_county_code, t.home_county_name) == (LUXI, "泸溪县")
    InsuranceMonth.objects.create(
        laborer=history.laborer,
        record=history.r4,
        region_id=history.laborer.region_id,
        month=date(2025, 5, 1),
        insurance_type="工伤",
    )
    t = laborer_trajectory(user=users["county_officer"], laborer=history.laborer, today=TODAY)
    assert (t.status.status, t.status.label) == (TrackStatus.STABLE, "稳定就业")


def test_upcoming_records_are_listed_not_drawn(users: dict[str, Any]) -> None:
    laborer = LaborerFactory()
    future = EmploymentRecordFactory(laborer=laborer, start_date=date(2025, 7, 1))
    t = laborer_trajectory(user=users["county_officer"], laborer=laborer, today=TODAY)
    assert (t.segments, t.spells, t.gaps) == ([], [], [])
    assert [s.record_id for s in t.upcoming] == [future.pk]
    assert t.status.status == TrackStatus.NEVER


def test_scope_and_queries(users: dict[str, Any], history: History, django_assert_num_queries: Any) -> None:
    officer = users["county_officer"]
    laborer_trajectory(user=officer, laborer=history.laborer, today=TODAY)  # loads the user's home region once
    with django_assert_num_queries(7):  # records, home county, wages, insurance, follow-ups, recs, settings
        laborer_trajectory(user=officer, laborer=history.laborer, today=TODAY)
    with pytest.raises(ObjectNotFound):
        laborer_trajectory(user=users["other_county_officer"], laborer=history.laborer, today=TODAY)
    with pytest.raises(PermissionDeniedError):
        laborer_trajectory(user=users["enterprise"], laborer=history.laborer, today=TODAY)
