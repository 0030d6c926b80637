"""WORK import: the 已外出务工 sheet as employment records, upserted by (laborer, 开始时间).

The person must already be registered (found by the ID number's keyed hash) and lie in the uploader's scope;
the sheet's 县/乡/村 and 户编号 are not used to find anyone. Every row goes through the rules of
employment.records.validation that the services apply (age, wage, channel vs 务工地域, overlap with the person's
other records, dates), plus the sheet's own contradiction: 是否已务工=否 with an open end date.

Per chunk: parse every row, fetch the chunk's laborers (locked) and their records in two queries, plan each
row in file order against the records already stored and those planned before it, write new records with one
INSERT and changed ones with one UPDATE, one audit row per created or changed record, then bring the
laborers' employment summary (status, employer, 务工地域) in line through the registry service. An identical
row writes nothing. A row with 是否已务工=否 and no 开始时间 has no job to record: it counts as unchanged.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import DatabaseError, transaction
from django.utils import timezone

from laborcoop.accounts.access import region_code_in_scope
from laborcoop.core.audit import diff, snapshot
from laborcoop.core.models import AuditEntry
from laborcoop.core.text import clean_text, map_choice
from laborcoop.core.validation.idcard import parse_id_number
from laborcoop.employers.choices import Industry
from laborcoop.employment import choices as ec
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records import validation as v
from laborcoop.employment.records.counties import CountyResolver
from laborcoop.employment.records.services import RECORD_FIELDS, record_issues, summary_for
from laborcoop.employment.signals import employment_changed
from laborcoop.intake import normalize
from laborcoop.intake.columns import WORK_COLUMNS, ImportKind
from laborcoop.intake.services.common import (
    CODE_NOT_IN_LIST,
    SAVE_FAILED,
    VALUE_REQUIRED,
    VALUE_TOO_LONG,
    ChunkOutcome,
    Importer,
    ParsedRow,
    Row,
    RowReporter,
)
from laborcoop.regions.selectors import address_code_status
from laborcoop.registry.identity import id_number_hash
from laborcoop.registry.models import Laborer
from laborcoop.registry.services import EmploymentSummary, laborers_set_employment_summary

logger = logging.getLogger(__name__)

NOT_REGISTERED = "人员不在库中，请先导入家庭与人员"
OUT_OF_SCOPE = "该人员不在您的管辖范围内"
NAME_DIFFERS = "姓名与人员库不一致，请核对（已按证件号码匹配）"
IS_WORKING_INVALID = "是否已务工应填写“是”或“否”"
UNREADABLE = "{label}“{value}”无法识别"
NOT_A_NUMBER = "{label}“{value}”应为不小于 0 的整数"
UNREADABLE_IGNORED = "{label}“{value}”无法识别，未导入"
TWICE_IN_FILE = "与第 {row} 行重复（同一人员、同一开始时间）"
STILL_WORKING_IN_REGISTRY = "本行“是否已务工”为“否”，但该人员仍有在岗就业记录（{start} 起），请结束该记录"

_LABEL = {column.key: column.label for column in WORK_COLUMNS}
# Validation / service field names -> the column holding the value.
_FIELD_COLUMN = {
    "start_date": "start_date",
    "end_date": "end_date",
    "monthly_wage": "monthly_income",
    "channel": "channel",
    "work_county": "work_county",
    "employer_name": "employer_name",
    "industry": "industry",
    "point_to_point": "point_to_point",
}
# Column -> record field, for the columns that carry one value each.
_COLUMN_FIELD = {
    "end_date": "end_date",
    "monthly_income": "monthly_wage",
    "employer_name": "employer_name",
    "industry": "industry",
    "channel": "channel",
    "point_to_point": "point_to_point",
    "transport_subsidy": "transport_subsidy",
}
_EMPLOYER_LIMIT = 100
_CREATE, _UPDATE = "create", "update"
# Bookkeeping fields: a row that differs only in these is unchanged.
_NOT_COMPARED = frozenset(["id", "created_at", "updated_at", "version", "source", "warnings"])


@dataclass
class Parsed(ParsedRow):
    id_hash: str = ""
    name: str = ""
    is_working: bool | None = None
    start_date: date | None = None
    values: dict[str, Any] = field(default_factory=dict)  # record field -> value (present columns)


@dataclass
class Plan:
    parsed: Parsed
    laborer: Laborer
    record: EmploymentRecord
    action: str | None = None  # create / update / None (unchanged)
    before: dict[str, Any] = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)
    was_open: bool = False


class WorkImporter(Importer):
    kind = ImportKind.WORK

    def __init__(self, *, job: Any, user: Any, mapping: Any, headers: list[str]) -> None:
        super().__init__(job=job, user=user, mapping=mapping, headers=headers)
        self.reporter = RowReporter(job=job, columns=WORK_COLUMNS, mapping=mapping, headers=headers)
        self.index = dict(mapping.by_key)
        self.today = timezone.localdate()
        self.counties = CountyResolver()
        self.reason_prefix = f"导入：{job.original_name[:200]}"
        self._seen: dict[tuple[str, date], int] = {}
        self._pending_seen: dict[tuple[str, date], int] = {}

    # --- file-wide state --------------------------------------------------------------------------------

    def group_key(self, cells: list[str]) -> str:
        # One person's rows stay in one chunk (their periods are checked against each other).
        return self._cell(cells, "id_number").strip()

    def chunk_committed(self) -> None:
        self._seen.update(self._pending_seen)
        self._pending_seen = {}

    def chunk_rolled_back(self) -> None:
        self._pending_seen = {}

    # --- parsing one row --------------------------------------------------------------------------------

    def _cell(self, cells: list[str], key: str) -> str:
        i = self.index.get(key)
        return (cells[i] or "") if i is not None and i < len(cells) else ""

    def _date(self, p: Parsed, key: str) -> date | None:
        text = clean_text(self._cell(p.cells, key))
        if not text:
            return None
        value = normalize.parse_date(text)
        if value is None:
            p.error(key, UNREADABLE.format(label=_LABEL[key], value=text))
        return value

    def _count(self, p: Parsed, key: str) -> int | None:
        text = clean_text(self._cell(p.cells, key))
        if not text:
            return None
        value = normalize.parse_int(text)
        if value is None or value < 0:
            p.error(key, NOT_A_NUMBER.format(label=_LABEL[key], value=text))
            return None
        return value

    def parse(self, row: int, cells: list[str]) -> Parsed:
        p = Parsed(row=row, cells=cells)
        has = self.index.__contains__

        parsed_id = parse_id_number(self._cell(cells, "id_number"), address_status=address_code_status, on=self.today)
        for messages in parsed_id.issues.errors.values():
            for msg in messages:
                p.error("id_number", msg)
        if parsed_id.ok:
            p.id_hash = id_number_hash(parsed_id.normalized)
        p.name = normalize.clean_name(self._cell(cells, "name"))

        is_working_text = clean_text(self._cell(cells, "is_working"))
        p.is_working = normalize.parse_bool(is_working_text)
        if p.is_working is None:
            p.error("is_working", IS_WORKING_INVALID)

        p.start_date = self._date(p, "start_date")
        end_date = self._date(p, "end_date")
        if p.start_date is None:
            # 否 without dates: no job to record. 是, or an end without a start: the start is missing.
            if p.is_working or end_date is not None:
                p.error("start_date", VALUE_REQUIRED.format(label=_LABEL["start_date"]))
            return p
        for msg in v.check_is_working(is_working=p.is_working, end_date=end_date).errors.get("end_date", []):
            p.error("end_date", msg)

        values = p.values
        if has("end_date"):
            values["end_date"] = end_date
        county = self.counties.resolve(clean_text(self._cell(cells, "work_county")))
        if county.error:
            p.error("work_county", county.error)
        else:
            values["work_region_id"] = county.code
        if has("monthly_income"):
            values["monthly_wage"] = self._count(p, "monthly_income")
        if has("transport_subsidy"):
            values["transport_subsidy"] = self._count(p, "transport_subsidy")
        if has("employer_name"):
            employer = clean_text(self._cell(cells, "employer_name"))
            if len(employer) > _EMPLOYER_LIMIT:
                p.error("employer_name", VALUE_TOO_LONG.format(label=_LABEL["employer_name"], limit=_EMPLOYER_LIMIT))
            values["employer_name"] = employer
        if has("industry"):
            text = clean_text(self._cell(cells, "industry"))
            code = map_choice(text, Industry) if text else ""
            if code is None:
                p.warn("industry", UNREADABLE_IGNORED.format(label=_LABEL["industry"], value=text))
            values["industry"] = code or ""
        if has("channel"):
            text = clean_text(self._cell(cells, "channel"))
            code = map_choice(text, ec.Channel) if text else ""
            if code is None:
                p.error("channel", CODE_NOT_IN_LIST.format(label=_LABEL["channel"], value=text))
            values["channel"] = code or ""
        if has("point_to_point"):
            text = clean_text(self._cell(cells, "point_to_point"))
            flag = normalize.parse_bool(text) if text else None
            if text and flag is None:
                p.warn("point_to_point", UNREADABLE_IGNORED.format(label=_LABEL["point_to_point"], value=text))
            values["point_to_point"] = flag
        return p

    # --- a chunk ----------------------------------------------------------------------------------------

    def process_chunk(self, rows: list[Row], *, per_row: bool) -> ChunkOutcome:
        self._pending_seen = {}
        parsed = [self.parse(row, cells) for row, cells in rows]
        candidates = [p for p in parsed if not p.rejected and p.id_hash]
        laborers = {
            lab.id_number_hash: lab
            for lab in Laborer.objects.select_for_update().filter(id_number_hash__in={p.id_hash for p in candidates})
        }
        records: dict[int, list[EmploymentRecord]] = defaultdict(list)
        for record in EmploymentRecord.objects.filter(laborer_id__in=[lab.pk for lab in laborers.values()]).order_by(
            "start_date"
        ):
            records[record.laborer_id].append(record)

        plans: list[Plan] = []
        for p in candidates:
            laborer = laborers.get(p.id_hash)
            if laborer is None:
                p.error("id_number", NOT_REGISTERED)
                continue
            if not region_code_in_scope(self.user, laborer.region_id):
                p.error("id_number", OUT_OF_SCOPE)
                continue
            if p.name and p.name != laborer.name:
                p.warn("name", NAME_DIFFERS)
            if p.start_date is None:
                ongoing = next((r for r in records[laborer.pk] if r.end_date is None), None)
                if p.is_working is False and ongoing is not None:
                    p.warn("is_working", STILL_WORKING_IN_REGISTRY.format(start=ongoing.start_date.isoformat()))
                continue
            key = (p.id_hash, p.start_date)
            first = self._seen.get(key) or self._pending_seen.get(key)
            if first is not None:
                p.error("start_date", TWICE_IN_FILE.format(row=first))
                continue
            plan = self._plan(p, laborer, records[laborer.pk])
            if plan is not None:
                self._pending_seen[key] = p.row
                plans.append(plan)

        written = self._write_per_row(plans) if per_row else self._write(plans)
        self._sync_laborers(written)
        self._announce(written)
        return self._outcome(parsed, written)

    def _announce(self, written: list[Plan]) -> None:
        """Tell the other apps (derived status, notices, tasks, warnings) about the chunk's records."""
        changed = [plan for plan in written if plan.action]
        if not changed:
            return
        employment_changed.send(
            sender=EmploymentRecord,
            records=[plan.record for plan in changed],
            created={plan.record.pk for plan in changed if plan.action == _CREATE},
            ended={plan.record.pk for plan in changed if plan.was_open and plan.record.end_date is not None},
            acting_user=self.user,
        )

    def _plan(self, p: Parsed, laborer: Laborer, existing: list[EmploymentRecord]) -> Plan | None:
        """The row's create or update against the laborer's records (stored and planned earlier in the file);
        None when the row breaks a rule (its issues are on `p`)."""
        assert p.start_date is not None
        match = next((r for r in existing if r.start_date == p.start_date), None)
        target = EmploymentRecord(source=ec.Source.IMPORT) if match is None else _copy(match)
        target.laborer = laborer
        target.region_id = laborer.region_id
        target.start_date = p.start_date
        for name, value in p.values.items():
            setattr(target, name, value)
        if target.end_date is None:
            target.end_reason = ""
        target.work_area = v.work_area_of(laborer.region_id, target.work_region_id)
        others = [v.Period(r.start_date, r.end_date) for r in existing if r is not match]
        issues = record_issues(laborer=laborer, record=target, others=others, today=self.today)
        for name, messages in issues.errors.items():
            for msg in messages:
                p.error(_FIELD_COLUMN.get(name, ""), msg)
        if p.rejected:
            return None
        for name, messages in issues.warnings.items():
            for msg in messages:
                p.warn(_FIELD_COLUMN.get(name, ""), msg)
        target.warnings = issues.warnings
        if match is None:
            existing.append(target)
            return Plan(parsed=p, laborer=laborer, record=target, action=_CREATE)
        plan = Plan(parsed=p, laborer=laborer, record=match, was_open=match.end_date is None)
        changed = [
            f.attname
            for f in EmploymentRecord._meta.concrete_fields
            if f.attname not in _NOT_COMPARED and getattr(match, f.attname) != getattr(target, f.attname)
        ]
        if changed:
            audited = [name.removesuffix("_id") for name in changed if name.removesuffix("_id") in RECORD_FIELDS]
            plan.before = snapshot(match, audited)
            for name in changed:
                setattr(match, name, getattr(target, name))
            match.version += 1
            match.updated_at = timezone.now()
            plan.action = _UPDATE
            match.warnings = target.warnings
            plan.fields = {*changed, "warnings", "version", "updated_at"}
        return plan

    # --- writing ----------------------------------------------------------------------------------------

    def _audit(self, plan: Plan, action: str, changes: dict[str, Any]) -> AuditEntry:
        record = plan.record
        return AuditEntry(
            actor_id=self.user.pk,
            action=action,
            object_type=record._meta.label_lower,
            object_id=str(record.pk),
            object_repr=str(record)[:200],
            region_code=record.region_id,
            changes=changes,
            reason=f"{self.reason_prefix} 第 {plan.parsed.row} 行",
        )

    def _write(self, plans: list[Plan]) -> list[Plan]:
        """Write every plan; the caller's transaction makes it all or nothing. Returns the plans written."""
        created = [plan for plan in plans if plan.action == _CREATE]
        changed = [plan for plan in plans if plan.action == _UPDATE]
        EmploymentRecord.objects.bulk_create([plan.record for plan in created], batch_size=500)
        if changed:
            names = sorted(set().union(*(plan.fields for plan in changed)))
            EmploymentRecord.objects.bulk_update([plan.record for plan in changed], names, batch_size=500)
        audits = [
            self._audit(plan, AuditEntry.Action.CREATE, diff({}, snapshot(plan.record, RECORD_FIELDS)))
            for plan in created
        ]
        audits += [
            self._audit(plan, AuditEntry.Action.UPDATE, diff(plan.before, snapshot(plan.record, list(plan.before))))
            for plan in changed
        ]
        AuditEntry.objects.bulk_create(audits, batch_size=500)
        return plans

    def _write_per_row(self, plans: list[Plan]) -> list[Plan]:
        """Each row in its own savepoint: a row that the database refuses is rejected, the others are kept."""
        written = []
        for plan in plans:
            try:
                with transaction.atomic():
                    self._write([plan])
            except DatabaseError as exc:
                logger.warning("import job %s row %s not saved: %s", self.job.pk, plan.parsed.row, type(exc).__name__)
                if plan.action == _CREATE:
                    plan.record.pk = None
                    plan.record._state.adding = True
                plan.parsed.error("", SAVE_FAILED)
                continue
            written.append(plan)
        return written

    def _sync_laborers(self, written: list[Plan]) -> None:
        """The employment summary of every laborer whose ongoing record was created, changed or ended."""
        touched: dict[int, Plan] = {}
        for plan in written:
            if plan.action and (plan.was_open or plan.record.end_date is None):
                touched.setdefault(plan.laborer.pk, plan)
        if not touched:
            return
        ongoing = {
            r.laborer_id: r
            for r in EmploymentRecord.objects.filter(laborer_id__in=list(touched), end_date__isnull=True)
        }
        summaries: list[tuple[Laborer, EmploymentSummary]] = []
        reasons: list[str] = []
        for laborer_id, plan in touched.items():
            summary = summary_for(plan.laborer, ongoing.get(laborer_id))
            if summary is not None:
                summaries.append((plan.laborer, summary))
                reasons.append(f"{self.reason_prefix} 第 {plan.parsed.row} 行")
        laborers_set_employment_summary(acting_user=self.user, summaries=summaries, reasons=reasons)

    def _outcome(self, parsed: list[Parsed], written: list[Plan]) -> ChunkOutcome:
        outcome = ChunkOutcome()
        by_row = {id(plan.parsed): plan for plan in written}
        for p in parsed:
            plan = by_row.get(id(p))
            if p.rejected:
                outcome.rejected += 1
            elif plan is not None and plan.action == _CREATE:
                outcome.created += 1
            elif plan is not None and plan.action == _UPDATE:
                outcome.updated += 1
            else:
                outcome.unchanged += 1
            if not p.rejected and p.has_warnings:
                outcome.warned += 1
            if p.issues:
                outcome.issues.extend(self.reporter.issues(p.row, p.cells, p.issues))
        return outcome


def _copy(record: EmploymentRecord) -> EmploymentRecord:
    """A detached copy to compute the row's target values on (the stored record changes only if needed)."""
    copy = EmploymentRecord()
    for f in EmploymentRecord._meta.concrete_fields:
        setattr(copy, f.attname, getattr(record, f.attname))
    copy.insurance_types = list(record.insurance_types or [])
    copy.warnings = dict(record.warnings or {})
    return copy
