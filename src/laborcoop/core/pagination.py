"""List pages fetch one row more than they show instead of counting: a COUNT over a province's two million
laborers costs more than the page itself, and officers page forward, not to page 4,312.

A list that shows its total asks for it (`page_of(..., count=True)`) and gets what is cheap: an exact count up
to EXACT_COUNT_CAP rows (a capped `SELECT COUNT(*) FROM (... LIMIT cap + 1)`, ~10 ms on PostgreSQL even over a
province), and above that PostgreSQL's own estimate of the same query's rows (EXPLAIN; no row is read), shown as
"约 12,000 条". SQLite has no row estimate: there the count is exact. The count runs on the very queryset the
page shows, so it can never count outside the user's scope or filters.

A `page` that is not a number, below 1, or past the last page (`?page=99999999999999999999` included) shows
page 1 with a message saying so: a bad link never ends in an error page."""

import json
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 20
# Beyond this no list has a page (200 million rows in at 200 a page); the offset would overflow the database.
MAX_PAGE = 1_000_000
PAGE_INVALID = "页码无效，已显示第 1 页。"
PAGE_PAST_THE_END = "没有第 {number} 页，已显示第 1 页。"
# Up to this many rows a list's total is exact; beyond it PostgreSQL's estimate is shown ("约 …").
EXACT_COUNT_CAP = 10_000
TOTAL_EXACT = "共 {n} 条"
TOTAL_ESTIMATED = "约 {n} 条"


@dataclass
class Page:
    rows: list[Any]
    number: int
    has_next: bool
    has_previous: bool
    query_prefix: str  # the current query string without `page`, ending in '&' when not empty
    notice: str = ""  # why the page shown is not the one asked for
    total: int | None = None  # rows in the whole list (when asked for): exact, or estimated when `estimated`
    estimated: bool = False

    @property
    def total_text(self) -> str:
        if self.total is None:
            return ""
        return (TOTAL_ESTIMATED if self.estimated else TOTAL_EXACT).format(n=f"{self.total:,}")

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1


def page_number(raw: str | None) -> int | None:
    """The requested page (1 when not given), or None when `raw` is not an integer from 1 to MAX_PAGE."""
    text = (raw or "1").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_PAGE)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_PAGE else None


def round_estimate(n: int) -> int:
    """An estimate to two significant digits (12,345 -> 12,000): more digits would claim a precision it lacks."""
    if n < 100:
        return n
    step = 10 ** (len(str(n)) - 2)
    return round(n / step) * step


def planner_rows(queryset: QuerySet[Any]) -> int | None:
    """PostgreSQL's estimate of the rows `queryset` returns (EXPLAIN, nothing is executed); None elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def list_total(queryset: QuerySet[Any], *, cap: int = EXACT_COUNT_CAP) -> tuple[int, bool]:
    """(total, estimated) of a list: exact up to `cap` rows, PostgreSQL's rounded estimate above it (never less
    than cap + 1: the capped count has shown that many), an exact count on other databases."""
    unordered = queryset.order_by()
    capped = unordered[: cap + 1].count()
    if capped <= cap:
        return capped, False
    estimate = planner_rows(unordered)
    if estimate is None:
        return unordered.count(), False
    return round_estimate(max(estimate, cap + 1)), True


def page_of(queryset: QuerySet[Any], request: HttpRequest, size: int = PAGE_SIZE, *, count: bool = False) -> Page:
    """One page of `queryset` (one row more is fetched to know whether a next page exists); with `count`, the
    list's total too (see list_total)."""
    number = page_number(request.GET.get("page"))
    notice = ""
    if number is None:
        number, notice = 1, PAGE_INVALID
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    if not rows and number > 1:
        notice = PAGE_PAST_THE_END.format(number=number)
        number = 1
        rows = list(queryset[: size + 1])
    total, estimated = None, False
    if count:
        if len(rows) <= size:
            total = (number - 1) * size + len(rows)  # the last page: the total is known without a query
        else:
            total, estimated = list_total(queryset)
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return Page(
        rows=rows[:size],
        number=number,
        has_next=len(rows) > size,
        has_previous=number > 1,
        query_prefix=f"{encoded}&" if encoded else "",
        notice=notice,
        total=total,
        estimated=estimated,
    )
