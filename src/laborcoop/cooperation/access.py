"""Scoped access to labor-cooperation agreements: querysets and checks built on the access layer's rules
(accounts.agreement_access), so that no role is decided here."""

from typing import Any

from django.db.models import QuerySet

from laborcoop.accounts.agreement_access import (
    agreement_admin_sides,
    agreements_visible_q,
    can_confirm_agreement,
    can_propose_agreements,
    can_view_agreements,
)
from laborcoop.cooperation.models import Agreement
from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError

NOT_A_PARTY = "只有协议一方地区（或其上级）的管理员才能发起或终止协议。"
NOT_OTHER_PARTY = "只有协议另一方地区（或其上级）的管理员才能确认协议。"
NOT_ADMIN = "只有管理员才能登记劳务协作协议。"
LOGIN = "请先登录。"

__all__ = ["agreements_visible_q", "can_view_agreements"]


def agreements_for(user: Any) -> QuerySet[Agreement]:
    if user is None or not user.is_authenticated:
        raise PermissionDeniedError(LOGIN)
    if not can_view_agreements(user):
        raise PermissionDeniedError()
    return Agreement.objects.filter(agreements_visible_q(user)).select_related("output_region", "input_region")


def access_agreement(*, user: Any, agreement_id: Any) -> Agreement:
    try:
        return agreements_for(user).get(pk=agreement_id)
    except (Agreement.DoesNotExist, ValueError, TypeError) as exc:
        raise ObjectNotFound from exc


def admin_sides(user: Any, *, output_code: str, input_code: str) -> set[str]:
    return agreement_admin_sides(user, output_code=output_code, input_code=input_code)


def can_propose(user: Any) -> bool:
    return can_propose_agreements(user)


def can_confirm(user: Any, agreement: Agreement) -> bool:
    return can_confirm_agreement(
        user,
        output_code=agreement.output_region_id,
        input_code=agreement.input_region_id,
        proposed_side=agreement.proposed_side,
        proposed_by_id=agreement.proposed_by_id,
    )


def can_terminate(user: Any, agreement: Agreement) -> bool:
    return bool(admin_sides(user, output_code=agreement.output_region_id, input_code=agreement.input_region_id))
