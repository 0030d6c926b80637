"""/api/v1/matching-runs/: batch matching (mode 3) as a job like every other: start one over a region of the
caller's subtree, poll its status and counts, retry a failed one."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from laborcoop.core.api.pagination import StandardPagination
from laborcoop.core.api.views import ApiView, error_responses
from laborcoop.matching.models import MatchingRun
from laborcoop.matching.services import matching_run_retry
from laborcoop.matching.services.batch import access_matching_run, matching_run_create, matching_runs_for

TAGS = ["人岗匹配"]


class MatchingRunSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True, help_text="范围（12位区划代码）")
    region_name = serializers.CharField(source="region.name", read_only=True)
    status = serializers.ChoiceField(
        choices=MatchingRun.Status.choices,
        read_only=True,
        help_text="queued 排队中，running 运行中，succeeded 已完成，failed 失败（见 error）",
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    filled_percent = serializers.FloatField(read_only=True, help_text="空缺填充率（%）")

    class Meta:
        model = MatchingRun
        fields = [
            "id",
            "region",
            "region_name",
            "status",
            "status_label",
            "progress",
            "include_employed",
            "include_unreachable",
            "laborers_considered",
            "jobs_considered",
            "openings",
            "assigned",
            "filled_percent",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class MatchingRunCreateSerializer(serializers.Serializer):
    region = serializers.RegexField(
        r"^\d{12}$",
        required=False,
        allow_blank=True,  # a form field left empty is read as not given: say so in the schema
        help_text="范围（12位区划代码，须在本人管辖范围内）；不填或留空为本人所属区划",
        error_messages={"invalid": "请填写12位区划代码。"},
    )
    include_employed = serializers.BooleanField(required=False, default=False, help_text="包括已就业人员")
    include_unreachable = serializers.BooleanField(required=False, default=False, help_text="包括失联人员")


def _data(run: MatchingRun) -> Any:
    return MatchingRunSerializer(run).data


class MatchingRunListView(ApiView):
    serializer_class = MatchingRunSerializer
    pagination_class = StandardPagination

    @extend_schema(
        tags=TAGS,
        summary="批量匹配列表（管辖范围内，最新在前）",
        responses={200: MatchingRunSerializer(many=True), **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(matching_runs_for(request.user))
        return self.get_paginated_response(MatchingRunSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="发起批量匹配（后台运行，返回 202；轮询详情查看状态与进度）",
        request=MatchingRunCreateSerializer,
        responses={202: MatchingRunSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        body = MatchingRunCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = matching_run_create(
            acting_user=request.user,
            region_code=body.validated_data.get("region") or None,
            include_employed=body.validated_data["include_employed"],
            include_unreachable=body.validated_data["include_unreachable"],
        )
        run = access_matching_run(user=request.user, run_id=run.pk)
        return Response(_data(run), status=status.HTTP_202_ACCEPTED)


class MatchingRunDetailView(ApiView):
    serializer_class = MatchingRunSerializer

    @extend_schema(
        tags=TAGS,
        summary="批量匹配详情：状态、进度与分配结果计数",
        responses={200: MatchingRunSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_data(access_matching_run(user=request.user, run_id=pk)))


class MatchingRunRetryView(ApiView):
    serializer_class = MatchingRunSerializer

    @extend_schema(
        tags=TAGS,
        summary="重试失败的批量匹配（返回 202）",
        request=None,
        responses={202: MatchingRunSerializer, **error_responses(401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        matching_run_retry(acting_user=request.user, run_id=pk)
        return Response(_data(access_matching_run(user=request.user, run_id=pk)), status=status.HTTP_202_ACCEPTED)
