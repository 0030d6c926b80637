"""Writes of employment records: create, update, end.

Every service checks the capability and the laborer's scope through the access layer, locks the laborer's
row (so two officers adding jobs for the same person are serialised and the overlap check holds), validates
with employment.records.validation, saves inside one transaction, writes an audit row, and keeps the laborer's
employment summary (status, employer, 务工地域) in step with the current record through
registry.services.laborers_set_employment_summary.

Locks: the laborer row, then the record row (always in this order).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from laborcoop.accounts.access import require_cap, require_region_in_scope
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.audit import audit_record, diff, snapshot
from laborcoop.core.errors import ConflictError
from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.issues import Issues
from laborcoop.employers.choices import Industry
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.employment import choices as c
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records import validation as v
from laborcoop.employment.records.counties import resolve_county
from laborcoop.employment.signals import employment_changed
from laborcoop.registry import choices as rc
from laborcoop.registry.models import Laborer
from laborcoop.registry.services import EmploymentSummary, NeedsConfirmation, laborers_set_employment_summary

ENTERPRISE_UNKNOWN = "所选企业不存在"
JOB_UNKNOWN = "所选岗位不存在"
END_DATE_REQUIRED = "请填写结束时间"
END_REASON_REQUIRED = "请选择结束原因"
ALREADY_ENDED = "该就业记录已结束"
CODE_NOT_IN_LIST = "{label}“{value}”不在代码表中"
SUMMARY_REASON = "就业记录变更：{record}"

RECORD_FIELDS = [
    "laborer",
    "region",
    "enterprise",
    "employer_name",
    "job",
    "start_date",
    "end_date",
    "end_reason",
    "work_region",
    "work_area",
    "industry",
    "monthly_wage",
    "contract_signed",
    "contract_term",
    "insurance_types",
    "insured_from",
    "channel",
    "point_to_point",
    "transport_subsidy",
    "source",
]

__all__ = [
    "EmploymentData",
    "NeedsConfirmation",
    "employment_record_create",
    "employment_record_end",
    "employment_record_update",
]


@dataclass(frozen=True)
class EmploymentData:
    """The editable fields of a record. `work_county` is a county name or code (see counties.py)."""

    start_date: date
    work_county: str
    end_date: date | None = None
    end_reason: str = ""
    enterprise_id: int | None = None
    employer_name: str = ""
    job_id: int | None = None
    industry: str = ""
    monthly_wage: int | None = None
    contract_signed: bool | None = None
    contract_term: str = ""
    insurance_types: tuple[str, ...] = field(default_factory=tuple)
    insured_from: date | None = None
    channel: str = ""
    point_to_point: bool | None = None
    transport_subsidy: int | None = None

    @classmethod
    def from_record(cls, record: EmploymentRecord) -> "EmploymentData":
        values = {f.name: getattr(record, f.name) for f in fields(cls) if hasattr(record, f.name)}
        values["work_county"] = record.work_region_id
        values["insurance_types"] = tuple(record.insurance_types or [])
        return cls(**values)


# --- validation shared with the WORK import ----------------------------------------------------------------


def other_periods(laborer_id: int, *, exclude_pk: int | None = None) -> list[v.Period]:
    qs = EmploymentRecord.objects.filter(laborer_id=laborer_id)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return [v.Period(start, end) for start, end in qs.values_list("start_date", "end_date")]


def record_issues(*, laborer: Laborer, record: EmploymentRecord, others: Iterable[v.Period], today: date) -> Issues:
    """All validation rules on a record whose fields are set (work_area derived)."""
    return v.check_record(
        start_date=record.start_date,
        end_date=record.end_date,
        birth_date=laborer.birth_date,
        monthly_wage=record.monthly_wage,
        channel=record.channel,
        work_area=record.work_area,
        current_values={name: getattr(record, name) for name in v.CURRENT_WORKER_FIELDS},
        others=others,
        today=today,
    )


def _check_codes(data: EmploymentData, issues: Issues) -> None:
    code_lists: list[tuple[str, str, Any]] = [
        ("channel", "就业渠道", c.Channel),
        ("end_reason", "结束原因", c.EndReason),
        ("contract_term", "合同期限类型", c.ContractTerm),
    ]
    for name, label, choices in code_lists:
        value = getattr(data, name)
        if value and value not in choices.values:
            issues.error(name, CODE_NOT_IN_LIST.format(label=label, value=value))
    if data.industry and data.industry not in Industry.values:
        issues.error("industry", CODE_NOT_IN_LIST.format(label="所属行业", value=data.industry))
    for item in data.insurance_types:
        if item not in c.InsuranceType.values:
            issues.error("insurance_types", CODE_NOT_IN_LIST.format(label="社会保险", value=item))


def _apply(record: EmploymentRecord, *, laborer: Laborer, data: EmploymentData, issues: Issues) -> None:
    """Copy `data` onto `record`, resolving the county, the enterprise and the job; problems go to issues."""
    _check_codes(data, issues)
    county = resolve_county(data.work_county)
    if county.error:
        issues.error("work_county", county.error)
    else:
        record.work_region_id = county.code
        record.work_area = v.work_area_of(laborer.region_id, county.code)
    job = None
    if data.job_id is not None:
        job = JobPosting.objects.filter(pk=data.job_id).select_related("enterprise").first()
        if job is None:
            issues.error("job", JOB_UNKNOWN)
    enterprise = job.enterprise if job is not None else None
    if enterprise is None and data.enterprise_id is not None:
        enterprise = Enterprise.objects.filter(pk=data.enterprise_id).first()
        if enterprise is None:
            issues.error("enterprise", ENTERPRISE_UNKNOWN)
    record.laborer = laborer
    record.region_id = laborer.region_id
    record.job = job
    record.enterprise = enterprise
    record.employer_name = (data.employer_name or "").strip() or (enterprise.name if enterprise else "")
    record.start_date = data.start_date
    record.end_date = data.end_date
    record.end_reason = data.end_reason if data.end_date is not None else ""
    record.industry = data.industry or (enterprise.industry if enterprise else "")
    record.monthly_wage = data.monthly_wage
    record.contract_signed = data.contract_signed
    record.contract_term = data.contract_term if data.contract_signed is not False else ""
    record.insurance_types = [t for t in c.InsuranceType.values if t in data.insurance_types]
    record.insured_from = data.insured_from
    record.channel = data.channel
    record.point_to_point = data.point_to_point
    record.transport_subsidy = data.transport_subsidy


def _finish(issues: Issues, *, confirm_warnings: bool) -> None:
    issues.raise_if_errors()
    if issues.has_warnings and not confirm_warnings:
        raise NeedsConfirmation(issues)


def lock_laborer(laborer_id: int) -> Laborer:
    """The laborer row, locked for the rest of the transaction (serialises writes of one person's records)."""
    return Laborer.objects.select_for_update().get(pk=laborer_id)


# --- the laborer's summary ---------------------------------------------------------------------------------


def summary_for(laborer: Laborer, current: EmploymentRecord | None) -> EmploymentSummary | None:
    """The summary the laborer should show: the ongoing record's, or "未就业" once the last ongoing record
    ended (None: leave the laborer as it is, e.g. a past job added for someone who farms now)."""
    if current is not None:
        return EmploymentSummary(rc.EmploymentStatus.EMPLOYED, current.employer_name, current.work_area)
    if laborer.employment_status == rc.EmploymentStatus.EMPLOYED:
        return EmploymentSummary(rc.EmploymentStatus.UNEMPLOYED, "", "")
    return None


def _sync_laborer(*, acting_user: Any, laborer: Laborer, record: EmploymentRecord, touched_open: bool) -> None:
    """Bring the laborer's summary in line with their ongoing record. Called with the laborer locked.
    `touched_open`: the write created, changed or ended an ongoing record (only then can the summary move)."""
    current = EmploymentRecord.objects.filter(laborer_id=laborer.pk, end_date__isnull=True).first()
    if current is None and not touched_open:
        return
    summary = summary_for(laborer, current)
    if summary is None:
        return
    laborers_set_employment_summary(
        acting_user=acting_user,
        summaries=[(laborer, summary)],
        reasons=[SUMMARY_REASON.format(record=record)],
    )


def end_fields_issues(*, end_date: date | None, end_reason: str) -> Issues:
    """The end date and reason of an ending (离岗): both required, the reason from the code list."""
    issues = Issues()
    if end_date is None:
        issues.error("end_date", END_DATE_REQUIRED)
    if not end_reason:
        issues.error("end_reason", END_REASON_REQUIRED)
    elif end_reason not in c.EndReason.values:
        issues.error("end_reason", CODE_NOT_IN_LIST.format(label="结束原因", value=end_reason))
    return issues


def record_insert(
    *, acting_user: Any, laborer: Laborer, record: EmploymentRecord, warnings: dict[str, Any], reason: str = ""
) -> None:
    """Store a new record the caller has checked (laborer locked): the row with its warnings, an audit row, the
    laborer's employment summary and `employment_changed`."""
    record.warnings = warnings
    record.full_clean(validate_constraints=False)
    record.save()
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.CREATE,
        instance=record,
        region_code=record.region_id,
        changes=diff({}, snapshot(record, RECORD_FIELDS)),
        reason=reason,
    )
    _sync_laborer(acting_user=acting_user, laborer=laborer, record=record, touched_open=record.end_date is None)
    employment_changed.send(
        sender=EmploymentRecord, records=[record], created={record.pk}, ended=set(), acting_user=acting_user
    )


def record_close(
    *,
    acting_user: Any,
    laborer: Laborer,
    record: EmploymentRecord,
    end_date: date,
    end_reason: str,
    reason: str,
) -> None:
    """End an ongoing record the caller has locked and checked (laborer locked): the row, an audit row, the
    laborer's employment summary and `employment_changed` (matching.receivers then rematches the laborer, the
    tracking receivers open the home township's tasks)."""
    before = snapshot(record, RECORD_FIELDS)
    record.end_date = end_date
    record.end_reason = end_reason
    # The "current worker" warnings no longer apply to an ended job.
    record.warnings = {k: ms for k, ms in (record.warnings or {}).items() if k not in v.CURRENT_WORKER_FIELDS}
    record.version += 1
    record.full_clean(validate_constraints=False)
    record.save()
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE,
        instance=record,
        region_code=record.region_id,
        changes=diff(before, snapshot(record, RECORD_FIELDS)),
        reason=reason,
    )
    _sync_laborer(acting_user=acting_user, laborer=laborer, record=record, touched_open=True)
    employment_changed.send(
        sender=EmploymentRecord, records=[record], created=set(), ended={record.pk}, acting_user=acting_user
    )


# --- services ----------------------------------------------------------------------------------------------


@transaction.atomic
def employment_record_create(
    *,
    acting_user: Any,
    laborer: Laborer,
    data: EmploymentData,
    source: str = c.Source.OFFICER,
    confirm_warnings: bool = False,
) -> EmploymentRecord:
    """Add a job of a laborer the caller fetched through access_laborer (cap REGISTRY_EDIT)."""
    require_cap(acting_user, Cap.REGISTRY_EDIT)
    require_region_in_scope(acting_user, laborer.region_id)
    locked = lock_laborer(laborer.pk)
    issues = Issues()
    record = EmploymentRecord(source=source)
    _apply(record, laborer=locked, data=data, issues=issues)
    if not issues.has_errors:
        issues.merge(
            record_issues(laborer=locked, record=record, others=other_periods(locked.pk), today=timezone.localdate())
        )
    _finish(issues, confirm_warnings=confirm_warnings)
    record_insert(acting_user=acting_user, laborer=locked, record=record, warnings=issues.warnings)
    return record


def _locked_record(record: EmploymentRecord, expected_version: int) -> tuple[Laborer, EmploymentRecord]:
    laborer = lock_laborer(record.laborer_id)
    locked = EmploymentRecord.objects.select_for_update().get(pk=record.pk)
    if locked.version != expected_version:
        raise ConflictError
    return laborer, locked


@transaction.atomic
def employment_record_update(
    *,
    acting_user: Any,
    record: EmploymentRecord,
    data: EmploymentData,
    expected_version: int,
    confirm_warnings: bool = False,
) -> EmploymentRecord:
    """Change a record the caller fetched through access_employment_record (cap REGISTRY_EDIT)."""
    require_cap(acting_user, Cap.REGISTRY_EDIT)
    require_region_in_scope(acting_user, record.region_id)
    laborer, locked = _locked_record(record, expected_version)
    was_open = locked.end_date is None
    before = snapshot(locked, RECORD_FIELDS)
    issues = Issues()
    _apply(locked, laborer=laborer, data=data, issues=issues)
    if not issues.has_errors:
        others = other_periods(laborer.pk, exclude_pk=locked.pk)
        issues.merge(record_issues(laborer=laborer, record=locked, others=others, today=timezone.localdate()))
    _finish(issues, confirm_warnings=confirm_warnings)
    changes = diff(before, snapshot(locked, RECORD_FIELDS))
    if not changes:
        return locked
    locked.warnings = issues.warnings
    locked.version += 1
    locked.full_clean(validate_constraints=False)
    locked.save()
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        region_code=locked.region_id,
        changes=changes,
    )
    touched_open = was_open or locked.end_date is None
    _sync_laborer(acting_user=acting_user, laborer=laborer, record=locked, touched_open=touched_open)
    ended = {locked.pk} if was_open and locked.end_date is not None else set()
    employment_changed.send(
        sender=EmploymentRecord, records=[locked], created=set(), ended=ended, acting_user=acting_user
    )
    return locked


@transaction.atomic
def employment_record_end(
    *,
    acting_user: Any,
    record: EmploymentRecord,
    end_date: date | None,
    end_reason: str,
    expected_version: int,
) -> EmploymentRecord:
    """End an ongoing job (离岗). The laborer becomes 未就业 unless another record is ongoing."""
    require_cap(acting_user, Cap.REGISTRY_EDIT)
    require_region_in_scope(acting_user, record.region_id)
    laborer, locked = _locked_record(record, expected_version)
    issues = Issues()
    if locked.end_date is not None:
        issues.error("end_date", ALREADY_ENDED)
    issues.merge(end_fields_issues(end_date=end_date, end_reason=end_reason))
    if not issues.has_errors:
        assert end_date is not None
        issues.merge(
            v.check_dates(start_date=locked.start_date, end_date=end_date, birth_date=None, today=timezone.localdate())
        )
    issues.raise_if_errors()
    assert end_date is not None
    record_close(
        acting_user=acting_user,
        laborer=laborer,
        record=locked,
        end_date=end_date,
        end_reason=end_reason,
        reason="结束就业",
    )
    return locked
