from typing import Any

from django import forms

from laborcoop.intake.columns import ImportKind
from laborcoop.intake.services import FILE_REQUIRED, KIND_INVALID

ACCEPT = ".xlsx,.xls,.ods,.csv"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="导入类型", error_messages={"required": KIND_INVALID, "invalid_choice": KIND_INVALID}
    )
    file = forms.FileField(
        label="文件",
        help_text="xlsx、xls、ods 或 csv，最大 50 MB；表头可在第 1 至 15 行",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": FILE_REQUIRED, "empty": "文件是空的，没有可导入的数据"},
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ImportKind.choices)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(kind, labels[kind]) for kind in kinds]
