"""The comparison feedback file as an export kind of the exports app (exports.sources), for files too long to
write in the request: the background job fetches the comparison with the requester's current rights and writes
the same workbook. Registered in LinkageConfig.ready()."""

from collections.abc import Mapping
from typing import Any

from django import forms

from laborcoop.exports.choices import ExportKind
from laborcoop.exports.sources import register_export_source
from laborcoop.linkage.access import access_comparison
from laborcoop.linkage.services.feedback import FeedbackSource, feedback_source


class FeedbackFilterForm(forms.Form):
    comparison = forms.IntegerField(label="比对任务编号", required=False)


def feedback_export_rows(user: Any, filters: Mapping[str, Any]) -> FeedbackSource:
    comparison = access_comparison(user=user, comparison_id=filters.get("comparison"))
    return feedback_source(acting_user=user, comparison=comparison)


def register() -> None:
    register_export_source(ExportKind.LINKAGE_FEEDBACK, build=feedback_export_rows, filter_form=FeedbackFilterForm)
