from typing import Any

from django import forms

from laborcoop.linkage.columns import columns_for
from laborcoop.linkage.models import Department
from laborcoop.linkage.services.upload import DEPARTMENT_INVALID, FILE_REQUIRED

ACCEPT = ".xlsx,.xls,.ods,.csv"
UNUSED = ""


class ComparisonUploadForm(forms.Form):
    department = forms.ChoiceField(
        label="名单来源",
        choices=[("", "请选择"), *Department.choices],
        error_messages={"required": DEPARTMENT_INVALID, "invalid_choice": DEPARTMENT_INVALID},
    )
    file = forms.FileField(
        label="名单文件",
        help_text="xlsx、xls、ods 或 csv（UTF-8 或 GBK），最大 50 MB；表头可在第 1 至 15 行",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": FILE_REQUIRED, "empty": "文件是空的，没有可比对的数据"},
    )


class MappingForm(forms.Form):
    """One select per target column: which header of the file holds it (or none)."""

    def __init__(self, *args: Any, headers: list[str], department: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(UNUSED, "（不使用）"), *((str(i), h or f"第 {i + 1} 列") for i, h in enumerate(headers))]
        self.target_keys: list[str] = []
        for column in columns_for(department):
            name = f"col_{column.key}"
            self.fields[name] = forms.ChoiceField(label=column.label, choices=choices, required=False)
            self.target_keys.append(column.key)

    def mapping(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for key in self.target_keys:
            value = self.cleaned_data.get(f"col_{key}")
            if value not in (None, UNUSED):
                result[key] = int(value)
        return result

    def column_fields(self) -> list[Any]:
        return [self[f"col_{key}"] for key in self.target_keys]


class DecisionForm(forms.Form):
    note = forms.CharField(label="备注", required=False, max_length=500)


class FeedbackForm(forms.Form):
    unmasked = forms.BooleanField(label="导出完整证件号码（本库人员）", required=False)
    reason = forms.CharField(label="导出原因", required=False, max_length=200)
