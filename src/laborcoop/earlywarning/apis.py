"""/api/v1/warnings/ (the warnings in the caller's scope) and the actions on one warning:
/api/v1/warnings/{id}/handle/, /dismiss/ (reason required) and /assign/."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from laborcoop.accounts.access import require_cap
from laborcoop.core.api.fields import days_param, id_param
from laborcoop.core.api.pagination import NoCountPagination
from laborcoop.core.api.views import ApiView, error_responses
from laborcoop.earlywarning import services
from laborcoop.earlywarning.access import VIEW_CAP, access_warning
from laborcoop.earlywarning.choices import Severity, WarningStatus
from laborcoop.earlywarning.models import EarlyWarning
from laborcoop.earlywarning.rules import RULE_CHOICES, rule_title
from laborcoop.earlywarning.selectors import (
    SORT_NEWEST,
    SORT_OLDEST,
    STATUS_ALL,
    STATUS_LIVE,
    WarningFilters,
    age_days,
    warning_list,
    warning_row,
)

TAGS = ["预警"]
SUBJECT_TYPES = {"L": "laborer", "H": "household", "R": "record"}


class WarningFilterSerializer(serializers.Serializer):
    rule = serializers.ChoiceField(choices=RULE_CHOICES, required=False, help_text="预警规则代码")
    severity = serializers.ChoiceField(choices=Severity.choices, required=False, help_text="严重程度")
    status = serializers.ChoiceField(
        choices=[*WarningStatus.choices, (STATUS_ALL, "全部（含已消除）")],
        required=False,
        help_text="状态；不填为未消除的全部预警（待处理、已处理、已忽略）",
    )
    region = serializers.RegexField(
        r"^\d{12}$", required=False, help_text="12 位区划代码：只看该地区（须在管辖范围内）"
    )
    min_age = days_param(required=False, help_text="预警天数不少于")
    overdue = serializers.BooleanField(required=False, help_text="只看逾期未处理的")
    laborer = id_param(required=False, help_text="人员 id")
    household = id_param(required=False, help_text="家庭 id")
    sort = serializers.ChoiceField(
        choices=[(SORT_OLDEST, "预警时间最久的在前"), (SORT_NEWEST, "最新的在前")], required=False
    )

    def filters(self) -> WarningFilters:
        d = self.validated_data
        return WarningFilters(
            rule=d.get("rule", ""),
            severity=d.get("severity", ""),
            status=d.get("status", STATUS_LIVE),
            region=d.get("region", ""),
            min_age=d.get("min_age"),
            overdue=bool(d.get("overdue", False)),
            laborer=d.get("laborer"),
            household=d.get("household"),
            sort=d.get("sort", SORT_OLDEST),
        )


def masked_name(name: str) -> str:
    return f"{name[:1]}**" if name else ""


class WarningSerializer(serializers.ModelSerializer):
    rule_title = serializers.SerializerMethodField(help_text="预警规则名称")
    region_code = serializers.CharField(source="region_id", read_only=True, help_text="责任地区代码（户籍所在村）")
    region_name = serializers.CharField(source="region.name", read_only=True)
    subject_type = serializers.SerializerMethodField(help_text="laborer 人员 / household 家庭 / record 就业记录")
    laborer = serializers.IntegerField(source="laborer_id", allow_null=True, read_only=True, help_text="人员 id")
    laborer_label = serializers.SerializerMethodField(help_text="人员（脱敏）：姓氏**（证件号码脱敏）")
    household = serializers.IntegerField(source="household_id", allow_null=True, read_only=True, help_text="家庭 id")
    household_label = serializers.SerializerMethodField(help_text="户编号")
    age_days = serializers.SerializerMethodField(help_text="预警天数（自首次预警起）")
    owner = serializers.IntegerField(source="owner_id", allow_null=True, read_only=True, help_text="负责人 id")
    owner_name = serializers.SerializerMethodField()

    class Meta:
        model = EarlyWarning
        fields = [
            "id",
            "rule",
            "rule_title",
            "severity",
            "status",
            "region_code",
            "region_name",
            "subject_key",
            "subject_type",
            "laborer",
            "laborer_label",
            "household",
            "household_label",
            "detail",
            "data",
            "due_date",
            "created_at",
            "last_seen_at",
            "age_days",
            "owner",
            "owner_name",
            "handled_at",
            "resolution",
            "resolved_at",
            "version",
        ]
        read_only_fields = fields

    def get_rule_title(self, obj: EarlyWarning) -> str:
        return rule_title(obj.rule)

    def get_subject_type(self, obj: EarlyWarning) -> str:
        return SUBJECT_TYPES.get(obj.subject_key[:1], "")

    def get_laborer_label(self, obj: EarlyWarning) -> str | None:
        laborer = obj.laborer
        return f"{masked_name(laborer.name)}（{laborer.id_masked}）" if laborer is not None else None

    def get_household_label(self, obj: EarlyWarning) -> str | None:
        return obj.household.household_no if obj.household is not None else None

    def get_age_days(self, obj: EarlyWarning) -> int:
        return age_days(obj, timezone.localdate())

    def get_owner_name(self, obj: EarlyWarning) -> str | None:
        return str(obj.owner) if obj.owner_id is not None else None


class WarningListView(ApiView):
    pagination_class = NoCountPagination
    serializer_class = WarningSerializer

    @extend_schema(
        tags=TAGS,
        summary="预警列表（管辖范围内）",
        description=(
            "责任地区（人员或家庭的户籍所在村）在您管辖范围内的预警，按预警时间排列（最久的在前）。"
            "每条含规则、严重程度、状态、责任地区代码，以及所涉人员或家庭（id 和脱敏标识）。"
            "需“查看预警”权限（经办人、管理员、只读用户、劳务经纪人）。"
        ),
        parameters=[WarningFilterSerializer],
        responses={200: WarningSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        require_cap(request.user, VIEW_CAP)
        body = WarningFilterSerializer(data=request.query_params)
        body.is_valid(raise_exception=True)
        page = self.paginate_queryset(warning_list(user=request.user, filters=body.filters()))
        return self.get_paginated_response(WarningSerializer(page, many=True).data)


class HandleSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="读取时的版本号（防止覆盖他人的修改）")
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="处理说明（选填）")


class DismissSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="读取时的版本号")
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="忽略原因（必填）")


class AssignSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="读取时的版本号")
    owner = serializers.IntegerField(min_value=1, allow_null=True, help_text="负责人用户 id；null 为取消负责人")


class _ActionView(ApiView):
    serializer_class = WarningSerializer
    body_class: type[serializers.Serializer] = HandleSerializer

    def act(self, request: Request, pk: int, data: dict[str, Any]) -> None:  # pragma: no cover (abstract)
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        access_warning(user=request.user, warning_id=pk, for_action=True)  # 401 / 403 / 404 before a 400
        body = self.body_class(data=request.data)
        body.is_valid(raise_exception=True)
        self.act(request, pk, dict(body.validated_data))
        return Response(WarningSerializer(warning_row(user=request.user, warning_id=pk)).data)


_ACTION_ERRORS = error_responses(400, 401, 403, 404, 409)


class WarningHandleView(_ActionView):
    body_class = HandleSerializer

    @extend_schema(
        tags=TAGS,
        summary="标记预警为已处理",
        description="需“登记和修改人员与家庭”权限；预警须在管辖范围内。条件仍成立时保持“已处理”，条件消失后系统自动标记“已消除”。",
        request=HandleSerializer,
        responses={200: WarningSerializer, **_ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, request: Request, pk: int, data: dict[str, Any]) -> None:
        services.warning_handle(
            acting_user=request.user, warning_id=pk, expected_version=data["version"], note=data["note"]
        )


class WarningDismissView(_ActionView):
    body_class = DismissSerializer

    @extend_schema(
        tags=TAGS,
        summary="忽略预警（须填写原因）",
        description='未填写原因返回 400：{"reason": ["请填写忽略原因。"]}，预警不变。',
        request=DismissSerializer,
        responses={200: WarningSerializer, **_ACTION_ERRORS},
        examples=[OpenApiExample("忽略", value={"version": 1, "reason": "核实为数据错误，已更正"}, request_only=True)],
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, request: Request, pk: int, data: dict[str, Any]) -> None:
        services.warning_dismiss(
            acting_user=request.user, warning_id=pk, expected_version=data["version"], reason=data["reason"]
        )


class WarningAssignView(_ActionView):
    body_class = AssignSerializer

    @extend_schema(
        tags=TAGS,
        summary="指定预警负责人",
        description="负责人须在您的管辖范围内，且能处理该地区的预警。",
        request=AssignSerializer,
        responses={200: WarningSerializer, **_ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, request: Request, pk: int, data: dict[str, Any]) -> None:
        services.warning_assign(
            acting_user=request.user, warning_id=pk, expected_version=data["version"], owner_id=data["owner"]
        )
