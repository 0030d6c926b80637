"""A lean INSERT for large imports: ids reserved up front, one executemany per table.

Django's bulk_create spends most of its time building the SQL of every row (field by field, value by value):
for a chunk of 2,000 laborers with 45 columns that is several times the cost of the INSERT itself. Here the
values are converted with the backend's own adapters (`adapt_json_value`, `adapt_datetimefield_value`, ...)
and sent with one `executemany`, so SQLite and PostgreSQL store exactly what bulk_create would.

Ids come from the table's sequence (PostgreSQL: `nextval` in one query) or, on SQLite, after the largest id
and AUTOINCREMENT's high-water mark; SQLite has one writer at a time and the caller holds the write
transaction, so nobody else takes them.
"""

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection, models
from django.utils import timezone


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    if count == 0:
        return []
    table = model._meta.db_table
    pk_field = model._meta.pk
    assert pk_field is not None
    pk_column = str(pk_field.column)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk_column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({quote(pk_column)}), 0) FROM {quote(table)}")  # noqa: S608
        start = cursor.fetchone()[0]
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
            if cursor.fetchone():
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                if row and row[0] and row[0] > start:
                    start = row[0]
    return list(range(start + 1, start + 1 + count))


def _converter(field: models.Field) -> Callable[[Any], Any]:
    ops = connection.ops
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        lists: dict[tuple[Any, ...], Any] = {}  # lists of codes repeat: ["健康"], ["01", "02"]

        def json_value(value: Any) -> Any:
            if value is None:
                return None
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                key = tuple(value)
                found = lists.get(key)
                if found is None:
                    found = lists[key] = ops.adapt_json_value(value, encoder)
                return found
            return ops.adapt_json_value(value, encoder)

        return json_value
    if isinstance(field, models.DateTimeField):
        stamps: dict[datetime, Any] = {}  # one timestamp per chunk

        def datetime_value(value: Any) -> Any:
            if not isinstance(value, datetime):
                return value
            found = stamps.get(value)
            if found is None:
                found = stamps[value] = ops.adapt_datetimefield_value(value)
            return found

        return datetime_value
    if isinstance(field, models.DateField):
        return lambda value: ops.adapt_datefield_value(value) if isinstance(value, date) else value
    return lambda value: value


def insert_objects(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """INSERT the (new, unsaved) objects; sets their pk and marks them saved. Timestamps with auto_now or
    auto_now_add are set to now when empty. No signals are sent (like bulk_create)."""
    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    now = timezone.now()
    db = connection.alias
    for obj, pk in zip(objs, reserve_ids(model, len(objs)), strict=True):
        obj.pk = pk
        for f in stamped:
            if getattr(obj, f.attname) is None:
                setattr(obj, f.attname, now)
    attnames = [f.attname for f in fields]
    converters = [_converter(f) for f in fields]
    plain = [i for i, f in enumerate(fields) if not isinstance(f, models.JSONField | models.DateField)]
    special = [i for i in range(len(fields)) if i not in set(plain)]
    rows = []
    for obj in objs:
        values = [getattr(obj, name) for name in attnames]
        for i in special:
            values[i] = converters[i](values[i])
        rows.append([obj.pk, *values])
    quote = connection.ops.quote_name
    pk_field = model._meta.pk
    assert pk_field is not None
    columns = ", ".join(quote(str(c)) for c in [pk_field.column, *(f.column for f in fields)])
    placeholders = ", ".join(["%s"] * (len(fields) + 1))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = db
