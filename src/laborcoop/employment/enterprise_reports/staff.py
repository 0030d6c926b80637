"""An enterprise's staff (员工名册): the laborers with an ongoing employment record at the enterprise, by name.

The access layer decides whose names an enterprise sees (accounts.access.enterprise_named_q: its staff and the
candidates who showed interest in its jobs); ID numbers stay masked. From the roster the enterprise reports a
person's leaving by picking them (no ID number to type), and opens their wage and insurance months.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from laborcoop.core.errors import ObjectNotFound
from laborcoop.employment.enterprise_reports.items import LeaveReport, ReportResult
from laborcoop.employment.enterprise_reports.records import enterprise_leave_record
from laborcoop.employment.enterprise_reports.services import reporting_enterprise
from laborcoop.employment.lines.access import line_records_for
from laborcoop.employment.lines.rules import month_start
from laborcoop.employment.models import EmploymentRecord, InsuranceMonth, WageMonth
from laborcoop.employment.names import input_name_expression


def previous_month(today: date) -> date:
    first = month_start(today)
    return month_start(date.fromordinal(first.toordinal() - 1))


@dataclass(frozen=True)
class StaffFilters:
    q: str = ""  # part of the name, or the last digits of the ID


def enterprise_staff_queryset(*, user: Any) -> QuerySet[EmploymentRecord]:
    """The ongoing records at the enterprise user's enterprise (403 for anyone else)."""
    reporting_enterprise(user)
    return line_records_for(user, write=True).filter(end_date__isnull=True)


def enterprise_staff_rows(
    *, user: Any, filters: StaffFilters | None = None, today: date | None = None
) -> list[dict[str, Any]]:
    """The roster: one dict per ongoing record, by start date: `name` (the clear name: every row is the
    enterprise's own staff), `id_masked`, job, dates, wage, and whether last month's wage and this month's
    insurance are reported (`wage_paid`, `insured_this_month`), and `wage_due` (last month's wage of someone who
    worked then is missing). One query."""
    today = today or timezone.localdate()
    last_month, this_month = previous_month(today), month_start(today)
    filters = filters or StaffFilters()
    qs = enterprise_staff_queryset(user=user)
    q = filters.q.strip()
    if q:
        match = Q(laborer__name__contains=q)
        if q.isdigit() or q[:-1].isdigit():
            match |= Q(laborer__id_last4__endswith=q[-4:].upper())
        qs = qs.filter(match)
    wage_paid = WageMonth.objects.filter(record=OuterRef("pk"), month=last_month)
    insured = InsuranceMonth.objects.filter(record=OuterRef("pk"), month=this_month)
    values: Any = (
        qs.annotate(
            name=input_name_expression(user),
            wage_paid=Exists(wage_paid),
            insured_this_month=Exists(insured),
        )
        .values(
            "id",
            "laborer_id",
            "name",
            "start_date",
            "monthly_wage",
            "wage_paid",
            "insured_this_month",
            id_masked=F("laborer__id_masked"),
            job_title=F("job__title"),
        )
        .order_by("start_date", "id")
    )
    rows: list[dict[str, Any]] = [dict(row) for row in values]
    for row in rows:  # a wage is due for last month only from those who worked then
        row["wage_due"] = not row["wage_paid"] and row["start_date"] < this_month
    return rows


def enterprise_wages_due(*, user: Any, today: date | None = None) -> tuple[date, int]:
    """(month, count): last month and how many of its workers at the enterprise have no wage reported for it
    (records covering the month, ended ones included)."""
    today = today or timezone.localdate()
    month = previous_month(today)
    reporting_enterprise(user)
    covering = (
        line_records_for(user, write=True)
        .filter(start_date__lt=month_start(today))
        .exclude(end_date__lt=month)
        .exclude(Exists(WageMonth.objects.filter(record=OuterRef("pk"), month=month)))
    )
    return month, covering.count()


def access_staff_record(*, user: Any, record_id: Any) -> EmploymentRecord:
    """One ongoing record of the user's enterprise, for a roster action; ObjectNotFound for a record that is
    missing, ended or another enterprise's."""
    record = (
        enterprise_staff_queryset(user=user)
        .select_related("laborer", "job")
        .annotate(name=input_name_expression(user))
        .filter(pk=record_id if str(record_id).isdigit() else -1)
        .first()
    )
    if record is None:
        raise ObjectNotFound
    return record


@transaction.atomic
def enterprise_staff_leave(*, acting_user: Any, record_id: Any, end_date: date | None, end_reason: str) -> ReportResult:
    """Report that a person on the roster left (企业报送离职), picked by record: the same rules and writes as a
    leaving reported by ID number (enterprise_reports.records.enterprise_leave_record): the record ends, the
    laborer becomes 未就业, the home township is told. Raises ValidationError with field messages; nothing is
    saved then."""
    enterprise = reporting_enterprise(acting_user)
    record = access_staff_record(user=acting_user, record_id=record_id)
    report = LeaveReport(id_number="", name="", end_date=end_date, end_reason=end_reason)
    ended, action, issues = enterprise_leave_record(
        acting_user=acting_user,
        enterprise=enterprise,
        laborer=record.laborer,
        report=report,
        today=timezone.localdate(),
    )
    issues.raise_if_errors()
    assert ended is not None
    return ReportResult(report.kind, action, ended, {})
