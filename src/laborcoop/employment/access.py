"""Scoped access to employment records (see accounts.access for the rules).

Two sides of labor cooperation see a record:
- the output side (the laborer's home region): `records_for` / `access_employment_record`, full records, with
  the registry capabilities (a record is part of the laborer's file);
- the input side (where the work is: the work county or the enterprise's region; an enterprise user: its own
  enterprise): `input_records_for`, with the enterprise capability, and only employment fields with a masked
  identity (selectors.employment_record_input_list).
"""

from typing import Any

from django.db.models import Q, QuerySet

from laborcoop.accounts.access import get_scoped, require_cap, scoped_queryset
from laborcoop.accounts.roles import Cap, Role
from laborcoop.employment.models import EmploymentRecord
from laborcoop.regions.scope import in_subtree_q

_NOTHING = Q(pk__in=[])


def records_for(user: Any, cap: str = Cap.REGISTRY_VIEW) -> QuerySet[EmploymentRecord]:
    return scoped_queryset(user, EmploymentRecord.objects.all(), cap)


def access_employment_record(*, user: Any, record_id: Any, cap: str = Cap.REGISTRY_VIEW) -> EmploymentRecord:
    return get_scoped(user, EmploymentRecord.objects.select_related("laborer", "work_region"), cap, record_id)


def input_scope_q(user: Any) -> Q:
    """Records of people working in the user's subtree (work county or enterprise region), or at the user's
    own enterprise."""
    if user.is_superuser:
        return Q()
    if Role.ENTERPRISE in (user.roles or []):
        return Q(enterprise_id=user.enterprise_id) if user.enterprise_id is not None else _NOTHING
    prefix = user.scope_prefix
    if prefix is None:
        return _NOTHING
    if not prefix:
        return Q()
    return in_subtree_q(prefix, "work_region") | in_subtree_q(prefix, "enterprise__region")


def input_records_for(user: Any) -> QuerySet[EmploymentRecord]:
    require_cap(user, Cap.EMPLOYERS_VIEW)
    return EmploymentRecord.objects.filter(input_scope_q(user))
