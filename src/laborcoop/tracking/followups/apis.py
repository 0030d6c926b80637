"""/api/v1/laborers/{id}/followups/ (a laborer's follow-ups: list, log one) and /api/v1/followup-tasks/ (the
follow-up tasks of the caller's subtree)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from laborcoop.core.api.pagination import NoCountPagination
from laborcoop.core.api.views import ApiView, error_responses
from laborcoop.tracking.access import access_tracked_laborer, tasks_for
from laborcoop.tracking.choices import ContactMethod, ContactOutcome, TaskKind, TaskStatus
from laborcoop.tracking.followups import services
from laborcoop.tracking.followups.forms import ALL_STATUSES, DATE_INVALID, WAGE_INVALID
from laborcoop.tracking.followups.selectors import TaskFilters, laborer_followups, task_list
from laborcoop.tracking.followups.work import WorkLearned
from laborcoop.tracking.models import FollowUp, FollowUpTask

TAGS = ["跟踪寻访"]
TASK_UNKNOWN = "任务不存在或不在您的管辖范围内。"
REGION_INVALID = "区划代码应为 12 位数字。"


class FollowUpSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region_id", read_only=True, help_text="户籍所在村代码")
    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True, default=None)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "laborer",
            "region_code",
            "contacted_on",
            "method",
            "outcome",
            "note",
            "task",
            "failed_streak",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class FollowUpWriteSerializer(serializers.Serializer):
    """Missing and wrong values are reported by the service, in the same words as on the pages."""

    contacted_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="联系日期，不能晚于今天、不能早于 2000-01-01",
        error_messages={"invalid": DATE_INVALID},
    )
    method = serializers.ChoiceField(
        choices=ContactMethod.choices,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid_choice": services.METHOD_INVALID.replace("{value}", "{input}")},
    )
    outcome = serializers.ChoiceField(
        choices=ContactOutcome.choices,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid_choice": services.OUTCOME_INVALID.replace("{value}", "{input}")},
        help_text="连续多次“未联系上”（默认 3 次）标记为无法联系，联系上则取消标记",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="情况说明，最多 500 字")
    task = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="所回应的跟踪任务编号（该任务随之完成）"
    )
    employer_name = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="联系上、在岗时：得知的务工单位（更新就业记录）"
    )
    monthly_wage = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="联系上、在岗时：得知的月收入（元，100–30000）",
        error_messages={"invalid": WAGE_INVALID},
    )
    work_county = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="新单位或首次登记就业时：务工所在县（名称或代码）"
    )


class RecordHintSerializer(serializers.Serializer):
    message = serializers.CharField()
    action = serializers.ChoiceField(choices=[("add", "新增就业记录"), ("end", "结束就业记录")])
    record = serializers.IntegerField(source="record_id", allow_null=True)


class FollowUpLoggedSerializer(FollowUpSerializer):
    tasks_done = serializers.SerializerMethodField(help_text="随之完成的任务编号")
    laborer_unreachable = serializers.SerializerMethodField(help_text="登记后该人员是否为无法联系")
    hint = serializers.SerializerMethodField(help_text="联系结果与就业记录不一致时，提示核实并更新就业记录")

    class Meta(FollowUpSerializer.Meta):
        fields = [*FollowUpSerializer.Meta.fields, "tasks_done", "laborer_unreachable", "hint"]
        read_only_fields = fields

    def get_tasks_done(self, obj: FollowUp) -> list[int]:
        return [t.pk for t in self.context["result"].tasks_done]

    def get_laborer_unreachable(self, obj: FollowUp) -> bool:
        return bool(obj.laborer.unreachable)

    @extend_schema_field(RecordHintSerializer(allow_null=True))
    def get_hint(self, obj: FollowUp) -> dict[str, Any] | None:
        hint = self.context["result"].hint
        return RecordHintSerializer(hint).data if hint is not None else None


class FollowUpTaskSerializer(serializers.ModelSerializer):
    laborer_name = serializers.CharField(source="laborer.name", read_only=True)
    laborer_id_masked = serializers.CharField(source="laborer.id_masked", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True, help_text="户籍所在村代码")
    region_name = serializers.CharField(source="region.name", read_only=True)
    overdue = serializers.SerializerMethodField(help_text="待办且已过截止日期")

    class Meta:
        model = FollowUpTask
        fields = [
            "id",
            "laborer",
            "laborer_name",
            "laborer_id_masked",
            "region_code",
            "region_name",
            "kind",
            "record",
            "due_date",
            "overdue",
            "status",
            "assigned_to",
            "done_at",
            "done_by",
            "note",
            "version",
            "created_at",
        ]
        read_only_fields = fields

    def get_overdue(self, obj: FollowUpTask) -> bool:
        return obj.status == TaskStatus.OPEN and obj.due_date < timezone.localdate()


class TaskFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[*TaskStatus.choices, (ALL_STATUSES, "全部")],
        required=False,
        default=TaskStatus.OPEN.value,
        help_text="默认只列待办（截止日期早的在前，逾期的最先）；all：全部状态",
    )
    kind = serializers.ChoiceField(choices=TaskKind.choices, required=False, help_text="任务类型")
    overdue = serializers.BooleanField(required=False, default=False, help_text="只看已逾期的待办任务")
    region = serializers.RegexField(
        r"^\d{12}$",
        required=False,
        error_messages={"invalid": REGION_INVALID},
        help_text="12 位区划代码：只看该地区（须在管辖范围内）",
    )


class LaborerFollowUpsView(ApiView):
    pagination_class = NoCountPagination
    serializer_class = FollowUpSerializer

    @extend_schema(
        tags=TAGS,
        summary="某人员的寻访记录（最新在前）",
        description="人员须在您的管辖范围内，否则返回 404；12333 热线和企业用户无权查看（403）。",
        responses={200: FollowUpSerializer(many=True), **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        laborer = access_tracked_laborer(user=request.user, laborer_id=pk)
        page = self.paginate_queryset(laborer_followups(user=request.user, laborer=laborer))
        return self.get_paginated_response(FollowUpSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="登记一次寻访",
        description=(
            "登记电话、微信或入户走访的结果。指定 task 时该任务随之完成；"
            "不指定时完成该人员待办的离岗联系和定期寻访任务。"
            "连续多次未联系上标记为无法联系，联系上则取消。联系结果与就业记录不一致时返回 hint，请核实后更新就业记录。"
            "联系上、在岗时可一并提交得知的务工单位、月收入和务工地：在同一事务中更新或新增就业记录。"
        ),
        request=FollowUpWriteSerializer,
        responses={201: FollowUpLoggedSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        laborer = access_tracked_laborer(user=request.user, laborer_id=pk, write=True)
        body = FollowUpWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        task_id = data.pop("task")
        work = WorkLearned(
            employer_name=data.pop("employer_name"),
            monthly_wage=data.pop("monthly_wage"),
            work_county=data.pop("work_county"),
        )
        task = None
        if task_id is not None:
            task = tasks_for(request.user, write=True).filter(pk=task_id).first()
            if task is None:
                raise ValidationError({"task": [TASK_UNKNOWN]})
        result = services.followup_log(acting_user=request.user, laborer=laborer, task=task, work=work, **data)
        out = FollowUpLoggedSerializer(result.followup, context={"result": result})
        return Response(out.data, status=status.HTTP_201_CREATED)


class FollowUpTaskListView(ApiView):
    pagination_class = NoCountPagination
    serializer_class = FollowUpTaskSerializer

    @extend_schema(
        tags=TAGS,
        summary="跟踪任务列表",
        description=(
            "户籍在您管辖范围内的人员的跟踪任务（离岗联系、失业登记、转岗培训、再就业推荐、定期寻访）。"
            "默认只列待办，截止日期早的在前；12333 热线和企业用户无权查看（403）。"
        ),
        parameters=[TaskFilterSerializer],
        responses={200: FollowUpTaskSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        body = TaskFilterSerializer(data=request.query_params)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        filters = TaskFilters(
            status="" if d["status"] == ALL_STATUSES else d["status"],
            kind=d.get("kind", ""),
            region=d.get("region", ""),
            overdue=d["overdue"],
        )
        page = self.paginate_queryset(task_list(user=request.user, filters=filters))
        return self.get_paginated_response(FollowUpTaskSerializer(page, many=True).data)
