"""Large exports run as background jobs (ImmediateBackend in tests): progress, file, requester-only access."""

from typing import Any

import pytest
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.exports.choices import ExportStatus
from laborcoop.exports.models import ExportJob
from laborcoop.exports.runner import JOB_DENIED, export_job_run
from laborcoop.exports.services import export_start
from tests.exports.conftest import body, client_for, read_csv, read_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limits(settings: Any) -> Any:
    settings.LABORCOOP_EXPORT_XLSX_DIRECT_MAX_ROWS = 2
    settings.LABORCOOP_EXPORT_DIRECT_MAX_ROWS = 3
    settings.LABORCOOP_EXPORT_CHUNK_SIZE = 2
    return settings


def test_large_xlsx_runs_in_background_and_only_the_requester_downloads(
    users: dict[str, Any], people: dict[str, Any], small_limits: Any, run_on_commit: Any
) -> None:
    officer = users["county_officer"]
    client = client_for(officer)

    with run_on_commit():
        response = client.post(reverse("exports:start", args=["laborers"]), {"format": "xlsx"})

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job_detail", args=[job.pk])
    assert job.status == ExportStatus.SUCCEEDED
    assert job.is_direct is False
    assert (job.rows_total, job.rows_written, job.progress) == (4, 4, 100)
    assert job.file.name.startswith("exports/")
    assert job.started_at is not None
    assert job.finished_at is not None
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, object_id=str(job.pk)).count() == 1

    page = client.get(reverse("exports:job_detail", args=[job.pk]))
    assert reverse("exports:job_download", args=[job.pk]) in page.content.decode()
    download = client.get(reverse("exports:job_download", args=[job.pk]))
    assert download.status_code == 200
    data = body(download)
    [(name, rows)] = read_xlsx(data).items()
    assert name == "人员"
    assert sorted(row[rows[0].index("姓名")] for row in rows[1:]) == sorted(["向金花", "向银生", "符秋菊", "符老汉"])
    assert people["a"].clear_id.encode() not in data

    for other in ("other_county_officer", "prefecture_admin", "province_admin"):
        stranger = client_for(users[other])
        for url in (reverse("exports:job_detail", args=[job.pk]), reverse("exports:job_download", args=[job.pk])):
            response = stranger.get(url)
            assert response.status_code == 404, (other, url)
            assert "向金花" not in response.content.decode()
    missing = client.get(reverse("exports:job_download", args=[job.pk + 100]))
    assert missing.status_code == 404


def test_superuser_cannot_read_someone_elses_job(
    users: dict[str, Any], people: dict[str, Any], small_limits: Any, run_on_commit: Any
) -> None:
    from tests.factories import UserFactory

    root = UserFactory(username="root_t", is_superuser=True, roles=[])
    with run_on_commit():
        job = export_start(acting_user=users["county_officer"], kind="laborers", fmt="xlsx", filters={})
    assert isinstance(job, ExportJob)

    assert client_for(root).get(reverse("exports:job_download", args=[job.pk])).status_code == 404
    assert client_for(root).get(reverse("exports:index")).status_code == 200


def test_large_csv_runs_in_background(
    users: dict[str, Any], people: dict[str, Any], small_limits: Any, run_on_commit: Any
) -> None:
    client = client_for(users["county_officer"])
    with run_on_commit():
        client.post(reverse("exports:start", args=["laborers"]), {"format": "csv"})

    job = ExportJob.objects.get()
    rows = read_csv(body(client.get(reverse("exports:job_download", args=[job.pk]))))
    assert job.status == ExportStatus.SUCCEEDED
    assert len(rows) == 1 + 4


def test_small_csv_is_direct_even_above_the_xlsx_limit(
    users: dict[str, Any], people: dict[str, Any], settings: Any
) -> None:
    settings.LABORCOOP_EXPORT_XLSX_DIRECT_MAX_ROWS = 1
    response = client_for(users["county_officer"]).post(reverse("exports:start", args=["laborers"]), {"format": "csv"})

    job = ExportJob.objects.get()
    assert response.status_code == 200
    assert job.is_direct is True
    assert job.status == ExportStatus.SUCCEEDED
    assert not job.file
    assert client_for(users["county_officer"]).get(reverse("exports:job_download", args=[job.pk])).status_code == 404


def test_job_status_polls_while_running_and_stops_when_done(
    users: dict[str, Any], people: dict[str, Any], small_limits: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(users["county_officer"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("exports:start", args=["laborers"]), {"format": "xlsx"})
    job = ExportJob.objects.get()
    url = reverse("exports:job_detail", args=[job.pk])

    queued = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in queued
    assert "排队中" in queued
    assert "<html" not in queued

    for callback in callbacks:
        callback()
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done
    assert 'value="100"' in done
    assert reverse("exports:job_download", args=[job.pk]) in done


def test_unmasked_job_fails_if_the_grant_is_withdrawn(
    unmasker: Any, people: dict[str, Any], small_limits: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = export_start(acting_user=unmasker, kind="laborers", fmt="xlsx", filters={}, unmasked=True, reason="核对")
    unmasker.can_unmask_id = False
    unmasker.save(update_fields=["can_unmask_id"])

    for callback in callbacks:
        callback()

    assert isinstance(job, ExportJob)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.error == JOB_DENIED
    assert not job.file


def test_unmasked_job_writes_clear_numbers(
    unmasker: Any, people: dict[str, Any], small_limits: Any, run_on_commit: Any
) -> None:
    with run_on_commit():
        job = export_start(acting_user=unmasker, kind="laborers", fmt="xlsx", filters={}, unmasked=True, reason="核对")
    assert isinstance(job, ExportJob)
    job.refresh_from_db()
    data = job.file.read()
    assert people["a"].clear_id in str(read_xlsx(data))


def test_finished_job_is_not_run_again(
    users: dict[str, Any], people: dict[str, Any], small_limits: Any, run_on_commit: Any
) -> None:
    with run_on_commit():
        job = export_start(acting_user=users["county_officer"], kind="laborers", fmt="xlsx", filters={})
    assert isinstance(job, ExportJob)
    job.refresh_from_db()
    name = job.file.name

    export_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.file.name == name
    assert job.status == ExportStatus.SUCCEEDED


def test_index_lists_only_my_jobs_and_the_ledgers(users: dict[str, Any], people: dict[str, Any]) -> None:
    mine = export_start(acting_user=users["county_officer"], kind="laborers", fmt="csv", filters={})
    theirs = export_start(acting_user=users["other_county_officer"], kind="laborers", fmt="csv", filters={})
    assert not isinstance(mine, ExportJob)
    assert not isinstance(theirs, ExportJob)

    html = client_for(users["county_officer"]).get(reverse("exports:index")).content.decode()

    assert reverse("exports:job_detail", args=[mine.job.pk]) in html
    assert reverse("exports:job_detail", args=[theirs.job.pk]) not in html
    for title in ("劳动力资源登记台账", "转移就业人员台账", "企业用工台账"):
        assert title in html
    enterprise_html = client_for(users["enterprise"]).get(reverse("exports:index")).content.decode()
    assert "企业用工台账" in enterprise_html
    assert "劳动力资源登记台账" not in enterprise_html
