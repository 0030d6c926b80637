"""Insurance months (参保缴费): upserts keyed by (laborer, month, 险种), from records (staff, enterprises) or from
an accepted 人社 社保参保 list (tied to the record covering the month when there is one)."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from laborcoop.accounts.access import require_cap
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.audit import diff, snapshot
from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.issues import Issues
from laborcoop.employment import choices as c
from laborcoop.employment.lines import rules as r
from laborcoop.employment.lines.common import (
    NOTHING_TO_SAVE,
    RECORD_NOT_FOUND,
    InsuranceEntry,
    LinesOutcome,
    audit_rows,
    finish,
    line_delete,
    locked_records,
    refresh_states,
    require_line_writer,
    source_of,
)
from laborcoop.employment.models import EmploymentRecord, InsuranceMonth
from laborcoop.registry.models import Laborer

INSURANCE_TWICE = "与第 {n} 项重复（同一人员、同一月份、同一险种）"
INSURANCE_FIELDS = ["record", "laborer", "region", "month", "insurance_type", "source"]


def _laborer_id(owner: Laborer | EmploymentRecord) -> int:
    return owner.laborer_id if isinstance(owner, EmploymentRecord) else owner.pk


def _insurance_write(
    *,
    acting_user: Any,
    items: list[tuple[Laborer | EmploymentRecord, date, str]],
    source: str,
    reason: str,
) -> LinesOutcome:
    """Upsert checked insurance months. Each item is (record, month, type) or (laborer, month, type) for a
    month not tied to a job. A stored month keeps its record unless it had none."""
    outcome = LinesOutcome()
    stored = {
        (m.laborer_id, m.month, m.insurance_type): m
        for m in InsuranceMonth.objects.filter(
            laborer_id__in={_laborer_id(owner) for owner, _, _ in items}, month__in={month for _, month, _ in items}
        )
    }
    audits: list[tuple[str, Any, dict[str, Any]]] = []
    new_rows: list[InsuranceMonth] = []
    now = timezone.now()
    for owner, month, insurance_type in items:
        record = owner if isinstance(owner, EmploymentRecord) else None
        laborer_id = _laborer_id(owner)
        key = (laborer_id, month, insurance_type)
        current = stored.get(key)
        if current is None:
            row = InsuranceMonth(
                laborer_id=laborer_id,
                record=record,
                region_id=owner.region_id,
                month=month,
                insurance_type=insurance_type,
                source=source,
            )
            stored[key] = row
            new_rows.append(row)
            outcome.rows.append(row)
            outcome.created += 1
            outcome.laborer_ids.add(laborer_id)
            continue
        outcome.rows.append(current)
        if record is None or current.record_id is not None:
            outcome.unchanged += 1
            continue
        before = snapshot(current, INSURANCE_FIELDS)
        current.record = record
        current.updated_at = now
        current.save(update_fields=["record", "updated_at"])
        audits.append((AuditEntry.Action.UPDATE, current, diff(before, snapshot(current, INSURANCE_FIELDS))))
        outcome.updated += 1
        outcome.laborer_ids.add(laborer_id)
    InsuranceMonth.objects.bulk_create(new_rows, batch_size=500)
    audits += [(AuditEntry.Action.CREATE, row, diff({}, snapshot(row, INSURANCE_FIELDS))) for row in new_rows]
    audit_rows(acting_user, audits, reason)
    refresh_states(outcome.laborer_ids)
    return outcome


@transaction.atomic
def insurance_months_record(
    *,
    acting_user: Any,
    entries: Sequence[InsuranceEntry],
    source: str | None = None,
    reason: str = "",
) -> LinesOutcome:
    """Record insurance months of records (one or a batch) as one transaction; ItemsInvalid when an entry
    breaks a rule (nothing saved). Recording a month again changes nothing."""
    require_line_writer(acting_user)
    if not entries:
        raise ValidationError({"items": [NOTHING_TO_SAVE]})
    today = timezone.localdate()
    records = locked_records(acting_user, (e.record_id for e in entries))
    errors: dict[int, Issues] = {}
    first: dict[tuple[int, date, str], int] = {}
    for index, entry in enumerate(entries):
        issues = Issues()
        record = records.get(entry.record_id)
        month = r.month_start(entry.month) if entry.month else None
        if record is None:
            issues.error("record", RECORD_NOT_FOUND)
        else:
            issues.merge(
                r.check_month(month=month, start_date=record.start_date, end_date=record.end_date, today=today)
            )
        issues.merge(r.check_insurance_type(entry.insurance_type))
        if record is not None and month is not None:
            seen = first.setdefault((record.laborer_id, month, entry.insurance_type), index)
            if seen != index:
                issues.error("insurance_type", INSURANCE_TWICE.format(n=seen + 1))
        errors[index] = issues
    finish(errors, {}, True)
    items: list[tuple[Laborer | EmploymentRecord, date, str]] = []
    for entry in entries:
        assert entry.month is not None
        items.append((records[entry.record_id], r.month_start(entry.month), entry.insurance_type))
    return _insurance_write(
        acting_user=acting_user, items=items, source=source or source_of(acting_user), reason=reason
    )


@transaction.atomic
def insurance_months_record_linked(
    *, acting_user: Any, laborer: Laborer, month: date, insurance_types: Sequence[str], reason: str
) -> LinesOutcome:
    """Insurance months stated by a 人社 社保参保 list that staff accepted (source 社保数据比对), for a laborer
    the caller fetched through access_laborer(cap=REGISTRY_EDIT). The month is tied to the laborer's record
    covering it when there is one; a list may show insurance the registry has no job for."""
    require_cap(acting_user, Cap.REGISTRY_EDIT)
    month = r.month_start(month)
    issues = Issues()
    if month > r.month_start(timezone.localdate()):
        issues.error("month", r.MONTH_IN_FUTURE.format(month=r.month_label(month)))
    for value in insurance_types:
        issues.merge(r.check_insurance_type(value))
    issues.raise_if_errors()
    locked = Laborer.objects.select_for_update().get(pk=laborer.pk)
    covering = (
        EmploymentRecord.objects.filter(laborer_id=locked.pk, start_date__lt=_next_month(month))
        .exclude(end_date__lt=month)
        .order_by("-start_date")
        .first()
    )
    owner: Laborer | EmploymentRecord = covering if covering is not None else locked
    items = [(owner, month, value) for value in dict.fromkeys(insurance_types)]
    return _insurance_write(acting_user=acting_user, items=items, source=c.LineSource.LINKAGE, reason=reason)


def _next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


@transaction.atomic
def insurance_month_delete(*, acting_user: Any, insurance: InsuranceMonth) -> None:
    """Delete an insurance month entered by mistake (staff of the home region only; audited)."""
    line_delete(acting_user=acting_user, line=insurance, fields=INSURANCE_FIELDS)
