"""Wage months (工资发放): upserts keyed by (record, month), one month or a batch in one transaction."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from laborcoop.core.audit import diff, snapshot
from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.issues import Issues
from laborcoop.employment.lines import rules as r
from laborcoop.employment.lines.common import (
    NOTHING_TO_SAVE,
    RECORD_NOT_FOUND,
    ItemsInvalid,
    ItemsNeedConfirmation,
    LinesOutcome,
    WageEntry,
    audit_rows,
    finish,
    line_delete,
    locked_records,
    refresh_states,
    require_line_writer,
    source_of,
)
from laborcoop.employment.models import EmploymentRecord, WageMonth
from laborcoop.registry.services import NeedsConfirmation

WAGE_TWICE = "与第 {n} 项重复（同一就业记录、同一月份）"
WAGE_FIELDS = ["record", "laborer", "region", "month", "amount", "paid_on", "source"]


@transaction.atomic
def wage_months_record(
    *,
    acting_user: Any,
    entries: Sequence[WageEntry],
    source: str | None = None,
    confirm_warnings: bool = False,
    reason: str = "",
) -> LinesOutcome:
    """Record wage months (one, or a batch such as an enterprise's payroll of one month) as one transaction.

    Raises ItemsInvalid (nothing saved) when an entry breaks a rule or names a record the user may not
    write, ItemsNeedConfirmation when valid entries have unconfirmed warnings."""
    require_line_writer(acting_user)
    if not entries:
        raise ValidationError({"items": [NOTHING_TO_SAVE]})
    today = timezone.localdate()
    records = locked_records(acting_user, (e.record_id for e in entries))
    errors: dict[int, Issues] = {}
    warnings: dict[int, dict[str, list[str]]] = {}
    first: dict[tuple[int, date], int] = {}
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
        issues.merge(r.check_amount(entry.amount))
        issues.merge(r.check_paid_on(paid_on=entry.paid_on, month=month, today=today))
        if month is not None:
            seen = first.setdefault((entry.record_id, month), index)
            if seen != index:
                issues.error("month", WAGE_TWICE.format(n=seen + 1))
        errors[index] = issues
        if issues.has_warnings:
            warnings[index] = issues.warnings
    finish(errors, warnings, confirm_warnings)

    source = source or source_of(acting_user)
    months = {r.month_start(e.month) for e in entries if e.month}
    stored = {
        (w.record_id, w.month): w for w in WageMonth.objects.filter(record_id__in=list(records), month__in=months)
    }
    outcome = LinesOutcome(warnings=warnings)
    audits: list[tuple[str, Any, dict[str, Any]]] = []
    new_rows: list[WageMonth] = []
    now = timezone.now()
    for entry in entries:
        record = records[entry.record_id]
        assert entry.month is not None
        assert entry.amount is not None
        month = r.month_start(entry.month)
        current = stored.get((record.pk, month))
        if current is None:
            row = WageMonth(
                record=record,
                laborer_id=record.laborer_id,
                region_id=record.region_id,
                month=month,
                amount=entry.amount,
                paid_on=entry.paid_on,
                source=source,
            )
            new_rows.append(row)
            outcome.rows.append(row)
            outcome.created += 1
            outcome.laborer_ids.add(record.laborer_id)
            continue
        before = snapshot(current, WAGE_FIELDS)
        current.amount = entry.amount
        if entry.paid_on is not None:
            current.paid_on = entry.paid_on
        changes = diff(before, snapshot(current, WAGE_FIELDS))
        outcome.rows.append(current)
        if not changes:
            outcome.unchanged += 1
            continue
        current.source = source
        current.updated_at = now
        current.save(update_fields=["amount", "paid_on", "source", "updated_at"])
        audits.append((AuditEntry.Action.UPDATE, current, diff(before, snapshot(current, WAGE_FIELDS))))
        outcome.updated += 1
        outcome.laborer_ids.add(record.laborer_id)
    WageMonth.objects.bulk_create(new_rows, batch_size=500)
    audits += [(AuditEntry.Action.CREATE, row, diff({}, snapshot(row, WAGE_FIELDS))) for row in new_rows]
    audit_rows(acting_user, audits, reason)
    refresh_states(outcome.laborer_ids)
    return outcome


def wage_month_record(
    *,
    acting_user: Any,
    record: EmploymentRecord,
    month: date | None,
    amount: int | None,
    paid_on: date | None = None,
    confirm_warnings: bool = False,
) -> WageMonth:
    """One wage month of a record the caller fetched through access_line_record(write=True). Raises
    ValidationError (field messages) or registry's NeedsConfirmation (warnings), like the record services."""
    entry = WageEntry(record_id=record.pk, month=month, amount=amount, paid_on=paid_on)
    try:
        outcome = wage_months_record(acting_user=acting_user, entries=[entry], confirm_warnings=confirm_warnings)
    except ItemsInvalid as exc:
        raise ValidationError(exc.item_errors[0]) from exc
    except ItemsNeedConfirmation as exc:
        raise NeedsConfirmation(Issues(warnings=exc.item_warnings[0])) from exc
    row: WageMonth = outcome.rows[0]
    return row


@transaction.atomic
def wage_month_delete(*, acting_user: Any, wage: WageMonth) -> None:
    """Delete a wage month entered by mistake (staff of the home region only; audited)."""
    line_delete(acting_user=acting_user, line=wage, fields=WAGE_FIELDS)


# --- insurance ---------------------------------------------------------------------------------------------
