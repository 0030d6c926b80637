"""The warning list as an export kind of the exports app (exports.sources), for exports too large to write in
the request: the background job rebuilds the rows from the list page's query with the requester's current
rights. Registered in EarlyWarningConfig.ready()."""

from collections.abc import Mapping
from typing import Any

from laborcoop.earlywarning.forms import WarningFilterForm
from laborcoop.earlywarning.services.export import warning_list_source
from laborcoop.exports.choices import ExportKind
from laborcoop.exports.selectors import ListSource
from laborcoop.exports.sources import register_export_source


def warning_export_rows(user: Any, query: Mapping[str, Any]) -> ListSource:
    return warning_list_source(user, WarningFilterForm(query).filters())


def register() -> None:
    register_export_source(ExportKind.WARNINGS, build=warning_export_rows, filter_form=WarningFilterForm)
