"""Proposing, confirming and terminating labor-cooperation agreements (the checks of cooperation.access)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from laborcoop.cooperation import access
from laborcoop.cooperation.models import Agreement, AgreementStatus, CooperationField, Side
from laborcoop.core.errors import PermissionDeniedError
from laborcoop.regions.models import Region, RegionLevel

ERR_SAME_REGION = "输出地和输入地不能是同一个地区。"
ERR_NESTED = "输出地和输入地不能互相包含（如湖南省与湘西州）。"
ERR_LEVEL = "协议双方须为省、市（州）或县（市、区）一级的地区。"
ERR_DATES = "结束日期不能早于开始日期。"
ERR_TARGET = "年度目标不能为负数。"
ERR_FIELDS = "请至少选择一个合作领域。"
ERR_FIELD_UNKNOWN = "未知的合作领域：{value}。"
ERR_REGION = "地区代码“{code}”不存在。"
ERR_NOT_PENDING = "只有待对方确认的协议才能确认。"
ERR_ALREADY_TERMINATED = "协议已终止。"
ERR_REASON = "请填写终止原因。"

TEXT_FIELDS = (
    "title",
    "output_subsidy",
    "input_subsidy",
    "output_contact_name",
    "output_contact_phone",
    "input_contact_name",
    "input_contact_phone",
)
TARGETS = ("target_transfer", "target_training", "target_jobs")


def _region(code: str, field: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError({field: ERR_REGION.format(code=code)})
    if region.level > RegionLevel.COUNTY:
        raise ValidationError({field: ERR_LEVEL})
    return region


def _validate(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    output_code, input_code = data["output_region_code"], data["input_region_code"]
    if output_code == input_code:
        raise ValidationError({"input_region_code": ERR_SAME_REGION})
    output, inp = _region(output_code, "output_region_code"), _region(input_code, "input_region_code")
    if output.code.startswith(inp.prefix) or inp.code.startswith(output.prefix):
        raise ValidationError({"input_region_code": ERR_NESTED})
    start, end = data["start_date"], data["end_date"]
    if end < start:
        errors["end_date"] = ERR_DATES
    for name in TARGETS:
        if int(data.get(name) or 0) < 0:
            errors[name] = ERR_TARGET
    fields = list(dict.fromkeys(data.get("fields") or []))
    if not fields:
        errors["fields"] = ERR_FIELDS
    for value in fields:
        if value not in CooperationField.values:
            errors["fields"] = ERR_FIELD_UNKNOWN.format(value=value)
    if errors:
        raise ValidationError(errors)
    return {
        "output_region": output,
        "input_region": inp,
        "start_date": start,
        "end_date": end,
        "fields": fields,
        **{name: int(data.get(name) or 0) for name in TARGETS},
        **{name: str(data.get(name) or "").strip() for name in TEXT_FIELDS},
    }


@transaction.atomic
def agreement_propose(*, acting_user: Any, data: dict[str, Any]) -> Agreement:
    """A new agreement, waiting for the other party's confirmation. The proposer must be an admin of one party."""
    if not access.can_propose(acting_user):
        raise PermissionDeniedError(access.NOT_ADMIN)
    clean = _validate(data)
    sides = access.admin_sides(
        acting_user, output_code=clean["output_region"].code, input_code=clean["input_region"].code
    )
    if not sides:
        raise PermissionDeniedError(access.NOT_A_PARTY)
    side = Side.OUTPUT if Side.OUTPUT.value in sides else Side.INPUT
    return Agreement.objects.create(
        **clean, status=AgreementStatus.PENDING, proposed_side=side, proposed_by=acting_user
    )


@transaction.atomic
def agreement_confirm(*, acting_user: Any, agreement_id: Any) -> Agreement:
    agreement = access.access_agreement(user=acting_user, agreement_id=agreement_id)
    agreement = (
        Agreement.objects.select_for_update().select_related("output_region", "input_region").get(pk=agreement.pk)
    )
    if not access.can_confirm(acting_user, agreement):
        raise PermissionDeniedError(access.NOT_OTHER_PARTY)
    if agreement.status != AgreementStatus.PENDING:
        raise ValidationError(ERR_NOT_PENDING)
    agreement.status = AgreementStatus.ACTIVE
    agreement.confirmed_by = acting_user
    agreement.confirmed_at = timezone.now()
    agreement.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    return agreement


@transaction.atomic
def agreement_terminate(*, acting_user: Any, agreement_id: Any, reason: str) -> Agreement:
    agreement = access.access_agreement(user=acting_user, agreement_id=agreement_id)
    if not access.can_terminate(acting_user, agreement):
        raise PermissionDeniedError(access.NOT_A_PARTY)
    if agreement.status == AgreementStatus.TERMINATED:
        raise ValidationError(ERR_ALREADY_TERMINATED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ERR_REASON})
    agreement.status = AgreementStatus.TERMINATED
    agreement.terminated_by = acting_user
    agreement.terminated_at = timezone.now()
    agreement.terminate_reason = reason[:200]
    agreement.save(update_fields=["status", "terminated_by", "terminated_at", "terminate_reason", "updated_at"])
    return agreement
