from django import forms

from laborcoop.cooperation.models import CooperationField
from laborcoop.regions.fields import RegionField
from laborcoop.regions.models import RegionLevel


class AgreementForm(forms.Form):
    title = forms.CharField(label="协议名称", max_length=100, required=False)
    output_region_code = RegionField(
        label="输出地", min_level=RegionLevel.PROVINCE, max_level=RegionLevel.COUNTY, placeholder="如：湘西州"
    )
    input_region_code = RegionField(
        label="输入地", min_level=RegionLevel.PROVINCE, max_level=RegionLevel.COUNTY, placeholder="如：济南市"
    )
    start_date = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    areas = forms.MultipleChoiceField(
        label="合作领域",
        choices=CooperationField.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个合作领域。"},
    )
    target_transfer = forms.IntegerField(label="年度转移就业目标（人）", initial=0)
    target_training = forms.IntegerField(label="年度培训目标（人）", initial=0)
    target_jobs = forms.IntegerField(label="年度提供岗位目标（个）", initial=0)
    output_subsidy = forms.CharField(label="输出地补贴政策", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    input_subsidy = forms.CharField(label="输入地补贴政策", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    output_contact_name = forms.CharField(label="输出地联系人", max_length=30, required=False)
    output_contact_phone = forms.CharField(label="输出地联系电话", max_length=20, required=False)
    input_contact_name = forms.CharField(label="输入地联系人", max_length=30, required=False)
    input_contact_phone = forms.CharField(label="输入地联系电话", max_length=20, required=False)


class TerminateForm(forms.Form):
    reason = forms.CharField(label="终止原因", max_length=200, error_messages={"required": "请填写终止原因。"})
