"""/api/v1/regions/: the administrative tree. Reference data: any signed-in user reads any region."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from laborcoop.core.api.pagination import StandardPagination
from laborcoop.core.api.views import ApiView, error_responses
from laborcoop.regions.models import Region
from laborcoop.regions.selectors import region_ancestors, region_children, region_get, region_search
from laborcoop.regions.serializers import RegionDetailSerializer, RegionFilterSerializer, RegionSerializer

TAGS = ["行政区划"]


def _top_level() -> QuerySet[Region]:
    """The roots of the tree, for an account without a home region (the platform operator)."""
    return Region.objects.filter(parent__isnull=True).order_by("code")


class RegionListView(ApiView):
    serializer_class = RegionSerializer

    @extend_schema(
        tags=TAGS,
        summary="下级区划 / 按名称搜索区划",
        description=(
            "不带 q：列出 parent（默认为本账号所属区划）的直接下级，现行区划在前。"
            f"带 q：按名称搜索（有 parent 时只在其下），最多 {StandardPagination.max_page_size} 条。"
        ),
        parameters=[RegionFilterSerializer],
        responses={200: RegionSerializer(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        filters = RegionFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        parent_code: str = filters.validated_data["parent"]
        query: str = filters.validated_data["q"]
        user: Any = request.user
        parent = region_get(parent_code) if parent_code else user.home_region
        regions: QuerySet[Region] | list[Region]
        if query:
            within = parent.prefix if parent is not None and parent_code else ""
            regions = region_search(query, within_prefix=within, limit=StandardPagination.max_page_size)
        elif parent is not None:
            regions = region_children(parent.code)
        else:
            regions = _top_level()
        page = self.paginate_queryset(regions)
        return self.get_paginated_response(RegionSerializer(page, many=True).data)


class RegionDetailView(ApiView):
    serializer_class = RegionDetailSerializer

    @extend_schema(
        tags=TAGS,
        summary="区划详情（含上级链）",
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="区划代码（2/4/6/9/12 位）")],
        responses={200: RegionDetailSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, code: str) -> Response:
        region = region_get(code)
        return Response(RegionDetailSerializer(region, context={"ancestors": region_ancestors(region)}).data)
