"""followup_log: validation (Chinese messages, nothing half-saved), scope, failed streaks and unreachable, the
tasks a follow-up answers, hints about contradicting employment records."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.employment.models import EmploymentRecord, TrackingSettings
from laborcoop.registry.models import Laborer
from laborcoop.tracking.choices import ContactMethod, ContactOutcome, TaskKind, TaskStatus
from laborcoop.tracking.followups import services as s
from laborcoop.tracking.models import FollowUp, FollowUpTask
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import LaborerFactory

pytestmark = pytest.mark.django_db

NOT_REACHED = ContactOutcome.NOT_REACHED


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def laborer(users: dict[str, Any]) -> Laborer:
    return LaborerFactory(name="向金花")  # 黑塘村, 武溪镇, 泸溪县


def log(
    user: Any, laborer: Laborer, *, outcome: str = ContactOutcome.WORKING, on: date | None = None, **kw: Any
) -> Any:
    return s.followup_log(
        acting_user=user,
        laborer=laborer,
        contacted_on=on or timezone.localdate(),
        method=kw.pop("method", ContactMethod.PHONE),
        outcome=outcome,
        note=kw.pop("note", ""),
        **kw,
    )


def task_for(laborer: Laborer, kind: str = TaskKind.ROUTINE, status: str = TaskStatus.OPEN) -> FollowUpTask:
    return FollowUpTask.objects.create(
        laborer=laborer, region_id=laborer.region_id, kind=kind, due_date=timezone.localdate(), status=status
    )


# --- validation ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"contacted_on": None}, {"contacted_on": [s.CONTACTED_ON_REQUIRED]}),
        ({"contacted_on": "tomorrow"}, {"contacted_on": [s.CONTACTED_ON_FUTURE]}),
        ({"contacted_on": date(1999, 12, 31)}, {"contacted_on": [s.CONTACTED_ON_TOO_EARLY]}),
        ({"method": ""}, {"method": [s.METHOD_REQUIRED]}),
        ({"method": "fax"}, {"method": ["联系方式“fax”不在代码表中，应为电话、微信或入户走访。"]}),
        ({"outcome": ""}, {"outcome": [s.OUTCOME_REQUIRED]}),
        ({"outcome": "maybe"}, {"outcome": ["联系结果“maybe”不在代码表中。"]}),
        ({"note": "长" * 501}, {"note": ["情况说明不能超过500个字。"]}),
        (
            {"method": "", "outcome": "", "contacted_on": None},
            {
                "contacted_on": [s.CONTACTED_ON_REQUIRED],
                "method": [s.METHOD_REQUIRED],
                "outcome": [s.OUTCOME_REQUIRED],
            },
        ),
    ],
)
def test_bad_input_is_refused_with_chinese_messages_and_nothing_saved(
    users: dict[str, Any], laborer: Laborer, changes: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    task = task_for(laborer)
    values: dict[str, Any] = {
        "contacted_on": timezone.localdate(),
        "method": ContactMethod.PHONE,
        "outcome": ContactOutcome.WORKING,
        "note": "",
    }
    values.update(changes)
    if values["contacted_on"] == "tomorrow":
        values["contacted_on"] = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        s.followup_log(acting_user=users["broker"], laborer=laborer, task=task, **values)
    assert exc.value.message_dict == errors
    assert FollowUp.objects.count() == 0
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    assert not AuditEntry.objects.filter(object_type="tracking.followup").exists()


def test_the_earliest_and_latest_dates_are_accepted(users: dict[str, Any], laborer: Laborer) -> None:
    log(users["broker"], laborer, on=date(2000, 1, 1))
    log(users["broker"], laborer, on=timezone.localdate())
    assert FollowUp.objects.count() == 2


@pytest.mark.parametrize("role", ["hotline", "viewer", "enterprise"])
def test_roles_that_may_not_log_are_refused(users: dict[str, Any], laborer: Laborer, role: str) -> None:
    with pytest.raises(PermissionDeniedError):
        log(users[role], laborer)
    assert FollowUp.objects.count() == 0


def test_staff_of_another_region_cannot_log(users: dict[str, Any], laborer: Laborer) -> None:
    with pytest.raises(ObjectNotFound):
        log(users["other_county_officer"], laborer)
    assert FollowUp.objects.count() == 0


def test_a_follow_up_is_saved_and_audited(users: dict[str, Any], laborer: Laborer) -> None:
    result = log(
        users["broker"],
        laborer,
        method=ContactMethod.VISIT,
        note="在家务农，有意外出",
        outcome=ContactOutcome.NOT_WORKING,
    )
    f = result.followup
    assert (f.laborer_id, f.region_id, f.method, f.outcome, f.note, f.failed_streak, f.created_by_id) == (
        laborer.pk,
        laborer.region_id,
        ContactMethod.VISIT,
        ContactOutcome.NOT_WORKING,
        "在家务农，有意外出",
        0,
        users["broker"].pk,
    )
    entry = AuditEntry.objects.get(object_type="tracking.followup", object_id=str(f.pk))
    assert (entry.action, entry.actor_id, entry.region_code) == ("create", users["broker"].pk, laborer.region_id)


# --- unreachable ---------------------------------------------------------------------------------------------


def test_three_failed_contacts_mark_the_laborer_unreachable_and_a_success_clears_it(
    users: dict[str, Any], laborer: Laborer
) -> None:
    broker = users["broker"]
    version = laborer.version
    first = log(broker, laborer, outcome=NOT_REACHED, on=days_ago(20))
    second = log(broker, laborer, outcome=NOT_REACHED, on=days_ago(10))
    laborer.refresh_from_db()
    assert (first.followup.failed_streak, second.followup.failed_streak) == (1, 2)
    assert not laborer.unreachable
    assert not second.became_unreachable

    third = log(broker, laborer, outcome=NOT_REACHED, on=days_ago(3))

    laborer.refresh_from_db()
    assert third.followup.failed_streak == 3
    assert third.became_unreachable
    assert (laborer.unreachable, laborer.unreachable_since, laborer.version) == (True, days_ago(3), version + 1)
    marked = AuditEntry.objects.get(object_type="registry.laborer", object_id=str(laborer.pk))
    assert marked.reason == "连续3次未联系上，标记为无法联系"
    assert marked.changes == {"unreachable": [False, True], "unreachable_since": [None, days_ago(3).isoformat()]}

    fourth = log(broker, laborer, outcome=NOT_REACHED, on=days_ago(1))
    laborer.refresh_from_db()
    assert fourth.followup.failed_streak == 4
    assert not fourth.became_unreachable
    assert laborer.unreachable_since == days_ago(3)  # still since the third attempt

    reached = log(broker, laborer, outcome=ContactOutcome.WORKING)
    laborer.refresh_from_db()
    assert reached.became_reachable
    assert reached.followup.failed_streak == 0
    assert (laborer.unreachable, laborer.unreachable_since) == (False, None)
    cleared = AuditEntry.objects.filter(object_type="registry.laborer", reason=s.REASON_REACHABLE)
    assert cleared.count() == 1


def test_a_success_between_failures_breaks_the_streak(users: dict[str, Any], laborer: Laborer) -> None:
    broker = users["broker"]
    log(broker, laborer, outcome=NOT_REACHED, on=days_ago(30))
    log(broker, laborer, outcome=ContactOutcome.RETURNED, on=days_ago(20))
    log(broker, laborer, outcome=NOT_REACHED, on=days_ago(10))
    last = log(broker, laborer, outcome=NOT_REACHED, on=days_ago(5))
    laborer.refresh_from_db()
    assert last.followup.failed_streak == 2
    assert not laborer.unreachable


def test_a_late_entry_takes_its_place_and_the_streaks_are_recounted(users: dict[str, Any], laborer: Laborer) -> None:
    broker = users["broker"]
    log(broker, laborer, outcome=NOT_REACHED, on=days_ago(30))
    log(broker, laborer, outcome=NOT_REACHED, on=days_ago(10))
    late = log(broker, laborer, outcome=NOT_REACHED, on=days_ago(20))  # entered last, happened in between
    streaks = list(FollowUp.objects.order_by("contacted_on").values_list("failed_streak", flat=True))
    assert streaks == [1, 2, 3]
    assert late.followup.failed_streak == 2
    laborer.refresh_from_db()
    assert (laborer.unreachable, laborer.unreachable_since) == (True, days_ago(10))

    log(broker, laborer, outcome=ContactOutcome.WORKING, on=days_ago(25))  # a success, entered late, not the latest
    assert list(FollowUp.objects.order_by("contacted_on").values_list("failed_streak", flat=True)) == [1, 0, 1, 2]
    laborer.refresh_from_db()
    assert laborer.unreachable  # only the latest contact decides


def test_the_province_sets_how_many_failures_make_unreachable(users: dict[str, Any], laborer: Laborer) -> None:
    TrackingSettings.objects.create(province_id="430000000000", values={"failed_contacts_unreachable": 2})
    log(users["broker"], laborer, outcome=NOT_REACHED, on=days_ago(9))
    result = log(users["broker"], laborer, outcome=NOT_REACHED, on=days_ago(2))
    assert result.became_unreachable
    laborer.refresh_from_db()
    assert laborer.unreachable_since == days_ago(2)


# --- tasks ---------------------------------------------------------------------------------------------------


def test_the_answered_task_becomes_done(users: dict[str, Any], laborer: Laborer) -> None:
    task = task_for(laborer, TaskKind.RETRAINING)
    other = task_for(laborer, TaskKind.CONTACT)
    result = log(users["township_officer"], laborer, outcome=NOT_REACHED, task=task)

    task.refresh_from_db()
    other.refresh_from_db()
    assert result.tasks_done == [task]
    assert result.followup.task_id == task.pk
    assert (task.status, task.done_by_id, task.version) == (TaskStatus.DONE, users["township_officer"].pk, 2)
    assert task.note == f"已寻访（{timezone.localdate().isoformat()}，未联系上）"
    assert other.status == TaskStatus.OPEN  # only the task answered


def test_without_a_task_the_open_contact_tasks_are_answered(users: dict[str, Any], laborer: Laborer) -> None:
    contact = task_for(laborer, TaskKind.CONTACT)
    routine = task_for(laborer, TaskKind.ROUTINE)
    retraining = task_for(laborer, TaskKind.RETRAINING)
    result = log(users["broker"], laborer)
    assert {t.pk for t in result.tasks_done} == {contact.pk, routine.pk}
    assert result.followup.task_id is None
    statuses = dict(FollowUpTask.objects.values_list("pk", "status"))
    assert statuses == {contact.pk: TaskStatus.DONE, routine.pk: TaskStatus.DONE, retraining.pk: TaskStatus.OPEN}


def test_a_closed_task_or_another_laborers_task_is_refused(users: dict[str, Any], laborer: Laborer) -> None:
    done = task_for(laborer, status=TaskStatus.DONE)
    with pytest.raises(ValidationError) as exc:
        log(users["broker"], laborer, task=done)
    assert exc.value.message_dict == {"task": [s.TASK_NOT_OPEN]}

    someone_else = task_for(LaborerFactory())
    with pytest.raises(ValidationError) as exc:
        log(users["broker"], laborer, task=someone_else)
    assert exc.value.message_dict == {"task": [s.TASK_OTHER_LABORER]}
    assert FollowUp.objects.count() == 0


# --- hints ---------------------------------------------------------------------------------------------------


def test_working_without_an_ongoing_record_asks_to_add_one(users: dict[str, Any], laborer: Laborer) -> None:
    result = log(users["broker"], laborer, outcome=ContactOutcome.WORKING)
    assert result.hint == s.RecordHint(message=s.HINT_ADD_RECORD, action="add")
    assert EmploymentRecord.objects.count() == 0


@pytest.mark.parametrize("outcome", [ContactOutcome.NOT_WORKING, ContactOutcome.RETURNED])
def test_not_working_with_an_ongoing_record_asks_to_end_it(
    users: dict[str, Any], laborer: Laborer, outcome: str
) -> None:
    record = EmploymentRecordFactory(laborer=laborer, employer_name="深圳测试电子厂", start_date=date(2025, 3, 1))
    result = log(users["broker"], laborer, outcome=outcome)
    label = dict(ContactOutcome.choices)[outcome]
    assert result.hint == s.RecordHint(
        message=f"联系结果为“{label}”，但该人员有在岗的就业记录（深圳测试电子厂，2025-03-01 起）：请核实后结束该记录。",
        action="end",
        record_id=record.pk,
    )
    record.refresh_from_db()
    assert record.end_date is None  # never changed silently


def test_consistent_outcomes_and_late_entries_give_no_hint(users: dict[str, Any], laborer: Laborer) -> None:
    EmploymentRecordFactory(laborer=laborer)
    assert log(users["broker"], laborer, outcome=ContactOutcome.WORKING).hint is None
    assert log(users["broker"], laborer, outcome=NOT_REACHED).hint is None
    # An older contact, entered late, says nothing about today.
    assert log(users["broker"], laborer, outcome=ContactOutcome.NOT_WORKING, on=days_ago(30)).hint is None


# --- the derived status follows the follow-up --------------------------------------------------------------


def test_a_follow_up_updates_the_derived_status_at_once(users: dict[str, Any], laborer: Laborer) -> None:
    """A job in the home county ended: 失业. The broker learns the person went back home: 返乡 right away (the
    state row is not left for the nightly run), and a later "未就业" contact makes them 失业 again."""
    from laborcoop.employment.choices import TrackStatus
    from laborcoop.employment.models import EmploymentState
    from tests.tracking.followup_helpers import hire

    hire(users["county_officer"], laborer, start=days_ago(200), end=days_ago(20), county="433122")
    assert EmploymentState.objects.get(laborer=laborer).status == TrackStatus.UNEMPLOYED
    log(users["broker"], laborer, outcome=ContactOutcome.RETURNED, on=days_ago(5))
    assert EmploymentState.objects.get(laborer=laborer).status == TrackStatus.RETURNED
    log(users["broker"], laborer, outcome=ContactOutcome.NOT_WORKING, on=days_ago(1))
    assert EmploymentState.objects.get(laborer=laborer).status == TrackStatus.UNEMPLOYED
