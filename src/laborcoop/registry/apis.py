"""/api/v1/households/: list, detail with members, create, update, and registering a member."""

from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from laborcoop.accounts.access import require_cap
from laborcoop.accounts.roles import Cap
from laborcoop.api.serializers.households import (
    HouseholdDetailSerializer,
    HouseholdFilterSerializer,
    HouseholdSerializer,
    HouseholdUpdateSerializer,
    HouseholdWriteSerializer,
    household_merged_update,
)
from laborcoop.api.serializers.laborers import LaborerSerializer, LaborerWriteSerializer
from laborcoop.core.api.pagination import NoCountPagination
from laborcoop.core.api.views import ApiView, error_fields_renamed, error_responses, require_version
from laborcoop.registry import services
from laborcoop.registry.access import access_household
from laborcoop.registry.models import Household, Laborer
from laborcoop.registry.selectors import household_list, household_members

TAGS = ["家庭与人员"]
# The services report the village under the model's field name; the API body calls it region_code.
_HOUSEHOLD_ERROR_FIELDS = {"region": "region_code"}


def _detail(household: Household) -> dict[str, Any]:
    members = list(household_members(household=household))
    return HouseholdDetailSerializer(household, context={"members": members}).data


class HouseholdListView(ApiView):
    pagination_class = NoCountPagination
    serializer_class = HouseholdSerializer

    @extend_schema(
        tags=TAGS,
        summary="家庭列表（管辖范围内）",
        parameters=[HouseholdFilterSerializer],
        responses={200: HouseholdSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        filters = HouseholdFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        # A correlated count per returned row: a GROUP BY over the whole scope would aggregate a province.
        members = Laborer.objects.filter(household=OuterRef("pk")).order_by().values("household")
        households = household_list(user=request.user, **filters.validated_data).annotate(
            member_count=Coalesce(Subquery(members.annotate(n=Count("id")).values("n")), 0)
        )
        page = self.paginate_queryset(households)
        return self.get_paginated_response(HouseholdSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="登记家庭",
        description="校验提示（warnings）视为已确认，保存后随记录返回。",
        request=HouseholdWriteSerializer,
        responses={201: HouseholdDetailSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        require_cap(request.user, Cap.REGISTRY_EDIT)
        body = HouseholdWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with error_fields_renamed(_HOUSEHOLD_ERROR_FIELDS):
            household = services.household_create(
                acting_user=request.user, data=body.validated_data, confirm_warnings=True
            )
        return Response(_detail(household), status=status.HTTP_201_CREATED)


class HouseholdDetailView(ApiView):
    serializer_class = HouseholdDetailSerializer

    @extend_schema(
        tags=TAGS,
        summary="家庭详情（含成员）",
        responses={200: HouseholdDetailSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        household = access_household(user=request.user, household_id=pk)
        return Response(_detail(household))

    @extend_schema(
        tags=TAGS,
        summary="修改家庭",
        description="只需提交要修改的字段，另须提交读取时的 version。",
        request=HouseholdUpdateSerializer,
        responses={200: HouseholdDetailSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        household = access_household(user=request.user, household_id=pk, cap=Cap.REGISTRY_EDIT)
        body = HouseholdUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        expected_version = changes.pop("version")
        require_version(household, expected_version)
        with error_fields_renamed(_HOUSEHOLD_ERROR_FIELDS):
            saved = services.household_update(
                acting_user=request.user,
                household=household,
                data=household_merged_update(household, changes),
                expected_version=expected_version,
                confirm_warnings=True,
            )
        return Response(_detail(saved))


class HouseholdMemberCreateView(ApiView):
    serializer_class = LaborerSerializer

    @extend_schema(
        tags=TAGS,
        summary="登记家庭成员",
        description="第一位成员须为户主。校验提示（warnings）视为已确认，保存后随记录返回。",
        request=LaborerWriteSerializer,
        responses={201: LaborerSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        household = access_household(user=request.user, household_id=pk, cap=Cap.REGISTRY_EDIT)
        body = LaborerWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        laborer = services.laborer_register(
            acting_user=request.user, household=household, data=body.validated_data, confirm_warnings=True
        )
        return Response(LaborerSerializer(laborer).data, status=status.HTTP_201_CREATED)
