"""Forms of the wage and insurance pages: they parse and present; the rules live in employment.lines.rules."""

from datetime import date
from typing import Any

from django import forms

from laborcoop.employment import choices as c
from laborcoop.employment.lines import rules as r

MONTH_INVALID = "请输入月份，如 2025-05"
AMOUNT_INVALID = "请输入整数金额（元）"
INSURANCE_TYPES_REQUIRED = "请至少选择一个险种"
INSURANCE_TYPE_INVALID = "所选险种不在代码表中"


class MonthField(forms.DateField):
    """A month typed as 2025-05 (the browser's month input), 2025-05-01 or 2025年5月: its first day."""

    input_formats = ["%Y-%m", "%Y-%m-%d", "%Y/%m", "%Y年%m月"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    default_error_messages = {"invalid": MONTH_INVALID, "required": r.MONTH_REQUIRED}

    def to_python(self, value: Any) -> date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


def amount_field(label: str, *, required: bool) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": r.AMOUNT_REQUIRED, "invalid": AMOUNT_INVALID, "min_value": r.AMOUNT_OUT_OF_RANGE},
    )


class WageMonthForm(forms.Form):
    month = MonthField(label="月份")
    amount = amount_field("实发工资（元）", required=True)
    paid_on = forms.DateField(
        label="发放日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    confirm_warnings = forms.BooleanField(label="已核实以上提示，仍然保存", required=False)


class InsuranceMonthForm(forms.Form):
    month = MonthField(label="月份")
    insurance_types = forms.MultipleChoiceField(
        label="险种",
        choices=c.InsuranceType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": INSURANCE_TYPES_REQUIRED, "invalid_choice": INSURANCE_TYPE_INVALID},
    )


class MonthPickForm(forms.Form):
    month = MonthField(label="工资月份", required=False)


class PayrollForm(forms.Form):
    """One amount per worker of the month (`amount_<record id>`); blank rows are not reported."""

    month = MonthField(label="工资月份", widget=forms.HiddenInput)
    confirm_warnings = forms.BooleanField(label="已核实以上提示，仍然保存", required=False)

    def __init__(self, *args: Any, record_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.record_ids = record_ids
        for pk in record_ids:
            self.fields[f"amount_{pk}"] = amount_field("实发工资（元）", required=False)

    def amounts(self) -> list[tuple[int, int]]:
        """(record id, amount) of the rows with an amount, in row order."""
        return [
            (pk, self.cleaned_data[f"amount_{pk}"])
            for pk in self.record_ids
            if self.cleaned_data.get(f"amount_{pk}") is not None
        ]
