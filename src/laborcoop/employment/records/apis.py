"""/api/v1/employment-records/ (output side), /api/v1/employment-records/input/ (input side, masked) and
/api/v1/laborers/{id}/employment-records/ (one laborer's trajectory)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from laborcoop.core.api.pagination import NoCountPagination
from laborcoop.core.api.views import ApiView, error_responses
from laborcoop.employers.choices import Industry
from laborcoop.employment import choices as c
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records.selectors import (
    STATUS_ENDED,
    STATUS_ONGOING,
    RecordFilters,
    employment_record_input_list,
    employment_record_list,
    laborer_employment_records,
)
from laborcoop.registry.access import access_laborer
from laborcoop.registry.choices import WorkArea

TAGS = ["就业记录"]


class RecordFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(STATUS_ONGOING, "在岗"), (STATUS_ENDED, "已结束")], required=False, help_text="在岗或已结束"
    )
    work_area = serializers.ChoiceField(choices=WorkArea.choices, required=False, help_text="务工地域")
    channel = serializers.ChoiceField(choices=c.Channel.choices, required=False, help_text="就业渠道")
    region = serializers.RegexField(
        r"^\d{12}$", required=False, help_text="12 位区划代码：只看该地区（须在管辖范围内）"
    )


class EmploymentRecordSerializer(serializers.ModelSerializer):
    laborer_name = serializers.CharField(source="laborer.name", read_only=True)
    laborer_id_masked = serializers.CharField(source="laborer.id_masked", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True, help_text="户籍所在村代码")
    work_region_code = serializers.CharField(source="work_region_id", read_only=True, help_text="务工所在县代码")
    work_region_name = serializers.CharField(source="work_region.name", read_only=True)

    class Meta:
        model = EmploymentRecord
        fields = [
            "id",
            "laborer",
            "laborer_name",
            "laborer_id_masked",
            "region_code",
            "enterprise",
            "employer_name",
            "job",
            "start_date",
            "end_date",
            "end_reason",
            "work_region_code",
            "work_region_name",
            "work_area",
            "industry",
            "monthly_wage",
            "contract_signed",
            "contract_term",
            "insurance_types",
            "insured_from",
            "channel",
            "point_to_point",
            "transport_subsidy",
            "source",
            "warnings",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class InputRecordSerializer(serializers.Serializer):
    """What an input region sees: employment facts and a masked identity."""

    id = serializers.IntegerField()
    masked_name = serializers.CharField(help_text="姓名（脱敏）")
    id_masked = serializers.CharField(help_text="证件号码（脱敏）")
    region_code = serializers.CharField(source="region_id", help_text="户籍所在村代码（输出地）")
    employer_name = serializers.CharField()
    enterprise = serializers.IntegerField(source="enterprise_id", allow_null=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    end_reason = serializers.ChoiceField(choices=c.EndReason.choices, allow_blank=True)
    work_region_code = serializers.CharField(source="work_region_id")
    work_area = serializers.ChoiceField(choices=WorkArea.choices)
    industry = serializers.ChoiceField(choices=Industry.choices, allow_blank=True)
    monthly_wage = serializers.IntegerField(allow_null=True)
    contract_signed = serializers.BooleanField(allow_null=True)
    insurance_types = serializers.ListField(child=serializers.CharField())
    channel = serializers.ChoiceField(choices=c.Channel.choices, allow_blank=True)


def _filters(request: Request) -> RecordFilters:
    body = RecordFilterSerializer(data=request.query_params)
    body.is_valid(raise_exception=True)
    return RecordFilters(**body.validated_data)


class EmploymentRecordListView(ApiView):
    pagination_class = NoCountPagination
    serializer_class = EmploymentRecordSerializer

    @extend_schema(
        tags=TAGS,
        summary="就业记录列表（户籍在管辖范围内的人员）",
        description="输出地视角：户籍在您管辖范围内的人员的就业记录，按村、开始时间（新在前）排列。",
        parameters=[RecordFilterSerializer],
        responses={200: EmploymentRecordSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        records = employment_record_list(user=request.user, filters=_filters(request))
        page = self.paginate_queryset(records)
        return self.get_paginated_response(EmploymentRecordSerializer(page, many=True).data)


class InputRecordListView(ApiView):
    pagination_class = NoCountPagination
    serializer_class = InputRecordSerializer

    @extend_schema(
        tags=TAGS,
        summary="在辖区内务工人员的就业记录（输入地视角，身份信息脱敏）",
        description="务工所在县或用工企业在您管辖范围内（企业用户：本企业）的就业记录；只含就业信息，姓名与证件号码脱敏。",
        parameters=[RecordFilterSerializer],
        responses={200: InputRecordSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        rows = employment_record_input_list(user=request.user, filters=_filters(request))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(InputRecordSerializer(page, many=True).data)


class LaborerRecordListView(ApiView):
    pagination_class = NoCountPagination
    serializer_class = EmploymentRecordSerializer

    @extend_schema(
        tags=TAGS,
        summary="某人员的就业记录（就业轨迹，最新在前）",
        description="人员须在您的管辖范围内，否则返回 404。",
        responses={200: EmploymentRecordSerializer(many=True), **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        laborer = access_laborer(user=request.user, laborer_id=pk)
        records = laborer_employment_records(user=request.user, laborer=laborer).select_related("laborer")
        page = self.paginate_queryset(records)
        return self.get_paginated_response(EmploymentRecordSerializer(page, many=True).data)
