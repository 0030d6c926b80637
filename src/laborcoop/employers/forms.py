"""Forms parse and present; the rules live in employers.services."""

from collections.abc import Iterable
from typing import Any

from django import forms

from laborcoop.core.codes import Education
from laborcoop.core.occupations import OccupationField
from laborcoop.employers import choices as c
from laborcoop.regions.fields import RegionField
from laborcoop.regions.models import RegionLevel

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnterpriseSearchForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "企业名称或统一社会信用代码"}),
    )
    industry = forms.ChoiceField(label="所属行业", required=False, choices=[("", "全部行业"), *c.Industry.choices])
    is_assist_workshop = forms.BooleanField(label="就业帮扶车间", required=False)
    is_assist_base = forms.BooleanField(label="就业帮扶基地", required=False)


class JobSearchForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "岗位名称、工种或企业名称"}),
    )
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *c.JobStatus.choices])
    open_only = forms.BooleanField(label="只看可报名岗位", required=False)


MARKET_DISTANCES = [("", "不限远近"), ("county", "县内"), ("province", "省内"), ("outside", "省外")]
MARKET_ORDERS = [("", "最新发布"), ("wage", "月薪从高到低")]


class JobMarketSearchForm(forms.Form):
    """The job market's filters (employers.selectors.market_list); the region is searched over the whole country."""

    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "岗位名称、工种或企业名称"}),
    )
    region = RegionField(label="工作地区", required=False, placeholder="工作地区，如：济南市")
    occupation = forms.CharField(
        label="工种", required=False, max_length=50, widget=forms.TextInput(attrs={"placeholder": "工种"})
    )
    wage_min = forms.IntegerField(
        label="月薪不低于（元）",
        required=False,
        min_value=0,
        max_value=10_000_000,
        widget=forms.NumberInput(attrs={"placeholder": "月薪不低于（元）"}),
        error_messages={"invalid": "请输入整数金额。", "min_value": "月薪不能为负数。"},
    )
    distance = forms.ChoiceField(label="远近", required=False, choices=MARKET_DISTANCES)
    accommodation = forms.BooleanField(label="提供住宿", required=False)
    order = forms.ChoiceField(label="排序", required=False, choices=MARKET_ORDERS)


class EnterpriseForm(forms.Form):
    name = forms.CharField(label="企业名称", max_length=100)
    uscc = forms.CharField(
        label="统一社会信用代码", max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    region_code = RegionField(
        label="所在地区",
        min_level=RegionLevel.COUNTY,
        check_codes=False,  # the service checks level and scope of a code
        help_text="输入县（市、区）、乡镇名称搜索并选择，或点“逐级选择”；只能选择您管辖范围内的地区。",
    )
    industry = forms.ChoiceField(label="所属行业", choices=[("", "—"), *c.Industry.choices])
    size = forms.ChoiceField(label="企业规模", choices=[("", "—"), *c.EnterpriseSize.choices])
    contact_name = forms.CharField(label="联系人", max_length=30)
    contact_phone = forms.CharField(
        label="联系电话",
        max_length=30,
        help_text="手机号码或固定电话（如 0743-4221234）",
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    address = forms.CharField(label="地址", required=False, max_length=200)
    is_assist_workshop = forms.BooleanField(label="就业帮扶车间", required=False)
    is_assist_base = forms.BooleanField(label="就业帮扶基地", required=False)
    description = forms.CharField(label="企业简介", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, locked: Iterable[str] = (), region_scope: str | None = None, **kwargs: Any) -> None:
        """`locked` fields are shown but not editable (an enterprise user's USCC, region, designations);
        `region_scope` (the user's subtree prefix from the access layer) limits the region picker."""
        super().__init__(*args, **kwargs)
        self.fields["region_code"].set_scope(region_scope)  # type: ignore[attr-defined]
        for name in locked:
            self.fields[name].disabled = True
            self.fields[name].required = False
            self.fields[name].help_text = "如需变更，请联系当地人社部门。"


class JobForm(forms.Form):
    title = forms.CharField(label="岗位名称", max_length=100)
    occupation = OccupationField(label="工种", max_length=50)
    openings = forms.IntegerField(label="招聘人数", max_value=100000)
    wage_min = forms.IntegerField(label="月薪下限（元）", max_value=10_000_000)
    wage_max = forms.IntegerField(label="月薪上限（元）", max_value=10_000_000)
    work_region_code = RegionField(
        label="工作地点",
        min_level=RegionLevel.COUNTY,
        check_codes=False,  # the service checks level and scope of a code
        help_text="输入县（市、区）或乡镇名称搜索，如“济阳区”，全国范围；手机上可点“逐级选择”。",
    )
    age_min = forms.IntegerField(label="最低年龄", initial=16, max_value=200)
    age_max = forms.IntegerField(label="最高年龄", initial=60, max_value=200)
    sex_requirement = forms.ChoiceField(label="性别要求", required=False, choices=c.SexRequirement.choices)
    education_min = forms.ChoiceField(label="最低学历", required=False, choices=[("", "不限"), *Education.choices])
    valid_from = forms.DateField(label="有效期起", widget=_DATE)
    valid_until = forms.DateField(label="有效期止", widget=_DATE)
    provides_accommodation = forms.BooleanField(label="提供住宿", required=False)
    provides_meals = forms.BooleanField(label="提供餐食", required=False)
    is_low_threshold = forms.BooleanField(label="低门槛岗位", required=False)
    description = forms.CharField(label="岗位描述", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class JobStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[(v, c.JobStatus(v).label) for v in c.SETTABLE_JOB_STATUSES])
    version = forms.IntegerField(required=False)
