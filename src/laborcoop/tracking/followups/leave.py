"""Leaving a job (离岗) and coming back (再就业): the home township's tasks, kept in step with every employment
write through employment_changed (tracking.followups.receivers), inside the writing transaction and under its locks (the
services lock the laborer; the work import locks the chunk's laborers).

- A record that ended, of a laborer with no ongoing record now, gets ONE set of tasks for the home village's
  township: contact the person (离岗联系, within the province's `leave_contact_days`), offer 失业登记 and
  转岗培训, refer new jobs (再就业推荐; the task page shows the matching recommendations, which
  employment_record_end refreshes after its commit). Tasks are keyed (record, kind): ending the same record
  again (after an ending was undone) reopens its cancelled tasks instead of adding new ones. The staff of the
  township and village (officers and brokers; if there are none, the county's officers) get one in-app message
  per record, with a masked identity (dedupe key per record and recipient).
- A laborer with an ongoing record has the open CONTACT and REFERRAL tasks of earlier endings closed (done,
  "已再就业"); open tasks of a record that is ongoing again (its ending was undone) are cancelled.

Due dates count from the end date; a deadline already past when the task is created (an ending recorded late)
becomes today's: the task is due at once, and the lateness itself is the early warnings' business.
Every task created or closed here gets an audit row.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from laborcoop.accounts.recipients import village_field_staff
from laborcoop.core.models import AuditEntry
from laborcoop.employment.models import EmploymentRecord
from laborcoop.notifications.choices import Channel
from laborcoop.notifications.services import notification_enqueue
from laborcoop.regions.models import Region
from laborcoop.registry.models import Laborer
from laborcoop.tracking.choices import TaskKind, TaskStatus
from laborcoop.tracking.models import FollowUpTask
from laborcoop.tracking.settings.selectors import tracking_settings_for

# Days after the end date each task is due; None: the province's `leave_contact_days`.
LEAVE_TASKS: dict[str, int | None] = {
    TaskKind.CONTACT: None,
    TaskKind.REFERRAL: 14,
    TaskKind.UNEMPLOYMENT_REGISTRATION: 30,
    TaskKind.RETRAINING: 30,
}
CLOSED_ON_REEMPLOYMENT = (TaskKind.CONTACT, TaskKind.REFERRAL)

NOTE_REEMPLOYED = "已再就业"
NOTE_END_UNDONE = "离岗已撤销（就业记录恢复在岗）"
REASON_CREATED = "离岗，生成跟踪任务"
REASON_REOPENED = "再次离岗，重新打开跟踪任务"
REASON_REEMPLOYED = "已再就业，自动完成跟踪任务"
REASON_END_UNDONE = "离岗已撤销，取消跟踪任务"

TEMPLATE = "employment_ended_followup"
NO_EMPLOYER = "原单位"
NO_REASON = "未填写原因"


def masked_name(name: str) -> str:
    """`张三丰` -> `张**`: what the messages show of a name."""
    return f"{name[:1]}**" if name else "**"


@dataclass(frozen=True)
class LeaveResult:
    created: int = 0
    reopened: int = 0
    closed: int = 0
    cancelled: int = 0
    messages: int = 0


def due_dates(*, end_date: date, contact_days: int, today: date) -> dict[str, date]:
    """The due date of each task of one ending (`contact_days`: the province's `leave_contact_days`)."""
    return {
        kind: max(end_date + timedelta(days=contact_days if days is None else days), today)
        for kind, days in LEAVE_TASKS.items()
    }


def _actor_id(acting_user: Any) -> int | None:
    return acting_user.pk if acting_user is not None and acting_user.is_authenticated else None


def _audit(tasks: Iterable[FollowUpTask], *, acting_user: Any, action: str, changes: Any, reason: str) -> None:
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor_id=_actor_id(acting_user),
                action=action,
                object_type=FollowUpTask._meta.label_lower,
                object_id=str(task.pk),
                object_repr=str(task)[:200],
                region_code=task.region_id,
                changes=changes(task) if callable(changes) else changes,
                reason=reason,
            )
            for task in tasks
        ],
        batch_size=500,
    )


# --- endings --------------------------------------------------------------------------------------------------


def leave_tasks_open(*, records: Sequence[EmploymentRecord], ended: set[int], acting_user: Any) -> LeaveResult:
    """The tasks and messages of the records in `ended` (see the module docstring)."""
    endings = [r for r in records if r.pk in ended and r.end_date is not None]
    if not endings:
        return LeaveResult()
    busy = set(
        EmploymentRecord.objects.filter(
            laborer_id__in={r.laborer_id for r in endings}, end_date__isnull=True
        ).values_list("laborer_id", flat=True)
    )
    endings = [r for r in endings if r.laborer_id not in busy]
    if not endings:
        return LeaveResult()
    today = timezone.localdate()
    existing: dict[tuple[int, str], FollowUpTask] = {
        (t.record_id, t.kind): t
        for t in FollowUpTask.objects.filter(record_id__in=[r.pk for r in endings]).select_for_update()
        if t.record_id is not None
    }
    now = timezone.now()
    contact_days: dict[str, int] = {}  # per province
    new: list[FollowUpTask] = []
    reopened: list[FollowUpTask] = []
    announced: list[tuple[EmploymentRecord, date]] = []
    for record in endings:
        assert record.end_date is not None
        province = record.region_id[:2]
        if province not in contact_days:
            contact_days[province] = tracking_settings_for(record.region_id)["leave_contact_days"]
        dues = due_dates(end_date=record.end_date, contact_days=contact_days[province], today=today)
        fresh = False
        for kind, due in dues.items():
            task = existing.get((record.pk, kind))
            if task is None:
                new.append(
                    FollowUpTask(
                        laborer_id=record.laborer_id, region_id=record.region_id, kind=kind, record=record, due_date=due
                    )
                )
                fresh = True
            elif task.status == TaskStatus.CANCELLED:
                task.status, task.due_date, task.note = TaskStatus.OPEN, due, ""
                task.done_at, task.done_by, task.updated_at = None, None, now
                task.version += 1
                reopened.append(task)
        if fresh:
            announced.append((record, dues[TaskKind.CONTACT]))
    FollowUpTask.objects.bulk_create(new, batch_size=500)
    if reopened:
        FollowUpTask.objects.bulk_update(
            reopened, ["status", "due_date", "note", "done_at", "done_by", "version", "updated_at"], batch_size=500
        )
    _audit(
        new,
        acting_user=acting_user,
        action=AuditEntry.Action.CREATE,
        changes=lambda t: {"kind": [None, t.kind], "due_date": [None, t.due_date.isoformat()]},
        reason=REASON_CREATED,
    )
    _audit(
        reopened,
        acting_user=acting_user,
        action=AuditEntry.Action.UPDATE,
        changes={"status": [TaskStatus.CANCELLED, TaskStatus.OPEN]},
        reason=REASON_REOPENED,
    )
    messages = _announce(announced)
    return LeaveResult(created=len(new), reopened=len(reopened), messages=messages)


def _announce(announced: list[tuple[EmploymentRecord, date]]) -> int:
    if not announced:
        return 0
    laborers = {
        pk: (name, last4)
        for pk, name, last4 in Laborer.objects.filter(pk__in={r.laborer_id for r, _ in announced}).values_list(
            "pk", "name", "id_last4"
        )
    }
    villages = {r.region_id for r, _ in announced}
    names = dict(Region.objects.filter(code__in=villages).values_list("code", "name"))
    recipients = village_field_staff(villages)
    sent = 0
    for record, contact_due in announced:
        name, last4 = laborers.get(record.laborer_id, ("", ""))
        assert record.end_date is not None
        for user in recipients[record.region_id]:
            region: Any = user.home_region
            notification_enqueue(
                channel=Channel.IN_APP,
                recipient_user=user,
                template=TEMPLATE,
                context={
                    "region_name": region.name if region is not None else user.username,
                    "village": names.get(record.region_id, record.region_id),
                    # The recipients serve the laborer's own village: their own people, named in full.
                    "person": name,
                    "id_last4": last4 or "—",
                    "end_date": record.end_date,
                    "employer": record.employer_name or NO_EMPLOYER,
                    "reason": record.get_end_reason_display() or NO_REASON,
                    "contact_due": contact_due,
                },
                dedupe_key=f"employment_ended:{record.pk}:u{user.pk}",
                region_code=record.region_id,
                url=reverse("registry:laborer_detail", kwargs={"pk": record.laborer_id}),
            )
            sent += 1
    return sent


# --- coming back ----------------------------------------------------------------------------------------------


def leave_tasks_close_on_reemployment(*, records: Sequence[EmploymentRecord], acting_user: Any) -> LeaveResult:
    """Close what an ongoing record makes moot (see the module docstring)."""
    ongoing = [r for r in records if r.end_date is None]
    if not ongoing:
        return LeaveResult()
    now = timezone.now()
    own = list(
        FollowUpTask.objects.select_for_update().filter(record_id__in=[r.pk for r in ongoing], status=TaskStatus.OPEN)
    )
    earlier = list(
        FollowUpTask.objects.select_for_update()
        .filter(
            laborer_id__in={r.laborer_id for r in ongoing},
            status=TaskStatus.OPEN,
            kind__in=CLOSED_ON_REEMPLOYMENT,
            record__isnull=False,
        )
        .exclude(record_id__in=[r.pk for r in ongoing])
    )
    done_by = _actor_id(acting_user)
    for task in own:
        task.status, task.note, task.done_at, task.done_by_id = TaskStatus.CANCELLED, NOTE_END_UNDONE, now, done_by
        task.version, task.updated_at = task.version + 1, now
    for task in earlier:
        task.status, task.note, task.done_at, task.done_by_id = TaskStatus.DONE, NOTE_REEMPLOYED, now, done_by
        task.version, task.updated_at = task.version + 1, now
    changed = own + earlier
    if changed:
        FollowUpTask.objects.bulk_update(
            changed, ["status", "note", "done_at", "done_by", "version", "updated_at"], batch_size=500
        )
    _audit(
        own,
        acting_user=acting_user,
        action=AuditEntry.Action.UPDATE,
        changes={"status": [TaskStatus.OPEN, TaskStatus.CANCELLED]},
        reason=REASON_END_UNDONE,
    )
    _audit(
        earlier,
        acting_user=acting_user,
        action=AuditEntry.Action.UPDATE,
        changes={"status": [TaskStatus.OPEN, TaskStatus.DONE]},
        reason=REASON_REEMPLOYED,
    )
    return LeaveResult(closed=len(earlier), cancelled=len(own))
