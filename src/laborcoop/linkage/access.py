"""Who may see and run comparisons (数据比对).

A comparison belongs to its uploader's home region and holds personal data of that region, so it is scoped
like the registry: registry view to see it, registry edit to upload, run and decide; users whose scope holds
its region see it. Enterprise users and the 12333 hotline never use comparisons (403). Missing and
out-of-scope comparisons are the same 404.
"""

from typing import Any

from django.db.models import QuerySet

from laborcoop.accounts.access import get_scoped, require_cap, scoped_queryset
from laborcoop.accounts.roles import Cap, Role
from laborcoop.core.errors import PermissionDeniedError
from laborcoop.linkage.models import Comparison

ROLE_CANNOT_COMPARE = "企业用户和 12333 热线不能使用数据比对。"
EXCLUDED_ROLES = frozenset({Role.ENTERPRISE, Role.HOTLINE})


def require_compare(user: Any, cap: str = Cap.REGISTRY_VIEW) -> None:
    require_cap(user, cap)
    if user.is_superuser:
        return
    roles = set(user.roles or [])
    # A user holding only excluded roles is refused; one with an officer role besides keeps its caps.
    if roles and roles <= EXCLUDED_ROLES:
        raise PermissionDeniedError(ROLE_CANNOT_COMPARE)


def can_compare(user: Any, cap: str = Cap.REGISTRY_VIEW) -> bool:
    try:
        require_compare(user, cap)
    except PermissionDeniedError:
        return False
    return True


def comparisons_for(user: Any, cap: str = Cap.REGISTRY_VIEW) -> QuerySet[Comparison]:
    require_compare(user, cap)
    return scoped_queryset(user, Comparison.objects.all(), cap)


def access_comparison(*, user: Any, comparison_id: Any, cap: str = Cap.REGISTRY_VIEW) -> Comparison:
    require_compare(user, cap)
    return get_scoped(user, Comparison.objects.select_related("uploaded_by", "region"), cap, comparison_id)
