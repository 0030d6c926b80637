"""What people do with a warning: handle it (已处理, with an optional note), dismiss it (已忽略, with a reason),
assign an owner (负责人). Each action checks the capability and scope through earlywarning.access, locks the
row, checks the version the page was loaded with (a stale page gets a conflict), saves inside one transaction
and writes an audit row. Nothing is saved when a check fails."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from laborcoop.accounts.access import region_code_in_scope, user_can
from laborcoop.accounts.models import User
from laborcoop.core.audit import audit_record, diff, snapshot
from laborcoop.core.errors import ConflictError
from laborcoop.core.models import AuditEntry
from laborcoop.earlywarning.access import ACT_CAP, access_warning
from laborcoop.earlywarning.choices import WarningStatus
from laborcoop.earlywarning.models import EarlyWarning

TEXT_MAX = 300
ERR_REASON_REQUIRED = "请填写忽略原因。"
ERR_REASON_TOO_LONG = "忽略原因不能超过 300 字。"
ERR_NOTE_TOO_LONG = "处理说明不能超过 300 字。"
ERR_RESOLVED = "该预警已消除，无需再处理。"
ERR_ALREADY_HANDLED = "该预警已标记为已处理。"
ERR_ALREADY_DISMISSED = "该预警已忽略。"
ERR_OWNER_UNKNOWN = "所选负责人不存在或已停用。"
ERR_OWNER_NOT_ALLOWED = "所选负责人不在您的管辖范围内，或无权处理该地区的预警。"
ERR_OWNER_UNCHANGED = "负责人没有变化。"

_FIELDS = ["status", "handled_by", "handled_at", "resolution", "owner"]


def _locked(warning_id: int, expected_version: int) -> EarlyWarning:
    warning = EarlyWarning.objects.select_for_update().get(pk=warning_id)
    if warning.version != expected_version:
        raise ConflictError()
    return warning


def _save(*, acting_user: Any, warning: EarlyWarning, before: dict[str, Any], fields: list[str], reason: str) -> None:
    warning.version += 1
    warning.save(update_fields=[*fields, "version", "updated_at"])
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE,
        instance=warning,
        region_code=warning.region_id,
        changes=diff(before, snapshot(warning, _FIELDS)),
        reason=reason,
    )


def _set_status(*, acting_user: Any, warning_id: int, expected_version: int, status: str, text: str) -> EarlyWarning:
    with transaction.atomic():
        warning = _locked(warning_id, expected_version)
        if warning.status == WarningStatus.RESOLVED:
            raise ValidationError(ERR_RESOLVED)
        if warning.status == status:
            raise ValidationError(ERR_ALREADY_HANDLED if status == WarningStatus.HANDLED else ERR_ALREADY_DISMISSED)
        before = snapshot(warning, _FIELDS)
        warning.status = status
        warning.handled_by = acting_user
        warning.handled_at = timezone.now()
        warning.resolution = text
        _save(
            acting_user=acting_user,
            warning=warning,
            before=before,
            fields=["status", "handled_by", "handled_at", "resolution"],
            reason=text,
        )
    return warning


def warning_handle(*, acting_user: Any, warning_id: int, expected_version: int, note: str = "") -> EarlyWarning:
    """Mark a warning 已处理 (from 待处理 or 已忽略). If its condition persists it stays 已处理; when the condition
    is gone the engine marks it 已消除."""
    access_warning(user=acting_user, warning_id=warning_id, for_action=True)
    note = (note or "").strip()
    if len(note) > TEXT_MAX:
        raise ValidationError({"note": ERR_NOTE_TOO_LONG})
    return _set_status(
        acting_user=acting_user,
        warning_id=warning_id,
        expected_version=expected_version,
        status=WarningStatus.HANDLED,
        text=note,
    )


def warning_dismiss(*, acting_user: Any, warning_id: int, expected_version: int, reason: str) -> EarlyWarning:
    """Mark a warning 已忽略 (from 待处理 or 已处理). The reason is required."""
    access_warning(user=acting_user, warning_id=warning_id, for_action=True)  # 403 / 404 before a 400
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ERR_REASON_REQUIRED})
    if len(reason) > TEXT_MAX:
        raise ValidationError({"reason": ERR_REASON_TOO_LONG})
    return _set_status(
        acting_user=acting_user,
        warning_id=warning_id,
        expected_version=expected_version,
        status=WarningStatus.DISMISSED,
        text=reason,
    )


def owner_allowed(*, acting_user: Any, owner: Any, region_code: str) -> bool:
    """The owner is active, may act on warnings, sees the warning's region, and is someone the acting user
    manages (home region inside the acting user's subtree) or the acting user themself."""
    if owner is None or not owner.is_active:
        return False
    if not user_can(owner, ACT_CAP) or not region_code_in_scope(owner, region_code):
        return False
    if owner.pk == acting_user.pk:
        return True
    return owner.home_region_id is not None and region_code_in_scope(acting_user, owner.home_region_id)


def warning_assign(*, acting_user: Any, warning_id: int, expected_version: int, owner_id: int | None) -> EarlyWarning:
    """Set (or clear, `owner_id` None) the owner of a live warning."""
    access_warning(user=acting_user, warning_id=warning_id, for_action=True)
    owner = None
    if owner_id is not None:
        owner = User.objects.filter(pk=owner_id, is_active=True).select_related("home_region").first()
        if owner is None:
            raise ValidationError({"owner": ERR_OWNER_UNKNOWN})
    with transaction.atomic():
        warning = _locked(warning_id, expected_version)
        if warning.status == WarningStatus.RESOLVED:
            raise ValidationError(ERR_RESOLVED)
        if owner is not None and not owner_allowed(acting_user=acting_user, owner=owner, region_code=warning.region_id):
            raise ValidationError({"owner": ERR_OWNER_NOT_ALLOWED})
        if warning.owner_id == (owner.pk if owner is not None else None):
            raise ValidationError({"owner": ERR_OWNER_UNCHANGED})
        before = snapshot(warning, _FIELDS)
        warning.owner = owner
        _save(acting_user=acting_user, warning=warning, before=before, fields=["owner"], reason="")
    return warning
