"""Forms parse and present; the rules live in registry.services and registry.validation."""

from typing import Any

from django import forms

from laborcoop.core.occupations import JOINER as OCCUPATION_JOINER
from laborcoop.core.occupations import OccupationMultipleField
from laborcoop.regions.fields import RegionField, RegionMultipleField
from laborcoop.regions.models import RegionLevel
from laborcoop.registry import choices as c
from laborcoop.registry.validation.person import split_multi

RELATION_REQUIRED = "请选择与户主关系。"
EMPLOYMENT_STATUS_REQUIRED = "请选择就业状态。"


class CommaListField(forms.CharField):
    """Free-text list typed as '普工，电焊工' (half/full-width commas or 、)."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return split_multi(text) if text else []

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "，".join(value)
        return value


class LaborerSearchForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "姓名、证件号后四位、手机号后四位"}),
    )
    region = forms.CharField(label="区划代码", required=False, widget=forms.HiddenInput)
    labor_skill = forms.ChoiceField(
        label="劳动技能", required=False, choices=[("", "全部劳动技能"), *c.LaborSkill.choices]
    )
    employment_status = forms.ChoiceField(
        label="就业状态", required=False, choices=[("", "全部就业状态"), *c.EmploymentStatus.choices]
    )


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "户编号、成员姓名、证件号后四位"}),
    )
    region = forms.CharField(label="区划代码", required=False, widget=forms.HiddenInput)


class HouseholdForm(forms.Form):
    household_no = forms.CharField(label="户编号", max_length=30)
    region_code = RegionField(
        label="所在村",
        min_level=RegionLevel.VILLAGE,
        check_codes=False,  # the service checks level and scope of a code
        placeholder="输入村名搜索，如：黑塘村",
        help_text="输入村（社区）名称搜索并选择，或点“逐级选择”；只能选择您管辖范围内的村。",
    )
    household_type = forms.ChoiceField(label="户类型", choices=c.HouseholdType.choices)
    poverty_attribute = forms.ChoiceField(
        label="脱贫属性", required=False, choices=[("", "—"), *c.PovertyAttribute.choices]
    )
    monitor_category = forms.ChoiceField(
        label="监测对象类别", required=False, choices=[("", "—"), *c.MonitorCategory.choices]
    )
    identified_on = forms.DateField(
        label="识别监测时间", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    risk_eliminated = forms.NullBooleanField(label="风险是否已消除", required=False)
    poverty_causes = forms.MultipleChoiceField(
        label="致贫/返贫风险",
        required=False,
        choices=c.PovertyCause.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(
        label="户联系电话", required=False, max_length=20, widget=forms.TextInput(attrs={"type": "tel"})
    )
    address = forms.CharField(label="住址", required=False, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm_warnings = forms.BooleanField(label="已核实以上提示，仍然保存", required=False)

    def __init__(self, *args: Any, region_scope: str | None = None, **kwargs: Any) -> None:
        """`region_scope`: the user's subtree prefix (from the access layer), which limits the village picker."""
        super().__init__(*args, **kwargs)
        self.fields["region_code"].set_scope(region_scope)  # type: ignore[attr-defined]


class LaborerForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(
        label="证件号码",
        max_length=30,
        required=False,
        help_text="18 位身份证号；15 位旧号自动升级；残疾人证号（20/22 位）可直接填写。",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # No default that might be wrong: a second 户主 or a silent 已就业 is worse than one more click.
    relation = forms.ChoiceField(
        label="与户主关系",
        choices=[("", "请选择"), *c.Relation.choices],
        error_messages={"required": RELATION_REQUIRED},
    )
    person_no = forms.CharField(label="人口编号", required=False, max_length=30)
    ethnicity = forms.ChoiceField(
        label="民族", required=False, choices=[("", "—"), *c.ETHNICITY_CHOICES], initial="汉族"
    )
    education = forms.ChoiceField(label="文化程度", required=False, choices=[("", "—"), *c.Education.choices])
    student_status = forms.ChoiceField(
        label="在校生状况", required=False, choices=[("", "—"), *c.StudentStatus.choices]
    )
    health = forms.MultipleChoiceField(
        label="健康状况",
        choices=c.Health.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[c.Health.HEALTHY],
    )
    disability_category = forms.CharField(label="残疾类别", required=False, max_length=20)
    labor_skill = forms.ChoiceField(label="劳动技能", choices=c.LaborSkill.choices)
    political_status = forms.ChoiceField(
        label="政治面貌", choices=c.PoliticalStatus.choices, initial=c.PoliticalStatus.MASSES
    )
    marital_status = forms.ChoiceField(label="婚姻状况", required=False, choices=[("", "—"), *c.MaritalStatus.choices])
    phone = forms.CharField(
        label="联系电话", required=False, max_length=20, widget=forms.TextInput(attrs={"type": "tel"})
    )
    qualification = forms.ChoiceField(label="职业资格", required=False, choices=[("", "—"), *c.Qualification.choices])
    skills = OccupationMultipleField(label="工种/技能", required=False, help_text="会的工种，从列表中选择，可选多个")
    employment_status = forms.ChoiceField(
        label="就业状态",
        choices=[("", "请选择"), *c.EmploymentStatus.choices],
        error_messages={"required": EMPLOYMENT_STATUS_REQUIRED},
    )
    employer_name = forms.CharField(label="务工单位", required=False, max_length=100)
    work_area = forms.ChoiceField(label="务工地域", required=False, choices=[("", "—"), *c.WorkArea.choices])
    work_region_willingness = forms.MultipleChoiceField(
        label="就业区域意愿",
        required=False,
        choices=c.WILLINGNESS_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    intended_occupations = OccupationMultipleField(
        label="意向工种", required=False, max_count=2, help_text="最多两个，输入关键字从列表中选择，如：普工、电焊工"
    )
    intended_regions = RegionMultipleField(
        label="意向地区",
        required=False,
        help_text="想去务工的省、市或县，输入地名搜索并选择，可选多个，如：济南市",
    )
    expected_wage = forms.IntegerField(label="期望月收入（元）", required=False, min_value=0, max_value=100000)
    training_needs = forms.MultipleChoiceField(
        label="培训需求", required=False, choices=c.TrainingNeed.choices, widget=forms.CheckboxSelectMultiple
    )
    unreachable = forms.BooleanField(label="无法联系", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm_warnings = forms.BooleanField(label="已核实以上提示，仍然保存", required=False)

    def __init__(self, *args: Any, require_id: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["id_number"].required = require_id
        if not require_id:
            self.fields["id_number"].help_text = "留空则保持原证件号码不变。"
        # A 民族 recorded before the code list ("苗") shows as its list name.
        recorded = self.initial.get("ethnicity")
        if recorded:
            self.initial["ethnicity"] = c.normalize_ethnicity(recorded) or recorded
        # 工种/技能 is stored as text: shown and saved as a 、-separated list of 工种.
        skills = self.initial.get("skills")
        if isinstance(skills, str) and skills:
            self.initial["skills"] = [s for s in split_multi(skills) if s]

    def clean_skills(self) -> str:
        return OCCUPATION_JOINER.join(self.cleaned_data.get("skills") or [])


class RevealForm(forms.Form):
    reason = forms.CharField(label="查看原因", max_length=200)


class SetHeadForm(forms.Form):
    new_head = forms.IntegerField(widget=forms.HiddenInput)
    former_head_relation = forms.ChoiceField(
        label="原户主改为", choices=[x for x in c.Relation.choices if x[0] != c.Relation.HEAD]
    )


class DuplicateConfirmForm(forms.Form):
    """The extra tick on the laborer create form once likely duplicates were shown."""

    confirm_not_duplicate = forms.BooleanField(label="确认不是同一人，继续登记", required=False)
