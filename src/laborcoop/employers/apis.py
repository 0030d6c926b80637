"""/api/v1/enterprises/ (list, detail, register and update) and /api/v1/jobs/ (list, detail, post, update and
status changes), through employers.selectors / services."""

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from laborcoop.accounts.access import require_cap
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.api.views import ApiView, error_responses, require_version
from laborcoop.core.errors import ObjectNotFound
from laborcoop.employers import services
from laborcoop.employers.access import access_enterprise, access_job, access_market_job
from laborcoop.employers.selectors import enterprise_list, job_list, market_list
from laborcoop.employers.serializers import (
    EnterpriseFilterSerializer,
    EnterpriseListSerializer,
    EnterpriseSerializer,
    EnterpriseUpdateSerializer,
    EnterpriseWriteSerializer,
    JobCreateSerializer,
    JobFilterSerializer,
    JobMarketDetailSerializer,
    JobMarketFilterSerializer,
    JobMarketSerializer,
    JobSerializer,
    JobStatusSerializer,
    JobUpdateSerializer,
    enterprise_merged_update,
    job_merged_update,
)
from laborcoop.regions.paths import RegionNames

TAGS = ["企业与岗位"]


class EnterpriseListView(ApiView):
    serializer_class = EnterpriseListSerializer

    @extend_schema(
        tags=TAGS,
        summary="企业列表（管辖范围内；企业用户只看到本企业）",
        parameters=[EnterpriseFilterSerializer],
        responses={200: EnterpriseListSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        filters = EnterpriseFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(enterprise_list(user=request.user, **filters.validated_data))
        return self.get_paginated_response(EnterpriseListSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="登记企业",
        request=EnterpriseWriteSerializer,
        responses={201: EnterpriseSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        services.require_can_create_enterprise(request.user)
        body = EnterpriseWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        enterprise = services.enterprise_create(acting_user=request.user, data=body.validated_data)
        return Response(EnterpriseSerializer(enterprise).data, status=status.HTTP_201_CREATED)


class EnterpriseDetailView(ApiView):
    serializer_class = EnterpriseSerializer

    @extend_schema(
        tags=TAGS,
        summary="企业详情",
        responses={200: EnterpriseSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        enterprise = access_enterprise(user=request.user, enterprise_id=pk)
        return Response(EnterpriseSerializer(enterprise).data)

    @extend_schema(
        tags=TAGS,
        summary="修改企业信息",
        description=(
            "只需提交要修改的字段，另须提交读取时的 version。企业用户不能修改统一社会信用代码、所在地区和帮扶认定。"
        ),
        request=EnterpriseUpdateSerializer,
        responses={200: EnterpriseSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        enterprise = access_enterprise(user=request.user, enterprise_id=pk, cap=Cap.EMPLOYERS_EDIT)
        body = EnterpriseUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        expected_version = changes.pop("version")
        require_version(enterprise, expected_version)
        saved = services.enterprise_update(
            acting_user=request.user,
            enterprise=enterprise,
            data=enterprise_merged_update(enterprise, changes),
            expected_version=expected_version,
        )
        return Response(EnterpriseSerializer(saved).data)


class JobListView(ApiView):
    serializer_class = JobSerializer

    @extend_schema(
        tags=TAGS,
        summary="岗位列表（管辖范围内；企业用户只看到本企业的岗位）",
        parameters=[JobFilterSerializer],
        responses={200: JobSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        filters = JobFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        params = dict(filters.validated_data)
        jobs = job_list(user=request.user, enterprise_id=params.pop("enterprise"), **params)
        page = self.paginate_queryset(jobs)
        return self.get_paginated_response(JobSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="发布岗位",
        request=JobCreateSerializer,
        responses={201: JobSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        require_cap(request.user, Cap.JOBS_EDIT)
        body = JobCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        enterprise_id = data.pop("enterprise_id")
        try:
            enterprise = access_enterprise(user=request.user, enterprise_id=enterprise_id, cap=Cap.JOBS_EDIT)
        except ObjectNotFound as exc:
            # A reference in the body, not the resource of the URL: a field error, the same for a missing
            # enterprise and one outside the caller's scope.
            raise ValidationError({"enterprise_id": [ObjectNotFound.message]}) from exc
        job = services.job_create(acting_user=request.user, enterprise=enterprise, data=data)
        return Response(JobSerializer(job).data, status=status.HTTP_201_CREATED)


class JobDetailView(ApiView):
    serializer_class = JobSerializer

    @extend_schema(
        tags=TAGS,
        summary="岗位详情",
        responses={200: JobSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(JobSerializer(access_job(user=request.user, job_id=pk)).data)

    @extend_schema(
        tags=TAGS,
        summary="修改岗位",
        description="只需提交要修改的字段，另须提交读取时的 version。状态通过 /status/ 修改。",
        request=JobUpdateSerializer,
        responses={200: JobSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        job = access_job(user=request.user, job_id=pk, cap=Cap.JOBS_EDIT)
        body = JobUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        expected_version = changes.pop("version")
        require_version(job, expected_version)
        saved = services.job_update(
            acting_user=request.user,
            job=job,
            data=job_merged_update(job, changes),
            expected_version=expected_version,
        )
        return Response(JobSerializer(saved).data)


class JobStatusView(ApiView):
    serializer_class = JobSerializer

    @extend_schema(
        tags=TAGS,
        summary="开启、暂停或结束招聘",
        request=JobStatusSerializer,
        responses={200: JobSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        job = access_job(user=request.user, job_id=pk, cap=Cap.JOBS_EDIT)
        body = JobStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        saved = services.job_set_status(
            acting_user=request.user,
            job=job,
            status=body.validated_data["status"],
            expected_version=body.validated_data["version"],
        )
        return Response(JobSerializer(saved).data)


MARKET_TAGS = ["岗位市场"]


def _market_context(jobs: Any) -> dict[str, Any]:
    names = RegionNames()
    names.load(job.work_region_id for job in jobs)
    return {"region_names": names}


class JobMarketListView(ApiView):
    serializer_class = JobMarketSerializer

    @extend_schema(
        tags=MARKET_TAGS,
        summary="岗位市场：全国招聘中的岗位（只读）",
        description=(
            "所有登录用户（经办人、管理员、经纪人、12333 热线、企业用户）都可查看全国招聘中且未过有效期止的岗位，"
            "不含联系人和电话。默认最新发布在前；order=wage 按月薪从高到低。"
        ),
        parameters=[JobMarketFilterSerializer],
        responses={200: JobMarketSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        filters = JobMarketFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(market_list(user=request.user, **filters.validated_data))
        rows = list(page or [])
        return self.get_paginated_response(JobMarketSerializer(rows, many=True, context=_market_context(rows)).data)


class JobMarketDetailView(ApiView):
    serializer_class = JobMarketDetailSerializer

    @extend_schema(
        tags=MARKET_TAGS,
        summary="岗位市场：岗位详情（只读）",
        description="只限招聘中且未过有效期止的岗位；其他岗位返回 404。",
        responses={200: JobMarketDetailSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        job = access_market_job(user=request.user, job_id=pk)
        return Response(JobMarketDetailSerializer(job, context=_market_context([job])).data)
