"""The tracking demo data: records for most working-age laborers, valid by the same rules as entered ones."""

from collections import defaultdict
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from laborcoop.accounts.models import User
from laborcoop.demo.generator import regions as demo_regions
from laborcoop.employment.models import EmploymentRecord, InsuranceMonth, WageMonth
from laborcoop.employment.records import validation as v
from laborcoop.employment.records.services import record_issues
from laborcoop.regions.models import Region
from laborcoop.registry import choices as rc
from laborcoop.registry.models import Laborer
from laborcoop.tracking.models import FollowUp

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(regions: dict[str, Region], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(demo_regions, "regions_complete", lambda: True)
    out = StringIO()
    call_command("demo_setup", laborers=400, stdout=out)
    return out.getvalue()


def test_employed_laborers_have_one_ongoing_record_that_matches(demo: str) -> None:
    employed = Laborer.objects.filter(employment_status=rc.EmploymentStatus.EMPLOYED)
    assert employed.exists()
    ongoing = {r.laborer_id: r for r in EmploymentRecord.objects.filter(end_date__isnull=True)}
    for laborer in employed:
        record = ongoing[laborer.pk]
        assert record.work_area == laborer.work_area
        assert record.work_area == v.work_area_of(laborer.region_id, record.work_region_id)
    assert "就业跟踪演示" in demo


def test_records_pass_the_entry_rules_and_never_overlap(demo: str) -> None:
    by_laborer: dict[int, list[EmploymentRecord]] = defaultdict(list)
    for record in EmploymentRecord.objects.select_related("laborer"):
        by_laborer[record.laborer_id].append(record)
    assert by_laborer
    today = timezone.localdate()
    for records in by_laborer.values():
        for record in records:
            others = [v.Period(r.start_date, r.end_date) for r in records if r.pk != record.pk]
            issues = record_issues(laborer=record.laborer, record=record, others=others, today=today)
            assert not issues.has_errors, (record.pk, issues.errors)


def test_many_working_age_laborers_have_records_with_lines_and_followups(demo: str) -> None:
    today = timezone.localdate()
    working_age: set[int] = set()
    for pk, birth in Laborer.objects.filter(
        labor_skill__in=list(rc.HAS_LABOR), vital_status="normal", student_status=""
    ).values_list("id", "birth_date"):
        if 16 <= (today - birth).days // 365 < 60:
            working_age.add(pk)
    with_records = working_age & set(EmploymentRecord.objects.values_list("laborer_id", flat=True))
    assert 0.4 <= len(with_records) / len(working_age) <= 0.8
    assert EmploymentRecord.objects.filter(end_date__isnull=False).exists()
    assert {"01", "02", "03"} <= set(EmploymentRecord.objects.values_list("work_area", flat=True))
    assert WageMonth.objects.exists()
    assert InsuranceMonth.objects.exists()
    assert FollowUp.objects.exists()
    qiye = User.objects.get(username="qiye")
    assert qiye.enterprise_id is not None
    assert EmploymentRecord.objects.filter(enterprise_id=qiye.enterprise_id).exists()


def test_a_second_run_adds_nothing(demo: str) -> None:
    counts: list[Any] = [m.objects.count() for m in (EmploymentRecord, WageMonth, InsuranceMonth, FollowUp)]
    call_command("demo_setup", laborers=400, stdout=StringIO())
    assert [m.objects.count() for m in (EmploymentRecord, WageMonth, InsuranceMonth, FollowUp)] == counts


def test_the_nightly_jobs_ran_and_both_sides_have_content(demo: str) -> None:
    """`make demo` shows states, warnings, tasks and answered destination notices at once."""
    from laborcoop.earlywarning.models import EarlyWarning
    from laborcoop.employment.models import EmploymentState
    from laborcoop.tracking.choices import NoticeStatus
    from laborcoop.tracking.models import DestinationNotice

    assert EmploymentState.objects.count() == Laborer.objects.count()
    assert EarlyWarning.objects.exists()
    # The registry is dated before the tracking, so routine follow-ups are due (the brokers' phone page).
    from laborcoop.tracking.choices import TaskKind, TaskStatus
    from laborcoop.tracking.models import FollowUpTask

    assert FollowUpTask.objects.filter(kind=TaskKind.ROUTINE, status=TaskStatus.OPEN).exists()
    qiye = User.objects.get(username="qiye")
    answered = DestinationNotice.objects.filter(record__enterprise_id=qiye.enterprise_id).exclude(
        status=NoticeStatus.SENT
    )
    assert answered.filter(status=NoticeStatus.CONFIRMED, confirmed_by=qiye).exists()
    assert "企业答复去向通报" in demo


def test_employers_sit_where_they_are_and_summaries_follow_the_records(demo: str) -> None:
    """Issue 13 item 18: a job at an enterprise is where the enterprise is; an employer named after a place
    (东莞…, 济南…) works in that place; an earlier job is at another employer; the laborer's summary names
    the current job (none: not 已就业)."""
    from laborcoop.demo.tracking_demo import PLACE_PREFIXES
    from laborcoop.employers.models import Enterprise

    regions_of = dict(Enterprise.objects.values_list("id", "region"))
    records = list(EmploymentRecord.objects.order_by("id"))
    assert records
    current = {r.laborer_id: r for r in records if r.end_date is None}
    pasts = 0
    for r in records:
        if r.enterprise_id is not None:
            assert str(r.work_region_id)[:6] == str(regions_of[r.enterprise_id])[:6], r.employer_name
        for place, prefix in PLACE_PREFIXES:
            if r.employer_name.startswith(place):
                assert str(r.work_region_id).startswith(prefix), (r.employer_name, r.work_region_id)
        now = current.get(r.laborer_id)
        if r.end_date is not None and now is not None:
            pasts += 1
            assert r.employer_name != now.employer_name
    assert pasts > 0
    for laborer in Laborer.objects.filter(pk__in={r.laborer_id for r in records}):
        now = current.get(laborer.pk)
        if now is None:
            assert laborer.employment_status != rc.EmploymentStatus.EMPLOYED
        else:
            shown = (laborer.employment_status, laborer.employer_name, laborer.work_area)
            assert shown == (rc.EmploymentStatus.EMPLOYED, now.employer_name, now.work_area)
    for name, region in Enterprise.objects.values_list("name", "region"):
        for place, prefix in PLACE_PREFIXES:
            if name.startswith(place):
                assert str(region).startswith(prefix), (name, region)
