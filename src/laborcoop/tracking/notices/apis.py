"""/api/v1/destination-notices/ (both sides, by `side`), .../{id}/confirm/ and .../{id}/not-arrived/ (the input
side's answer). The two sides' reconciliation (/api/v1/reconciliation/) is tracking.reconcile.apis."""

from typing import Any

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from laborcoop.accounts.capabilities import Cap
from laborcoop.core.api.pagination import NoCountPagination
from laborcoop.core.api.views import ApiView, error_responses
from laborcoop.tracking.choices import NoticeStatus
from laborcoop.tracking.models import DestinationNotice
from laborcoop.tracking.notices import services
from laborcoop.tracking.notices.selectors import (
    access_notice_for_input,
    notice_input_list,
    notice_input_row,
    notice_output_list,
)

TAGS = ["去向通报"]
SIDE_OUTPUT = "output"
SIDE_INPUT = "input"


class NoticeFilterSerializer(serializers.Serializer):
    side = serializers.ChoiceField(
        choices=[
            (SIDE_OUTPUT, "输出地（户籍在辖区内的劳动者）"),
            (SIDE_INPUT, "输入地（在辖区内或本企业务工的劳动者）"),
        ],
        required=False,
        default=SIDE_OUTPUT,
        help_text="output：户籍所在地视角（默认）；input：务工所在地或用工企业视角（身份脱敏）",
    )
    status = serializers.ChoiceField(choices=NoticeStatus.choices, required=False, help_text="通报状态")


class OutputNoticeSerializer(serializers.ModelSerializer):
    """What the output side (the laborer's home) sees: its own laborer, named."""

    record = serializers.IntegerField(source="record_id", read_only=True)
    laborer = serializers.IntegerField(source="laborer_id", read_only=True)
    laborer_name = serializers.CharField(source="laborer.name", read_only=True)
    laborer_id_masked = serializers.CharField(source="laborer.id_masked", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True, help_text="户籍所在村代码")
    region_name = serializers.CharField(source="region.name", read_only=True)
    work_region_code = serializers.CharField(source="work_region_id", read_only=True, help_text="务工所在县代码")
    work_region_name = serializers.CharField(source="work_region.name", read_only=True)
    employer_name = serializers.CharField(source="record.employer_name", read_only=True)
    start_date = serializers.DateField(source="record.start_date", read_only=True)
    end_date = serializers.DateField(source="record.end_date", read_only=True, allow_null=True)
    needs_attention = serializers.SerializerMethodField(help_text="输入地报告未到岗，需户籍所在地跟进")

    class Meta:
        model = DestinationNotice
        fields = [
            "id",
            "record",
            "laborer",
            "laborer_name",
            "laborer_id_masked",
            "region_code",
            "region_name",
            "work_region_code",
            "work_region_name",
            "employer_name",
            "start_date",
            "end_date",
            "status",
            "needs_attention",
            "note",
            "confirmed_at",
            "version",
            "created_at",
        ]
        read_only_fields = fields

    def get_needs_attention(self, obj: DestinationNotice) -> bool:
        return obj.status == NoticeStatus.NOT_ARRIVED


class InputNoticeSerializer(serializers.Serializer):
    """What the input side sees: the notice, the employment facts and a masked identity (surname, last four ID
    digits); never the name, the ID number, the phone or the household."""

    id = serializers.IntegerField()
    record = serializers.IntegerField(source="record_id")
    masked_name = serializers.CharField(help_text="姓名：企业用户可看到本企业在岗员工的姓名，其余只显示姓")
    id_last4 = serializers.CharField(help_text="证件号码后四位")
    home_county_code = serializers.SerializerMethodField(help_text="户籍所在县代码（输出地）")
    home_county_name = serializers.CharField(allow_null=True)
    work_region_code = serializers.CharField(source="work_region_id")
    work_region_name = serializers.CharField()
    employer_name = serializers.CharField()
    job_title = serializers.CharField(allow_null=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    monthly_wage = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=NoticeStatus.choices)
    note = serializers.CharField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()

    def get_home_county_code(self, row: dict[str, Any]) -> str:
        return str(row["region_id"])[:6].ljust(12, "0")


class AnswerSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="读取时的版本号；已被他人处理时返回 409")


class NotArrivedSerializer(AnswerSerializer):
    note = serializers.CharField(
        max_length=services.NOTE_MAX, help_text="未到岗情况说明（必填，户籍所在地可见）", allow_blank=True
    )


class NoticeListView(ApiView):
    pagination_class = NoCountPagination
    serializer_class = OutputNoticeSerializer

    @extend_schema(
        tags=TAGS,
        summary="去向通报列表",
        description=(
            "side=output：户籍在您管辖范围内、在户籍所在县以外务工的劳动者的去向通报，报告未到岗的在前；"
            "side=input：在您辖区内（企业用户：本企业）务工的外地劳动者的去向通报，待确认的在前，"
            "只含就业信息，姓名只显示姓、证件号码只显示后四位。"
        ),
        parameters=[NoticeFilterSerializer],
        responses={
            200: PolymorphicProxySerializer(
                component_name="DestinationNoticeBySide",
                serializers=[OutputNoticeSerializer, InputNoticeSerializer],
                resource_type_field_name=None,
                many=True,
            ),
            **error_responses(400, 401, 403),
        },
    )
    def get(self, request: Request) -> Response:
        body = NoticeFilterSerializer(data=request.query_params)
        body.is_valid(raise_exception=True)
        side, status = body.validated_data["side"], body.validated_data.get("status", "")
        if side == SIDE_INPUT:
            rows = self.paginate_queryset(notice_input_list(user=request.user, status=status))
            return self.get_paginated_response(InputNoticeSerializer(rows, many=True).data)
        page = self.paginate_queryset(notice_output_list(user=request.user, status=status))
        return self.get_paginated_response(OutputNoticeSerializer(page, many=True).data)


class NoticeConfirmView(ApiView):
    serializer_class = InputNoticeSerializer

    @extend_schema(
        tags=TAGS,
        summary="确认到岗（输入地）",
        description="务工所在地或用工企业确认劳动者已到岗。户籍所在地只能查看（403）；已被他人处理时返回 409。",
        request=AnswerSerializer,
        responses={200: InputNoticeSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        access_notice_for_input(user=request.user, notice_id=pk, cap=Cap.EMPLOYERS_EDIT)
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.destination_notice_confirm(
            acting_user=request.user, notice_id=pk, expected_version=body.validated_data["version"]
        )
        return Response(InputNoticeSerializer(notice_input_row(user=request.user, notice_id=pk)).data)


class NoticeNotArrivedView(ApiView):
    serializer_class = InputNoticeSerializer

    @extend_schema(
        tags=TAGS,
        summary="报告未到岗（输入地）",
        description="务工所在地或用工企业报告劳动者未到岗并说明情况；户籍所在地在其通报列表中看到并跟进。",
        request=NotArrivedSerializer,
        responses={200: InputNoticeSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        access_notice_for_input(user=request.user, notice_id=pk, cap=Cap.EMPLOYERS_EDIT)
        body = NotArrivedSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.destination_notice_report_not_arrived(
            acting_user=request.user,
            notice_id=pk,
            expected_version=body.validated_data["version"],
            note=body.validated_data["note"],
        )
        return Response(InputNoticeSerializer(notice_input_row(user=request.user, notice_id=pk)).data)
