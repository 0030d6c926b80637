"""Enterprise reports (企业报送): hires, monthly wages, insurance months and leavings of an enterprise's
workers, from the form page, the upload (intake kind ENT_REPORT) and the API.

Only an enterprise user bound to an enterprise reports, and only about its own workers: the laborer is
identified by ID number and name (identify.py), a wage, insurance or leaving needs a record at this
enterprise. Every report is an idempotent upsert: reporting the same thing again changes nothing.

- `enterprise_report_submit`: one report, one transaction (the form page); warnings need confirmation.
- `enterprise_reports_submit`: a batch, all or nothing (the API): one bad item rejects the request with the
  messages of every bad item (ItemsInvalid); warnings are accepted and returned with each result.
- `enterprise_report_apply`: one report inside the caller's transaction, warnings accepted (the upload,
  which keeps each row in its own savepoint).
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from laborcoop.accounts.access import enterprise_of, require_cap
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.errors import PermissionDeniedError
from laborcoop.core.validation.issues import Issues
from laborcoop.employers.models import Enterprise
from laborcoop.employment import lines
from laborcoop.employment.enterprise_reports.identify import identify_laborer
from laborcoop.employment.enterprise_reports.items import (
    Action,
    HireReport,
    InsuranceReport,
    LeaveReport,
    Report,
    ReportResult,
    WageReport,
)
from laborcoop.employment.enterprise_reports.records import enterprise_hire_record, enterprise_leave_record
from laborcoop.employment.lines.rules import MONTH_REQUIRED, month_start
from laborcoop.employment.models import EmploymentRecord
from laborcoop.registry.models import Laborer
from laborcoop.registry.services import NeedsConfirmation

REPORTER_NOT_ENTERPRISE = "只有绑定企业的企业用户可以报送入职、工资、参保和离职信息"
NO_RECORD_HERE = "该人员在本企业没有就业记录，请先报送入职"
INSURANCE_TYPES_REQUIRED = "请填写参保险种"
TOO_MANY_ITEMS = "一次最多报送 {limit} 条，请分批提交"
NOTHING_TO_REPORT = "没有要报送的内容"
MAX_ITEMS = 500

# Field names of the lines services -> the report's fields.
_LINE_FIELDS = {"insurance_type": "insurance_types", "record": "id_number"}


def reporting_enterprise(user: Any) -> Enterprise:
    """The enterprise the user reports for; 403 for anyone but an enterprise user bound to one."""
    require_cap(user, Cap.EMPLOYERS_EDIT)
    enterprise_id = enterprise_of(user)
    if enterprise_id is None:
        raise PermissionDeniedError(REPORTER_NOT_ENTERPRISE)
    return Enterprise.objects.get(pk=enterprise_id)


def _record_for_month(*, enterprise: Enterprise, laborer: Laborer, month: date | None, today: date) -> EmploymentRecord:
    """The laborer's record at this enterprise covering `month`, else the latest one (whose period check
    then explains why the month does not fit)."""
    records = list(EmploymentRecord.objects.filter(laborer=laborer, enterprise=enterprise).order_by("-start_date"))
    issues = Issues()
    if not records:
        issues.error("id_number", NO_RECORD_HERE)
    if month is None:
        issues.error("month", MONTH_REQUIRED)
    issues.raise_if_errors()
    assert month is not None
    month = month_start(month)
    for record in records:
        if month_start(record.start_date) <= month <= month_start(record.end_date or today):
            return record
    return records[0]


def _lines_call(call: Any) -> lines.LinesOutcome:
    """Run a lines service for one entry; its item errors become the report's field errors."""
    try:
        outcome: lines.LinesOutcome = call()
    except lines.ItemsInvalid as exc:
        errors = exc.item_errors[0]
        raise ValidationError({_LINE_FIELDS.get(k, k): v for k, v in errors.items()}) from exc
    except lines.ItemsNeedConfirmation as exc:
        raise NeedsConfirmation(Issues(warnings=exc.item_warnings[0])) from exc
    return outcome


def _action(*outcomes: lines.LinesOutcome) -> str:
    if any(o.created for o in outcomes):
        return Action.CREATED
    if any(o.updated for o in outcomes):
        return Action.UPDATED
    return Action.UNCHANGED


def _insurance(acting_user: Any, record: EmploymentRecord, month: date | None, types: Sequence[str]) -> Any:
    entries = [lines.InsuranceEntry(record_id=record.pk, month=month, insurance_type=t) for t in dict.fromkeys(types)]
    return _lines_call(lambda: lines.insurance_months_record(acting_user=acting_user, entries=entries))


def _apply(
    *, acting_user: Any, enterprise: Enterprise, report: Report, confirm_warnings: bool, today: date
) -> ReportResult:
    laborer, found = identify_laborer(id_number=report.id_number, name=report.name, today=today)
    found.raise_if_errors()
    assert laborer is not None
    if isinstance(report, HireReport):
        record, action, issues = enterprise_hire_record(
            acting_user=acting_user, enterprise=enterprise, laborer=laborer, report=report, today=today
        )
        issues.raise_if_errors()
        if action == Action.CREATED and issues.has_warnings and not confirm_warnings:
            raise NeedsConfirmation(issues)  # the caller's transaction drops the record
        return ReportResult(report.kind, action, record, issues.warnings)
    if isinstance(report, LeaveReport):
        ended, action, issues = enterprise_leave_record(
            acting_user=acting_user, enterprise=enterprise, laborer=laborer, report=report, today=today
        )
        issues.raise_if_errors()
        assert ended is not None
        return ReportResult(report.kind, action, ended, {})
    record = _record_for_month(enterprise=enterprise, laborer=laborer, month=report.month, today=today)
    if isinstance(report, WageReport):
        entry = lines.WageEntry(record_id=record.pk, month=report.month, amount=report.amount, paid_on=report.paid_on)
        wage = _lines_call(
            lambda: lines.wage_months_record(
                acting_user=acting_user, entries=[entry], confirm_warnings=confirm_warnings
            )
        )
        outcomes = [wage]
        if report.insurance_types:
            outcomes.append(_insurance(acting_user, record, report.month, report.insurance_types))
        return ReportResult(report.kind, _action(*outcomes), record, wage.warnings.get(0, {}))
    assert isinstance(report, InsuranceReport)
    if not report.insurance_types:
        raise ValidationError({"insurance_types": [INSURANCE_TYPES_REQUIRED]})
    outcome = _insurance(acting_user, record, report.month, report.insurance_types)
    return ReportResult(report.kind, _action(outcome), record, {})


def enterprise_report_apply(
    *, acting_user: Any, enterprise: Enterprise, report: Report, today: date | None = None
) -> ReportResult:
    """One report inside the caller's transaction, warnings accepted (stored with the record). The caller
    got `enterprise` from `reporting_enterprise(acting_user)`. Raises ValidationError with field messages."""
    return _apply(
        acting_user=acting_user,
        enterprise=enterprise,
        report=report,
        confirm_warnings=True,
        today=today or timezone.localdate(),
    )


@transaction.atomic
def enterprise_report_submit(*, acting_user: Any, report: Report, confirm_warnings: bool = False) -> ReportResult:
    """One report of the user's enterprise. Raises PermissionDeniedError (not an enterprise user),
    ValidationError (field messages, nothing saved) or NeedsConfirmation (warnings, nothing saved)."""
    enterprise = reporting_enterprise(acting_user)
    return _apply(
        acting_user=acting_user,
        enterprise=enterprise,
        report=report,
        confirm_warnings=confirm_warnings,
        today=timezone.localdate(),
    )


@transaction.atomic
def enterprise_reports_submit(*, acting_user: Any, reports: Sequence[Report]) -> list[ReportResult]:
    """A batch of reports, all or nothing: every item is checked (each after the ones before it, so a hire
    and that worker's first wage can come together); when any fails, nothing is saved and ItemsInvalid
    carries the messages of every failed item. Warnings are accepted and returned with each result."""
    enterprise = reporting_enterprise(acting_user)
    if not reports:
        raise ValidationError({"items": [NOTHING_TO_REPORT]})
    if len(reports) > MAX_ITEMS:
        raise ValidationError({"items": [TOO_MANY_ITEMS.format(limit=MAX_ITEMS)]})
    today = timezone.localdate()
    results: list[ReportResult] = []
    errors: dict[int, dict[str, list[str]]] = {}
    for index, report in enumerate(reports):
        try:
            with transaction.atomic():
                results.append(
                    _apply(
                        acting_user=acting_user,
                        enterprise=enterprise,
                        report=report,
                        confirm_warnings=True,
                        today=today,
                    )
                )
        except ValidationError as exc:
            errors[index] = exc.message_dict
    if errors:
        raise lines.ItemsInvalid(errors)
    return results
