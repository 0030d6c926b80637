"""Scoped access to early warnings (see accounts.access for the rules).

A warning belongs to its responsible region (the home village of the laborer or household concerned): staff
and brokers whose subtree contains it see it (capability 查看预警: not the hotline, not enterprise users);
acting on it (handle, dismiss, assign) needs the registry edit capability as well.
"""

from typing import Any

from django.db.models import QuerySet

from laborcoop.accounts.access import get_scoped, require_cap, scoped_queryset
from laborcoop.accounts.capabilities import Cap
from laborcoop.earlywarning.models import EarlyWarning

VIEW_CAP = Cap.WARNINGS_VIEW
ACT_CAP = Cap.REGISTRY_EDIT


def warnings_for(user: Any) -> QuerySet[EarlyWarning]:
    return scoped_queryset(user, EarlyWarning.objects.all(), VIEW_CAP)


def access_warning(*, user: Any, warning_id: Any, for_action: bool = False) -> EarlyWarning:
    """One warning in the user's scope (ObjectNotFound otherwise). `for_action`: the user must also be
    allowed to act on warnings (PermissionDeniedError)."""
    if for_action:
        require_cap(user, ACT_CAP)
    return get_scoped(user, EarlyWarning.objects.select_related("laborer", "household", "region"), VIEW_CAP, warning_id)
