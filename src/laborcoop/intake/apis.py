"""/api/v1/imports/: upload a file as an import job, poll it, download its report and the templates."""

from typing import Any

from django.http import FileResponse, HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from laborcoop.core.api.pagination import StandardPagination
from laborcoop.core.api.views import ApiView, error_responses
from laborcoop.core.errors import ObjectNotFound
from laborcoop.intake.access import access_import_job
from laborcoop.intake.columns import ImportKind
from laborcoop.intake.jobs import import_retry
from laborcoop.intake.models import ImportJob
from laborcoop.intake.selectors import import_job_list
from laborcoop.intake.services import import_create
from laborcoop.intake.templates_xlsx import build_template

TAGS = ["数据导入"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAMES = {
    ImportKind.PERSONS: "家庭与人员导入模板.xlsx",
    ImportKind.WORK: "务工信息导入模板.xlsx",
    ImportKind.ENTERPRISES: "企业导入模板.xlsx",
    ImportKind.JOBS: "岗位导入模板.xlsx",
    ImportKind.ENT_REPORT: "企业报送表模板.xlsx",
}
_XLSX_RESPONSE = {
    (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="xlsx 文件"),
}


# A pattern rather than an enum: drf-spectacular names enums after the field, and "status" is taken by the
# job postings' enum (a collision is a schema warning).
@extend_schema_field(
    {
        "type": "string",
        "pattern": "^(" + "|".join(ImportJob.Status.values) + ")$",
        "description": "queued 排队中，running 导入中，succeeded 已完成，failed 失败（见 error）",
    }
)
class ImportStatusField(serializers.CharField):
    pass


_KIND_SCHEMA = {
    "type": "string",
    "pattern": "^(" + "|".join(ImportKind.values) + ")$",
    "description": "导入类型：" + "，".join(f"{value} {label}" for value, label in ImportKind.choices),
}


# A pattern for the same reason: other apps have "kind" enums, and this one sits in two components (the job and
# the upload request), so drf-spectacular cannot name it after either.
@extend_schema_field(_KIND_SCHEMA)
class ImportKindField(serializers.CharField):
    pass


@extend_schema_field(_KIND_SCHEMA)
class ImportKindChoiceField(serializers.ChoiceField):
    pass


class ImportJobSerializer(serializers.ModelSerializer):
    status = ImportStatusField(read_only=True)
    kind = ImportKindField(read_only=True)
    report_url = serializers.SerializerMethodField(help_text="问题报告（xlsx）的下载地址；无问题或未完成时为 null")

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "original_name",
            "status",
            "progress",
            "sheet",
            "header_row",
            "rows_total",
            "rows_done",
            "rows_created",
            "rows_updated",
            "rows_unchanged",
            "rows_rejected",
            "rows_warned",
            "error",
            "report_url",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_report_url(self, job: ImportJob) -> str | None:
        if not job.report:
            return None
        url = reverse("api:import_report", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class ImportCreateSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="xlsx、xls、ods 或 csv 文件，最大 50 MB", allow_empty_file=True)
    kind = ImportKindChoiceField(choices=ImportKind.choices, help_text="导入类型")


class ImportListView(ApiView):
    serializer_class = ImportJobSerializer
    pagination_class = StandardPagination
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        summary="导入任务列表（本人上传的；管理员另见管辖范围内的）",
        responses={200: ImportJobSerializer(many=True), **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(import_job_list(user=request.user))
        return self.get_paginated_response(ImportJobSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(
        tags=TAGS,
        summary="上传文件，创建导入任务",
        description="任务在后台执行，返回 202 和任务；轮询任务详情查看进度和结果。",
        request={"multipart/form-data": ImportCreateSerializer},
        responses={202: ImportJobSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        body = ImportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = import_create(
            acting_user=request.user, uploaded_file=body.validated_data["file"], kind=body.validated_data["kind"]
        )
        return Response(ImportJobSerializer(job, context={"request": request}).data, status=status.HTTP_202_ACCEPTED)


class ImportDetailView(ApiView):
    serializer_class = ImportJobSerializer

    @extend_schema(
        tags=TAGS,
        summary="导入任务详情（进度与结果）",
        responses={200: ImportJobSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        job = access_import_job(user=request.user, job_id=pk)
        return Response(ImportJobSerializer(job, context={"request": request}).data)


class ImportRetryView(ApiView):
    serializer_class = ImportJobSerializer

    @extend_schema(
        tags=TAGS,
        summary="重试失败的导入任务（从中断处继续，返回 202）",
        request=None,
        responses={202: ImportJobSerializer, **error_responses(401, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        import_retry(acting_user=request.user, job_id=pk)
        job = access_import_job(user=request.user, job_id=pk)
        return Response(ImportJobSerializer(job, context={"request": request}).data, status=status.HTTP_202_ACCEPTED)


class ImportReportView(ApiView):
    @extend_schema(
        tags=TAGS,
        summary="下载问题报告（xlsx，证件号与电话已脱敏）",
        responses={**_XLSX_RESPONSE, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Any:
        job = access_import_job(user=request.user, job_id=pk)
        return report_response(job)


class ImportTemplateView(ApiView):
    @extend_schema(
        tags=TAGS,
        summary="下载导入模板（xlsx）",
        responses={**_XLSX_RESPONSE, **error_responses(401, 404)},
    )
    def get(self, request: Request, kind: str) -> HttpResponse:
        return template_response(kind)


def report_response(job: ImportJob) -> FileResponse:
    if not job.report:
        raise ObjectNotFound
    return FileResponse(
        job.report.open("rb"), as_attachment=True, filename=f"导入问题报告_{job.pk}.xlsx", content_type=XLSX
    )


def template_response(kind: str) -> HttpResponse:
    if kind not in ImportKind.values:
        raise ObjectNotFound
    response = HttpResponse(build_template(ImportKind(kind)), content_type=XLSX)
    response["Content-Disposition"] = _attachment(TEMPLATE_NAMES[ImportKind(kind)])
    return response


def _attachment(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"template.xlsx\"; filename*=UTF-8''{quote(filename)}"
