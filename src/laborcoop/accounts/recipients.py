"""Which accounts hear of an event: the role-based choice of staff and enterprise users to notify or to act for.

Scope (accounts.access) asks what a given user may see; this module asks the converse for events that happen
to a place or an enterprise: which active accounts hold the role for it. Roles are read here and nowhere else
outside accounts.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from laborcoop.accounts.capabilities import Cap
from laborcoop.accounts.models import User
from laborcoop.accounts.roles import Role
from laborcoop.regions.scope import in_subtree_q


def _township(code: str) -> str:
    return code[:9].ljust(12, "0")


def _county(code: str) -> str:
    return code[:6].ljust(12, "0")


def _has_role(user: User, *roles: str) -> bool:
    return bool(set(roles) & set(user.roles or []))


def village_field_staff(village_codes: set[str]) -> dict[str, list[User]]:
    """Per home village, the staff who hear of a laborer's ending: the active officers and brokers whose home
    region is the village or its township; where there are none, the county's officers (one query)."""
    wanted = village_codes | {_township(c) for c in village_codes} | {_county(c) for c in village_codes}
    users = list(
        User.objects.filter(is_active=True, home_region_id__in=wanted).select_related("home_region").order_by("pk")
    )
    found: dict[str, list[User]] = {}
    for village in village_codes:
        local = [
            u
            for u in users
            if u.home_region_id in (village, _township(village)) and _has_role(u, Role.OFFICER, Role.BROKER)
        ]
        found[village] = local or [
            u for u in users if u.home_region_id == _county(village) and _has_role(u, Role.OFFICER)
        ]
    return found


def officers_in_subtrees(prefixes: Iterable[str]) -> list[User]:
    """The active officers whose home region lies in one of the subtrees (code prefixes), by id."""
    scope = Q(pk__in=[])
    for prefix in prefixes:
        scope |= in_subtree_q(prefix, "home_region")
    return [
        u
        for u in User.objects.filter(scope, is_active=True).select_related("home_region").order_by("pk")
        if _has_role(u, Role.OFFICER)
    ]


def officers_at(region_codes: Iterable[str]) -> dict[str, list[User]]:
    """The active officers whose home region is one of the regions, per region code."""
    by_region: dict[str, list[User]] = defaultdict(list)
    for user in User.objects.filter(home_region_id__in=set(region_codes), is_active=True).select_related("home_region"):
        if _has_role(user, Role.OFFICER):
            by_region[user.home_region_id or ""].append(user)
    return by_region


def enterprise_users_of(enterprise_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active enterprise users bound to each of the enterprises, per enterprise id."""
    ids = set(enterprise_ids)
    by_enterprise: dict[int, list[User]] = defaultdict(list)
    if not ids:
        return by_enterprise
    for user in User.objects.filter(enterprise_id__in=ids, is_active=True).select_related("enterprise"):
        if _has_role(user, Role.ENTERPRISE) and user.enterprise_id is not None:
            by_enterprise[user.enterprise_id].append(user)
    return by_enterprise


def nearest_registry_editor(region_code: str) -> User | None:
    """The active staff member closest above a village (the village, township, county, prefecture, province)
    whose roles grant REGISTRY_EDIT and who is not an enterprise user; None when there is none."""
    ancestors = [region_code[:n].ljust(12, "0") for n in (12, 9, 6, 4, 2)]
    candidates = User.objects.filter(is_active=True, home_region_id__in=ancestors)
    best: tuple[int, User] | None = None
    for user in candidates.order_by("pk"):
        if _has_role(user, Role.ENTERPRISE) or not user.has_cap(Cap.REGISTRY_EDIT):
            continue
        depth = ancestors.index(user.home_region_id)  # type: ignore[arg-type]
        if best is None or depth < best[0]:
            best = (depth, user)
    return best[1] if best else None
