"""List pages fetch one row more than they show instead of counting: a COUNT over a province's two million
laborers costs more than the page itself, and officers page forward, not to page 4,312.

A `page` that is not a number, below 1, or past the last page (`?page=99999999999999999999` included) shows
page 1 with a message saying so: a bad link never ends in an error page."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 20
# Beyond this no list has a page (200 million rows in at 200 a page); the offset would overflow the database.
MAX_PAGE = 1_000_000
PAGE_INVALID = "页码无效，已显示第 1 页。"
PAGE_PAST_THE_END = "没有第 {number} 页，已显示第 1 页。"


@dataclass
class Page:
    rows: list[Any]
    number: int
    has_next: bool
    has_previous: bool
    query_prefix: str  # the current query string without `page`, ending in '&' when not empty
    notice: str = ""  # why the page shown is not the one asked for

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


def page_of(queryset: QuerySet[Any], request: HttpRequest, size: int = PAGE_SIZE) -> Page:
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
    )
