"""Which desk a user works at: what their home page is and which menu they get (accounts.navigation).

Capabilities say what a user *may* open; the desk says what their day is made of. A village broker may import a
spreadsheet of their village, but their day is follow-up calls, registering people and passing jobs on, so the
broker's home is "today" and the menu holds only that; the 12333 hotline's home is the call console. A user with
a staff role besides (officer, admin) or the platform operator works at the office desk.
"""

from enum import StrEnum
from typing import Any

from laborcoop.accounts.access import region_code_in_scope, user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.accounts.roles import Role

OFFICE_ROLES = frozenset({Role.ADMIN, Role.OFFICER, Role.VIEWER})


class Desk(StrEnum):
    OFFICE = "office"  # officers, admins, read-only staff: statistics home, the full menu of their capabilities
    BROKER = "broker"  # village broker: the "today" home (due follow-ups, people to register, jobs to pass on)
    HOTLINE = "hotline"  # 12333 agent: the call console home
    ENTERPRISE = "enterprise"  # enterprise HR (its own pages)


def desk_of(user: Any) -> Desk:
    if user is None or not user.is_authenticated or user.is_superuser:
        return Desk.OFFICE
    roles = set(user.roles or [])
    if roles & OFFICE_ROLES:
        return Desk.OFFICE
    if Role.BROKER in roles:
        return Desk.BROKER
    if Role.HOTLINE in roles:
        return Desk.HOTLINE
    if Role.ENTERPRISE in roles:
        return Desk.ENTERPRISE
    return Desk.OFFICE


def can_call(user: Any, *, region_code: str) -> bool:
    """Whether the user may dial a person of `region_code` from their page: the capability (officers, brokers,
    the hotline) and the person inside the user's subtree. The clear number then goes into a tel: link, and
    every such reveal is audited (registry.services.laborer_call_reveal)."""
    return user_can(user, Cap.PHONE_CALL) and region_code_in_scope(user, region_code)
