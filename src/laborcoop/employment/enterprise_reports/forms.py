"""Forms of the enterprise report page (企业报送): one per kind; they parse and build the report item."""

from typing import Any

from django import forms

from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.employment import choices as c
from laborcoop.employment.enterprise_reports import HireReport, InsuranceReport, LeaveReport, Report, WageReport
from laborcoop.employment.lines.forms import INSURANCE_TYPES_REQUIRED, MonthField, amount_field

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ID_REQUIRED = "请填写证件号码"
YES_NO = [("", "未填"), ("true", "是"), ("false", "否")]
NAME_REQUIRED = "请填写姓名"


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, required=False, choices=YES_NO, coerce=lambda v: v == "true", empty_value=None
    )


class _PersonForm(forms.Form):
    id_number = forms.CharField(
        label="证件号码",
        max_length=30,
        error_messages={"required": ID_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
        help_text="18 位居民身份证号码，须与姓名一致；平台不会回显完整号码",
    )
    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": NAME_REQUIRED})

    def __init__(self, *args: Any, enterprise: Enterprise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise

    def report(self) -> Report:
        raise NotImplementedError


def _insurance_types(required: bool) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="参保险种",
        required=required,
        choices=c.InsuranceType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": INSURANCE_TYPES_REQUIRED},
    )


class HireForm(_PersonForm):
    start_date = forms.DateField(label="入职日期", widget=_DATE)
    work_county = forms.CharField(
        label="务工所在县", max_length=60, required=False, help_text="县（市、区）名称或 6 位代码；空白为本企业所在县"
    )
    job = forms.TypedChoiceField(label="岗位", required=False, coerce=int, empty_value=None)
    monthly_wage = amount_field("约定月收入（元）", required=False)
    contract_signed = _yes_no("签订劳动合同")
    contract_term = forms.ChoiceField(
        label="合同期限类型", required=False, choices=[("", "—"), *c.ContractTerm.choices]
    )
    insurance_types = _insurance_types(required=False)
    insured_from = forms.DateField(label="参保起始日期", required=False, widget=_DATE)
    channel = forms.ChoiceField(label="就业渠道", required=False, choices=[("", "—"), *c.Channel.choices])
    point_to_point = _yes_no("是否点对点输送")
    confirm_warnings = forms.BooleanField(label="已核实以上提示，仍然报送", required=False)

    def __init__(self, *args: Any, enterprise: Enterprise, **kwargs: Any) -> None:
        super().__init__(*args, enterprise=enterprise, **kwargs)
        jobs = JobPosting.objects.filter(enterprise=enterprise).order_by("-id").values_list("pk", "title")[:200]
        field = self.fields["job"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *jobs]

    def report(self) -> HireReport:
        d = self.cleaned_data
        return HireReport(
            id_number=d["id_number"],
            name=d["name"],
            start_date=d["start_date"],
            work_county=d["work_county"].strip(),
            job_id=d["job"],
            monthly_wage=d["monthly_wage"],
            contract_signed=d["contract_signed"],
            contract_term=d["contract_term"],
            insurance_types=tuple(d["insurance_types"]),
            insured_from=d["insured_from"],
            channel=d["channel"],
            point_to_point=d["point_to_point"],
        )


class WageForm(_PersonForm):
    month = MonthField(label="工资月份")
    amount = amount_field("实发工资（元）", required=True)
    paid_on = forms.DateField(label="发放日期", required=False, widget=_DATE)
    insurance_types = _insurance_types(required=False)
    confirm_warnings = forms.BooleanField(label="已核实以上提示，仍然报送", required=False)

    def report(self) -> WageReport:
        d = self.cleaned_data
        return WageReport(
            id_number=d["id_number"],
            name=d["name"],
            month=d["month"],
            amount=d["amount"],
            paid_on=d["paid_on"],
            insurance_types=tuple(d["insurance_types"]),
        )


class InsuranceForm(_PersonForm):
    month = MonthField(label="缴费月份")
    insurance_types = _insurance_types(required=True)

    def report(self) -> InsuranceReport:
        d = self.cleaned_data
        return InsuranceReport(
            id_number=d["id_number"], name=d["name"], month=d["month"], insurance_types=tuple(d["insurance_types"])
        )


class LeaveForm(_PersonForm):
    end_date = forms.DateField(label="离职日期", widget=_DATE)
    end_reason = forms.ChoiceField(label="离职原因", choices=[("", "请选择"), *c.EndReason.choices])

    def report(self) -> LeaveReport:
        d = self.cleaned_data
        return LeaveReport(id_number=d["id_number"], name=d["name"], end_date=d["end_date"], end_reason=d["end_reason"])


FORMS: dict[str, type[_PersonForm]] = {
    "hire": HireForm,
    "wage": WageForm,
    "insurance": InsuranceForm,
    "leave": LeaveForm,
}


class StaffLeaveForm(forms.Form):
    """Report the leaving of a person picked on the roster: no ID number to type."""

    end_date = forms.DateField(
        label="离职日期",
        widget=_DATE,
        error_messages={"required": "请填写离职日期", "invalid": "请填写正确的离职日期，如 2026-12-01"},
    )
    end_reason = forms.ChoiceField(
        label="离职原因",
        choices=[("", "请选择"), *c.EndReason.choices],
        error_messages={"required": "请选择离职原因", "invalid_choice": "请从列表中选择离职原因"},
    )


class StaffSearchForm(forms.Form):
    q = forms.CharField(label="查找", max_length=20, required=False)
