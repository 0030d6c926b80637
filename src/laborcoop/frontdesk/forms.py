"""Front-desk forms: parse and present; the rules live in the services."""

from django import forms

from laborcoop.frontdesk.models import DuplicatePair, ServiceContact

NOTE_PLACEHOLDER = "如：询问外出务工交通补贴，已告知申请条件"


class WalkinForm(forms.Form):
    channel = forms.ChoiceField(
        label="服务渠道",
        choices=ServiceContact.Channel.choices,
        initial=ServiceContact.Channel.WINDOW,
        widget=forms.RadioSelect,
    )
    id_number = forms.CharField(
        label="证件号码",
        required=False,
        max_length=40,
        help_text="18 位或 15 位身份证号，可直接粘贴（空格、小写 x 均可）。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    name = forms.CharField(
        label="姓名", required=False, max_length=50, help_text="没有证件号码时，填写姓名和出生日期。"
    )
    birth_date = forms.DateField(label="出生日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label="备注",
        required=False,
        max_length=500,
        error_messages={"max_length": "备注不能超过500个字。"},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500, "placeholder": NOTE_PLACEHOLDER}),
    )


class ContactFilterForm(forms.Form):
    channel = forms.ChoiceField(
        label="渠道", required=False, choices=[("", "全部渠道"), *ServiceContact.Channel.choices]
    )


class AttachForm(forms.Form):
    laborer = forms.IntegerField(widget=forms.HiddenInput)


class PairFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="状态", required=False, choices=DuplicatePair.Status.choices, initial=DuplicatePair.Status.OPEN
    )


class NotDuplicateForm(forms.Form):
    note = forms.CharField(label="核实说明", required=False, max_length=500)


class MergeForm(forms.Form):
    keep = forms.ChoiceField(choices=[("a", "保留左侧"), ("b", "保留右侧")])
