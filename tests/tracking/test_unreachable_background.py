"""A long unreachable list is exported as a background export job (issue 13 item 21): the page answers with the
job page at once, and the job writes the same scoped, masked rows."""

import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from laborcoop.exports.choices import ExportKind, ExportStatus
from laborcoop.exports.models import ExportJob
from laborcoop.registry.models import Laborer
from tests.factories import HouseholdFactory, LaborerFactory
from tests.tracking.followup_helpers import client_for

pytestmark = pytest.mark.django_db


def test_long_unreachable_list_is_exported_in_the_background(
    users: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LABORCOOP_EXPORT_XLSX_DIRECT_MAX_ROWS = 1
    mine = [LaborerFactory(name=name) for name in ("向金花", "向银生")]
    LaborerFactory(name="外县人", household=HouseholdFactory(region_id="433123109201"))
    Laborer.objects.update(unreachable=True, unreachable_since=timezone.localdate())
    client = client_for(users["county_officer"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tracking:unreachable_export"), {"region": ""})

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job_detail", args=[job.pk])
    assert (job.kind, job.status, job.rows_total, job.masked) == (
        ExportKind.UNREACHABLE,
        ExportStatus.SUCCEEDED,
        2,
        True,
    )
    download = client.get(reverse("exports:job_download", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active  # type: ignore[arg-type]
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("户编号", "姓名", "证件号码")
    assert sorted(row[1] for row in rows[1:]) == ["向金花", "向银生"]
    assert not any(p.reveal_id_number() in repr(rows) for p in mine)
    assert "导出任务：无法联系人员" in client.get(response["Location"]).content.decode()
