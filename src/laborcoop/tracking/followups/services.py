"""Logging follow-ups (寻访记录): one contact attempt with a laborer, its effect on their tasks and on whether they
count as unreachable (无法联系).

- `failed_streak` of a follow-up is the number of consecutive failed attempts (未联系上) ending with it, in the
  order of the contact dates (a follow-up entered late is put in its place and the later streaks recounted).
- The latest follow-up decides reachability: a streak reaching the province's `failed_contacts_unreachable`
  (3 by default) marks the laborer unreachable from the day of that attempt; a successful contact clears it.
  The laborer is changed through registry.services.laborer_set_unreachable (version, audit).
- The task a follow-up answers becomes done. A follow-up logged without a task answers the laborer's open
  contact tasks (离岗联系, 定期寻访): it is what they ask for.
- An outcome that contradicts the employment records (在岗 without an ongoing record; 未就业 or 已返乡 with
  one) is saved as it is and returns a hint to update the records: records change only through their own
  services, never silently from a follow-up.

Locks: the laborer row, then the task rows (this order, like the employment services).
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from laborcoop.accounts.access import require_region_in_scope
from laborcoop.core.audit import audit_record, diff, snapshot
from laborcoop.core.models import AuditEntry
from laborcoop.employment.models import EmploymentRecord
from laborcoop.registry.models import Laborer
from laborcoop.registry.services import laborer_set_unreachable
from laborcoop.tracking.access import require_tracking
from laborcoop.tracking.choices import ContactMethod, ContactOutcome, TaskKind, TaskStatus
from laborcoop.tracking.followups.work import WorkLearned, WorkWritten, work_learned_apply, work_learned_validate
from laborcoop.tracking.models import FollowUp, FollowUpTask
from laborcoop.tracking.settings.selectors import tracking_settings_for
from laborcoop.tracking.status.services import employment_states_refresh

EARLIEST = date(2000, 1, 1)
NOTE_MAX = 500

CONTACTED_ON_REQUIRED = "请填写联系日期。"
CONTACTED_ON_FUTURE = "联系日期不能晚于今天。"
CONTACTED_ON_TOO_EARLY = "联系日期不能早于2000年1月1日。"
METHOD_REQUIRED = "请选择联系方式。"
METHOD_INVALID = "联系方式“{value}”不在代码表中，应为电话、微信或入户走访。"
OUTCOME_REQUIRED = "请选择联系结果。"
OUTCOME_INVALID = "联系结果“{value}”不在代码表中。"
NOTE_TOO_LONG = f"情况说明不能超过{NOTE_MAX}个字。"
TASK_OTHER_LABORER = "该任务不属于此人员。"
TASK_NOT_OPEN = "该任务已完成或已取消，请刷新后查看。"

HINT_ADD_RECORD = "联系结果为“在岗”，但该人员没有在岗的就业记录：请核实后在“就业记录”中新增。"
HINT_END_RECORD = "联系结果为“{outcome}”，但该人员有在岗的就业记录（{employer}，{start} 起）：请核实后结束该记录。"

REASON_UNREACHABLE = "连续{count}次未联系上，标记为无法联系"
REASON_REACHABLE = "寻访已联系上，取消无法联系标记"
REASON_TASK_DONE = "登记寻访"
NOTE_DONE = "已寻访（{day}，{outcome}）"

REACHED = frozenset({ContactOutcome.WORKING, ContactOutcome.NOT_WORKING, ContactOutcome.RETURNED})
NOT_WORKING_OUTCOMES = frozenset({ContactOutcome.NOT_WORKING, ContactOutcome.RETURNED})
# Tasks a follow-up logged without a task answers.
CONTACT_KINDS = (TaskKind.CONTACT, TaskKind.ROUTINE)

FOLLOWUP_FIELDS = ["laborer", "region", "contacted_on", "method", "outcome", "note", "task", "failed_streak"]


@dataclass(frozen=True)
class RecordHint:
    """The employment record the outcome contradicts: `action` "add" (no ongoing record) or "end" (`record`)."""

    message: str
    action: str
    record_id: int | None = None


@dataclass(frozen=True)
class FollowUpLogged:
    followup: FollowUp
    tasks_done: list[FollowUpTask] = field(default_factory=list)
    became_unreachable: bool = False
    became_reachable: bool = False
    hint: RecordHint | None = None
    work: WorkWritten | None = None  # the employment record written from what the call learned


def followup_validate(*, contacted_on: date | None, method: str, outcome: str, note: str, today: date) -> None:
    """Raise ValidationError with every problem of the input, by field."""
    errors: dict[str, list[str]] = {}
    if contacted_on is None:
        errors["contacted_on"] = [CONTACTED_ON_REQUIRED]
    elif contacted_on > today:
        errors["contacted_on"] = [CONTACTED_ON_FUTURE]
    elif contacted_on < EARLIEST:
        errors["contacted_on"] = [CONTACTED_ON_TOO_EARLY]
    if not method:
        errors["method"] = [METHOD_REQUIRED]
    elif method not in ContactMethod.values:
        errors["method"] = [METHOD_INVALID.format(value=method)]
    if not outcome:
        errors["outcome"] = [OUTCOME_REQUIRED]
    elif outcome not in ContactOutcome.values:
        errors["outcome"] = [OUTCOME_INVALID.format(value=outcome)]
    if len(note or "") > NOTE_MAX:
        errors["note"] = [NOTE_TOO_LONG]
    if errors:
        raise ValidationError(errors)


def _recount_streaks(laborer_id: int) -> FollowUp:
    """Recount `failed_streak` along the laborer's follow-ups in date order; returns the latest one."""
    rows = list(FollowUp.objects.filter(laborer_id=laborer_id).order_by("contacted_on", "id"))
    streak = 0
    changed = []
    for row in rows:
        streak = streak + 1 if row.outcome == ContactOutcome.NOT_REACHED else 0
        if row.failed_streak != streak:
            row.failed_streak = streak
            changed.append(row)
    if changed:
        FollowUp.objects.bulk_update(changed, ["failed_streak"], batch_size=500)
    return rows[-1]


def _streak_start(laborer_id: int, latest: FollowUp, threshold: int) -> date:
    """The day of the attempt at which the current run of failures reached `threshold`."""
    run = list(
        FollowUp.objects.filter(laborer_id=laborer_id, outcome=ContactOutcome.NOT_REACHED)
        .order_by("-contacted_on", "-id")
        .values_list("contacted_on", flat=True)[: latest.failed_streak]
    )
    return run[len(run) - threshold] if len(run) >= threshold else latest.contacted_on


def _reachability(*, acting_user: Any, laborer: Laborer, latest: FollowUp) -> tuple[bool, bool]:
    threshold = tracking_settings_for(laborer.region_id)["failed_contacts_unreachable"]
    if latest.outcome in REACHED and laborer.unreachable:
        laborer_set_unreachable(
            acting_user=acting_user, laborer=laborer, unreachable=False, since=None, reason=REASON_REACHABLE
        )
        return False, True
    if latest.failed_streak >= threshold and not laborer.unreachable:
        laborer_set_unreachable(
            acting_user=acting_user,
            laborer=laborer,
            unreachable=True,
            since=_streak_start(laborer.pk, latest, threshold),
            reason=REASON_UNREACHABLE.format(count=latest.failed_streak),
        )
        return True, False
    return False, False


def _hint(laborer: Laborer, followup: FollowUp) -> RecordHint | None:
    ongoing = EmploymentRecord.objects.filter(laborer_id=laborer.pk, end_date__isnull=True).first()
    if followup.outcome == ContactOutcome.WORKING and ongoing is None:
        return RecordHint(message=HINT_ADD_RECORD, action="add")
    if followup.outcome in NOT_WORKING_OUTCOMES and ongoing is not None:
        message = HINT_END_RECORD.format(
            outcome=followup.get_outcome_display(),
            employer=ongoing.employer_name or "未填单位",
            start=ongoing.start_date.isoformat(),
        )
        return RecordHint(message=message, action="end", record_id=ongoing.pk)
    return None


def _close_tasks(*, acting_user: Any, tasks: list[FollowUpTask], followup: FollowUp) -> None:
    now = timezone.now()
    note = NOTE_DONE.format(day=followup.contacted_on.isoformat(), outcome=followup.get_outcome_display())
    for task in tasks:
        task.status, task.done_at, task.done_by, task.note = TaskStatus.DONE, now, acting_user, note[:200]
        task.version += 1
        task.save(update_fields=["status", "done_at", "done_by", "note", "version", "updated_at"])
        audit_record(
            actor=acting_user,
            action=AuditEntry.Action.UPDATE,
            instance=task,
            region_code=task.region_id,
            changes={"status": [TaskStatus.OPEN, TaskStatus.DONE]},
            reason=REASON_TASK_DONE,
        )


@transaction.atomic
def followup_log(
    *,
    acting_user: Any,
    laborer: Laborer,
    contacted_on: date | None,
    method: str,
    outcome: str,
    note: str = "",
    task: FollowUpTask | None = None,
    work: WorkLearned | None = None,
) -> FollowUpLogged:
    """Record one contact attempt with a laborer the caller fetched through the access layer (registry edit,
    laborer in scope); `task`, if given, is the task it answers (it must be the laborer's and open); `work`, what
    the call learned about the person's job, goes to the employment records (tracking.followups.work) in the
    same transaction."""
    require_tracking(acting_user, write=True)
    require_region_in_scope(acting_user, laborer.region_id)
    note = (note or "").strip()
    work = work or WorkLearned()
    errors: dict[str, list[str]] = {}
    try:
        followup_validate(
            contacted_on=contacted_on, method=method, outcome=outcome, note=note, today=timezone.localdate()
        )
    except ValidationError as exc:
        errors = dict(exc.message_dict)
    for name, messages in work_learned_validate(laborer=laborer, outcome=outcome, work=work).items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    assert contacted_on is not None
    locked = Laborer.objects.select_for_update().get(pk=laborer.pk)
    answered: list[FollowUpTask]
    if task is not None:
        locked_task = FollowUpTask.objects.select_for_update().get(pk=task.pk)
        if locked_task.laborer_id != locked.pk:
            raise ValidationError({"task": [TASK_OTHER_LABORER]})
        if locked_task.status != TaskStatus.OPEN:
            raise ValidationError({"task": [TASK_NOT_OPEN]})
        answered = [locked_task]
    else:
        answered = list(
            FollowUpTask.objects.select_for_update()
            .filter(laborer_id=locked.pk, status=TaskStatus.OPEN, kind__in=CONTACT_KINDS)
            .order_by("pk")
        )
    followup = FollowUp(
        laborer=locked,
        region_id=locked.region_id,
        contacted_on=contacted_on,
        method=method,
        outcome=outcome,
        note=note,
        task=answered[0] if task is not None else None,
        created_by=acting_user,
    )
    followup.full_clean(validate_constraints=False)
    followup.save()
    latest = _recount_streaks(locked.pk)
    followup.refresh_from_db(fields=["failed_streak"])
    written = work_learned_apply(acting_user=acting_user, laborer=locked, contacted_on=contacted_on, work=work)
    employment_states_refresh([locked.pk])  # a contact after a job ended decides 返乡 / 失业
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.CREATE,
        instance=followup,
        region_code=followup.region_id,
        changes=diff({}, snapshot(followup, FOLLOWUP_FIELDS)),
    )
    _close_tasks(acting_user=acting_user, tasks=answered, followup=followup)
    became_unreachable, became_reachable = _reachability(acting_user=acting_user, laborer=locked, latest=latest)
    hint = _hint(locked, followup) if latest.pk == followup.pk else None
    return FollowUpLogged(
        followup=followup,
        tasks_done=answered,
        became_unreachable=became_unreachable,
        became_reachable=became_reachable,
        hint=hint,
        work=written,
    )
