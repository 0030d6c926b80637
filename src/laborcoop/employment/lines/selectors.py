"""Reads of the wage and social-insurance lines. Records come through employment.lines.access."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F

from laborcoop.accounts.access import enterprise_named_ids, is_enterprise_user
from laborcoop.core.errors import PermissionDeniedError
from laborcoop.employment.lines.access import line_records_for
from laborcoop.employment.lines.rules import month_start
from laborcoop.employment.models import EmploymentRecord, InsuranceMonth, WageMonth
from laborcoop.employment.names import input_name_expression

PAYROLL_ENTERPRISE_ONLY = "本月工资报送仅供企业用户使用"


@dataclass
class MonthRow:
    """One month of a record: its wage (if reported) and the insurance types paid."""

    month: date
    wage: WageMonth | None = None
    insurance: list[InsuranceMonth] = field(default_factory=list)

    @property
    def insurance_labels(self) -> str:
        return "、".join(m.get_insurance_type_display() for m in self.insurance)


def next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def record_month_rows(*, record: EmploymentRecord) -> list[MonthRow]:
    """The months of a record the caller obtained through access_line_record, newest first (two queries)."""
    rows: dict[date, MonthRow] = {}
    for wage in WageMonth.objects.filter(record=record).order_by("month"):
        rows.setdefault(wage.month, MonthRow(month=wage.month)).wage = wage
    for item in InsuranceMonth.objects.filter(record=record).order_by("month", "insurance_type"):
        rows.setdefault(item.month, MonthRow(month=item.month)).insurance.append(item)
    return [rows[month] for month in sorted(rows, reverse=True)]


def record_identity(*, user: Any, record: EmploymentRecord) -> tuple[str, str]:
    """(name, ID) of the record's laborer as this user may see them: enterprise users see the name of their
    staff and interested candidates only (accounts.access), the surname else; the ID is masked for all."""
    laborer = record.laborer
    if is_enterprise_user(user) and not enterprise_named_ids(user, [laborer.pk]):
        return f"{laborer.name[:1]}**", laborer.id_masked
    return laborer.name, laborer.id_masked


def enterprise_payroll_rows(*, user: Any, month: date) -> list[dict[str, Any]]:
    """The workers of the enterprise user's enterprise in `month` (records covering the month), with the
    wage already reported for it: dicts of employment fields, `name` (clear for its current staff, surname
    only for people who left: employment.names), `id_masked` and `amount` (None when not reported). Two
    queries; the clear ID never leaves the database."""
    if not is_enterprise_user(user):
        raise PermissionDeniedError(PAYROLL_ENTERPRISE_ONLY)
    month = month_start(month)
    rows = list(
        line_records_for(user, write=True)
        .filter(start_date__lt=next_month(month))
        .exclude(end_date__lt=month)
        .annotate(name=input_name_expression(user))
        .values("id", "start_date", "end_date", "monthly_wage", "name", id_masked=F("laborer__id_masked"))
        .order_by("start_date", "id")
    )
    amounts = dict(
        WageMonth.objects.filter(record_id__in=[row["id"] for row in rows], month=month).values_list(
            "record_id", "amount"
        )
    )
    return [{**row, "amount": amounts.get(row["id"])} for row in rows]
