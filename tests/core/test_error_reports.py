"""Error reports (debug page, mails to admins) never show ID numbers or mobile numbers."""

import sys

from django.test import RequestFactory

from laborcoop.core.error_reports import PersonalDataExceptionReporter

ID18 = "43312219800315123X"
MOBILE = "13812345678"


def _fail(id_number: str) -> None:
    laborer_note = f"registering {id_number} / {MOBILE}"
    raise ValueError(laborer_note)


def test_settings_use_the_redacting_reporter(settings: object) -> None:
    from django.views.debug import get_exception_reporter_class

    request = RequestFactory().get("/")
    assert get_exception_reporter_class(request) is PersonalDataExceptionReporter


def test_debug_report_redacts_post_data_locals_and_message() -> None:
    request = RequestFactory().post("/registry/households/1/members/new/", {"id_number": ID18, "phone": MOBILE})
    try:
        _fail(ID18)
    except ValueError:
        html = PersonalDataExceptionReporter(request, *sys.exc_info()).get_traceback_html()
        text = PersonalDataExceptionReporter(request, *sys.exc_info()).get_traceback_text()
    for report in (html, text):
        assert ID18 not in report
        assert MOBILE not in report
    assert "[证件号已隐藏]" in html
