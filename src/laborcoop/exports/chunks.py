"""Fetching export rows in chunks, with the region names each chunk needs.

Each chunk is its own short read (keyset pagination on the queryset's ordering, ending with the id), never one
long cursor held open across the whole export. On SQLite an open cursor is a read transaction: the progress
written between chunks would have to upgrade it to a write, which fails with "database is locked" as soon as
another connection has committed since the read began. On PostgreSQL it keeps no snapshot open for the whole
export either.
"""

from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import Q, QuerySet

from laborcoop.exports import conf
from laborcoop.exports.columns import ExportContext, region_codes_of

OrderKey = tuple[str, bool]  # (field name as in the rows, descending)


def order_keys(queryset: QuerySet[Any]) -> list[OrderKey]:
    """The queryset's ordering as (field, descending) pairs, ending with the id so that every row has a distinct
    key. Only plain, non-null columns of the rows can be keys (ValueError otherwise): a NULL has no place in a
    keyset comparison, and its sort position differs between SQLite and PostgreSQL."""
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
    keys: list[OrderKey] = []
    for item in ordering:
        if not isinstance(item, str) or "__" in item or item.lstrip("-") == "?":
            raise ValueError(f"cannot page on ordering {item!r}")
        name = item.lstrip("-")
        name = "id" if name == "pk" else name
        _check_not_null(queryset, name)
        keys.append((name, item.startswith("-")))
        if name == "id":
            return keys
    keys.append(("id", False))
    return keys


def _check_not_null(queryset: QuerySet[Any], name: str) -> None:
    fields = {f.attname: f for f in queryset.model._meta.concrete_fields}
    field = fields.get(name) or fields.get(f"{name}_id")
    if field is None or field.null:
        raise ValueError(f"cannot page on {name!r}: not a non-null column of {queryset.model.__name__}")


def _key_of(obj: Any, keys: list[OrderKey]) -> list[Any]:
    if isinstance(obj, dict):
        return [obj[name] for name, _ in keys]
    return [getattr(obj, name) for name, _ in keys]


def after_q(keys: list[OrderKey], values: list[Any]) -> Q:
    """Rows strictly after `values` in the order of `keys`: (k1 > v1) or (k1 = v1 and k2 > v2) or ...

    The leading bound (k1 >= v1) is repeated outside the OR so that the database takes an index range on it."""
    after = Q()
    equal = Q()
    for (name, desc), value in zip(keys, values, strict=True):
        after |= equal & Q(**{f"{name}__{'lt' if desc else 'gt'}": value})
        equal &= Q(**{name: value})
    first, desc = keys[0]
    return Q(**{f"{first}__{'lte' if desc else 'gte'}": values[0]}) & after


def iter_pages(queryset: QuerySet[Any], size: int) -> Iterator[list[Any]]:
    """The rows of `queryset` in its order, `size` at a time, each page fetched by one query that is finished
    (all rows read, cursor closed) before the page is handed out."""
    keys = order_keys(queryset)
    page = list(queryset[:size])
    while page:
        yield page
        if len(page) < size:
            return
        page = list(queryset.filter(after_q(keys, _key_of(page[-1], keys)))[:size])


def iter_chunked(
    queryset: QuerySet[Any],
    ctx: ExportContext,
    *,
    on_chunk: Callable[[int], None] | None = None,
    before_chunk: Callable[[list[Any]], None] | None = None,
    size: int | None = None,
) -> Iterator[Any]:
    """The rows of `queryset` fetched `size` at a time (iter_pages), loading the region names each chunk needs
    in one query before its rows are written.

    `before_chunk(rows)` runs before a chunk's rows are yielded (to load what they need in one query per chunk);
    `on_chunk(rows_done)` after each chunk (progress), when no read is open."""
    size = size or conf.chunk_size()
    done = 0
    for chunk in iter_pages(queryset, size):
        yield from _emit(chunk, ctx, before_chunk)
        done += len(chunk)
        if on_chunk is not None and len(chunk) == size:
            on_chunk(done)
    if on_chunk is not None:
        on_chunk(done)


def _emit(chunk: list[Any], ctx: ExportContext, before_chunk: Callable[[list[Any]], None] | None) -> Iterator[Any]:
    ctx.regions.load(code for obj in chunk for code in region_codes_of(obj))
    if before_chunk is not None:
        before_chunk(chunk)
    yield from chunk
