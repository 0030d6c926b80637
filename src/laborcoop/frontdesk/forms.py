"""Front-desk forms: parse and present; the rules live in the services."""

from django import forms

from laborcoop.frontdesk.models import DuplicatePair, ServiceContact


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
    note = forms.CharField(label="备注", required=False, max_length=200)


class PairFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="状态", required=False, choices=DuplicatePair.Status.choices, initial=DuplicatePair.Status.OPEN
    )


class NotDuplicateForm(forms.Form):
    note = forms.CharField(label="核实说明", required=False, max_length=500)


class MergeForm(forms.Form):
    keep = forms.ChoiceField(choices=[("a", "保留左侧"), ("b", "保留右侧")])
