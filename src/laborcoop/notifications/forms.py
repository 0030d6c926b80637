from django import forms

from laborcoop.notifications.choices import Channel, Status


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *Status.choices])
    channel = forms.ChoiceField(label="渠道", required=False, choices=[("", "全部"), *Channel.choices])


LIMIT_REQUIRED = "请填写此项。"


class SendLimitsForm(forms.Form):
    """The province's send limits (notifications.limits); the version guards against two admins saving over
    each other."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    laborer_jobs_per_week = forms.CharField(
        label="每位劳动者每周最多通知岗位数", max_length=3, error_messages={"required": LIMIT_REQUIRED}
    )
    candidates_per_opening = forms.CharField(
        label="每个岗位空缺最多通知人数", max_length=3, error_messages={"required": LIMIT_REQUIRED}
    )
