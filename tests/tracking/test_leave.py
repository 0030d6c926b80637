"""Leaving a job and coming back: the home township's tasks and message, through every path that ends a record
(the services, the work import), exactly once per ending."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from laborcoop.core.models import AuditEntry
from laborcoop.employment.models import EmploymentRecord, TrackingSettings
from laborcoop.employment.records.services import EmploymentData, employment_record_update
from laborcoop.notifications.models import Notification
from laborcoop.registry.models import Laborer
from laborcoop.tracking.choices import TaskKind, TaskStatus
from laborcoop.tracking.followups import leave
from laborcoop.tracking.models import FollowUpTask
from tests.conftest import make_user
from tests.factories import HouseholdFactory, LaborerFactory, fresh_id_number
from tests.tracking.followup_helpers import days_ago, end, hire, import_work, work_row

pytestmark = pytest.mark.django_db

LEAVE_KINDS = {TaskKind.CONTACT, TaskKind.UNEMPLOYMENT_REGISTRATION, TaskKind.RETRAINING, TaskKind.REFERRAL}


@pytest.fixture
def person(users: dict[str, Any]) -> tuple[Laborer, str]:
    """A laborer of 黑塘村 (武溪镇, 泸溪县) with the clear ID number, for the work import."""
    number = fresh_id_number()
    return LaborerFactory(id_number=number, name="向金花"), number


def task_map(record: EmploymentRecord) -> dict[str, FollowUpTask]:
    return {t.kind: t for t in FollowUpTask.objects.filter(record=record)}


def ended_messages(record: EmploymentRecord) -> list[Notification]:
    return list(Notification.objects.filter(dedupe_key__startswith=f"employment_ended:{record.pk}:").order_by("pk"))


# --- one set of tasks, one message -------------------------------------------------------------------------


def test_ending_a_job_opens_one_set_of_tasks_for_the_home_village(users: dict[str, Any], person: Any) -> None:
    laborer, _ = person
    officer = users["county_officer"]
    record = hire(officer, laborer, start=days_ago(200))

    end(officer, record, on=days_ago(1))

    tasks = task_map(record)
    assert set(tasks) == LEAVE_KINDS
    assert FollowUpTask.objects.count() == 4
    today = timezone.localdate()
    assert {k: t.due_date for k, t in tasks.items()} == {
        TaskKind.CONTACT: days_ago(1) + timedelta(days=7),
        TaskKind.REFERRAL: days_ago(1) + timedelta(days=14),
        TaskKind.UNEMPLOYMENT_REGISTRATION: days_ago(1) + timedelta(days=30),
        TaskKind.RETRAINING: days_ago(1) + timedelta(days=30),
    }
    assert all(t.status == TaskStatus.OPEN and t.region_id == laborer.region_id for t in tasks.values())
    assert all(t.laborer_id == laborer.pk for t in tasks.values())
    assert today < tasks[TaskKind.CONTACT].due_date
    created = AuditEntry.objects.filter(object_type="tracking.followuptask", action=AuditEntry.Action.CREATE)
    assert created.count() == 4
    assert set(created.values_list("object_id", flat=True)) == {str(t.pk) for t in tasks.values()}
    assert set(created.values_list("actor_id", flat=True)) == {officer.pk}


def test_ending_notifies_the_township_and_village_staff_once_naming_their_own_laborer(
    users: dict[str, Any], person: Any
) -> None:
    laborer, number = person
    record = hire(users["county_officer"], laborer, start=days_ago(200))

    end(users["county_officer"], record, on=days_ago(3))

    messages = ended_messages(record)
    # 武溪镇's officer and 黑塘村's broker; not the county (the township has staff), not the viewer.
    assert {m.recipient_user_id for m in messages} == {users["township_officer"].pk, users["broker"].pk}
    assert len(messages) == 2
    body = messages[0].body
    # Their own village's laborer: named in full (issue 13 item 10), the ID number still never in a message
    assert "向金花" in body
    assert "向**" not in body
    assert {m.url for m in messages} == {f"/registry/laborers/{laborer.pk}/"}
    assert number[-4:] in body
    assert number not in body
    assert "黑塘村" in body
    assert "深圳测试电子厂" in body
    assert "单位辞退" in body
    assert (days_ago(3) + timedelta(days=7)).isoformat() in body
    assert messages[0].template == leave.TEMPLATE


def test_without_township_staff_the_county_officers_are_told(users: dict[str, Any]) -> None:
    laborer = LaborerFactory(household=HouseholdFactory(region_id="433122108201"))  # 浦市镇 黄家桥村: no staff
    make_user("old_xiang", "433122108000", ["officer"], is_active=False)  # inactive: never told
    record = hire(users["county_officer"], laborer, start=days_ago(100))

    end(users["county_officer"], record, on=days_ago(2))

    assert [m.recipient_user_id for m in ended_messages(record)] == [users["county_officer"].pk]


def test_contact_deadline_follows_the_province_setting_and_is_never_in_the_past(
    users: dict[str, Any], person: Any
) -> None:
    laborer, _ = person
    TrackingSettings.objects.create(province_id="430000000000", values={"leave_contact_days": 3})
    recent = hire(users["county_officer"], laborer, start=days_ago(400), end=None)
    end(users["county_officer"], recent, on=days_ago(1))
    assert task_map(recent)[TaskKind.CONTACT].due_date == days_ago(1) + timedelta(days=3)

    other = LaborerFactory()
    late = hire(users["county_officer"], other, start=days_ago(400))
    end(users["county_officer"], late, on=days_ago(60))  # recorded two months late
    dues = {k: t.due_date for k, t in task_map(late).items()}
    assert dues == {kind: timezone.localdate() for kind in LEAVE_KINDS}


def test_ending_through_the_import_then_the_services_never_duplicates(
    users: dict[str, Any], person: Any, tmp_path: Path
) -> None:
    laborer, number = person
    officer = users["county_officer"]
    start = days_ago(300)
    record = hire(officer, laborer, start=start)

    # 1. The work import ends the record.
    import_work(officer, [work_row(number, laborer.name, start=start, end=days_ago(20))], tmp_path)
    record.refresh_from_db()
    assert record.end_date == days_ago(20)
    assert set(task_map(record)) == LEAVE_KINDS
    assert len(ended_messages(record)) == 2

    # 2. The ending is undone (a correction): the record's open tasks are cancelled.
    data = EmploymentData.from_record(record)
    reopened = employment_record_update(
        acting_user=officer,
        record=record,
        data=EmploymentData(**{**data.__dict__, "end_date": None, "end_reason": ""}),
        expected_version=record.version,
        confirm_warnings=True,
    )
    assert {t.status for t in task_map(reopened).values()} == {TaskStatus.CANCELLED}

    # 3. The services end it again: the same four tasks are open again, no new row, no new message.
    end(officer, reopened, on=days_ago(2))
    tasks = task_map(reopened)
    assert FollowUpTask.objects.count() == 4
    assert {t.status for t in tasks.values()} == {TaskStatus.OPEN}
    assert tasks[TaskKind.CONTACT].due_date == days_ago(2) + timedelta(days=7)
    assert len(ended_messages(record)) == 2
    assert Notification.objects.filter(template=leave.TEMPLATE).count() == 2


def test_ending_through_the_services_then_reimporting_the_ended_row_adds_nothing(
    users: dict[str, Any], person: Any, tmp_path: Path
) -> None:
    laborer, number = person
    officer = users["county_officer"]
    start = days_ago(300)
    record = hire(officer, laborer, start=start)
    end(officer, record, on=days_ago(5))

    import_work(officer, [work_row(number, laborer.name, start=start, end=days_ago(5))], tmp_path)
    import_work(officer, [work_row(number, laborer.name, start=start, end=days_ago(4))], tmp_path, "again.xlsx")

    assert FollowUpTask.objects.count() == 4
    assert len(ended_messages(record)) == 2


def test_no_tasks_when_another_job_is_ongoing(users: dict[str, Any], person: Any, tmp_path: Path) -> None:
    laborer, number = person
    officer = users["county_officer"]
    first = hire(officer, laborer, start=days_ago(300))

    # One file ends the first job and records the next one, which is ongoing.
    import_work(
        officer,
        [
            work_row(number, laborer.name, start=days_ago(300), end=days_ago(30)),
            work_row(number, laborer.name, start=days_ago(25), 务工企业名称="东莞新厂"),
        ],
        tmp_path,
    )

    first.refresh_from_db()
    assert first.end_date == days_ago(30)
    assert EmploymentRecord.objects.filter(laborer=laborer, end_date__isnull=True).count() == 1
    assert FollowUpTask.objects.count() == 0
    assert Notification.objects.filter(template=leave.TEMPLATE).count() == 0


def test_re_employment_closes_the_contact_and_referral_tasks(users: dict[str, Any], person: Any) -> None:
    laborer, _ = person
    officer = users["township_officer"]
    first = hire(officer, laborer, start=days_ago(300))
    end(officer, first, on=days_ago(40))

    hire(officer, laborer, start=days_ago(10), county="433122", employer="泸溪县浦市蔬菜合作社")

    tasks = task_map(first)
    assert {k: t.status for k, t in tasks.items()} == {
        TaskKind.CONTACT: TaskStatus.DONE,
        TaskKind.REFERRAL: TaskStatus.DONE,
        TaskKind.UNEMPLOYMENT_REGISTRATION: TaskStatus.OPEN,
        TaskKind.RETRAINING: TaskStatus.OPEN,
    }
    contact = tasks[TaskKind.CONTACT]
    assert contact.note == "已再就业"
    assert contact.done_by_id == officer.pk
    assert contact.done_at is not None
    closed = AuditEntry.objects.filter(
        object_type="tracking.followuptask", action=AuditEntry.Action.UPDATE, reason=leave.REASON_REEMPLOYED
    )
    assert set(closed.values_list("object_id", flat=True)) == {str(contact.pk), str(tasks[TaskKind.REFERRAL].pk)}


def test_a_past_job_added_later_is_not_a_re_employment(users: dict[str, Any], person: Any) -> None:
    laborer, _ = person
    officer = users["county_officer"]
    last = hire(officer, laborer, start=days_ago(100))
    end(officer, last, on=days_ago(5))

    hire(officer, laborer, start=days_ago(900), end=days_ago(800), employer="旧单位")  # history, not ongoing

    assert {t.status for t in task_map(last).values()} == {TaskStatus.OPEN}
