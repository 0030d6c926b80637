"""Scoped access to duplicate pairs, merge records and service contacts (rules: accounts.access).

All three carry a `region_code` column: the common region of a pair's two laborers, or the staff user's home
region for a contact. Scope is a code range on it; a row outside it is the same 404 as a missing row.
"""

from typing import Any

from django.db.models import QuerySet

from laborcoop.accounts.access import (
    can_scan_duplicates,
    get_scoped,
    is_admin,
    require_cap,
    scope_q,
    scoped_queryset,
)
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.errors import PermissionDeniedError
from laborcoop.frontdesk.models import DuplicatePair, MergeRecord, ServiceContact

UNMERGE_ADMIN_ONLY = "只有管理员可以撤销合并。"
SCAN_NOT_ALLOWED = "只有管理员和经办人可以发起查重扫描。"


def pairs_for(user: Any, cap: str = Cap.REGISTRY_VIEW) -> QuerySet[DuplicatePair]:
    return scoped_queryset(user, DuplicatePair.objects.all(), cap, region_field="region_code")


def access_pair(*, user: Any, pair_id: Any, cap: str = Cap.REGISTRY_VIEW) -> DuplicatePair:
    qs = DuplicatePair.objects.select_related("laborer_a__region", "laborer_b__region", "reviewed_by")
    return get_scoped(user, qs, cap, pair_id, region_field="region_code")


def merge_records_for(user: Any, cap: str = Cap.REGISTRY_VIEW) -> QuerySet[MergeRecord]:
    return scoped_queryset(user, MergeRecord.objects.all(), cap, region_field="region_code")


def access_merge_record(*, user: Any, record_id: Any, cap: str = Cap.REGISTRY_VIEW) -> MergeRecord:
    return get_scoped(user, MergeRecord.objects.all(), cap, record_id, region_field="region_code")


def contacts_for(user: Any) -> QuerySet[ServiceContact]:
    return scoped_queryset(user, ServiceContact.objects.all(), Cap.REGISTRY_VIEW, region_field="region_code")


def contact_log_for(user: Any) -> QuerySet[ServiceContact]:
    """The service log a user reads: the contacts made in their subtree (by its staff) and the contacts about
    the people of their subtree, wherever the contact was made (a 12333 call about a villager is the village's
    business as much as the province hotline's)."""
    require_cap(user, Cap.REGISTRY_VIEW)
    return ServiceContact.objects.filter(
        scope_q(user, region_field="region_code") | scope_q(user, region_field="matched_laborer__region")
    )


def access_contact(*, user: Any, contact_id: Any) -> ServiceContact:
    return get_scoped(user, ServiceContact.objects.all(), Cap.REGISTRY_VIEW, contact_id, region_field="region_code")


def require_admin(user: Any) -> None:
    require_cap(user, Cap.REGISTRY_EDIT)
    if not is_admin(user):
        raise PermissionDeniedError(UNMERGE_ADMIN_ONLY)


def require_scan(user: Any) -> None:
    require_cap(user, Cap.REGISTRY_EDIT)
    if not can_scan_duplicates(user):
        raise PermissionDeniedError(SCAN_NOT_ALLOWED)
