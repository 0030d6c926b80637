"""Writing generated rows: COPY on PostgreSQL, executemany INSERT elsewhere, one transaction per batch; and
the drop and rebuild of the secondary indexes and foreign keys for large PostgreSQL loads."""

import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction

from laborcoop.registry.models import Household, Laborer

from .config import SeedReport
from .households import Generator

# Written by the writers after the generated columns: the same timestamp for every row of a run.
TIMESTAMP_FIELDS = ("created_at", "updated_at")


class CopyFormatter:
    """Rows to COPY text format, faster than psycopg's write_row (which adapts value by value).

    Strings pass through as they are: generated strings never contain a backslash, tab or newline, so they
    need no escaping. Tuples and dicts are JSON (tuples cached: there are few distinct ones).
    """

    def __init__(self, model: Any, fields: Sequence[str], now: datetime) -> None:
        json_cache: dict[tuple[Any, ...], str] = {}

        def json_tuple(value: tuple[Any, ...]) -> str:
            text = json_cache.get(value)
            if text is None:
                text = json_cache[value] = json.dumps(list(value), ensure_ascii=False)
            return text

        def json_dict(value: dict[str, Any]) -> str:
            return json.dumps(value, ensure_ascii=False) if value else "{}"

        self.by_type: dict[type, Callable[[Any], str]] = {
            tuple: json_tuple,
            dict: json_dict,
            list: lambda v: json.dumps(v, ensure_ascii=False),
            bool: lambda v: "t" if v else "f",
            int: str,
            date: date.isoformat,
        }
        self.suffix = f"\t{now.isoformat()}\t{now.isoformat()}\n"
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        columns = ", ".join(connection.ops.quote_name(by_attname[a].column) for a in (*fields, *TIMESTAMP_FIELDS))
        self.sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"

    def line(self, row: Sequence[Any]) -> str:
        by_type = self.by_type
        values = [v if v.__class__ is str else "\\N" if v is None else by_type[v.__class__](v) for v in row]
        return "\t".join(values) + self.suffix


def _reserve_ids(model: Any, count: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
        return [row[0] for row in cursor.fetchall()]


def write_batch_copy(gen: Generator, sizes: list[int], laborers: CopyFormatter, households: CopyFormatter) -> int:
    """One batch on PostgreSQL: laborers stream into COPY while they are generated (the server inserts and
    indexes in parallel), then the households; foreign keys are checked at commit."""
    ids = _reserve_ids(Household, len(sizes))
    household_rows: list[list[Any]] = []
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.copy(laborers.sql) as copy:
            chunk: list[str] = []
            for household_id, size in zip(ids, sizes, strict=True):
                household, rows = gen.household(size)
                household[0] = household_id
                household_rows.append(household)
                for row in rows:
                    row[0] = household_id
                    chunk.append(laborers.line(row))
                written += len(rows)
                if len(chunk) >= 500:
                    copy.write("".join(chunk))
                    chunk = []
            if chunk:
                copy.write("".join(chunk))
        with cursor.copy(households.sql) as copy:
            copy.write("".join(households.line(row) for row in household_rows))
    return written


class InsertWriter:
    """Rows as parameters of one executemany INSERT (SQLite, or PostgreSQL without COPY).

    Django's bulk_create spends ~40 field preparations per laborer; the generated values are already clean,
    so they only need the database's forms of JSON, dates and datetimes.
    """

    def __init__(self, model: Any, fields: Sequence[str], now: datetime) -> None:
        ops = connection.ops
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        all_fields = (*fields, *TIMESTAMP_FIELDS)
        columns = ", ".join(ops.quote_name(by_attname[a].column) for a in all_fields)
        placeholders = ", ".join(["%s"] * len(all_fields))
        self.suffix = [ops.adapt_datetimefield_value(now)] * len(TIMESTAMP_FIELDS)
        table = ops.quote_name(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 (quoted model names)
        self.by_type: dict[type, Callable[[Any], Any]] = {
            tuple: lambda v: json.dumps(list(v), ensure_ascii=False),
            list: lambda v: json.dumps(v, ensure_ascii=False),
            dict: lambda v: json.dumps(v, ensure_ascii=False),
            date: ops.adapt_datefield_value,
        }

    def params(self, row: Sequence[Any]) -> list[Any]:
        by_type = self.by_type
        return [by_type[v.__class__](v) if v.__class__ in by_type else v for v in row] + self.suffix


def _next_ids(model: Any, count: int) -> list[int]:
    """Primary keys for `count` new rows: reserved from the sequence on PostgreSQL; elsewhere the ids after
    the current maximum (the batch transaction holds SQLite's write lock)."""
    if connection.vendor == "postgresql":
        return _reserve_ids(model, count)
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (a quoted model table name)
        start = int(cursor.fetchone()[0]) + 1
    return list(range(start, start + count))


def write_batch_insert(gen: Generator, sizes: list[int], laborers: InsertWriter, households: InsertWriter) -> int:
    """One batch through executemany INSERTs (households first, with explicit ids)."""
    generated = [gen.household(size) for size in sizes]
    with transaction.atomic(), connection.cursor() as cursor:
        ids = _next_ids(Household, len(generated))
        laborer_params: list[list[Any]] = []
        for household_id, (household, rows) in zip(ids, generated, strict=True):
            household[0] = household_id
            for row in rows:
                row[0] = household_id
                laborer_params.append(laborers.params(row))
        cursor.executemany(households.sql, [households.params(h) for h, _rows in generated])
        cursor.executemany(laborers.sql, laborer_params)
    return len(laborer_params)


@contextmanager
def indexes_dropped(report: SeedReport, *, enabled: bool) -> Iterator[None]:
    """PostgreSQL bulk load: drop the non-unique indexes and the foreign keys of the household and laborer
    tables, and recreate them from their saved definitions (same names) after the load.

    Must run inside the load's transaction: DDL is transactional in PostgreSQL, so an error anywhere rolls
    the indexes back too. Building an index over the loaded table is a sort, much cheaper than millions of
    random B-tree inserts; foreign keys are validated by one join instead of a trigger per row. Unique and
    primary-key indexes stay (duplicates fail at once). Other sessions wait for the tables meanwhile.
    """
    if not enabled:
        yield
        return
    qn = connection.ops.quote_name
    saved: list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]] = []
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        for model in (Laborer, Household):
            table = model._meta.db_table
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary ORDER BY 1",
                [table],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY 1",
                [table],
            )
            foreign_keys = cursor.fetchall()
            for name, _definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {qn(name)}")
            saved.append((table, indexes, foreign_keys))
    report.phases["drop_indexes"] = time.perf_counter() - t0
    yield
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for table, indexes, foreign_keys in reversed(saved):
            for _name, definition in indexes:
                cursor.execute(definition)
            for name, definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")
    report.phases["rebuild_indexes"] = time.perf_counter() - t0
