"""Which accounts an admin may see and manage: those whose home region lies in the admin's subtree
(enterprise users: those bound to an enterprise in that subtree), never their own roles."""

from typing import Any

from django.db.models import Q, QuerySet

from laborcoop.accounts.access import get_scoped, region_prefix, require_cap
from laborcoop.accounts.models import User
from laborcoop.accounts.roles import Cap
from laborcoop.core.errors import ObjectNotFound
from laborcoop.regions.scope import in_subtree_q


def managed_users_for(user: Any) -> QuerySet[User]:
    require_cap(user, Cap.USERS_MANAGE)
    prefix = region_prefix(user)
    if prefix is None:
        return User.objects.none()
    if prefix == "":
        return User.objects.all()
    return User.objects.filter(in_subtree_q(prefix, "home_region") | Q(pk=user.pk))


def access_managed_user(*, user: Any, target_id: Any) -> User:
    try:
        return get_scoped(user, managed_users_for(user), Cap.USERS_MANAGE, target_id, region_field="home_region")
    except ObjectNotFound:
        raise
