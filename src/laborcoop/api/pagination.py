from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

PAGE_NOT_FOUND = "页码无效。"


class StandardPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = PAGE_NOT_FOUND


class NoCountPagination(BasePagination):
    """Page numbers without a total: fetches one row more than the page to know whether there is a next one.

    Used for the registry lists, where a COUNT over a province's two million laborers would cost more than
    the page itself. Same query parameters as StandardPagination (page, page_size <= 200).
    """

    page_size = 20
    max_page_size = 200

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        self.number = self._int(request.query_params.get("page"), default=1)
        self.size = min(self._int(request.query_params.get("page_size"), default=self.page_size), self.max_page_size)
        offset = (self.number - 1) * self.size
        rows = list(queryset[offset : offset + self.size + 1])
        if self.number > 1 and not rows:
            raise NotFound(PAGE_NOT_FOUND)
        self.has_next = len(rows) > self.size
        return rows[: self.size]

    @staticmethod
    def _int(value: str | None, *, default: int) -> int:
        try:
            number = int(value) if value is not None else default
        except ValueError as exc:
            raise NotFound(PAGE_NOT_FOUND) from exc
        if number < 1:
            raise NotFound(PAGE_NOT_FOUND)
        return number

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
            "required": ["page", "results"],
            "properties": {
                "page": {"type": "integer", "example": 1},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {"name": "page", "required": False, "in": "query", "schema": {"type": "integer"}, "description": "页码"},
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "schema": {"type": "integer"},
                "description": "每页条数（最多 200）",
            },
        ]
