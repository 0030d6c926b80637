"""Staging the findings of a run and diffing them against the live warnings, set-based in SQL.

The findings go into a temporary table (COPY on PostgreSQL, executemany elsewhere); then three statements,
portable to SQLite (3.33+, UPDATE ... FROM) and PostgreSQL, do the diff within the run's scope:
1. live warnings (not 已消除) of the scope without a finding are resolved (status 已消除, resolved_at, version+1);
2. live warnings with a finding get last_seen_at, detail, data, severity and place refreshed (status, owner and
   handling are left as they are: a handled or dismissed warning whose condition persists stays so);
3. findings without a live warning are inserted as new open warnings (a recurrence after resolution is a new
   row; the partial unique constraint allows it).
The caller holds the transaction and the run lock (`run_lock`).
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from laborcoop.earlywarning.choices import WarningStatus
from laborcoop.earlywarning.models import EarlyWarning
from laborcoop.regions.scope import code_range

STAGE = "earlywarning_stage"
STAGE_COLUMNS = (
    "rule",
    "subject_key",
    "severity",
    "region_code",
    "laborer_id",
    "household_id",
    "detail",
    "data",
    "due_date",
    "due_from_data",
)
_LOCK_KEY = 742_019_355  # pg_advisory_xact_lock key of warning runs
_BATCH = 10_000
RUN_WORK_MEM = "64MB"

StageRow = tuple[str, str, str, str, int | None, int, str, str, date | None, bool]


def run_lock() -> None:
    """Serialise warning runs (nightly, subtree, on-change) on PostgreSQL; SQLite serialises writers itself.

    Also sets, for this transaction only, what a batch run needs: plans for reading every row of the
    rules' server-side cursors (the default cursor_tuple_fraction plans for the first 10% and turns the
    anti-joins into per-row subplans) and enough work_mem for their hash joins and aggregates to stay in
    memory."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
            cursor.execute("SET LOCAL jit = off")  # compiling each rule's plan costs more than it saves
            cursor.execute(f"SET LOCAL work_mem = '{RUN_WORK_MEM}'")


def stage_row(
    *, rule: str, severity: str, subject_key: str, region_id: str, laborer_id: int | None, household_id: int,
    detail: str, data: dict[str, Any], due_date: date | None, due_from_data: bool,
) -> StageRow:  # fmt: skip
    return (
        rule,
        subject_key,
        severity,
        region_id,
        laborer_id,
        household_id,
        detail,
        json.dumps(data, ensure_ascii=False, sort_keys=True),
        due_date,
        due_from_data,
    )


@dataclass(frozen=True)
class DiffScope:
    """Which live warnings a run re-evaluated: every one (default), those of a region subtree, and/or those
    of some households and rules."""

    region_prefix: str = ""
    household_ids: tuple[int, ...] | None = None
    rule_codes: tuple[str, ...] | None = None

    def where(self, alias: str) -> tuple[str, list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        if self.region_prefix:
            parts.append(f"{alias}.region_code BETWEEN %s AND %s")
            params.extend(code_range(self.region_prefix))
        if self.household_ids is not None:
            if not self.household_ids:
                return " AND 1 = 0", []
            parts.append(f"{alias}.household_id IN ({', '.join(['%s'] * len(self.household_ids))})")
            params.extend(self.household_ids)
        if self.rule_codes is not None:
            if not self.rule_codes:
                return " AND 1 = 0", []
            parts.append(f"{alias}.rule IN ({', '.join(['%s'] * len(self.rule_codes))})")
            params.extend(self.rule_codes)
        return "".join(f" AND {p}" for p in parts), params


@dataclass
class DiffCounts:
    staged: int = 0
    raised: int = 0
    resolved: int = 0
    kept: int = 0
    live: int = 0


class Stage:
    """The temporary table of one run's findings (created by `open`, dropped by `close`)."""

    def __init__(self) -> None:
        self.rows = 0
        self._seen: set[str] = set()
        self._rule = ""
        self.pg = connection.vendor == "postgresql"

    def open(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGE} (rule VARCHAR(40) NOT NULL, subject_key VARCHAR(24) NOT NULL, "
                "severity VARCHAR(8) NOT NULL, region_code VARCHAR(12) NOT NULL, laborer_id BIGINT NULL, "
                "household_id BIGINT NULL, detail VARCHAR(300) NOT NULL, data TEXT NOT NULL, due_date DATE NULL, "
                "due_from_data BOOLEAN NOT NULL)"
            )

    def _unique(self, rows: Iterable[StageRow]) -> Iterator[StageRow]:
        """A subject appears once per rule (the first finding wins), whatever a rule yields. Keys are kept per
        rule only (subjects of different rules never collide)."""
        seen = self._seen
        for row in rows:
            if row[0] != self._rule:
                self._rule = row[0]
                seen.clear()
            if row[1] in seen:
                continue
            seen.add(row[1])
            self.rows += 1
            yield row

    def write(self, rows: Iterable[StageRow]) -> None:
        """Stage `rows` a batch at a time. The rows come from queries still being read (server-side cursors)
        on the same connection, so each batch is collected before it is written: a COPY in progress would
        block them."""
        batch: list[StageRow] = []
        for row in self._unique(rows):
            batch.append(row)
            if len(batch) >= _BATCH:
                self._write_batch(batch)
                batch = []
        if batch:
            self._write_batch(batch)

    def insert_select(self, *, rule: str, severity: str, queryset: QuerySet[Any]) -> int:
        """Stage the findings a rule computed in SQL (columns rules.base.SQL_COLUMNS) without fetching them.
        Returns how many were staged."""
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {STAGE} ({', '.join(STAGE_COLUMNS)}) "  # noqa: S608 (compiled ORM query)
                "SELECT %s, q.s_key, %s, q.s_region, q.s_laborer, q.s_household, q.s_detail, q.s_data, q.s_due, "
                f"q.s_due_data FROM ({sql}) q",
                [rule, severity, *params],
            )
            count = max(cursor.rowcount, 0)
        self.rows += count
        return count

    def _write_batch(self, batch: list[StageRow]) -> None:
        columns = ", ".join(STAGE_COLUMNS)
        with connection.cursor() as cursor:
            if self.pg:
                with cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(STAGE_COLUMNS))
                cursor.executemany(f"INSERT INTO {STAGE} ({columns}) VALUES ({marks})", batch)  # noqa: S608

    def close(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")

    def diff(self, scope: DiffScope, *, now: datetime) -> DiffCounts:
        """Resolve, refresh and raise (see the module docstring). Returns the counts of this run's scope."""
        table = EarlyWarning._meta.db_table
        resolved_status = WarningStatus.RESOLVED.value
        stamp = connection.ops.adapt_datetimefield_value(now)
        data_expr = "CAST(s.data AS jsonb)" if self.pg else "s.data"
        where, where_params = scope.where("w")
        counts = DiffCounts(staged=self.rows)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {STAGE}_key ON {STAGE} (rule, subject_key)")
            if self.pg:
                cursor.execute(f"ANALYZE {STAGE}")
            cursor.execute(
                f"UPDATE {table} AS w SET status = %s, resolved_at = %s, updated_at = %s, version = w.version + 1 "  # noqa: S608
                f"WHERE w.status <> %s{where} AND NOT EXISTS (SELECT 1 FROM {STAGE} s "
                "WHERE s.rule = w.rule AND s.subject_key = w.subject_key)",
                [resolved_status, stamp, stamp, resolved_status, *where_params],
            )
            counts.resolved = max(cursor.rowcount, 0)
            cursor.execute(
                f"UPDATE {table} AS w SET last_seen_at = %s, updated_at = %s, detail = s.detail, "  # noqa: S608
                f"data = {data_expr}, severity = s.severity, region_code = s.region_code, "
                "laborer_id = s.laborer_id, household_id = s.household_id, "
                "due_date = CASE WHEN s.due_from_data THEN s.due_date ELSE w.due_date END "
                f"FROM {STAGE} s WHERE w.status <> %s AND s.rule = w.rule AND s.subject_key = w.subject_key",
                [stamp, stamp, resolved_status],
            )
            counts.kept = max(cursor.rowcount, 0)
            cursor.execute(
                f"INSERT INTO {table} (created_at, updated_at, rule, severity, status, region_code, subject_key, "  # noqa: S608
                "laborer_id, household_id, detail, data, last_seen_at, due_date, resolution, version) "
                "SELECT %s, %s, s.rule, s.severity, %s, s.region_code, s.subject_key, s.laborer_id, s.household_id, "
                f"s.detail, {data_expr}, %s, s.due_date, '', 1 FROM {STAGE} s "
                f"WHERE NOT EXISTS (SELECT 1 FROM {table} w "
                "WHERE w.rule = s.rule AND w.subject_key = s.subject_key AND w.status <> %s)",
                [stamp, stamp, WarningStatus.OPEN.value, stamp, resolved_status],
            )
            counts.raised = max(cursor.rowcount, 0)
            cursor.execute(
                f"SELECT COUNT(*) FROM {table} w WHERE w.status <> %s{where}",  # noqa: S608
                [resolved_status, *where_params],
            )
            counts.live = int(cursor.fetchone()[0])
        return counts
