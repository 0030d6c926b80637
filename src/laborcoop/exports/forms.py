"""Forms parse and present: the list pages' own search forms read the filters, ExportForm the options."""

from collections.abc import Mapping
from typing import Any

from django import forms

from laborcoop.core.logging import redact
from laborcoop.employers.forms import EnterpriseSearchForm, JobSearchForm
from laborcoop.employment.records.forms import RecordFilterForm
from laborcoop.exports.choices import LEDGER_KINDS, ExportFormat, ExportKind
from laborcoop.exports.sources import registered_source
from laborcoop.regions.selectors import region_path_name
from laborcoop.registry.forms import HouseholdSearchForm, LaborerSearchForm


class LedgerFilterForm(forms.Form):
    region = forms.CharField(label="地区", required=False, max_length=12)


FILTER_FORMS: dict[str, type[forms.Form]] = {
    ExportKind.LABORERS: LaborerSearchForm,
    ExportKind.HOUSEHOLDS: HouseholdSearchForm,
    ExportKind.ENTERPRISES: EnterpriseSearchForm,
    ExportKind.JOBS: JobSearchForm,
    ExportKind.EMPLOYMENT: RecordFilterForm,
    ExportKind.EMPLOYMENT_INPUT: RecordFilterForm,
    **{kind: LedgerFilterForm for kind in LEDGER_KINDS},
}


def _filter_form(kind: str) -> type[forms.Form]:
    registered = registered_source(kind)
    return registered.filter_form if registered is not None else FILTER_FORMS[kind]


def filters_from(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The list page's filters from its query string, as the list page reads them (invalid -> none)."""
    form = _filter_form(kind)(data)
    if not form.is_valid():
        return {}
    return {key: value for key, value in form.cleaned_data.items() if value not in ("", None, False, [])}


def describe_filters(kind: str, filters: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs in Chinese for showing an export's filters; search text stays redacted."""
    form = _filter_form(kind)()
    described: list[tuple[str, str]] = []
    for key, value in filters.items():
        field = form.fields.get(key)
        name = str(field.label) if field is not None and field.label else key
        if key == "region":
            name, text = "地区", region_path_name(str(value)) or str(value)
        elif isinstance(value, bool):
            text = "是" if value else "否"
        elif isinstance(field, forms.ChoiceField):
            text = str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
        else:
            text = redact(str(value))
        described.append((name, text))
    return described


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label="文件格式", choices=ExportFormat.choices, initial=ExportFormat.XLSX, widget=forms.RadioSelect
    )
    unmasked = forms.BooleanField(label="导出完整证件号和电话", required=False)
    reason = forms.CharField(
        label="导出原因",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "例如：报送县人社局核对务工补贴"}),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind in LEDGER_KINDS:
            fmt = self.fields["format"]
            assert isinstance(fmt, forms.ChoiceField)
            fmt.choices = [(ExportFormat.XLSX.value, ExportFormat.XLSX.label)]
