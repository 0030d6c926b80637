"""A feedback file too long to write in the request becomes a background export job (issue 13 item 21): the
page answers at once with the job page; the job writes the same masked two-sheet workbook, audited."""

import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.exports.choices import ExportKind, ExportStatus
from laborcoop.exports.models import ExportJob
from laborcoop.linkage.models import Comparison
from tests.linkage.conftest import Person

pytestmark = pytest.mark.django_db


def test_long_feedback_file_is_written_in_the_background(
    users: dict[str, Any],
    registry: list[Person],
    comparison: Comparison,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.LABORCOOP_EXPORT_XLSX_DIRECT_MAX_ROWS = 5
    client = Client()
    client.force_login(users["viewer"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("linkage:feedback", args=[comparison.pk]), {})

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job_detail", args=[job.pk])
    assert (job.kind, job.format, job.masked, job.filters) == (
        ExportKind.LINKAGE_FEEDBACK,
        "xlsx",
        True,
        {"comparison": comparison.pk},
    )
    assert (job.status, job.rows_total, job.rows_written, job.progress) == (ExportStatus.SUCCEEDED, 28, 28, 100)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, object_id=str(job.pk)).count() == 1
    download = client.get(reverse("exports:job_download", args=[job.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))  # type: ignore[arg-type]
    sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    assert len(sheets["本库未匹配或无法联系"]) == 2 + 26
    assert [r[2] for r in sheets["对方有本库无"][2:]] == ["王小二", "李四"]
    assert not any(p.id_number in repr(sheets) for p in registry)
    other = Client()
    other.force_login(users["other_county_officer"])
    assert other.get(response["Location"]).status_code == 404
