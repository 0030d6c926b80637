"""A warning export too large to write in about a second becomes a background export job (issue 13 item 21):
the page answers at once with the job page, the job rebuilds the same filtered, scoped, masked rows, and only
the requester sees it."""

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from laborcoop.exports.choices import ExportKind, ExportStatus
from laborcoop.exports.models import ExportJob
from tests.earlywarning.conftest import run
from tests.factories import HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def warned(regions: Any) -> list[Any]:
    """Three unreachable people of 泸溪县 and one of 凤凰县 (another county), with their warnings."""
    people = [LaborerFactory(name=name, unreachable=True) for name in ("向金花", "向银生", "符秋菊")]
    LaborerFactory(name="外县人", unreachable=True, household=HouseholdFactory(region_id="433123109201"))
    run(today=timezone.localdate())
    return people


def test_large_warning_export_runs_in_the_background(
    users: dict[str, Any], warned: list[Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LABORCOOP_EXPORT_XLSX_DIRECT_MAX_ROWS = 1
    officer = users["county_officer"]
    client = client_for(officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("earlywarning:export") + "?rule=unreachable", {"format": "xlsx"})

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job_detail", args=[job.pk])
    assert (job.kind, job.format, job.masked, job.is_direct) == (ExportKind.WARNINGS, "xlsx", True, False)
    assert job.filters == {"rule": "unreachable"}
    assert (job.status, job.rows_total, job.rows_written, job.progress) == (ExportStatus.SUCCEEDED, 3, 3, 100)
    page = client.get(response["Location"]).content.decode()
    assert "导出任务：预警" in page
    assert "预警规则：" in page
    download = client.get(reverse("exports:job_download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active  # type: ignore[arg-type]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["预警规则", "严重程度"]
    assert sorted(row[4] for row in rows[1:]) == ["向金花", "向银生", "符秋菊"]
    assert not any(person.reveal_id_number() in str(rows) for person in warned)
    assert client_for(users["other_county_officer"]).get(response["Location"]).status_code == 404


def test_small_warning_export_stays_direct(users: dict[str, Any], warned: list[Any]) -> None:
    response = client_for(users["county_officer"]).post(
        reverse("earlywarning:export") + "?rule=unreachable", {"format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportJob.objects.exists()
