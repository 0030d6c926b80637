"""Which accounts an admin may see and manage.

An admin manages the accounts whose home region lies in the admin's subtree, enterprise users bound to an
enterprise in that subtree (their home region is the enterprise's, so normally both hold) and their own
account. Platform operators
(superusers) are never managed by a regional admin: resetting an operator's password would hand the whole
country to the admin who did it.
"""

from typing import Any

from django.db.models import Q, QuerySet

from laborcoop.accounts.access import region_prefix, require_cap
from laborcoop.accounts.capabilities import Cap
from laborcoop.accounts.models import User
from laborcoop.core.errors import ObjectNotFound
from laborcoop.regions.models import prefix_of_code
from laborcoop.regions.scope import in_subtree_q, is_region_code

_NOTHING = Q(pk__in=[])


def managed_users_q(user: Any) -> Q:
    """The row filter on User for the accounts `user` manages (PermissionDeniedError without the capability)."""
    require_cap(user, Cap.USERS_MANAGE)
    prefix = region_prefix(user)
    if prefix is None:
        return _NOTHING
    if prefix == "":
        return Q()
    in_subtree = in_subtree_q(prefix, "home_region") | in_subtree_q(prefix, "enterprise__region")
    return (in_subtree & Q(is_superuser=False)) | Q(pk=user.pk)


def managed_users_for(user: Any) -> QuerySet[User]:
    return User.objects.filter(managed_users_q(user))


def access_managed_user(*, user: Any, target_id: Any) -> User:
    """One managed account; a missing account and one outside the admin's subtree are both ObjectNotFound."""
    qs = managed_users_for(user).select_related("home_region", "enterprise")
    try:
        return qs.get(pk=target_id)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise ObjectNotFound from exc


def managed_user_list(*, user: Any, q: str = "", region: str = "") -> QuerySet[User]:
    """The accounts `user` manages, optionally narrowed to a region's subtree and a username/name prefix,
    ordered by home region then username (the hierarchy reads top-down)."""
    qs = managed_users_for(user)
    if is_region_code(region):
        qs = qs.filter(in_subtree_q(prefix_of_code(region), "home_region"))
    text = q.strip()
    if text:
        qs = qs.filter(Q(username__istartswith=text) | Q(first_name__startswith=text))
    return qs.select_related("home_region", "enterprise").order_by("home_region", "username")
