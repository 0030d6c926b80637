"""Who may read and write the wage and social-insurance lines of an employment record (see accounts.access).

Two kinds of users report the lines of a record:
- staff of the laborer's home region (the output side): the registry capabilities, scoped by the record's
  `region` (the laborer's home village), like the record itself;
- enterprise users (the input side): the enterprise capabilities, only for records at their own enterprise;
  they see the employment fields and a masked identity, never the clear name or ID number.

Input-region staff (the work county) read the records through employment.access but do not write the lines:
the enterprise or the laborer's home region does. Missing and out-of-scope records are the same 404.
"""

from typing import Any

from django.db.models import QuerySet

from laborcoop.accounts.access import get_scoped, is_enterprise_user, scoped_queryset
from laborcoop.accounts.capabilities import Cap
from laborcoop.employment.models import EmploymentRecord, InsuranceMonth, WageMonth


def line_cap(user: Any, *, write: bool) -> str:
    if is_enterprise_user(user):
        return Cap.EMPLOYERS_EDIT if write else Cap.EMPLOYERS_VIEW
    return Cap.REGISTRY_EDIT if write else Cap.REGISTRY_VIEW


def line_records_for(user: Any, *, write: bool = False) -> QuerySet[EmploymentRecord]:
    """Records whose lines the user may read (or write): the home region's subtree for staff, the own
    enterprise's records for enterprise users."""
    return scoped_queryset(
        user, EmploymentRecord.objects.all(), line_cap(user, write=write), enterprise_field="enterprise"
    )


def access_line_record(*, user: Any, record_id: Any, write: bool = False) -> EmploymentRecord:
    """One record for its wage and insurance lines; ObjectNotFound when missing or not the user's."""
    return get_scoped(
        user,
        EmploymentRecord.objects.select_related("laborer", "enterprise", "work_region"),
        line_cap(user, write=write),
        record_id,
        enterprise_field="enterprise",
    )


def access_wage_month(*, user: Any, wage_id: Any) -> WageMonth:
    """A wage month for correction by staff of the laborer's home region (REGISTRY_EDIT)."""
    return get_scoped(user, WageMonth.objects.all(), Cap.REGISTRY_EDIT, wage_id)


def access_insurance_month(*, user: Any, insurance_id: Any) -> InsuranceMonth:
    """An insurance month for correction by staff of the laborer's home region (REGISTRY_EDIT)."""
    return get_scoped(user, InsuranceMonth.objects.all(), Cap.REGISTRY_EDIT, insurance_id)
