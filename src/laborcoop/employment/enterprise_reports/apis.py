"""/api/v1/enterprise-reports/{hires,wages,insurance,leavings}/: an enterprise's reports about its workers.

For enterprise users (token auth for the enterprise's HR system) bound to an enterprise; anyone else gets 403.
Each request carries `items` (1-500 reports of one kind) and is all or nothing: when any item is invalid
nothing is saved and the answer is 400 with `items`: the failed items by index ("0" is the first) with their
field errors, the shape DRF gives a malformed list. Reports are idempotent, so a corrected batch can simply be
sent again: items already recorded come back with action "unchanged". Workers are named by ID number and name and are
returned masked only.
"""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from laborcoop.core.api.views import ApiView, error_responses
from laborcoop.core.text import map_choice
from laborcoop.employment import choices as c
from laborcoop.employment import lines
from laborcoop.employment.enterprise_reports import (
    Action,
    HireReport,
    InsuranceReport,
    LeaveReport,
    Report,
    ReportKind,
    ReportResult,
    WageReport,
    enterprise_reports_submit,
    reporting_enterprise,
)
from laborcoop.employment.enterprise_reports.services import MAX_ITEMS
from laborcoop.employment.lines.apis import InsuranceTypesField, MonthField
from laborcoop.employment.records.services import CODE_NOT_IN_LIST

TAGS = ["企业报送"]
DESCRIPTION = (
    "仅限绑定企业的企业用户（其他角色返回 403），只能报送本企业人员。以证件号码和姓名识别人员，须与平台登记一致，"
    "返回结果中的姓名和证件号码已脱敏。每次请求 1 至 500 条，整批处理：任一条有误时全部不保存，返回 400，"
    '`items` 按序号（从 "0" 起）列出有误条目的字段错误，如 {"items": {"1": {"amount": ["…"]}}}。'
    "重复报送不会产生重复记录（结果的 action 为 unchanged），修正后可整批重新提交。校验提示视为已确认，随结果返回。"
)


class _PersonSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=30, help_text="18 位居民身份证号码")
    name = serializers.CharField(max_length=50, help_text="姓名，须与平台登记一致")


def _code(value: str, choices: Any, label: str) -> str:
    if not value:
        return ""
    code = map_choice(value, choices)
    if code is None:
        raise serializers.ValidationError(CODE_NOT_IN_LIST.format(label=label, value=value))
    return code


class HireItemSerializer(_PersonSerializer):
    start_date = serializers.DateField(help_text="入职日期")
    work_county = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="务工所在县（名称或 6 位代码），空为本企业所在县"
    )
    job = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="本企业的岗位 id")
    monthly_wage = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="约定月收入（元）")
    contract_signed = serializers.BooleanField(required=False, allow_null=True, default=None)
    contract_term = serializers.CharField(required=False, default="", allow_blank=True, help_text="合同期限类型")
    insurance_types = InsuranceTypesField(required=False, default=list, help_text="参加的社会保险")
    insured_from = serializers.DateField(required=False, allow_null=True, default=None)
    channel = serializers.CharField(required=False, default="", allow_blank=True, help_text="就业渠道")
    point_to_point = serializers.BooleanField(required=False, allow_null=True, default=None)

    def validate_contract_term(self, value: str) -> str:
        return _code(value, c.ContractTerm, "合同期限类型")

    def validate_channel(self, value: str) -> str:
        return _code(value, c.Channel, "就业渠道")

    def report(self, d: dict[str, Any]) -> Report:
        d = dict(d)
        d["job_id"] = d.pop("job")
        d["insurance_types"] = tuple(d["insurance_types"])
        return HireReport(**d)


class WageItemSerializer(_PersonSerializer):
    month = MonthField(help_text="工资所属月份，如 2025-05")
    amount = serializers.IntegerField(help_text="实发工资（元），100 至 30000")
    paid_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="发放日期")
    insurance_types = InsuranceTypesField(required=False, default=list, help_text="当月一并缴纳的险种（选填）")

    def report(self, d: dict[str, Any]) -> Report:
        return WageReport(**{**d, "insurance_types": tuple(d["insurance_types"])})


class InsuranceItemSerializer(_PersonSerializer):
    month = MonthField(help_text="缴费月份，如 2025-05")
    insurance_types = InsuranceTypesField(min_length=1, help_text="缴费险种")

    def report(self, d: dict[str, Any]) -> Report:
        return InsuranceReport(**{**d, "insurance_types": tuple(d["insurance_types"])})


class LeaveItemSerializer(_PersonSerializer):
    end_date = serializers.DateField(help_text="离职日期")
    end_reason = serializers.CharField(help_text="离职原因：代码（如 resigned）或名称（如 本人辞职）")

    def validate_end_reason(self, value: str) -> str:
        return _code(value, c.EndReason, "离职原因")

    def report(self, d: dict[str, Any]) -> Report:
        return LeaveReport(**d)


class ReportResultSerializer(serializers.Serializer):
    # Plain text, not an enum: "kind" is taken by the import jobs' enum in the schema.
    kind = serializers.CharField(help_text="，".join(f"{value} {label}" for value, label in ReportKind.choices))
    action = serializers.ChoiceField(choices=Action.choices, help_text="created 新增，updated 更新，unchanged 无变化")
    record_id = serializers.IntegerField(help_text="就业记录 id")
    masked_name = serializers.CharField(help_text="姓名（脱敏）")
    id_masked = serializers.CharField(help_text="证件号码（脱敏）")
    warnings = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ReportResultsSerializer(serializers.Serializer):
    results = ReportResultSerializer(many=True)


def _result(result: ReportResult) -> dict[str, Any]:
    laborer = result.record.laborer
    return {
        "kind": result.kind,
        "action": result.action,
        "record_id": result.record.pk,
        "masked_name": f"{laborer.name[:1]}**",
        "id_masked": laborer.id_masked,
        "warnings": result.warnings,
    }


class _ReportView(ApiView):
    item_serializer: type[Any]

    def submit(self, request: Request) -> Response:
        reporting_enterprise(request.user)  # 403 before reading anyone's data
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        items = body.validated_data["items"]
        reports = [self.item_serializer().report(item) for item in items]
        try:
            results = enterprise_reports_submit(acting_user=request.user, reports=reports)
        except lines.ItemsInvalid as exc:
            # The shape of DRF's own errors for a list of items: the failed items by index.
            failed = {str(i): errors for i, errors in sorted(exc.item_errors.items())}
            return Response({"items": failed}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"results": [_result(r) for r in results]}, status=status.HTTP_201_CREATED)


def _batch(item: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    attrs: dict[str, Any] = {
        "items": serializers.ListSerializer(
            child=item(), min_length=1, max_length=MAX_ITEMS, help_text=f"1 至 {MAX_ITEMS} 条"
        ),
    }
    return type(name, (serializers.Serializer,), attrs)


def _view(item: type[Any], name: str, summary: str) -> type[_ReportView]:
    batch = _batch(item, f"{name}BatchSerializer")
    decorated = extend_schema(
        tags=TAGS,
        summary=summary,
        description=DESCRIPTION,
        request=batch,
        responses={201: ReportResultsSerializer, **error_responses(400, 401, 403)},
    )

    def post(self: _ReportView, request: Request) -> Response:
        return self.submit(request)

    attrs = {"serializer_class": batch, "item_serializer": item, "post": decorated(post)}
    return type(f"{name}View", (_ReportView,), attrs)


HireReportView = _view(HireItemSerializer, "HireReport", "企业报送入职（新增就业记录）")
WageReportView = _view(WageItemSerializer, "WageReport", "企业报送工资发放（按月）")
InsuranceReportView = _view(InsuranceItemSerializer, "InsuranceReport", "企业报送参保缴费（按月、险种）")
LeaveReportView = _view(LeaveItemSerializer, "LeaveReport", "企业报送离职（结束就业记录）")
