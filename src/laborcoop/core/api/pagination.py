"""The two paginators of /api/v1/. A page number or page size that is not an integer in range is a 400
`{"page": ["页码无效：…"]}` (the API's validation error shape), and so is a page past the last one: a bad query
parameter is the client's error, never a 404 of the resource and never a 500."""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import InvalidPage
from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from laborcoop.core.api.fields import MAX_PAGE, PAGE_INVALID, PAGE_SIZE_INVALID, parse_bounded

PAGE_SIZE = 20
MAX_PAGE_SIZE = 200
PAGE_NOT_FOUND = PAGE_INVALID.format(max=MAX_PAGE)
PAGE_PAST_THE_END = "页码超出范围：没有这一页。"
PAGE_SIZE_NOT_VALID = PAGE_SIZE_INVALID.format(max=MAX_PAGE_SIZE)


def page_params(request: Request) -> tuple[int, int]:
    """(page, page size) of the request, validated; 400 when either is not an integer in range."""
    number = parse_bounded(
        request.query_params.get("page"),
        default=1,
        min_value=1,
        max_value=MAX_PAGE,
        message=PAGE_NOT_FOUND,
        name="page",
    )
    size = parse_bounded(
        request.query_params.get("page_size"),
        default=PAGE_SIZE,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        message=PAGE_SIZE_NOT_VALID,
        name="page_size",
    )
    return number, size


def page_schema_parameters() -> list[dict[str, Any]]:
    return [
        {
            "name": "page",
            "required": False,
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            "description": "页码（从 1 开始）；无效或超出范围时返回 400",
        },
        {
            "name": "page_size",
            "required": False,
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            "description": f"每页条数（1 至 {MAX_PAGE_SIZE}，默认 {PAGE_SIZE}）",
        },
    ]


class StandardPagination(PageNumberPagination):
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        number, size = page_params(request)
        self.request = request
        paginator = self.django_paginator_class(queryset, size)
        try:
            self.page = paginator.page(number)
        except InvalidPage as exc:
            raise ValidationError({"page": [PAGE_PAST_THE_END]}) from exc
        return list(self.page)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return page_schema_parameters()


class NoCountPagination(BasePagination):
    """Page numbers without a total: fetches one row more than the page to know whether there is a next one.

    Used for the registry lists, where a COUNT over a province's two million laborers would cost more than
    the page itself. Same query parameters as StandardPagination (page, page_size <= 200).
    """

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        self.number, self.size = page_params(request)
        offset = (self.number - 1) * self.size
        rows = list(queryset[offset : offset + self.size + 1])
        if self.number > 1 and not rows:
            raise ValidationError({"page": [PAGE_PAST_THE_END]})
        self.has_next = len(rows) > self.size
        return rows[: self.size]

    def _link(self, number: int) -> str:
        url = self.request.build_absolute_uri()
        return remove_query_param(url, "page") if number == 1 else replace_query_param(url, "page", number)

    def get_paginated_response(self, data: Sequence[Any]) -> Response:
        return Response(
            {
                "page": self.number,
                "next": self._link(self.number + 1) if self.has_next else None,
                "previous": self._link(self.number - 1) if self.number > 1 else None,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["page", "next", "previous", "results"],
            "properties": {
                "page": {"type": "integer", "example": 1},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return page_schema_parameters()
