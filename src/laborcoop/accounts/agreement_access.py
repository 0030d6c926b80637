"""The access layer's rules for labor-cooperation agreements (劳务协作协议), on region codes only (accounts sits
below the cooperation app; cooperation.access builds its querysets and checks from these).

- Staff with a region (admins, officers, readers, brokers; not enterprise users, not the 12333 hotline) read the
  agreements where a party's region is in their subtree or is one of their home region's ancestors (湘西州's and
  泸溪县's officers read the 湖南省–广东省 agreement).
- An admin of a party (home region = the party's region or one of its ancestors) proposes an agreement and may
  terminate it; an admin of the *other* party confirms it (never the proposer, unless the platform operator).
"""

from typing import Any

from django.db.models import Q

from laborcoop.accounts.access import is_admin, is_enterprise_user, is_hotline_user, region_code_in_scope, region_prefix
from laborcoop.regions.scope import in_subtree_q

OUTPUT, INPUT = "output", "input"


def _ancestor_codes(code: str) -> list[str]:
    """The 12-digit codes of the province, prefecture, county and township at or above `code`."""
    return sorted({code[:n].ljust(12, "0") for n in (2, 4, 6, 9) if len(code) == 12 and code[:n].strip("0")})


def can_view_agreements(user: Any) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if is_enterprise_user(user) or is_hotline_user(user):
        return False
    return region_prefix(user) is not None


def agreements_visible_q(user: Any, *, output_field: str = "output_region", input_field: str = "input_region") -> Q:
    """The rows of agreements the user reads (see the module docstring)."""
    if user.is_superuser:
        return Q()
    prefix = region_prefix(user)
    if prefix is None:
        return Q(pk__in=[])
    ancestors = _ancestor_codes(user.home_region_id or "")
    return (
        in_subtree_q(prefix, output_field)
        | in_subtree_q(prefix, input_field)
        | Q(**{f"{output_field}__in": ancestors})
        | Q(**{f"{input_field}__in": ancestors})
    )


def agreement_admin_sides(user: Any, *, output_code: str, input_code: str) -> set[str]:
    """The sides ('output', 'input') of an agreement between these two regions the user is an admin of."""
    if user is None or not user.is_authenticated or not user.is_active or not is_admin(user):
        return set()
    sides = set()
    if region_code_in_scope(user, output_code):
        sides.add(OUTPUT)
    if region_code_in_scope(user, input_code):
        sides.add(INPUT)
    return sides


def can_propose_agreements(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and is_admin(user) and region_prefix(user) is not None)


def can_confirm_agreement(
    user: Any, *, output_code: str, input_code: str, proposed_side: str, proposed_by_id: int | None
) -> bool:
    other = INPUT if proposed_side == OUTPUT else OUTPUT
    sides = agreement_admin_sides(user, output_code=output_code, input_code=input_code)
    return other in sides and (proposed_by_id != user.pk or bool(user.is_superuser))
