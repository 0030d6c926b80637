from django import forms

from laborcoop.core.models import AuditEntry


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label="操作人账号", required=False)
    action = forms.ChoiceField(label="操作", required=False, choices=[("", "全部操作"), *AuditEntry.Action.choices])
    object_type = forms.ChoiceField(
        label="对象类型",
        required=False,
        choices=[
            ("", "全部对象"),
            ("registry.laborer", "人员"),
            ("registry.household", "家庭"),
            ("employers.enterprise", "企业"),
            ("employers.jobposting", "岗位"),
            ("accounts.user", "账号"),
            ("regions.region", "区划"),
        ],
    )
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
