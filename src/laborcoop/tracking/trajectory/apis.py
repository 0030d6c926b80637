"""GET /api/v1/laborers/{id}/trajectory/: the employment trajectory (就业轨迹) of one laborer, with the derived
status. Output side only: the laborer must be in the caller's scope (registry view capability)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from laborcoop.core.api.views import ApiView, error_responses
from laborcoop.employment.choices import EndReason, TrackStatus
from laborcoop.matching.choices import RecState
from laborcoop.registry.access import access_laborer
from laborcoop.registry.choices import WorkArea
from laborcoop.tracking.choices import ContactMethod, ContactOutcome
from laborcoop.tracking.trajectory.selectors import DECLARED, REPORTED, laborer_trajectory

TAGS = ["就业记录"]


class TrajectoryStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TrackStatus.choices, help_text="就业状态")
    status_label = serializers.CharField(source="label", help_text="就业状态（中文）")
    since = serializers.DateField(allow_null=True, help_text="当前状态的起始日期")
    stable_months = serializers.IntegerField(help_text="当前连续就业的整月数")
    stable_months_required = serializers.IntegerField(help_text="本省稳定就业所需连续月数")
    last_end_date = serializers.DateField(allow_null=True, help_text="最近离岗日期")
    # Plain strings: the code lists are documented as EndReasonEnum / WorkAreaEnum on the fields below (a second
    # enum name for the same choices would be a schema warning).
    last_end_reason = serializers.CharField(allow_blank=True, help_text="最近离岗原因（结束原因代码），空：从未离岗")
    last_work_area = serializers.CharField(allow_blank=True, help_text="最近务工地域代码（01/02/03/99），空：无记录")


class SegmentSerializer(serializers.Serializer):
    record_id = serializers.IntegerField(help_text="就业记录 id")
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True, help_text="空：仍在岗")
    employer_name = serializers.CharField()
    work_region_code = serializers.CharField(help_text="务工所在县代码")
    work_region_name = serializers.CharField()
    work_area = serializers.ChoiceField(choices=WorkArea.choices)
    monthly_wage = serializers.IntegerField(allow_null=True, help_text="申报月收入（元）")
    contract_signed = serializers.BooleanField(allow_null=True)
    insurance_types = serializers.ListField(child=serializers.CharField())
    end_reason = serializers.ChoiceField(choices=EndReason.choices, allow_blank=True)
    clipped = serializers.BooleanField(help_text="与下一条记录重叠，截至其开始前一天")


class SpellSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True, help_text="空：仍在岗")
    months = serializers.IntegerField(help_text="整月数")
    record_ids = serializers.ListField(child=serializers.IntegerField())


class GapSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True, help_text="空：至今未就业")
    days = serializers.IntegerField()


class MoveSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="到新务工地的日期")
    from_code = serializers.CharField()
    from_name = serializers.CharField()
    to_code = serializers.CharField()
    to_name = serializers.CharField()
    work_area = serializers.ChoiceField(choices=WorkArea.choices, help_text="新务工地的务工地域")


class IncomeSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="月份（当月 1 日）")
    amount = serializers.IntegerField(help_text="元")
    kind = serializers.ChoiceField(
        choices=[(REPORTED, "工资发放记录"), (DECLARED, "申报月收入")], help_text="reported：实发；declared：申报"
    )
    record_id = serializers.IntegerField(allow_null=True)


class InsuredMonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    insurance_types = serializers.ListField(child=serializers.CharField())


class FollowUpItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    contacted_on = serializers.DateField()
    method = serializers.ChoiceField(choices=ContactMethod.choices)
    outcome = serializers.ChoiceField(choices=ContactOutcome.choices)


class RecommendationItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    job_id = serializers.IntegerField()
    job_title = serializers.CharField()
    employer_name = serializers.CharField()
    state = serializers.ChoiceField(choices=RecState.choices)
    recommended_on = serializers.DateField()
    interview_at = serializers.DateTimeField(allow_null=True)
    hire_date = serializers.DateField(allow_null=True)


class TrajectorySerializer(serializers.Serializer):
    laborer_id = serializers.IntegerField()
    today = serializers.DateField(help_text="计算日期")
    home_county_code = serializers.CharField(help_text="户籍所在县代码")
    status = TrajectoryStatusSerializer()
    segments = SegmentSerializer(many=True, help_text="就业时段（重叠的记录已按开始时间切分）")
    upcoming = SegmentSerializer(many=True, help_text="尚未开始的就业记录")
    spells = SpellSerializer(many=True, help_text="连续就业（相隔不超过 31 天的记录合并）")
    gaps = GapSerializer(many=True, help_text="未就业期间")
    moves = MoveSerializer(many=True, help_text="务工地变动")
    income = IncomeSerializer(many=True, help_text="逐月收入")
    insurance = InsuredMonthSerializer(many=True, help_text="参保月份")
    followups = FollowUpItemSerializer(many=True, help_text="寻访记录")
    recommendations = RecommendationItemSerializer(many=True, help_text="岗位推荐")


class LaborerTrajectoryView(ApiView):
    serializer_class = TrajectorySerializer

    @extend_schema(
        tags=TAGS,
        summary="某人员的就业轨迹与就业状态",
        description=(
            "由就业记录、工资发放、参保月份、寻访记录和岗位推荐生成：就业时段、连续就业、未就业期间、"
            "务工地变动、逐月收入和当前就业状态。人员须在您的管辖范围内，否则返回 404。"
        ),
        responses={200: TrajectorySerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        laborer = access_laborer(user=request.user, laborer_id=pk)
        return Response(TrajectorySerializer(laborer_trajectory(user=request.user, laborer=laborer)).data)
