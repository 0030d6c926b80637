"""/api/v1/comparisons/: upload a department's list for comparison (columns mapped automatically) and poll it."""

from typing import Any

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from laborcoop.core.api.pagination import StandardPagination
from laborcoop.core.api.views import ApiView, error_responses
from laborcoop.intake.readers import EMPTY_FILE
from laborcoop.linkage.access import access_comparison
from laborcoop.linkage.jobs import comparison_retry
from laborcoop.linkage.models import Comparison, Department
from laborcoop.linkage.selectors import comparison_list
from laborcoop.linkage.services import comparison_create, comparison_mapping_confirm
from laborcoop.linkage.services.upload import FILE_REQUIRED

TAGS = ["数据比对"]


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^(" + "|".join(Comparison.Status.values) + ")$",
        "description": "mapping 待确认列，queued 排队中，running 比对中，succeeded 已完成，failed 失败（见 error）",
    }
)
class ComparisonStatusField(serializers.CharField):
    pass


class ComparisonSerializer(serializers.ModelSerializer):
    status = ComparisonStatusField(read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True, allow_null=True)
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Comparison
        fields = [
            "id",
            "department",
            "original_name",
            "region_code",
            "status",
            "progress",
            "phase",
            "threshold",
            "counts",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                name: {"type": "integer"}
                for name in (
                    "rows",
                    "rows_id_damaged",
                    "ours",
                    "matched",
                    "review",
                    "conflicts",
                    "only_ours",
                    "only_theirs",
                    "changes",
                )
            },
        }
    )
    def get_counts(self, comparison: Comparison) -> dict[str, int]:
        return {
            "rows": comparison.rows_total,
            "rows_id_damaged": comparison.rows_id_damaged,
            "ours": comparison.ours_total,
            "matched": comparison.matched_count,
            "review": comparison.review_count,  # matches below 高可信: each needs a person's decision
            "conflicts": comparison.conflict_count,
            "only_ours": comparison.only_ours_count,
            "only_theirs": comparison.only_theirs_count,
            "changes": comparison.changes_count,
        }


class ComparisonCreateSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="xlsx、xls、ods 或 csv 文件，最大 50 MB",
        allow_empty_file=True,
        error_messages={"required": FILE_REQUIRED, "invalid": FILE_REQUIRED, "empty": EMPTY_FILE},
    )
    department = serializers.ChoiceField(
        choices=Department.choices,
        help_text="名单来源：poverty 防返贫监测，household_reg 公安户籍，social_insurance 社保参保，"
        "unemployment 失业登记，dibao 民政低保",
        error_messages={"invalid_choice": "请选择名单来源（部门及名单类型）", "required": "请选择名单来源"},
    )


class ComparisonListView(ApiView):
    serializer_class = ComparisonSerializer
    pagination_class = StandardPagination
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        summary="数据比对列表（管辖范围内的）",
        responses={200: ComparisonSerializer(many=True), **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(comparison_list(user=request.user))
        return self.get_paginated_response(ComparisonSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="上传名单，按列名自动对应后开始比对",
        description="比对在后台执行，返回 202 和比对任务；轮询详情查看进度和各类人数。审核建议变更请在网页上进行。",
        request={"multipart/form-data": ComparisonCreateSerializer},
        responses={202: ComparisonSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        body = ComparisonCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            comparison = comparison_create(
                acting_user=request.user,
                uploaded_file=body.validated_data["file"],
                department=body.validated_data["department"],
            )
            comparison = comparison_mapping_confirm(
                acting_user=request.user, comparison=comparison, mapping=comparison.mapping
            )
        comparison.refresh_from_db()
        return Response(ComparisonSerializer(comparison).data, status=status.HTTP_202_ACCEPTED)


class ComparisonDetailView(ApiView):
    serializer_class = ComparisonSerializer

    @extend_schema(
        tags=TAGS,
        summary="数据比对详情（状态、进度、各类人数）",
        responses={200: ComparisonSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: Any) -> Response:
        comparison = access_comparison(user=request.user, comparison_id=pk)
        return Response(ComparisonSerializer(comparison).data)


class ComparisonRetryView(ApiView):
    serializer_class = ComparisonSerializer

    @extend_schema(
        tags=TAGS,
        summary="重新运行失败的数据比对（返回 202）",
        request=None,
        responses={202: ComparisonSerializer, **error_responses(401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: Any) -> Response:
        comparison = comparison_retry(acting_user=request.user, comparison_id=pk)
        comparison = access_comparison(user=request.user, comparison_id=comparison.pk)
        return Response(ComparisonSerializer(comparison).data, status=status.HTTP_202_ACCEPTED)
