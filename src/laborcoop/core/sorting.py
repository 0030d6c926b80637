"""Sortable list columns: `?sort=name` orders a list by a whitelisted column, `?sort=-name` the other way round.

Each list declares its columns once (`Sorting`): the key shown in the URL, the Chinese label and the fields it
orders by. Only declared keys reach `order_by`: a key that is not declared (a typo, an old bookmark, a crafted
URL) leaves the list in its default order with a Chinese notice, never an error page. Every order ends with the
primary key, so paging through equal values (two people called 张伟) neither repeats nor skips rows.

Columns that order a big table must be served by an index (see the models' Meta.indexes and
docs/benchmarks.md, "Sorted list pages"); a column whose order would need a full sort of a province is not
offered.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest

M = TypeVar("M", bound=Model)

SORT_PARAM = "sort"
SORT_UNKNOWN = "无法按所选的列排序，已按默认顺序显示。"
SORT_DEFAULT_LABEL = "默认顺序"


@dataclass(frozen=True)
class SortColumn:
    label: str  # the column's Chinese header
    fields: tuple[str, ...]  # the ascending order ("-field" allowed); descending reverses every field
    descending_first: bool = False  # the first click sorts descending (dates, amounts: newest / largest first)


@dataclass(frozen=True)
class Sorting:
    """The sortable columns of one list, in the order its table shows them, and its default order."""

    columns: dict[str, SortColumn]
    default: tuple[str, ...]
    tiebreak: str = "id"

    def order(self, key: str, *, descending: bool) -> list[str]:
        column = self.columns[key]
        fields = [*column.fields, self.tiebreak]
        return [_flip(f) for f in fields] if descending else fields


def _flip(name: str) -> str:
    return name[1:] if name.startswith("-") else f"-{name}"


@dataclass(frozen=True)
class Header:
    """What a sortable column header renders."""

    key: str
    label: str
    href: str  # the query string (starting with '?') that sorts by this column, next direction
    state: str  # 'ascending' / 'descending' (aria-sort) or '' when the list is not sorted by it
    title: str  # what a click does, for the title attribute


@dataclass
class Sort:
    """The order a request asked for, resolved against a list's whitelist."""

    sorting: Sorting
    key: str = ""  # '' = the list's default order
    descending: bool = False
    notice: str = ""  # why the order shown is not the one asked for
    params: str = ""  # the query string without `sort` and `page`, ending in '&' when not empty
    headers: dict[str, Header] = field(default_factory=dict)

    @property
    def value(self) -> str:
        """The `sort` parameter of the current order ('' for the default)."""
        if not self.key:
            return ""
        return f"-{self.key}" if self.descending else self.key

    def order_by(self) -> Sequence[str]:
        if not self.key:
            return self.sorting.default
        return self.sorting.order(self.key, descending=self.descending)

    def apply(self, queryset: QuerySet[M]) -> QuerySet[M]:
        return queryset.order_by(*self.order_by())

    def options(self) -> list[tuple[str, str, bool]]:
        """(value, label, selected) for a sort <select> (phones hide table headers): default, then each column
        in both directions."""
        rows = [("", SORT_DEFAULT_LABEL, not self.key)]
        for key, column in self.sorting.columns.items():
            for descending in (False, True):
                value = f"-{key}" if descending else key
                arrow = "↓" if descending else "↑"
                rows.append((value, f"{column.label} {arrow}", value == self.value))
        return rows


def parse_sort(raw: str | None, sorting: Sorting) -> tuple[str, bool, bool]:
    """(key, descending, valid) for a `sort` value; an empty or unknown value is the default order."""
    text = (raw or "").strip()
    if not text:
        return "", False, True
    descending = text.startswith("-")
    key = text[1:] if descending else text
    if key not in sorting.columns:
        return "", False, False
    return key, descending, True


def sort_of(request: HttpRequest, sorting: Sorting) -> Sort:
    key, descending, valid = parse_sort(request.GET.get(SORT_PARAM), sorting)
    params = request.GET.copy()
    params.pop(SORT_PARAM, None)
    params.pop("page", None)  # a new order starts at page 1
    encoded = params.urlencode()
    prefix = f"{encoded}&" if encoded else ""
    sort = Sort(
        sorting=sorting,
        key=key,
        descending=descending,
        notice="" if valid else SORT_UNKNOWN,
        params=prefix,
    )
    for name, column in sorting.columns.items():
        current = name == key
        next_descending = not descending if current else column.descending_first
        state = ("descending" if descending else "ascending") if current else ""
        direction = "降序" if next_descending else "升序"
        sort.headers[name] = Header(
            key=name,
            label=column.label,
            href=f"?{prefix}{SORT_PARAM}={'-' if next_descending else ''}{name}",
            state=state,
            title=f"按{column.label}{direction}排列",
        )
    return sort


def sorted_list(request: HttpRequest, queryset: QuerySet[M], sorting: Sorting) -> tuple[QuerySet[M], Sort]:
    """The queryset in the order the request asks for (whitelisted), and the Sort the template renders."""
    sort = sort_of(request, sorting)
    return sort.apply(queryset), sort


def header_context(sort: Any, key: str) -> dict[str, Any]:
    """The template context of one header cell (core/_sort_th.html); a key the list does not declare renders
    a plain header, so a template typo shows rather than fails."""
    header = sort.headers.get(key) if sort is not None else None
    return {"header": header, "key": key}
