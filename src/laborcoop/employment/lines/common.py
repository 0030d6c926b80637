"""What the wage and insurance services share: entries, outcomes, batch errors, locks, audit, the signal
(employment.signals.employment_states_stale: tracking recomputes the derived status)."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Subquery

from laborcoop.accounts.access import is_enterprise_user, require_cap, require_region_in_scope
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.audit import audit_record, diff, snapshot
from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.issues import Issues
from laborcoop.employment import choices as c
from laborcoop.employment.lines.access import line_records_for
from laborcoop.employment.models import EmploymentRecord, EmploymentState, InsuranceMonth, WageMonth
from laborcoop.employment.signals import employment_states_stale
from laborcoop.registry.models import Laborer

RECORD_NOT_FOUND = "就业记录不存在或不在您的管辖范围内"
ITEM_MESSAGE = "第 {n} 项：{message}"
NOTHING_TO_SAVE = "没有要保存的内容"


@dataclass(frozen=True)
class WageEntry:
    record_id: int
    month: date | None
    amount: int | None
    paid_on: date | None = None  # None keeps a stored date


@dataclass(frozen=True)
class InsuranceEntry:
    record_id: int
    month: date | None
    insurance_type: str


@dataclass
class LinesOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: list[Any] = field(default_factory=list)  # the stored row of each entry, in entry order
    warnings: dict[int, dict[str, list[str]]] = field(default_factory=dict)  # entry index -> field -> messages
    laborer_ids: set[int] = field(default_factory=set)


class ItemsInvalid(ValidationError):
    """Some entries break a rule; nothing was saved. `item_errors`: entry index -> field -> messages. As a
    ValidationError it carries every message under "items", prefixed with the entry's number."""

    def __init__(self, item_errors: dict[int, dict[str, list[str]]]) -> None:
        self.item_errors = item_errors
        messages = [
            ITEM_MESSAGE.format(n=index + 1, message=message)
            for index, errors in sorted(item_errors.items())
            for field_messages in errors.values()
            for message in field_messages
        ]
        super().__init__({"items": messages})


class ItemsNeedConfirmation(Exception):
    """Every entry is valid but some have warnings the caller has not confirmed; nothing was saved."""

    def __init__(self, item_warnings: dict[int, dict[str, list[str]]]) -> None:
        super().__init__("warnings need confirmation")
        self.item_warnings = item_warnings


# --- the derived status ------------------------------------------------------------------------------------


# Laborer ids whose refresh is deferred to the end of a `states_refresh_deferred` block (None: refresh now).
_deferred: ContextVar[set[int] | None] = ContextVar("lines_deferred_refresh", default=None)


def refresh_states(laborer_ids: Iterable[int]) -> None:
    """Have the derived employment status of these laborers recomputed inside the caller's transaction: sends
    `employment_states_stale` (employment.signals), now or at the end of a `states_refresh_deferred` block."""
    pending = _deferred.get()
    if pending is not None:
        pending.update(laborer_ids)
        return
    ids = sorted(set(laborer_ids))
    if ids:
        employment_states_stale.send(sender=EmploymentState, laborer_ids=ids)


@contextmanager
def states_refresh_deferred() -> Iterator[None]:
    """Refresh the derived status once for every laborer written in the block, at its end (an import chunk:
    one refresh instead of one per row). Use it inside the writing transaction; nothing is refreshed when
    the block raises, as the transaction is then rolled back."""
    token = _deferred.set(set())
    try:
        yield
        ids = _deferred.get() or set()
    finally:
        _deferred.reset(token)
    refresh_states(ids)


# --- shared pieces -----------------------------------------------------------------------------------------


def source_of(acting_user: Any) -> str:
    return c.LineSource.ENTERPRISE if is_enterprise_user(acting_user) else c.LineSource.OFFICER


def locked_records(acting_user: Any, record_ids: Iterable[int]) -> dict[int, EmploymentRecord]:
    """The records among `record_ids` that the user may write the lines of, with their laborers, locked."""
    ids = sorted({pk for pk in record_ids if isinstance(pk, int)})
    if not ids:
        return {}
    allowed = line_records_for(acting_user, write=True).filter(pk__in=ids)
    laborers = Laborer.objects.filter(pk__in=Subquery(allowed.values("laborer_id")))
    list(laborers.select_for_update().order_by("pk").values_list("pk", flat=True))
    records = allowed.select_for_update().order_by("pk")
    return {record.pk: record for record in records}


def finish(errors: dict[int, Issues], warnings: dict[int, dict[str, list[str]]], confirm: bool) -> None:
    failed = {i: issues.errors for i, issues in errors.items() if issues.has_errors}
    if failed:
        raise ItemsInvalid(failed)
    if warnings and not confirm:
        raise ItemsNeedConfirmation(warnings)


def audit_rows(acting_user: Any, rows: list[tuple[str, Any, dict[str, Any]]], reason: str) -> None:
    actor_id = acting_user.pk if acting_user is not None and acting_user.is_authenticated else None
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor_id=actor_id,
                action=action,
                object_type=row._meta.label_lower,
                object_id=str(row.pk),
                object_repr=str(row)[:200],
                region_code=row.region_id,
                changes=changes,
                reason=reason[:500],
            )
            for action, row, changes in rows
        ],
        batch_size=500,
    )


def require_line_writer(acting_user: Any) -> None:
    require_cap(acting_user, Cap.EMPLOYERS_EDIT if is_enterprise_user(acting_user) else Cap.REGISTRY_EDIT)


def require_staff_of(acting_user: Any, region_code: str) -> None:
    """Deleting a month is a correction by staff of the laborer's home region (enterprise roles lack the
    registry capability: they correct a wage by recording the month again)."""
    require_cap(acting_user, Cap.REGISTRY_EDIT)
    require_region_in_scope(acting_user, region_code)


def line_delete(*, acting_user: Any, line: WageMonth | InsuranceMonth, fields: list[str]) -> None:
    """Delete a wage or insurance month entered by mistake (staff of the home region only; audited with the
    `fields` snapshot). Call inside transaction.atomic; a row already gone is nothing to do."""
    require_staff_of(acting_user, line.region_id)
    model = type(line)
    locked = model.objects.select_for_update().filter(pk=line.pk).first()
    if locked is None:
        return
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.DELETE,
        instance=locked,
        region_code=locked.region_id,
        changes=diff(snapshot(locked, fields), {}),
    )
    laborer_id = locked.laborer_id
    locked.delete()
    refresh_states({laborer_id})
