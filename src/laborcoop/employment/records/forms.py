"""Forms parse and present; the rules live in employment.records.services and employment.records.validation."""

from typing import Any

from django import forms

from laborcoop.employers.choices import Industry
from laborcoop.employment import choices as c
from laborcoop.employment.records.selectors import STATUS_ENDED, STATUS_ONGOING
from laborcoop.employment.records.services import EmploymentData
from laborcoop.regions.models import RegionLevel
from laborcoop.regions.widgets import RegionPickerWidget
from laborcoop.registry.choices import WorkArea

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _YesNoSelect(forms.NullBooleanSelect):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("unknown", "未填"), ("true", "是"), ("false", "否")]


class _NullBoolean(forms.NullBooleanField):
    widget = _YesNoSelect


class EmploymentRecordForm(forms.Form):
    start_date = forms.DateField(label="开始时间", widget=_DATE)
    work_county = forms.CharField(
        label="务工所在县",
        max_length=60,
        help_text="输入县（市、区）名称搜索并选择，如 泸溪县、深圳市宝安区；手机上可点“逐级选择”。",
        # The picker shows paths and posts the chosen code; typed names are resolved by records.counties.
        widget=RegionPickerWidget(min_level=RegionLevel.COUNTY, max_level=RegionLevel.COUNTY, placeholder="如：宝安区"),
    )
    employer_name = forms.CharField(label="务工企业名称", max_length=100, required=False)
    industry = forms.ChoiceField(label="所属行业", required=False, choices=[("", "—"), *Industry.choices])
    monthly_wage = forms.IntegerField(
        label="务工月收入（元）", required=False, min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    channel = forms.ChoiceField(label="就业渠道", required=False, choices=[("", "—"), *c.Channel.choices])
    point_to_point = _NullBoolean(label="是否点对点输送", required=False)
    transport_subsidy = forms.IntegerField(label="年度交通费补助（元）", required=False, min_value=0)
    contract_signed = _NullBoolean(label="签订劳动合同", required=False)
    contract_term = forms.ChoiceField(
        label="合同期限类型", required=False, choices=[("", "—"), *c.ContractTerm.choices]
    )
    insurance_types = forms.MultipleChoiceField(
        label="参加社会保险", required=False, choices=c.InsuranceType.choices, widget=forms.CheckboxSelectMultiple
    )
    insured_from = forms.DateField(label="参保起始日期", required=False, widget=_DATE)
    end_date = forms.DateField(label="结束时间", required=False, widget=_DATE, help_text="仍在务工的留空")
    end_reason = forms.ChoiceField(label="结束原因", required=False, choices=[("", "—"), *c.EndReason.choices])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm_warnings = forms.BooleanField(label="已核实以上提示，仍然保存", required=False)

    def to_data(self) -> EmploymentData:
        d: dict[str, Any] = self.cleaned_data
        return EmploymentData(
            start_date=d["start_date"],
            work_county=d["work_county"].strip(),
            end_date=d["end_date"],
            end_reason=d["end_reason"],
            employer_name=d["employer_name"].strip(),
            industry=d["industry"],
            monthly_wage=d["monthly_wage"],
            contract_signed=d["contract_signed"],
            contract_term=d["contract_term"],
            insurance_types=tuple(d["insurance_types"]),
            insured_from=d["insured_from"],
            channel=d["channel"],
            point_to_point=d["point_to_point"],
            transport_subsidy=d["transport_subsidy"],
        )


# Service field names -> form field names (errors are shown next to the field).
ERROR_ALIASES = {"work_region": "work_county", "enterprise": "employer_name", "job": "employer_name"}


class EndForm(forms.Form):
    end_date = forms.DateField(label="结束时间", widget=_DATE)
    end_reason = forms.ChoiceField(label="结束原因", choices=[("", "请选择"), *c.EndReason.choices])
    version = forms.IntegerField(widget=forms.HiddenInput)


class RecordFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部状态"), (STATUS_ONGOING, "在岗"), (STATUS_ENDED, "已结束")],
    )
    work_area = forms.ChoiceField(label="务工地域", required=False, choices=[("", "全部务工地域"), *WorkArea.choices])
    channel = forms.ChoiceField(label="就业渠道", required=False, choices=[("", "全部就业渠道"), *c.Channel.choices])
    region = forms.CharField(label="区划代码", required=False, widget=forms.HiddenInput)
