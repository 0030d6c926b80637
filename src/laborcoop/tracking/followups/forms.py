"""Forms parse and present; the rules (and their Chinese messages) live in tracking.followups.services."""

from typing import Any

from django import forms
from django.utils import timezone

from laborcoop.tracking.choices import ContactMethod, ContactOutcome, TaskKind, TaskStatus
from laborcoop.tracking.followups.selectors import TaskFilters
from laborcoop.tracking.followups.services import NOTE_MAX
from laborcoop.tracking.followups.work import EMPLOYER_MAX, WorkLearned

WAGE_INVALID = "月收入请填写整数（元），如 4500。"
DATE_INVALID = "联系日期格式不正确，请按“年-月-日”填写，如 2025-06-01。"
CHOICE_INVALID = "“%(value)s”不在可选范围内。"
ALL_STATUSES = "all"


class FollowUpForm(forms.Form):
    """Required fields are checked by the service (one set of messages for the pages and the API)."""

    contacted_on = forms.DateField(
        label="联系日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_INVALID},
    )
    method = forms.ChoiceField(
        label="联系方式",
        required=False,
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": CHOICE_INVALID},
    )
    outcome = forms.ChoiceField(
        label="联系结果",
        required=False,
        choices=ContactOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": CHOICE_INVALID},
    )
    note = forms.CharField(
        label="情况说明",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "maxlength": NOTE_MAX, "placeholder": "如：在广东东莞电子厂务工，月收入约5000元"}
        ),
    )

    employer_name = forms.CharField(
        label="务工单位",
        required=False,
        max_length=EMPLOYER_MAX,
        help_text="联系上、在岗时填写：电话里得知的单位名称，会更新就业记录。",
        widget=forms.TextInput(attrs={"placeholder": "如：东莞鼎盛服饰有限公司"}),
    )
    monthly_wage = forms.IntegerField(
        label="月收入（元）",
        required=False,
        error_messages={"invalid": WAGE_INVALID},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "如：4500"}),
    )
    work_county = forms.CharField(
        label="务工地（县）",
        required=False,
        max_length=50,
        help_text="新单位或首次登记就业时填写，如：东莞市、广东省东莞市。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {"contacted_on": today, "method": ContactMethod.PHONE})
        super().__init__(*args, **kwargs)
        self.fields["contacted_on"].widget.attrs["max"] = today.isoformat()
        self.fields["employer_name"].error_messages["max_length"] = f"务工单位不能超过{EMPLOYER_MAX}个字。"

    def work(self) -> WorkLearned:
        d = self.cleaned_data
        return WorkLearned(
            employer_name=d.get("employer_name") or "",
            monthly_wage=d.get("monthly_wage"),
            work_county=d.get("work_county") or "",
        )


class TaskFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[
            (TaskStatus.OPEN.value, "待办"),
            (TaskStatus.DONE.value, "已完成"),
            (TaskStatus.CANCELLED.value, "已取消"),
            (ALL_STATUSES, "全部状态"),
        ],
    )
    kind = forms.ChoiceField(label="任务类型", required=False, choices=[("", "全部任务类型"), *TaskKind.choices])
    overdue = forms.BooleanField(label="只看已逾期", required=False)
    region = forms.CharField(label="区划代码", required=False, widget=forms.HiddenInput)

    def to_filters(self) -> TaskFilters:
        if not self.is_valid():
            return TaskFilters()
        d = self.cleaned_data
        status = d["status"] or TaskStatus.OPEN
        return TaskFilters(
            status="" if status == ALL_STATUSES else status,
            kind=d["kind"],
            region=d["region"].strip(),
            overdue=d["overdue"],
        )


class RegionFilterForm(forms.Form):
    region = forms.CharField(label="区划代码", required=False, widget=forms.HiddenInput)

    def region_code(self) -> str:
        return self.cleaned_data["region"].strip() if self.is_valid() else ""
