"""Input of the matching pages (parsed here, validated again by the services)."""

from typing import Any

from django import forms

from laborcoop.matching.choices import InterviewMode, RecState
from laborcoop.matching.services.weights import FACTOR_LABELS, WEIGHT_NAMES


class TransitionForm(forms.Form):
    state = forms.ChoiceField(label="新状态", choices=RecState.choices)
    version = forms.IntegerField(label="版本", min_value=1)
    reason = forms.CharField(label="原因", max_length=200, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)
    interview_at = forms.DateTimeField(
        label="面试时间", required=False, error_messages={"invalid": "请填写正确的面试时间，如 2026-12-10 09:30"}
    )
    interview_mode = forms.ChoiceField(
        label="面试方式", required=False, choices=[("", "请选择"), *InterviewMode.choices]
    )
    interview_place = forms.CharField(label="面试地点", max_length=200, required=False)
    interview_note = forms.CharField(label="面试说明", max_length=200, required=False)
    hire_date = forms.DateField(label="录用/上岗日期", required=False)
    confirm_over_hire = forms.BooleanField(label="招聘人数已满时确认超额录用（增加招聘人数）", required=False)


class RespondForm(forms.Form):
    state = forms.ChoiceField(label="意向", choices=[(RecState.INTERESTED, "有意向"), (RecState.DECLINED, "无意向")])
    reason = forms.CharField(label="原因", max_length=200, required=False)


class RunForm(forms.Form):
    limit = forms.IntegerField(label="人数", min_value=1, max_value=200, required=False)


class WeightsForm(forms.Form):
    """One text input per score factor (checked by services.weights, so the messages are the service's); a
    blank input keeps the current value. `version` is the row's version when the page was loaded (0: none)."""

    version = forms.IntegerField(label="版本", min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, defaults: dict[str, float], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in WEIGHT_NAMES:
            self.fields[name] = forms.CharField(
                label=FACTOR_LABELS.get(name, name),
                max_length=20,
                required=False,
                help_text=f"默认 {defaults[name]:g} 分",
            )

    def weight_values(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version" and value != ""}


class InterviewForm(forms.Form):
    """The enterprise's (or staff's) interview step on a candidate page: the service checks the details."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    interview_at = forms.DateTimeField(
        label="面试时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": "请填写正确的面试时间，如 2026-12-10 09:30"},
    )
    interview_mode = forms.ChoiceField(
        label="面试方式", required=False, choices=InterviewMode.choices, widget=forms.RadioSelect
    )
    interview_place = forms.CharField(
        label="面试地点",
        max_length=200,
        required=False,
        help_text="现场面试填写详细地址；线上面试可填写方式，如“微信视频”",
    )
    interview_note = forms.CharField(
        label="说明（选填）", max_length=200, required=False, help_text="如：携带身份证，到门卫处找人事部王女士"
    )


class EnterpriseStartForm(forms.Form):
    """报送上岗 of a hired candidate on its page: the start date and the agreed wage (the job's lower bound by
    default)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    hire_date = forms.DateField(
        label="上岗日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "请填写正确的上岗日期，如 2026-12-10"},
    )
    monthly_wage = forms.IntegerField(
        label="约定月收入（元，选填）",
        required=False,
        min_value=0,
        error_messages={"invalid": "请填写整数金额", "min_value": "金额不能为负数"},
    )


class PutForwardSearchForm(forms.Form):
    """Find a laborer of the user's subtree to put forward for a market posting (the registry's search: a name,
    a full ID number, the ID tail or the phone tail)."""

    q = forms.CharField(
        label="查找人员",
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "姓名、身份证号或后四位"}),
    )


class PutForwardForm(forms.Form):
    laborer_id = forms.IntegerField(
        min_value=1, error_messages={"required": "请选择要推荐的人员。", "invalid": "请选择要推荐的人员。"}
    )
