"""Input of the matching pages (parsed here, validated again by the services)."""

from django import forms

from laborcoop.matching.choices import RecState


class TransitionForm(forms.Form):
    state = forms.ChoiceField(label="新状态", choices=RecState.choices)
    version = forms.IntegerField(label="版本", min_value=1)
    reason = forms.CharField(label="原因", max_length=200, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)
    interview_at = forms.DateTimeField(label="面试时间", required=False)
    hire_date = forms.DateField(label="录用/上岗日期", required=False)


class RespondForm(forms.Form):
    state = forms.ChoiceField(label="意向", choices=[(RecState.INTERESTED, "有意向"), (RecState.DECLINED, "无意向")])
    reason = forms.CharField(label="原因", max_length=200, required=False)


class RunForm(forms.Form):
    limit = forms.IntegerField(label="人数", min_value=1, max_value=200, required=False)
