"""Storing derived statuses (tracking.status.services): reading the stored rows and writing them in bulk.

The writes are plain SQL: the ORM's bulk_create builds a model instance per row, which costs more than
computing the status. Up to COPY_THRESHOLD rows (a write's receiver): multi-row INSERT ... ON CONFLICT
(SQLite 3.24+ and PostgreSQL) and executemany for the conditional updates. More rows on PostgreSQL (the
nightly run): COPY into a temporary staging table, then one INSERT ... SELECT or UPDATE ... FROM; psycopg
formats COPY rows in C, while it parses every placeholder of a large statement in Python.
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from laborcoop.employment.models import EmploymentState

STATE_COLUMNS = (
    "laborer_id",
    "region_code",
    "status",
    "since",
    "stable_months",
    "last_end_date",
    "last_end_reason",
    "last_work_area",
)
_NULLABLE = frozenset({"since", "last_end_date"})
_WRITE_BATCH = 1000  # rows per multi-row INSERT (9 parameters each)

StateRow = tuple[Any, ...]  # (region, status, since, stable_months, last_end_date, last_end_reason, last_work_area)


def chunks(ids: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def states_stored(laborer_q: Q) -> dict[int, StateRow]:
    fields = ("laborer_id", "region_id", *STATE_COLUMNS[2:])
    rows = EmploymentState.objects.filter(laborer_q).order_by().values_list(*fields)
    return {row[0]: tuple(row[1:]) for row in rows}


COPY_THRESHOLD = 200  # rows from which PostgreSQL writes go through COPY
_STAGE = "employment_state_stage"
_STAGE_TYPES = ("int8", "varchar", "varchar", "date", "int2", "date", "varchar", "varchar")


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table() -> str:
    return _q(EmploymentState._meta.db_table)


def _adapted(row: StateRow) -> StateRow:
    region, status, since, months, end, reason, area = row
    adapt = connection.ops.adapt_datefield_value
    return (region, status, adapt(since), months, adapt(end), reason, area)


def _stage(cursor: Any, rows: Iterable[tuple[Any, ...]], *, with_old: bool) -> None:
    """Fill the session's temporary staging table (PostgreSQL) by COPY: (laborer_id, the 7 new values[, the
    7 values expected in the stored row])."""
    values = STATE_COLUMNS[1:]
    columns = ", ".join([*STATE_COLUMNS, *(f"o_{c}" for c in values)])
    cursor.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGE} ("
        "laborer_id bigint, region_code varchar(12), status varchar(10), since date, stable_months smallint, "
        "last_end_date date, last_end_reason varchar(20), last_work_area varchar(2), "
        "o_region_code varchar(12), o_status varchar(10), o_since date, o_stable_months smallint, "
        "o_last_end_date date, o_last_end_reason varchar(20), o_last_work_area varchar(2)) ON COMMIT DELETE ROWS"
    )
    cursor.execute(f"DELETE FROM {_STAGE}")  # noqa: S608 (emptied at commit; reused within a transaction)
    target = columns if with_old else ", ".join(STATE_COLUMNS)
    with cursor.cursor.copy(f"COPY {_STAGE} ({target}) FROM STDIN") as copy:
        copy.set_types(list(_STAGE_TYPES) + (list(_STAGE_TYPES[1:]) if with_old else []))
        for row in rows:
            copy.write_row(row)


def states_insert(ids: Sequence[int], rows: dict[int, StateRow], *, update: bool) -> None:
    """INSERT the rows of `ids`; on an existing row: overwrite it (`update`) or leave it (not `update`)."""
    if not ids:
        return
    names = ", ".join(_q(c) for c in (*STATE_COLUMNS, "computed_at"))
    if update:
        sets = ", ".join(f"{_q(c)} = excluded.{_q(c)}" for c in (*STATE_COLUMNS[1:], "computed_at"))
        conflict = f"ON CONFLICT ({_q('laborer_id')}) DO UPDATE SET {sets}"
    else:
        conflict = f"ON CONFLICT ({_q('laborer_id')}) DO NOTHING"
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(ids) >= COPY_THRESHOLD:
            _stage(cursor, ((pk, *rows[pk]) for pk in ids), with_old=False)
            staged = ", ".join(STATE_COLUMNS)
            cursor.execute(f"INSERT INTO {_table()} ({names}) SELECT {staged}, %s FROM {_STAGE} {conflict}", [now])  # noqa: S608
            return
        one = "(" + ", ".join(["%s"] * (len(STATE_COLUMNS) + 1)) + ")"
        for chunk in chunks(ids, _WRITE_BATCH):
            values = ", ".join([one] * len(chunk))
            sql = f"INSERT INTO {_table()} ({names}) VALUES {values} {conflict}"  # noqa: S608 (internal names)
            cursor.execute(sql, [v for pk in chunk for v in (pk, *_adapted(rows[pk]), now)])


def states_update_unless_changed(ids: Sequence[int], rows: dict[int, StateRow], stored: dict[int, StateRow]) -> None:
    """UPDATE the rows of `ids` only where they still hold the `stored` values (read before the records):
    a row that a write's receiver changed meanwhile is left as that receiver wrote it."""
    if not ids:
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    values = STATE_COLUMNS[1:]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(ids) >= COPY_THRESHOLD:
            _stage(cursor, ((pk, *rows[pk], *stored[pk]) for pk in ids), with_old=True)
            sets = ", ".join(f"{_q(c)} = v.{c}" for c in values)
            same = " AND ".join(f"s.{_q(c)} IS NOT DISTINCT FROM v.o_{c}" for c in values)
            cursor.execute(
                f"UPDATE {_table()} AS s SET {sets}, {_q('computed_at')} = %s FROM {_STAGE} AS v "  # noqa: S608
                f"WHERE s.{_q('laborer_id')} = v.laborer_id AND {same}",
                [now],
            )
            return
        # Null-safe equality, written out (IS NOT DISTINCT FROM needs SQLite 3.39).
        sets = ", ".join(f"{_q(c)} = %s" for c in (*values, "computed_at"))
        same = " AND ".join(
            f"({_q(c)} = %s OR ({_q(c)} IS NULL AND %s IS NULL))" if c in _NULLABLE else f"{_q(c)} = %s" for c in values
        )
        sql = f"UPDATE {_table()} SET {sets} WHERE {_q('laborer_id')} = %s AND {same}"  # noqa: S608 (internal names)
        twice = [c in _NULLABLE for c in values]
        batch = []
        for pk in ids:
            old = _adapted(stored[pk])
            expected = [v for value, double in zip(old, twice, strict=True) for v in ((value,) * (2 if double else 1))]
            batch.append([*_adapted(rows[pk]), now, pk, *expected])
        cursor.executemany(sql, batch)
