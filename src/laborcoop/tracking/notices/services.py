"""Writes of destination notices (去向通报): one notice per employment record of a laborer working outside their
home county, kept in step with the record, and the input side's answer (到岗 / 未到岗).

- `destination_notices_sync` runs inside every employment write (tracking.notices.receivers, on
  employment_changed), set-based: a chunk of an import costs the same few queries as one record. An ongoing
  record outside the home county without a notice gets one; a notice whose record moved to another work county
  is re-sent there (status back to 待确认); a notice whose record now lies in the home county is withdrawn.
  New and re-sent notices are announced to both sides through the outbox (tracking.notices.messages).
- `destination_notice_confirm` / `destination_notice_report_not_arrived`: the input side (the work county's
  subtree, or the enterprise's own users) answers, with an optimistic version and an audit row. The output
  side may see the notice but not answer it (403); anyone else gets "not found".

Locks: the answering services lock the notice row only; the sync runs under the employment write's locks.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from laborcoop.accounts.capabilities import Cap
from laborcoop.core.audit import diff, snapshot
from laborcoop.core.errors import ConflictError
from laborcoop.core.models import AuditEntry
from laborcoop.employment.models import EmploymentRecord
from laborcoop.tracking.choices import NoticeStatus
from laborcoop.tracking.models import DestinationNotice
from laborcoop.tracking.notices.messages import notices_announce
from laborcoop.tracking.notices.selectors import access_notice_for_input

NOTE_MAX = 200
NOTE_REQUIRED = "请填写未到岗情况说明。"
NOTE_TOO_LONG = f"情况说明不能超过{NOTE_MAX}个字。"
ALREADY_CONFIRMED = "该去向通报已确认到岗。"
ALREADY_NOT_ARRIVED = "该去向通报已报告未到岗。"
STALE_NOTICE = "该去向通报已被他人处理或已重新通报，请刷新后重试。"

REASON_CREATED = "在户籍所在县以外务工，发出去向通报"
REASON_MOVED = "务工所在县变更，重新通报"
REASON_WITHDRAWN = "务工所在县改为户籍所在县，撤销去向通报"
REASON_REHOMED = "户籍所在地变更"
REASON_CONFIRMED = "输入地确认到岗"
REASON_NOT_ARRIVED = "输入地报告未到岗"

NOTICE_FIELDS = ["record", "laborer", "region", "work_region", "status", "confirmed_by", "confirmed_at", "note"]
ANSWER_FIELDS = ["status", "confirmed_by", "confirmed_at", "note"]


@dataclass(frozen=True)
class NoticeSyncResult:
    created: int = 0
    moved: int = 0
    withdrawn: int = 0
    messages: int = 0


def outside_home_county(record: EmploymentRecord) -> bool:
    """The work county differs from the laborer's home county (务工地域 省内县外 or 省外)."""
    return record.region_id[:6] != record.work_region_id[:6]


def _audit(actor: Any, action: str, notice: DestinationNotice, changes: dict[str, Any], reason: str) -> AuditEntry:
    actor_id = getattr(actor, "pk", None) if actor is not None and actor.is_authenticated else None
    return AuditEntry(
        actor_id=actor_id,
        action=action,
        object_type=DestinationNotice._meta.label_lower,
        object_id=str(notice.pk),
        object_repr=str(notice)[:200],
        region_code=notice.region_id,
        changes=changes,
        reason=reason,
    )


def destination_notices_sync(*, records: Sequence[EmploymentRecord], acting_user: Any) -> NoticeSyncResult:
    """Bring the notices of these (just written) records in line with them. Call inside the writing
    transaction; a few queries whatever the number of records (plus the outbox rows of new notices)."""
    by_id = {r.pk: r for r in records if r.pk is not None}
    if not by_id:
        return NoticeSyncResult()
    existing = {n.record_id: n for n in DestinationNotice.objects.filter(record_id__in=list(by_id))}
    new: list[DestinationNotice] = []
    moved: list[DestinationNotice] = []
    rehomed: list[DestinationNotice] = []
    withdrawn: list[DestinationNotice] = []
    audits: list[AuditEntry] = []
    now = timezone.now()
    for record in by_id.values():
        notice = existing.get(record.pk)
        outside = outside_home_county(record)
        if notice is None:
            if outside and record.end_date is None:
                new.append(
                    DestinationNotice(
                        record_id=record.pk,
                        laborer_id=record.laborer_id,
                        region_id=record.region_id,
                        work_region_id=record.work_region_id,
                    )
                )
            continue
        if not outside:
            withdrawn.append(notice)
            changes = {name: [new, old] for name, (old, new) in diff({}, snapshot(notice, NOTICE_FIELDS)).items()}
            audits.append(_audit(acting_user, AuditEntry.Action.DELETE, notice, changes, REASON_WITHDRAWN))
            continue
        before = snapshot(notice, NOTICE_FIELDS)
        if notice.work_region_id != record.work_region_id:
            notice.region_id, notice.work_region_id = record.region_id, record.work_region_id
            notice.status, notice.confirmed_by, notice.confirmed_at, notice.note = NoticeStatus.SENT, None, None, ""
            notice.version += 1
            notice.updated_at = now
            moved.append(notice)
            changes = diff(before, snapshot(notice, NOTICE_FIELDS))
            audits.append(_audit(acting_user, AuditEntry.Action.UPDATE, notice, changes, REASON_MOVED))
        elif notice.region_id != record.region_id:
            notice.region_id, notice.updated_at = record.region_id, now
            rehomed.append(notice)
            changes = diff(before, snapshot(notice, NOTICE_FIELDS))
            audits.append(_audit(acting_user, AuditEntry.Action.UPDATE, notice, changes, REASON_REHOMED))
    if withdrawn:
        DestinationNotice.objects.filter(pk__in=[n.pk for n in withdrawn]).delete()
    if moved:
        DestinationNotice.objects.bulk_update(
            moved,
            ["region", "work_region", "status", "confirmed_by", "confirmed_at", "note", "version", "updated_at"],
            batch_size=500,
        )
    if rehomed:
        DestinationNotice.objects.bulk_update(rehomed, ["region", "updated_at"], batch_size=500)
    if new:
        _insert(new)
        audits.extend(
            _audit(acting_user, AuditEntry.Action.CREATE, n, diff({}, snapshot(n, NOTICE_FIELDS)), REASON_CREATED)
            for n in new
        )
    if audits:
        AuditEntry.objects.bulk_create(audits, batch_size=500)
    announce = [*new, *(n for n in moved if by_id[n.record_id].end_date is None)]
    messages = notices_announce(notices=announce, records=by_id)
    return NoticeSyncResult(created=len(new), moved=len(moved), withdrawn=len(withdrawn), messages=messages)


def _insert(new: list[DestinationNotice]) -> None:
    """One INSERT; the primary keys come back with it (RETURNING on PostgreSQL and SQLite >= 3.35), or are read
    back by record for a backend without it."""
    DestinationNotice.objects.bulk_create(new, batch_size=500)
    if any(n.pk is None for n in new):
        ids = dict(
            DestinationNotice.objects.filter(record_id__in=[n.record_id for n in new]).values_list("record_id", "pk")
        )
        for notice in new:
            notice.pk = ids[notice.record_id]


# --- the input side's answer ---------------------------------------------------------------------------------


def _answer(*, acting_user: Any, notice_id: Any, expected_version: int, status: str, note: str) -> DestinationNotice:
    """Checks in the order the caller learns from: role and side (403/404), version (409), then the input
    (400), so a denied request learns nothing about the notice."""
    notice = access_notice_for_input(user=acting_user, notice_id=notice_id, cap=Cap.EMPLOYERS_EDIT, for_update=True)
    if notice.version != expected_version:
        raise ConflictError(STALE_NOTICE)
    if notice.status == status == NoticeStatus.CONFIRMED:
        raise ValidationError({"status": [ALREADY_CONFIRMED]}, code="already_confirmed")
    if notice.status == status == NoticeStatus.NOT_ARRIVED:
        raise ValidationError({"status": [ALREADY_NOT_ARRIVED]}, code="already_not_arrived")
    if status == NoticeStatus.NOT_ARRIVED and not note:
        raise ValidationError({"note": [NOTE_REQUIRED]}, code="note_required")
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [NOTE_TOO_LONG]}, code="note_too_long")
    before = snapshot(notice, ANSWER_FIELDS)
    notice.status, notice.note = status, note
    notice.confirmed_by, notice.confirmed_at = acting_user, timezone.now()
    notice.version += 1
    notice.save(update_fields=[*ANSWER_FIELDS, "version", "updated_at"])
    reason = REASON_CONFIRMED if status == NoticeStatus.CONFIRMED else REASON_NOT_ARRIVED
    changes = diff(before, snapshot(notice, ANSWER_FIELDS))
    _audit(acting_user, AuditEntry.Action.UPDATE, notice, changes, reason).save()
    return notice


@transaction.atomic
def destination_notice_confirm(*, acting_user: Any, notice_id: Any, expected_version: int) -> DestinationNotice:
    """The input side confirms the laborer arrived (已确认到岗); also after an earlier 未到岗 (arrived late)."""
    return _answer(
        acting_user=acting_user,
        notice_id=notice_id,
        expected_version=expected_version,
        status=NoticeStatus.CONFIRMED,
        note="",
    )


@transaction.atomic
def destination_notice_report_not_arrived(
    *, acting_user: Any, notice_id: Any, expected_version: int, note: str
) -> DestinationNotice:
    """The input side reports the laborer did not arrive (未到岗), with a note the output side reads; also after
    an earlier confirmation made by mistake."""
    return _answer(
        acting_user=acting_user,
        notice_id=notice_id,
        expected_version=expected_version,
        status=NoticeStatus.NOT_ARRIVED,
        note=(note or "").strip(),
    )
