"""Employment records written on an enterprise's report: a hire creates a record at the enterprise, a leaving
ends the enterprise's ongoing record.

employment.records.services requires REGISTRY_EDIT and the laborer's home region in scope, which an enterprise user
lacks: the enterprise is on the input side. These are the system-level writes for that case. The caller has
checked that the user is bound to `enterprise` and identified the laborer by ID number and name; the writes
then follow the services step by step with their public helpers: the laborer's row locked, the records'
rules of employment.records.validation (dates, age, wage, channel vs 务工地域, overlap, current-worker fields), an
audit row by the enterprise user, the laborer's employment summary, `employment_changed`, and after a
leaving the laborer back in the matching pool.

Messages about the laborer's other jobs do not name their dates or employers (another enterprise's data).
"""

from datetime import date
from typing import Any

from laborcoop.core.validation.issues import Issues
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.employment import choices as c
from laborcoop.employment.enterprise_reports.items import Action, HireReport, LeaveReport
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records import validation as v
from laborcoop.employment.records.counties import resolve_county
from laborcoop.employment.records.services import (
    CODE_NOT_IN_LIST,
    end_fields_issues,
    lock_laborer,
    other_periods,
    record_close,
    record_insert,
)
from laborcoop.registry.models import Laborer

START_REQUIRED = "请填写入职日期"
JOB_NOT_HERE = "所选岗位不存在或不属于本企业"
ALREADY_WORKING_HERE = "该人员在本企业已有在岗就业记录（{start} 起），无需重复报送入职"
WORKING_ELSEWHERE = "该人员在此期间已有其他就业记录，不能报送入职；如已离开原单位，请联系人员户籍地人社部门核实"
NO_ONGOING_HERE = "该人员在本企业没有在岗就业记录"
END_BEFORE_START_HERE = "离职日期不能早于入职日期（{start}）"
HIRE_REASON = "企业报送入职"
LEAVE_REASON = "企业报送离职"


def _codes(report: HireReport, issues: Issues) -> None:
    for name, label, choices in (("channel", "就业渠道", c.Channel), ("contract_term", "合同期限类型", c.ContractTerm)):
        value = getattr(report, name)
        if value and value not in choices.values:
            issues.error(name, CODE_NOT_IN_LIST.format(label=label, value=value))
    for item in report.insurance_types:
        if item not in c.InsuranceType.values:
            issues.error("insurance_types", CODE_NOT_IN_LIST.format(label="社会保险", value=item))


def _hire_record(*, enterprise: Enterprise, laborer: Laborer, report: HireReport, issues: Issues) -> EmploymentRecord:
    assert report.start_date is not None
    record = EmploymentRecord(
        source=c.Source.ENTERPRISE,
        laborer=laborer,
        region_id=laborer.region_id,
        enterprise=enterprise,
        employer_name=enterprise.name[:100],
        start_date=report.start_date,
        industry=enterprise.industry,
        monthly_wage=report.monthly_wage,
        contract_signed=report.contract_signed,
        contract_term=report.contract_term if report.contract_signed is not False else "",
        insurance_types=[t for t in c.InsuranceType.values if t in report.insurance_types],
        insured_from=report.insured_from,
        channel=report.channel,
        point_to_point=report.point_to_point,
    )
    county = resolve_county(report.work_county or enterprise.region_id[:6])
    if county.error:
        issues.error("work_county", county.error)
    else:
        record.work_region_id = county.code
        record.work_area = v.work_area_of(laborer.region_id, county.code)
    if report.job_id is not None:
        job = JobPosting.objects.filter(pk=report.job_id, enterprise=enterprise).first()
        if job is None:
            issues.error("job", JOB_NOT_HERE)
        record.job = job
    return record


def enterprise_hire_record(
    *, acting_user: Any, enterprise: Enterprise, laborer: Laborer, report: HireReport, today: date
) -> tuple[EmploymentRecord, str, Issues]:
    """Create the record of a reported hire; (record, action, issues). Called inside a transaction. A hire
    reported again (same person, same start, this enterprise) is `unchanged`. Issues with errors: nothing
    written and the record is unsaved; warnings are stored on the record and returned for confirmation."""
    issues = Issues()
    if report.start_date is None:
        issues.error("start_date", START_REQUIRED)
        return EmploymentRecord(), Action.UNCHANGED, issues
    locked = lock_laborer(laborer.pk)
    mine = list(EmploymentRecord.objects.filter(laborer_id=locked.pk, enterprise=enterprise).order_by("-start_date"))
    same = next((r for r in mine if r.start_date == report.start_date), None)
    if same is not None:
        return same, Action.UNCHANGED, Issues(warnings=dict(same.warnings or {}))
    _codes(report, issues)
    record = _hire_record(enterprise=enterprise, laborer=locked, report=report, issues=issues)
    if issues.has_errors:
        return record, Action.UNCHANGED, issues
    issues.merge(
        v.check_record(
            start_date=record.start_date,
            end_date=None,
            birth_date=locked.birth_date,
            monthly_wage=record.monthly_wage,
            channel=record.channel,
            work_area=record.work_area,
            current_values={name: getattr(record, name) for name in v.CURRENT_WORKER_FIELDS},
            others=[],
            today=today,
        )
    )
    period = v.Period(report.start_date, None)
    if v.check_overlap(period=period, others=other_periods(locked.pk)).has_errors:
        ongoing_here = next((r for r in mine if r.end_date is None), None)
        if ongoing_here is not None:
            issues.error("start_date", ALREADY_WORKING_HERE.format(start=ongoing_here.start_date.isoformat()))
        else:
            issues.error("start_date", WORKING_ELSEWHERE)
    if issues.has_errors:
        return record, Action.UNCHANGED, issues
    record_insert(acting_user=acting_user, laborer=locked, record=record, warnings=issues.warnings, reason=HIRE_REASON)
    return record, Action.CREATED, issues


def enterprise_leave_record(
    *, acting_user: Any, enterprise: Enterprise, laborer: Laborer, report: LeaveReport, today: date
) -> tuple[EmploymentRecord | None, str, Issues]:
    """End the laborer's ongoing record at the enterprise (employment_record_end semantics); called inside a
    transaction. A leaving reported again (the record already ended on that day) is `unchanged`."""
    issues = end_fields_issues(end_date=report.end_date, end_reason=report.end_reason)
    if issues.has_errors:
        return None, Action.UNCHANGED, issues
    assert report.end_date is not None
    locked_laborer = lock_laborer(laborer.pk)
    here = EmploymentRecord.objects.filter(laborer_id=locked_laborer.pk, enterprise=enterprise)
    record = here.filter(end_date__isnull=True).select_for_update().first()
    if record is None:
        done = here.filter(end_date=report.end_date).first()
        if done is None:
            issues.error("end_date", NO_ONGOING_HERE)
        return done, Action.UNCHANGED, issues
    if report.end_date < record.start_date:
        issues.error("end_date", END_BEFORE_START_HERE.format(start=record.start_date.isoformat()))
    else:
        issues.merge(
            v.check_dates(start_date=record.start_date, end_date=report.end_date, birth_date=None, today=today)
        )
    if issues.has_errors:
        return record, Action.UNCHANGED, issues
    record_close(
        acting_user=acting_user,
        laborer=locked_laborer,
        record=record,
        end_date=report.end_date,
        end_reason=report.end_reason,
        reason=LEAVE_REASON,
    )
    return record, Action.UPDATED, issues  # matching.receivers rematches the laborer after the commit
