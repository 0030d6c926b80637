"""Who may see and run comparisons (数据比对).

A comparison belongs to its uploader's home region and holds personal data of that region, so it is scoped
like the registry: the comparison capability to see it (staff and brokers; the roles do not give it to the
12333 hotline or enterprise users, who get 403), registry edit to upload, run and decide; users whose scope
holds its region see it. Missing and out-of-scope comparisons are the same 404.
"""

from typing import Any

from django.db.models import QuerySet

from laborcoop.accounts.access import get_scoped, require_cap, scoped_queryset, user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.linkage.models import Comparison


def require_compare(user: Any, cap: str = Cap.COMPARISON_VIEW) -> None:
    require_cap(user, Cap.COMPARISON_VIEW)
    require_cap(user, cap)


def can_compare(user: Any, cap: str = Cap.COMPARISON_VIEW) -> bool:
    return user_can(user, Cap.COMPARISON_VIEW) and user_can(user, cap)


def comparisons_for(user: Any, cap: str = Cap.COMPARISON_VIEW) -> QuerySet[Comparison]:
    require_compare(user, cap)
    return scoped_queryset(user, Comparison.objects.all(), cap)


def access_comparison(*, user: Any, comparison_id: Any, cap: str = Cap.COMPARISON_VIEW) -> Comparison:
    require_compare(user, cap)
    return get_scoped(user, Comparison.objects.select_related("uploaded_by", "region"), cap, comparison_id)
