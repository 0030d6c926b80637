"""What an enterprise reports about a worker (企业报送): a hire, a month's wage, insurance months, a leaving.

The worker is named by ID number and name, as the enterprise knows them; the platform finds the laborer by
the ID's keyed hash and never shows the enterprise more than a masked identity.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from django.db import models

from laborcoop.employment.models import EmploymentRecord


class ReportKind(models.TextChoices):
    HIRE = "hire", "入职"  # a new job at the enterprise: an employment record (source 企业报送)
    WAGE = "wage", "工资"  # a month's wage paid (工资发放), optionally with the month's insurance types
    INSURANCE = "insurance", "参保"  # insurance months paid (参保缴费)
    LEAVE = "leave", "离职"  # the job ended: the record is ended and the laborer becomes 未就业


class Action(models.TextChoices):
    CREATED = "created", "新增"
    UPDATED = "updated", "更新"
    UNCHANGED = "unchanged", "无变化"  # reported before with the same values: nothing written


@dataclass(frozen=True)
class HireReport:
    kind: ClassVar[str] = ReportKind.HIRE
    id_number: str
    name: str
    start_date: date | None
    work_county: str = ""  # blank: the enterprise's own county
    job_id: int | None = None
    monthly_wage: int | None = None
    contract_signed: bool | None = None
    contract_term: str = ""
    insurance_types: tuple[str, ...] = ()
    insured_from: date | None = None
    channel: str = ""
    point_to_point: bool | None = None


@dataclass(frozen=True)
class WageReport:
    kind: ClassVar[str] = ReportKind.WAGE
    id_number: str
    name: str
    month: date | None
    amount: int | None
    paid_on: date | None = None
    insurance_types: tuple[str, ...] = ()  # the month's insurance paid with the wage (payroll files carry it)


@dataclass(frozen=True)
class InsuranceReport:
    kind: ClassVar[str] = ReportKind.INSURANCE
    id_number: str
    name: str
    month: date | None
    insurance_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeaveReport:
    kind: ClassVar[str] = ReportKind.LEAVE
    id_number: str
    name: str
    end_date: date | None
    end_reason: str = ""


Report = HireReport | WageReport | InsuranceReport | LeaveReport


@dataclass
class ReportResult:
    kind: str
    action: str
    record: EmploymentRecord
    warnings: dict[str, list[str]] = field(default_factory=dict)
