"""/api/v1/reconciliation/: the two sides' counts (两地数据对账) for a pair of regions."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from laborcoop.core.api.views import ApiView, error_responses
from laborcoop.tracking.reconcile.selectors import LIST_LIMIT, SIDE_INPUT, SIDE_OUTPUT, reconciliation_for

TAGS = ["去向通报"]


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class DifferenceSerializer(serializers.Serializer):
    record_id = serializers.IntegerField()
    laborer_id = serializers.IntegerField(allow_null=True, help_text="仅本方劳动者（本方为输出地）")
    name = serializers.CharField(help_text="本方劳动者为姓名；对方劳动者只显示姓")
    id_text = serializers.CharField(help_text="本方劳动者为脱敏证件号；对方劳动者为证件号后四位")
    home_name = serializers.CharField()
    work_name = serializers.CharField()
    employer_name = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    notice_id = serializers.IntegerField(allow_null=True)
    notice_status = serializers.CharField(help_text="sent / confirmed / not_arrived；空表示没有通报")
    note = serializers.CharField()


class DirectionSerializer(serializers.Serializer):
    home = RegionRefSerializer(help_text="输出地（户籍所在地）")
    work = RegionRefSerializer(help_text="输入地（务工所在地）")
    user_side = serializers.ChoiceField(choices=[(SIDE_OUTPUT, "本方为输出地"), (SIDE_INPUT, "本方为输入地")])
    output_count = serializers.IntegerField(help_text="输出地：在岗就业记录数")
    input_count = serializers.IntegerField(help_text="输入地：已确认到岗的通报数")
    difference = serializers.IntegerField(help_text="output_count - input_count")
    unconfirmed_count = serializers.IntegerField(help_text="在岗但输入地尚未确认（含未通报）")
    not_arrived_count = serializers.IntegerField(help_text="在岗但输入地报告未到岗")
    ended_confirmed_count = serializers.IntegerField(help_text="已离岗但通报仍为已确认到岗")
    unconfirmed = DifferenceSerializer(many=True)
    not_arrived = DifferenceSerializer(many=True)
    ended_confirmed = DifferenceSerializer(many=True)


class ReconciliationSerializer(serializers.Serializer):
    mine = RegionRefSerializer(help_text="本方地区")
    counterpart = RegionRefSerializer(help_text="对方地区")
    outflow = DirectionSerializer(help_text="本方劳动者在对方务工")
    inflow = DirectionSerializer(help_text="对方劳动者在本方务工")


class ReconciliationView(ApiView):
    serializer_class = ReconciliationSerializer

    @extend_schema(
        tags=TAGS,
        summary="两地数据对账",
        description=(
            "本方地区与对方地区之间两个方向的人数对比：输出地的在岗就业记录数与输入地已确认到岗的通报数，"
            f"以及构成差额的记录（每类最多 {LIST_LIMIT} 条，计数完整）："
            "输入地尚未确认、报告未到岗、已离岗但仍为已确认。"
            "对方劳动者只显示姓和证件号后四位。"
        ),
        parameters=[
            OpenApiParameter(
                "counterpart", str, required=True, description="对方地区代码（省、市州或县，2/4/6/12 位）"
            ),
            OpenApiParameter("region", str, required=False, description="本方地区代码（须在管辖范围内）"),
        ],
        responses={200: ReconciliationSerializer, **error_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        result = reconciliation_for(
            user=request.user,
            counterpart_code=request.query_params.get("counterpart", "").strip(),
            region_code=request.query_params.get("region", "").strip(),
        )
        return Response(ReconciliationSerializer(result).data)
