"""List pages fetch one row more than they show instead of counting: a COUNT over a province's two million
laborers costs more than the page itself, and officers page forward, not to page 4,312."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 20


@dataclass
class Page:
    rows: list[Any]
    number: int
    has_next: bool
    has_previous: bool
    query_prefix: str  # the current query string without `page`, ending in '&' when not empty

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1


def page_of(queryset: QuerySet[Any], request: HttpRequest, size: int = PAGE_SIZE) -> Page:
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return Page(
        rows=rows[:size],
        number=number,
        has_next=len(rows) > size,
        has_previous=number > 1,
        query_prefix=f"{encoded}&" if encoded else "",
    )
