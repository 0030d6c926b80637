"""The follow-up plan: intervals by 务工地域 and status, the clock (last follow-up, record start/end,
registration), the nightly run (never twice), province settings, the command and the task."""

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from laborcoop.employment.models import TrackingSettings
from laborcoop.registry import choices as rc
from laborcoop.registry.models import Laborer, VitalStatus
from laborcoop.tracking.choices import ContactMethod, ContactOutcome, TaskKind, TaskStatus
from laborcoop.tracking.followups import plan
from laborcoop.tracking.followups.tasks import plan_followups
from laborcoop.tracking.models import FollowUp, FollowUpTask
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 30)
OUT = rc.WorkArea.OUT_OF_PROVINCE
IN_PROVINCE = rc.WorkArea.IN_PROVINCE
IN_COUNTY = rc.WorkArea.IN_COUNTY
WORK_COUNTY = {OUT: "440306000000", IN_PROVINCE: "433123000000", IN_COUNTY: "433122000000"}


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def person(
    *,
    status: str = rc.EmploymentStatus.EMPLOYED,
    area: str = "",
    registered: int = 800,
    village: str = "433122107201",
    **extra: Any,
) -> Laborer:
    laborer = LaborerFactory(
        household=HouseholdFactory(region_id=village), employment_status=status, work_area=area, **extra
    )
    Laborer.objects.filter(pk=laborer.pk).update(created_at=timezone.make_aware(timezone.datetime(2024, 1, 1)))
    if registered < 800:
        day = ago(registered)
        Laborer.objects.filter(pk=laborer.pk).update(
            created_at=timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 12))
        )
    laborer.refresh_from_db()
    return laborer


def working(area: str, *, started: int, **extra: Any) -> Laborer:
    laborer = person(area=area, **extra)
    EmploymentRecordFactory(laborer=laborer, start_date=ago(started), work_region_id=WORK_COUNTY[area])
    return laborer


def followed(laborer: Laborer, days: int, outcome: str = ContactOutcome.WORKING) -> None:
    FollowUp.objects.create(
        laborer=laborer,
        region_id=laborer.region_id,
        contacted_on=ago(days),
        method=ContactMethod.PHONE,
        outcome=outcome,
    )


def routine() -> dict[int, date]:
    return dict(
        FollowUpTask.objects.filter(kind=TaskKind.ROUTINE, status=TaskStatus.OPEN).values_list("laborer_id", "due_date")
    )


def test_intervals_by_area_and_status() -> None:
    values = plan.default_tracking_settings()
    employed = rc.EmploymentStatus.EMPLOYED
    assert plan.interval_days(employment_status=employed, work_area=OUT, values=values) == 30
    assert plan.interval_days(employment_status=employed, work_area=IN_PROVINCE, values=values) == 60
    assert plan.interval_days(employment_status=employed, work_area=IN_COUNTY, values=values) == 90
    assert plan.interval_days(employment_status=employed, work_area="", values=values) == 60
    assert plan.interval_days(employment_status=rc.EmploymentStatus.UNEMPLOYED, work_area="", values=values) == 30
    assert plan.interval_days(employment_status=rc.EmploymentStatus.FARMING, work_area="", values=values) is None


def test_the_plan_opens_routine_tasks_at_the_right_intervals(regions: Any) -> None:
    out_due = working(OUT, started=31)
    out_not_yet = working(OUT, started=29)
    province_due = working(IN_PROVINCE, started=200)
    followed(province_due, 61)
    province_recent = working(IN_PROVINCE, started=200)
    followed(province_recent, 59)
    county_due = working(IN_COUNTY, started=90)
    county_not_yet = working(IN_COUNTY, started=89)
    jobless = person(status=rc.EmploymentStatus.UNEMPLOYED)
    EmploymentRecordFactory(laborer=jobless, start_date=ago(300), end_date=ago(30), end_reason="dismissed")
    jobless_recent = person(status=rc.EmploymentStatus.UNEMPLOYED)
    EmploymentRecordFactory(laborer=jobless_recent, start_date=ago(300), end_date=ago(29), end_reason="dismissed")
    new_unemployed = person(status=rc.EmploymentStatus.UNEMPLOYED, registered=10)
    old_unemployed = person(status=rc.EmploymentStatus.UNEMPLOYED, registered=31)

    result = plan.followup_plan_run(today=TODAY)

    assert routine() == {
        out_due.pk: ago(1),
        province_due.pk: ago(1),
        county_due.pk: TODAY,
        jobless.pk: TODAY,
        old_unemployed.pk: ago(1),
    }
    assert result.created == 5
    not_planned = {out_not_yet, province_recent, county_not_yet, jobless_recent, new_unemployed}
    assert not FollowUpTask.objects.filter(laborer__in=not_planned).exists()
    task = FollowUpTask.objects.get(laborer=out_due)
    assert (task.region_id, task.record_id, task.note, task.version) == (out_due.region_id, None, "", 1)


def test_people_outside_the_plan_never_get_routine_tasks(regions: Any) -> None:
    person(status=rc.EmploymentStatus.FARMING)
    person(status=rc.EmploymentStatus.NOT_IN_LABOR_FORCE)
    working(OUT, started=300, vital_status=VitalStatus.DECEASED)
    working(OUT, started=300, labor_skill=rc.LaborSkill.NONE)

    assert plan.followup_plan_run(today=TODAY).created == 0
    assert FollowUpTask.objects.count() == 0


def test_the_plan_never_opens_a_second_routine_task(regions: Any) -> None:
    due = working(OUT, started=100)
    done_before = working(OUT, started=100)
    FollowUpTask.objects.create(
        laborer=done_before,
        region_id=done_before.region_id,
        kind=TaskKind.ROUTINE,
        due_date=ago(70),
        status=TaskStatus.DONE,
    )

    assert plan.followup_plan_run(today=TODAY).created == 2
    assert plan.followup_plan_run(today=TODAY).created == 0
    assert plan.followup_plan_run(today=TODAY + timedelta(days=40)).created == 0
    assert FollowUpTask.objects.filter(laborer=due, kind=TaskKind.ROUTINE).count() == 1
    assert FollowUpTask.objects.filter(laborer=done_before, kind=TaskKind.ROUTINE, status=TaskStatus.OPEN).count() == 1

    # Once the task is answered, the clock restarts from the follow-up.
    FollowUpTask.objects.filter(laborer=due).update(status=TaskStatus.DONE)
    followed(due, 5)
    assert plan.followup_plan_run(today=TODAY).created == 0
    assert plan.followup_plan_run(today=TODAY + timedelta(days=25)).created == 1
    assert routine()[due.pk] == ago(5) + timedelta(days=30)


def test_leave_tasks_do_not_stop_the_routine_plan(regions: Any) -> None:
    laborer = working(OUT, started=100)
    FollowUpTask.objects.create(laborer=laborer, region_id=laborer.region_id, kind=TaskKind.CONTACT, due_date=TODAY)
    assert plan.followup_plan_run(today=TODAY).created == 1


def test_province_settings_change_the_intervals(regions: Any) -> None:
    TrackingSettings.objects.create(province_id="430000000000", values={"followup_days_out_of_province": 45})
    hunan = working(OUT, started=40)
    shandong = working(OUT, started=40, village="370102000000")  # another province keeps the defaults

    assert plan.followup_plan_run(today=TODAY).created == 1
    assert set(routine()) == {shandong.pk}
    assert plan.followup_plan_run(today=TODAY + timedelta(days=5)).created == 1
    assert routine()[hunan.pk] == ago(40) + timedelta(days=45)


def test_next_followup_of_one_laborer_follows_the_same_rule(regions: Any) -> None:
    laborer = working(IN_PROVINCE, started=200)
    followed(laborer, 20)
    planned = plan.next_followup(laborer)
    assert planned is not None
    assert (planned.basis, planned.interval, planned.due) == (ago(20), 60, ago(20) + timedelta(days=60))
    assert plan.next_followup(person(status=rc.EmploymentStatus.FARMING)) is None


def test_command_and_task(regions: Any) -> None:
    working(OUT, started=100)
    out = StringIO()
    call_command("plan_followups", "--today", TODAY.isoformat(), stdout=out)
    assert "新生成定期寻访任务 1 条" in out.getvalue()
    with pytest.raises(CommandError, match="日期格式应为 YYYY-MM-DD：2026-13-01"):
        call_command("plan_followups", "--today", "2026-13-01")

    FollowUpTask.objects.all().delete()
    working(OUT, started=300)
    result = plan_followups.enqueue()
    assert result.return_value == 2
