"""/api/v1/enterprises/: list, detail, register and update, through employers.selectors / services."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from laborcoop.accounts.roles import Cap
from laborcoop.api.serializers.employers import (
    EnterpriseFilterSerializer,
    EnterpriseListSerializer,
    EnterpriseSerializer,
    EnterpriseUpdateSerializer,
    EnterpriseWriteSerializer,
    enterprise_merged_update,
)
from laborcoop.core.api.views import ApiView, error_responses, require_version
from laborcoop.employers import services
from laborcoop.employers.access import access_enterprise
from laborcoop.employers.selectors import enterprise_list

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
