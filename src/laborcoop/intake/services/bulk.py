"""A lean INSERT for large imports: ids reserved up front, one executemany (PostgreSQL: COPY) per table.

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
from django.db.models.expressions import DatabaseDefault
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


def _write(model: type[models.Model], fields: Sequence[models.Field], rows: Sequence[Sequence[Any]]) -> None:
    """The rows ([pk, *values of `fields`], values adapted) into the model's table: COPY on PostgreSQL
    (psycopg 3 dumps each value as it would bind it), one executemany elsewhere."""
    quote = connection.ops.quote_name
    pk_field = model._meta.pk
    assert pk_field is not None
    columns = ", ".join(quote(str(c)) for c in [pk_field.column, *(f.column for f in fields)])
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        raw = getattr(cursor, "cursor", None)
        if connection.vendor == "postgresql" and hasattr(raw, "copy"):
            # wrap_database_errors: psycopg's errors raised as Django's (IntegrityError, ...).
            sql = f"COPY {table} ({columns}) FROM STDIN"
            with connection.wrap_database_errors, raw.copy(sql) as copy:  # type: ignore[union-attr]
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * (len(fields) + 1))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608


def insert_objects(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """INSERT the (new, unsaved) objects; sets their pk and marks them saved. Timestamps with auto_now or
    auto_now_add are set to now when empty. No signals are sent (like bulk_create)."""
    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if any(f.has_db_default() and hasattr(f.db_default, "resolve_expression") for f in fields):
        # A default computed by the database (an expression) has no value to send: let Django write it.
        model._default_manager.bulk_create(objs, batch_size=500)
        return
    db_defaults = {f.attname: f.db_default for f in fields if f.has_db_default()}
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    now = timezone.now()
    db = connection.alias
    for obj, pk in zip(objs, reserve_ids(model, len(objs)), strict=True):
        obj.pk = pk
        for f in stamped:
            if getattr(obj, f.attname) is None:
                setattr(obj, f.attname, now)
        for name, value in db_defaults.items():  # as bulk_create does where DEFAULT can't be sent per row
            if isinstance(getattr(obj, name), DatabaseDefault):
                setattr(obj, name, value)
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
    _write(model, fields, rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = db


def _same(value: Any) -> Any:
    return value


def _template(fields: Sequence[models.Field]) -> dict[str, Any]:
    """The value of every field of a new object left unset, as `Model()` gives it (db_default literals
    substituted as bulk_create does)."""
    values = {}
    for f in fields:
        value = f.get_default()
        if isinstance(value, DatabaseDefault):
            value = f.db_default
        values[f.attname] = value
    return values


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> list[int]:
    """INSERT new rows given as {attname: value} without building model instances; the fields not given
    take their defaults as `Model()` would set them, auto_now(_add) timestamps now. Returns the new ids,
    in the order of `rows`. Stores exactly what `insert_objects` stores for the same values."""
    if not rows:
        return []
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if any(f.has_db_default() and hasattr(f.db_default, "resolve_expression") for f in fields):
        objs = [model(**row) for row in rows]
        insert_objects(model, objs)
        return [obj.pk for obj in objs]
    template = _template(fields)
    now = timezone.now()
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            template[f.attname] = now
    attnames = [f.attname for f in fields]
    converters = [_converter(f) for f in fields]
    special = [
        (i, name, converters[i])
        for i, (name, f) in enumerate(zip(attnames, fields, strict=True))
        if isinstance(f, models.JSONField | models.DateField)
    ]
    given = set().union(*(row.keys() for row in rows))
    unknown = given - set(attnames)
    if unknown:
        raise ValueError(f"{model.__name__} has no field {sorted(unknown)}")
    # Defaults are converted once; a callable default other than a JSON container (uuid4, ...) per row.
    base = [template[name] for name in attnames]
    for i, _, convert in special:
        base[i] = convert(base[i])
    is_special = {i: convert for i, _, convert in special}
    fresh = [
        (i, f, is_special.get(i) or _same)
        for i, f in enumerate(fields)
        if f.has_default() and callable(f.default) and not isinstance(f, models.JSONField)
    ]
    given_columns = [(i, name, is_special.get(i)) for i, name in enumerate(attnames) if name in given]
    ids = reserve_ids(model, len(rows))
    values = []
    for pk, row in zip(ids, rows, strict=True):
        line = base.copy()
        for i, f, convert_default in fresh:
            line[i] = convert_default(f.get_default())
        for i, name, given_convert in given_columns:
            if name in row:
                line[i] = given_convert(row[name]) if given_convert is not None else row[name]
        values.append([pk, *line])
    _write(model, fields, values)
    return ids
