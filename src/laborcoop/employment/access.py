"""Scoped access to employment records (see accounts.access for the rules).

Two sides of labor cooperation see a record:
- the output side (the laborer's home region): `records_for` / `access_employment_record`, full records, with
  the registry capabilities (a record is part of the laborer's file);
- the input side (where the work is: the work county or the enterprise's region; an enterprise user: its own
  enterprise): `input_records_for`, with the enterprise capability, and only employment fields with a masked
  identity (selectors.employment_record_input_list).
"""

from typing import Any

from django.db.models import QuerySet

from laborcoop.accounts.access import get_scoped, input_side_q, require_cap, scoped_queryset
from laborcoop.accounts.capabilities import Cap
from laborcoop.employment.models import EmploymentRecord


def records_for(user: Any, cap: str = Cap.REGISTRY_VIEW) -> QuerySet[EmploymentRecord]:
    return scoped_queryset(user, EmploymentRecord.objects.all(), cap)


def access_employment_record(*, user: Any, record_id: Any, cap: str = Cap.REGISTRY_VIEW) -> EmploymentRecord:
    return get_scoped(user, EmploymentRecord.objects.select_related("laborer", "work_region"), cap, record_id)


def input_records_for(user: Any) -> QuerySet[EmploymentRecord]:
    require_cap(user, Cap.EMPLOYERS_VIEW)
    return EmploymentRecord.objects.filter(
        input_side_q(
            user,
            work_region_field="work_region",
            enterprise_field="enterprise",
            enterprise_region_field="enterprise__region",
        )
    )
