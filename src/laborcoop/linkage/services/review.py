"""Deciding on proposed changes: accept (applied through the registry and employment services, audited there and
here),
reject (recorded, the registry unchanged), or accept every pending change of the 高可信 matches at once.

Each decision is its own transaction: the change row is locked, must still be pending, and the laborer is
fetched through the access layer with the edit capability (so the acting user's scope is checked again).
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from laborcoop.accounts.capabilities import Cap
from laborcoop.core.audit import audit_record
from laborcoop.core.errors import ConflictError, ObjectNotFound
from laborcoop.core.models import AuditEntry
from laborcoop.employment import choices as ec
from laborcoop.employment.access import access_employment_record
from laborcoop.employment.lines import insurance_months_record_linked
from laborcoop.employment.records.services import employment_record_end
from laborcoop.linkage.access import require_compare
from laborcoop.linkage.models import Comparison, Level, ProposedChange
from laborcoop.registry.access import access_laborer
from laborcoop.registry.models import Laborer
from laborcoop.registry.services import LABORER_FIELDS, NeedsConfirmation, laborer_update
from laborcoop.registry.vital_status import laborer_vital_status_set

ALREADY_DECIDED = "该建议已处理过，请刷新页面。"
LABORER_GONE = "该人员已不在本库或不在您的管辖范围内。"
NOTE_TOO_LONG = "备注不能超过 500 字。"
NOT_FINISHED = "比对尚未完成，不能审核。"
APPLY_FAILED = "无法更新该人员：{reason}"
RECORD_GONE = "该就业记录已不存在或不在您的管辖范围内。"
INFERRED_STOP_NOTE = "推断：社保停缴"

F = ProposedChange.Field
# Fields written through laborer_update; vital status through its own registry service; the rest are review
# items (applies=False) and only record the decision.
UPDATE_FIELDS = frozenset({F.NAME, F.EMPLOYMENT_STATUS, F.EMPLOYER_NAME})


@dataclass
class BulkOutcome:
    accepted: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)  # (change id, reason)


def _source(comparison: Comparison) -> str:
    return f"数据比对 #{comparison.pk}（{comparison.get_department_display()}）"


def _laborer_data(laborer: Laborer) -> dict[str, Any]:
    """The laborer's current values as laborer_update expects them; a blank id_number keeps the stored one."""
    data = {name: getattr(laborer, name) for name in LABORER_FIELDS if name != "region"}
    data["id_number"] = ""
    return data


def _apply(*, acting_user: Any, change: ProposedChange, comparison: Comparison) -> None:
    if not change.applies:
        return
    if change.laborer_id is None:
        raise ValidationError({"change": [LABORER_GONE]})
    try:
        laborer = access_laborer(user=acting_user, laborer_id=change.laborer_id, cap=Cap.REGISTRY_EDIT)
    except ObjectNotFound as exc:
        raise ValidationError({"change": [LABORER_GONE]}) from exc
    value = change.new_value.get("value")
    if change.field == F.INSURANCE_MONTHS:
        _failing_as_change(
            lambda: insurance_months_record_linked(
                acting_user=acting_user,
                laborer=laborer,
                month=date.fromisoformat(change.new_value["month"]),
                insurance_types=list(change.new_value["types"]),
                reason=f"{_source(comparison)} 接受建议",
            )
        )
        return
    if change.field == F.EMPLOYMENT_END:
        _end_record(acting_user=acting_user, change=change, comparison=comparison)
        return
    if change.field == F.VITAL_STATUS:
        on = change.new_value.get("date")
        laborer_vital_status_set(
            acting_user=acting_user,
            laborer=laborer,
            status=str(value),
            on=date.fromisoformat(on) if on else None,
            source=_source(comparison),
            reason=f"数据比对 #{comparison.pk} 接受建议",
        )
        return
    if change.field in UPDATE_FIELDS:
        data = _laborer_data(laborer)
        data[change.field] = value
        try:
            laborer_update(
                acting_user=acting_user,
                laborer=laborer,
                data=data,
                expected_version=laborer.version,
                confirm_warnings=True,  # accepting the proposal is the confirmation
            )
        except (NeedsConfirmation, ConflictError) as exc:  # pragma: no cover - confirm_warnings / fresh version
            raise ValidationError({"change": [APPLY_FAILED.format(reason=str(exc))]}) from exc
        except ValidationError as exc:
            reasons = "；".join(m for ms in exc.message_dict.values() for m in ms)
            raise ValidationError({"change": [APPLY_FAILED.format(reason=reasons)]}) from exc


def _failing_as_change(write: Any) -> None:
    """Run a write; its field errors become the change's APPLY_FAILED message."""
    try:
        write()
    except ValidationError as exc:
        reasons = "；".join(m for ms in exc.message_dict.values() for m in ms)
        raise ValidationError({"change": [APPLY_FAILED.format(reason=reasons)]}) from exc


def _end_record(*, acting_user: Any, change: ProposedChange, comparison: Comparison) -> None:
    """End the ongoing record a 社保参保 list shows as no longer insured: end reason 其他, on the list's 停保日期
    (else the day the list was uploaded), never before the record's start nor after today."""
    try:
        record = access_employment_record(
            user=acting_user, record_id=change.new_value.get("record_id"), cap=Cap.REGISTRY_EDIT
        )
    except ObjectNotFound as exc:
        raise ValidationError({"change": [RECORD_GONE]}) from exc
    if record.laborer_id != change.laborer_id:
        raise ValidationError({"change": [RECORD_GONE]})
    stated = change.new_value.get("date")
    on = date.fromisoformat(stated) if stated else timezone.localtime(comparison.created_at).date()
    end_date = min(max(on, record.start_date), timezone.localdate())
    _failing_as_change(
        lambda: employment_record_end(
            acting_user=acting_user,
            record=record,
            end_date=end_date,
            end_reason=ec.EndReason.OTHER,
            expected_version=record.version,
        )
    )


def _decide(*, acting_user: Any, change_id: int, accept: bool, note: str) -> ProposedChange:
    if len(note) > 500:
        raise ValidationError({"note": [NOTE_TOO_LONG]})
    change = ProposedChange.objects.select_for_update().select_related("comparison").get(pk=change_id)
    if change.status != ProposedChange.Status.PENDING:
        raise ValidationError({"change": [ALREADY_DECIDED]})
    comparison = change.comparison
    if accept:
        _apply(acting_user=acting_user, change=change, comparison=comparison)
        if change.field == F.EMPLOYMENT_END and not note.strip():
            note = INFERRED_STOP_NOTE
    old = change.status
    change.status = ProposedChange.Status.ACCEPTED if accept else ProposedChange.Status.REJECTED
    change.decided_by = acting_user
    change.decided_at = timezone.now()
    change.note = note.strip()
    change.save(update_fields=["status", "decided_by", "decided_at", "note"])
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE,
        instance=change,
        region_code=comparison.region_id or "",
        changes={
            "status": [old, change.status],
            "field": change.field,
            "laborer": change.laborer_id,
            "applied": bool(accept and change.applies),
        },
        reason=change.note,
    )
    return change


def _change_of(comparison: Comparison, change_id: Any) -> int:
    try:
        return ProposedChange.objects.values_list("pk", flat=True).get(pk=change_id, comparison=comparison)
    except (ProposedChange.DoesNotExist, ValueError, TypeError) as exc:
        raise ObjectNotFound from exc


def _require_reviewable(acting_user: Any, comparison: Comparison) -> None:
    require_compare(acting_user, Cap.REGISTRY_EDIT)
    if comparison.status != Comparison.Status.SUCCEEDED:
        raise ValidationError({"change": [NOT_FINISHED]})


@transaction.atomic
def comparison_change_accept(
    *, acting_user: Any, comparison: Comparison, change_id: Any, note: str = ""
) -> ProposedChange:
    """Accept one proposed change of a comparison the caller fetched through
    access_comparison(cap=REGISTRY_EDIT); applies it through the registry services when it `applies`."""
    change_pk = _change_of(comparison, change_id)
    _require_reviewable(acting_user, comparison)
    return _decide(acting_user=acting_user, change_id=change_pk, accept=True, note=note)


@transaction.atomic
def comparison_change_reject(
    *, acting_user: Any, comparison: Comparison, change_id: Any, note: str = ""
) -> ProposedChange:
    """Reject one proposed change: recorded with who and when; the registry is not touched."""
    change_pk = _change_of(comparison, change_id)
    _require_reviewable(acting_user, comparison)
    return _decide(acting_user=acting_user, change_id=change_pk, accept=False, note=note)


def comparison_changes_accept_high(*, acting_user: Any, comparison: Comparison, note: str = "") -> BulkOutcome:
    """Accept every pending change of a 高可信 match (equal ID; or equal mobile number and name; or the same
    name, birth date and village), each in its own transaction; a change the registry refuses stays pending
    and is reported in `failed`. Changes of 中可信 and 低可信 matches (a name that differs, two different valid
    ID numbers, ...) are never accepted in bulk: each needs its own decision."""
    _require_reviewable(acting_user, comparison)
    ids = list(
        ProposedChange.objects.filter(
            comparison=comparison, status=ProposedChange.Status.PENDING, entry__level=Level.HIGH
        )
        .order_by("id")
        .values_list("pk", flat=True)
    )
    outcome = BulkOutcome()
    for change_id in ids:
        try:
            with transaction.atomic():
                _decide(acting_user=acting_user, change_id=change_id, accept=True, note=note)
        except ValidationError as exc:
            outcome.failed.append((change_id, "；".join(m for ms in exc.message_dict.values() for m in ms)))
        else:
            outcome.accepted += 1
    return outcome
