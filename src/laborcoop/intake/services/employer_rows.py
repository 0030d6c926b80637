"""What the ENTERPRISES and JOBS importers share.

A row becomes the employers form's data (only the columns the file has; the others keep their stored values),
is checked by the employers service's own validation (`enterprise_validate`, `job_validate`: a row passes
exactly when the form would), and is planned against the stored object as create, update (only the fields
that differ) or unchanged. Plans are written in bulk inside the runner's chunk transaction, or each in its
own savepoint after a failed chunk (`per_row=True`), with one audit row per created or changed object.

Audit rows carry the values like the service's (created: every field; updated: old -> new of the changed
fields; contact phones masked) and name the job's file and row as the reason ("导入：企业.xlsx 第 3 行").
"""

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from django.db import DatabaseError, models, transaction
from django.utils import timezone

from laborcoop.core.audit import diff, snapshot
from laborcoop.core.models import AuditEntry
from laborcoop.core.text import clean_text, map_choice
from laborcoop.core.validation.issues import Issues
from laborcoop.intake import normalize
from laborcoop.intake.columns import Column
from laborcoop.intake.services.common import (
    CODE_NOT_IN_LIST,
    SAVE_FAILED,
    VALUE_TOO_LONG,
    ChunkOutcome,
    Importer,
    ParsedRow,
    RowReporter,
)
from laborcoop.intake.services.region_text import RegionText

logger = logging.getLogger(__name__)

NOT_A_WHOLE_NUMBER = "{label}“{value}”不是整数"
NOT_A_DATE = "{label}“{value}”不是有效日期，请写作 2025-05-01 等形式"
NOT_YES_NO = "{label}“{value}”无法识别，请填写“是”或“否”"

CREATE, UPDATE = "create", "update"
_CREATED, _UPDATED = AuditEntry.Action.CREATE.value, AuditEntry.Action.UPDATE.value


@dataclass
class Parsed(ParsedRow):
    data: dict[str, Any] = field(default_factory=dict)  # form field -> value, from the row's present columns
    columns: dict[str, str] = field(default_factory=dict)  # form field -> column key, where they differ


@dataclass
class Plan:
    parsed: Parsed
    obj: Any
    action: str | None = None  # CREATE / UPDATE / None (unchanged)
    before: dict[str, Any] = field(default_factory=dict)  # audited values of the changed fields
    fields: list[str] = field(default_factory=list)  # model field names to write on UPDATE


class UpsertImporter(Importer):
    """Row parsing helpers, file-wide duplicate keys, planning, writing and counting for one model."""

    model: ClassVar[type[models.Model]]
    columns: ClassVar[Sequence[Column]]
    audited: ClassVar[Sequence[str]]  # model field names written to audit rows
    twice_in_file: ClassVar[str]  # message for a row whose key an earlier row has: "... 第 {row} 行 ..."

    def __init__(self, *, job: Any, user: Any, mapping: Any, headers: list[str]) -> None:
        super().__init__(job=job, user=user, mapping=mapping, headers=headers)
        self.reporter = RowReporter(job=job, columns=self.columns, mapping=mapping, headers=headers)
        self.index = dict(mapping.by_key)
        self.labels = {column.key: column.label for column in self.columns}
        self.regions = RegionText(user)
        self.today = timezone.localdate()
        self.reason_prefix = f"导入：{job.original_name[:200]}"
        self._seen: dict[str, int] = {}
        self._pending_seen: dict[str, int] = {}
        self._by_attname = {f.attname: f.name for f in self.model._meta.concrete_fields}

    # --- file-wide state --------------------------------------------------------------------------------

    def chunk_committed(self) -> None:
        self._seen.update(self._pending_seen)
        self._pending_seen = {}

    def chunk_rolled_back(self) -> None:
        self._pending_seen = {}

    def first_in_file(self, p: Parsed, key: str, column: str) -> bool:
        """Whether no earlier accepted row of the file has this natural key; a repeat is rejected."""
        first = self._seen.get(key) or self._pending_seen.get(key)
        if first is not None:
            p.error(column, self.twice_in_file.format(row=first))
            return False
        self._pending_seen[key] = p.row
        return True

    # --- cells ------------------------------------------------------------------------------------------

    def has(self, key: str) -> bool:
        return key in self.index

    def cell(self, cells: list[str], key: str) -> str:
        i = self.index.get(key)
        return (cells[i] or "") if i is not None and i < len(cells) else ""

    def text(self, p: Parsed, key: str, name: str | None = None) -> None:
        if self.has(key):
            p.data[name or key] = clean_text(self.cell(p.cells, key))

    def choice(self, p: Parsed, key: str, choices: Any, *, blank: frozenset[str] = frozenset()) -> None:
        """A code-list value given as code or label; a value outside the list rejects the row. Blank (and the
        words in `blank`, such as 不限) give "", which the service treats as the form's empty choice."""
        if not self.has(key):
            return
        text = clean_text(self.cell(p.cells, key))
        if not text or text in blank:
            p.data[key] = ""
            return
        code = map_choice(text, choices)
        if code is None:
            p.error(key, CODE_NOT_IN_LIST.format(label=self.labels[key], value=text))
        p.data[key] = code or ""

    def flag(self, p: Parsed, key: str) -> None:
        """是/否 (blank counts as 否, like an unticked box on the form); anything else rejects the row."""
        if not self.has(key):
            return
        text = clean_text(self.cell(p.cells, key))
        value = normalize.parse_bool(text) if text else False
        if value is None:
            p.error(key, NOT_YES_NO.format(label=self.labels[key], value=text))
        p.data[key] = bool(value)

    def integer(self, p: Parsed, key: str) -> None:
        if not self.has(key):
            return
        text = clean_text(self.cell(p.cells, key))
        value = normalize.parse_int(text) if text else None
        if text and value is None:
            p.error(key, NOT_A_WHOLE_NUMBER.format(label=self.labels[key], value=text))
        p.data[key] = value

    def day(self, p: Parsed, key: str) -> date | None:
        if not self.has(key):
            return None
        text = clean_text(self.cell(p.cells, key))
        value = normalize.parse_date(text) if text else None
        if text and value is None:
            p.error(key, NOT_A_DATE.format(label=self.labels[key], value=text))
        p.data[key] = value
        return value

    def region(self, p: Parsed, keys: Sequence[str], name: str) -> None:
        """The form's region code field `name` from the first of `keys` (code or names) with a value."""
        present = [key for key in keys if self.has(key)]
        if not present:
            return
        for key in present:
            text = self.cell(p.cells, key)
            if text.strip():
                p.columns[name] = key
                pick = self.regions.resolve(text)
                if pick.error:
                    p.error(key, pick.error)
                p.data[name] = pick.code
                return
        p.columns[name] = present[0]
        p.data[name] = ""

    # --- validation -------------------------------------------------------------------------------------

    def take_issues(self, p: Parsed, issues: Issues) -> None:
        """The service's issues (keyed by form field) as the row's issues (keyed by column)."""
        for name, messages in issues.errors.items():
            for msg in messages:
                p.error(p.columns.get(name, name), msg)
        for name, messages in issues.warnings.items():
            for msg in messages:
                p.warn(p.columns.get(name, name), msg)

    def check_lengths(self, p: Parsed, values: Mapping[str, Any]) -> None:
        """Text longer than its column: the form would refuse it in full_clean; say so in the column's words."""
        for name, value in values.items():
            model_field = self.model._meta.get_field(self._by_attname.get(name, name))
            limit = getattr(model_field, "max_length", None)
            if isinstance(value, str) and limit and len(value) > limit:
                key = p.columns.get(name, name)
                p.error(
                    key,
                    VALUE_TOO_LONG.format(
                        label=self.labels.get(key, str(getattr(model_field, "verbose_name", name))), limit=limit
                    ),
                )

    # --- planning ---------------------------------------------------------------------------------------

    def plan(self, p: Parsed, current: Any, values: Mapping[str, Any]) -> Plan:
        """Create, update only what differs, or nothing; `values` are attname -> value."""
        if current is None:
            return Plan(parsed=p, obj=self.model(**values), action=CREATE)
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        if not changed:
            return Plan(parsed=p, obj=current)
        names = [self._by_attname.get(name, name) for name in changed]
        before = snapshot(current, [name for name in names if name in self.audited])
        for name in changed:
            setattr(current, name, values[name])
        current.version += 1
        current.updated_at = timezone.now()
        return Plan(parsed=p, obj=current, action=UPDATE, before=before, fields=[*names, "version", "updated_at"])

    # --- writing ----------------------------------------------------------------------------------------

    def after_write(self, plans: list[Plan]) -> None:
        """Writes that follow from the plans (an enterprise that moved takes its jobs along)."""

    def _audit(self, plan: Plan) -> AuditEntry:
        obj = plan.obj
        if plan.action == CREATE:
            action, changes = _CREATED, diff({}, snapshot(obj, self.audited))
        else:
            action, changes = _UPDATED, diff(plan.before, snapshot(obj, list(plan.before)))
        return AuditEntry(
            actor_id=self.user.pk,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            region_code=obj.region_id,
            changes=changes,
            reason=f"{self.reason_prefix} 第 {plan.parsed.row} 行",
        )

    def _write_bulk(self, plans: list[Plan]) -> None:
        created = [plan for plan in plans if plan.action == CREATE]
        updated = [plan for plan in plans if plan.action == UPDATE]
        self.model._default_manager.bulk_create([plan.obj for plan in created])
        if updated:
            fields = sorted({name for plan in updated for name in plan.fields})
            self.model._default_manager.bulk_update([plan.obj for plan in updated], fields, batch_size=500)
        self.after_write(updated)
        AuditEntry.objects.bulk_create([self._audit(plan) for plan in [*created, *updated]])

    def write(self, plans: list[Plan], *, per_row: bool) -> list[Plan]:
        """Write the plans; returns those written. Per row, a row the database refuses is rejected alone."""
        if not per_row:
            self._write_bulk(plans)
            return plans
        written = []
        for plan in plans:
            try:
                with transaction.atomic():
                    self._write_bulk([plan])
            except DatabaseError as exc:
                logger.warning("import job %s row %s not saved: %s", self.job.pk, plan.parsed.row, type(exc).__name__)
                if plan.action == CREATE:
                    plan.obj.pk = None
                    plan.obj._state.adding = True
                plan.parsed.error("", SAVE_FAILED)
                continue
            written.append(plan)
        return written

    def outcome(self, parsed: list[Parsed], written: list[Plan]) -> ChunkOutcome:
        outcome = ChunkOutcome()
        by_row = {id(plan.parsed): plan for plan in written}
        for p in parsed:
            plan = by_row.get(id(p))
            if p.rejected or plan is None:
                outcome.rejected += 1
            elif plan.action == CREATE:
                outcome.created += 1
            elif plan.action == UPDATE:
                outcome.updated += 1
            else:
                outcome.unchanged += 1
            if not p.rejected and plan is not None and p.has_warnings:
                outcome.warned += 1
            if p.issues:
                outcome.issues.extend(self.reporter.issues(p.row, p.cells, p.issues))
        return outcome
