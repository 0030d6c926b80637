"""/api/v1/employment-records/{id}/wages/ and /insurance/: the wage and insurance months of a record.

Staff of the laborer's home region and the record's enterprise read them (GET) and record months (POST, an
idempotent upsert: the same month again updates the wage, unchanged values write nothing). Warnings (a wage
under 400 元) count as confirmed through the API and are returned with the saved month.
"""

from datetime import date
from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from laborcoop.core.api.views import ApiView, error_responses
from laborcoop.employment import choices as c
from laborcoop.employment import lines
from laborcoop.employment.lines.access import access_line_record
from laborcoop.employment.lines.forms import MONTH_INVALID
from laborcoop.employment.lines.rules import INSURANCE_TYPE_UNKNOWN, insurance_type_code
from laborcoop.employment.models import InsuranceMonth, WageMonth

TAGS = ["工资与社保"]


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2025-05", "description": "月份"})
class MonthField(serializers.Field):
    """A month as "2025-05" (or a date, taken to its month); shown as "2025-05"."""

    default_error_messages = {"invalid": MONTH_INVALID}

    def to_internal_value(self, data: Any) -> date:
        text = str(data or "").strip()
        for length in (7, 10):
            try:
                return date.fromisoformat(text + "-01" if length == 7 else text).replace(day=1)
            except ValueError:
                continue
        self.fail("invalid")
        raise AssertionError  # pragma: no cover - fail() raises

    def to_representation(self, value: date) -> str:
        return f"{value:%Y-%m}"


class InsuranceTypesField(serializers.ListField):
    """Insurance types as codes, labels or the words of 人社 lists ("失业保险"), mapped to the code list."""

    child = serializers.CharField()

    def to_internal_value(self, data: Any) -> list[str]:
        values = super().to_internal_value(data)
        codes, unknown = [], []
        for value in values:
            code = insurance_type_code(value)
            if code is None:
                unknown.append(INSURANCE_TYPE_UNKNOWN.format(value=value))
            else:
                codes.append(code)
        if unknown:
            raise serializers.ValidationError(unknown)
        return list(dict.fromkeys(codes))


# Plain text, not an enum: drf-spectacular names enums after the field, and "source" is taken by the records'.
SOURCE_HELP = "来源：" + "，".join(f"{value} {label}" for value, label in c.LineSource.choices)


class WageMonthSerializer(serializers.ModelSerializer):
    month = MonthField()
    source = serializers.CharField(read_only=True, help_text=SOURCE_HELP)  # type: ignore[assignment]
    warnings = serializers.SerializerMethodField(help_text="校验提示（如工资低于 400 元），已视为确认")

    class Meta:
        model = WageMonth
        fields = ["id", "record", "month", "amount", "paid_on", "source", "warnings", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}})
    def get_warnings(self, wage: WageMonth) -> dict[str, list[str]]:
        warnings: dict[str, list[str]] = self.context.get("warnings", {})
        return warnings


class WageMonthWriteSerializer(serializers.Serializer):
    month = MonthField(help_text="工资所属月份，如 2025-05；须在就业记录的起止月份内，不能是未来月份")
    amount = serializers.IntegerField(help_text="实发工资（元），100 至 30000；低于 400 元时返回提示")
    paid_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="发放日期")


class InsuranceMonthSerializer(serializers.ModelSerializer):
    month = MonthField()
    source = serializers.CharField(read_only=True, help_text=SOURCE_HELP)  # type: ignore[assignment]

    class Meta:
        model = InsuranceMonth
        fields = ["id", "record", "month", "insurance_type", "source", "created_at"]
        read_only_fields = fields


class InsuranceWriteSerializer(serializers.Serializer):
    month = MonthField(help_text="缴费月份，如 2025-05")
    insurance_types = InsuranceTypesField(
        min_length=1, help_text="险种：" + "、".join(str(v) for v in c.InsuranceType.values)
    )


class RecordWagesView(ApiView):
    pagination_class = None  # every line of one record, not paged
    serializer_class = WageMonthSerializer

    @extend_schema(
        tags=TAGS,
        summary="就业记录的工资发放（按月）",
        description="户籍地经办人员和用工企业可查看；其他地区返回 404。",
        responses={200: WageMonthSerializer(many=True), **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        record = access_line_record(user=request.user, record_id=pk)
        return Response(WageMonthSerializer(record.wages.order_by("-month"), many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="填报某月工资（同月再报即为修改）",
        description="新增返回 201，修改或无变化返回 200。提示视为已确认，随结果返回。",
        request=WageMonthWriteSerializer,
        responses={201: WageMonthSerializer, 200: WageMonthSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        record = access_line_record(user=request.user, record_id=pk, write=True)
        body = WageMonthWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = lines.WageEntry(record_id=record.pk, **body.validated_data)
        try:
            outcome = lines.wage_months_record(acting_user=request.user, entries=[entry], confirm_warnings=True)
        except lines.ItemsInvalid as exc:
            return Response(exc.item_errors[0], status=status.HTTP_400_BAD_REQUEST)
        data = WageMonthSerializer(outcome.rows[0], context={"warnings": outcome.warnings.get(0, {})}).data
        return Response(data, status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK)


class RecordInsuranceView(ApiView):
    pagination_class = None  # every line of one record, not paged
    serializer_class = InsuranceMonthSerializer

    @extend_schema(
        tags=TAGS,
        summary="就业记录的参保缴费（按月、险种）",
        responses={200: InsuranceMonthSerializer(many=True), **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        record = access_line_record(user=request.user, record_id=pk)
        months = record.insurance_months.order_by("-month", "insurance_type")
        return Response(InsuranceMonthSerializer(months, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="填报某月参保缴费（可多个险种；重复填报不产生重复记录）",
        description="有新增时返回 201，全部已存在时返回 200；返回该月所填险种的记录。",
        request=InsuranceWriteSerializer,
        responses={
            201: InsuranceMonthSerializer(many=True),
            200: InsuranceMonthSerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        record = access_line_record(user=request.user, record_id=pk, write=True)
        body = InsuranceWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        month = body.validated_data["month"]
        entries = [
            lines.InsuranceEntry(record_id=record.pk, month=month, insurance_type=t)
            for t in body.validated_data["insurance_types"]
        ]
        try:
            outcome = lines.insurance_months_record(acting_user=request.user, entries=entries)
        except lines.ItemsInvalid as exc:
            merged: dict[str, list[str]] = {}
            for errors in exc.item_errors.values():
                for name, messages in errors.items():
                    merged.setdefault("insurance_types" if name == "insurance_type" else name, []).extend(messages)
            return Response({k: list(dict.fromkeys(v)) for k, v in merged.items()}, status=status.HTTP_400_BAD_REQUEST)
        code = status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK
        return Response(InsuranceMonthSerializer(outcome.rows, many=True).data, status=code)
