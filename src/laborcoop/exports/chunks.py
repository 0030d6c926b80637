"""Fetching export rows in chunks, with the region names each chunk needs."""

from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import QuerySet

from laborcoop.exports import conf
from laborcoop.exports.columns import ExportContext, region_codes_of


def iter_chunked(
    queryset: QuerySet[Any],
    ctx: ExportContext,
    *,
    on_chunk: Callable[[int], None] | None = None,
    before_chunk: Callable[[list[Any]], None] | None = None,
    size: int | None = None,
) -> Iterator[Any]:
    """The rows of `queryset` fetched `size` at a time (a server-side cursor on PostgreSQL), loading the region
    names each chunk needs in one query before its rows are written.

    `before_chunk(rows)` runs before a chunk's rows are yielded (to load what they need in one query per chunk);
    `on_chunk(rows_done)` after each chunk (progress)."""
    size = size or conf.chunk_size()
    done = 0
    chunk: list[Any] = []
    for obj in queryset.iterator(chunk_size=size):
        chunk.append(obj)
        if len(chunk) >= size:
            yield from _emit(chunk, ctx, before_chunk)
            done += len(chunk)
            chunk = []
            if on_chunk is not None:
                on_chunk(done)
    if chunk:
        yield from _emit(chunk, ctx, before_chunk)
        done += len(chunk)
    if on_chunk is not None:
        on_chunk(done)


def _emit(chunk: list[Any], ctx: ExportContext, before_chunk: Callable[[list[Any]], None] | None) -> Iterator[Any]:
    ctx.regions.load(code for obj in chunk for code in region_codes_of(obj))
    if before_chunk is not None:
        before_chunk(chunk)
    yield from chunk
