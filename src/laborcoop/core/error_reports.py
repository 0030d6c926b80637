"""Error reports (the DEBUG error page, mail to ADMINS) without ID numbers or phone numbers.

Django's SafeExceptionReporterFilter already hides settings such as keys; this filter also redacts every
request parameter and every string local variable that contains an ID number or a mobile number.
"""

from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils.safestring import SafeString, mark_safe
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from laborcoop.core.logging import redact


def _redacted(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_redacted(v) for v in value)
    if isinstance(value, dict):
        return {k: _redacted(v) for k, v in value.items()}
    return value


class PersonalDataExceptionReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        params: Any = super().get_post_parameters(request)
        if not params or not isinstance(params, QueryDict):
            return _redacted(params) if isinstance(params, dict) else params
        cleaned = params.copy()
        for key in cleaned:
            cleaned.setlist(key, [_redacted(v) for v in cleaned.getlist(key)])
        return cleaned

    def get_traceback_frame_variables(self, request: HttpRequest | None, tb_frame: Any) -> Any:
        return [(name, _redacted(value)) for name, value in super().get_traceback_frame_variables(request, tb_frame)]


class PersonalDataExceptionReporter(ExceptionReporter):
    """Redacts the rendered report as a whole, so the exception message and source lines are covered too."""

    def get_traceback_html(self) -> SafeString:
        # The report was escaped when rendered; redaction only replaces digits with plain text.
        return mark_safe(redact(super().get_traceback_html()))  # noqa: S308

    def get_traceback_text(self) -> SafeString:
        return mark_safe(redact(super().get_traceback_text()))  # noqa: S308
