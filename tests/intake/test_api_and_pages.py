"""Import jobs over the API and on the pages, as a permission matrix: anonymous, wrong role, right role in
another region, right role in the region. Denied requests change nothing and leak nothing."""

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from laborcoop.intake.models import ImportJob
from laborcoop.registry.models import Laborer
from tests.api.conftest import NOT_FOUND_BODY, token_client
from tests.intake.helpers import family, person, run_file, write_xlsx, xlsx_bytes

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def luxi_job(users: dict[str, Any], tmp_path: Path) -> ImportJob:
    """A finished job of the 泸溪县 officer with one rejected row (so it has a report)."""
    rows = [*family("433122107201000001"), person("433122107201000002", id_number="4.33122E+17")]
    return run_file(users["county_officer"], write_xlsx(tmp_path / "泸溪.xlsx", rows))


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- API --------------------------------------------------------------------------------------------------


def test_api_create_then_poll(users: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    api = token_client(users["county_officer"])
    upload = SimpleUploadedFile("人员.xlsx", xlsx_bytes(family("433122107201000001")))
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(reverse("api:import_list"), {"file": upload, "kind": "persons"}, format="multipart")
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["kind"], body["status"], body["original_name"]) == ("persons", "queued", "人员.xlsx")

    polled = api.get(reverse("api:import_detail", args=[body["id"]])).json()
    assert polled["status"] == "succeeded"
    assert {k: polled[k] for k in ("progress", "rows_total", "rows_created", "rows_rejected", "report_url")} == {
        "progress": 100,
        "rows_total": 3,
        "rows_created": 3,
        "rows_rejected": 0,
        "report_url": None,
    }
    assert Laborer.objects.count() == 3


def test_api_create_validation_errors(users: dict[str, Any]) -> None:
    api = token_client(users["county_officer"])
    bad_type = SimpleUploadedFile("a.pdf", b"%PDF-1.4")
    response = api.post(reverse("api:import_list"), {"file": bad_type, "kind": "persons"}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": ["不支持的文件类型，请上传 xlsx、xls、ods 或 csv 文件"]}
    response = api.post(reverse("api:import_list"), {"kind": "persons"}, format="multipart")
    assert response.status_code == 400
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize(("who", "expected"), [(None, 401), ("viewer", 403), ("enterprise", 403)])
def test_api_create_denied(users: dict[str, Any], who: str | None, expected: int) -> None:
    api = token_client(users[who] if who else None)
    upload = SimpleUploadedFile("a.xlsx", xlsx_bytes(family("433122107201000001")))
    response = api.post(reverse("api:import_list"), {"file": upload, "kind": "persons"}, format="multipart")
    assert response.status_code == expected
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("county_officer", True),  # the uploader
        ("prefecture_admin", True),  # an admin above the uploader's region
        ("province_admin", True),
        ("other_county_officer", False),
        ("township_officer", False),  # same county, but neither uploader nor admin
        ("viewer", False),
    ],
)
def test_api_job_scope(users: dict[str, Any], luxi_job: ImportJob, who: str, sees: bool) -> None:
    api = token_client(users[who])
    detail = api.get(reverse("api:import_detail", args=[luxi_job.pk]))
    report = api.get(reverse("api:import_report", args=[luxi_job.pk]))
    listed = [j["id"] for j in api.get(reverse("api:import_list")).json()["results"]]
    if sees:
        assert detail.status_code == 200
        assert detail.json()["rows_rejected"] == 1
        assert detail.json()["report_url"].endswith(reverse("api:import_report", args=[luxi_job.pk]))
        assert report.status_code == 200
        assert report["Content-Type"] == XLSX
        assert listed == [luxi_job.pk]
    else:
        assert (detail.status_code, detail.json()) == (404, NOT_FOUND_BODY)
        assert report.status_code == 404
        assert listed == []


def test_api_anonymous_gets_401(luxi_job: ImportJob) -> None:
    api = token_client(None)
    for url in (
        reverse("api:import_list"),
        reverse("api:import_detail", args=[luxi_job.pk]),
        reverse("api:import_report", args=[luxi_job.pk]),
        reverse("api:import_template", args=["persons"]),
    ):
        assert api.get(url).status_code == 401


def test_api_template_download(users: dict[str, Any]) -> None:
    api = token_client(users["county_officer"])
    response = api.get(reverse("api:import_template", args=["persons"]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response.content[:2] == b"PK"
    assert api.get(reverse("api:import_template", args=["nonsense"])).status_code == 404


# --- pages ------------------------------------------------------------------------------------------------


def test_index_lists_jobs_and_offers_upload(users: dict[str, Any], luxi_job: ImportJob) -> None:
    response = client_for(users["county_officer"]).get(reverse("intake:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "泸溪.xlsx" in html
    assert 'id="upload-form"' in html
    assert reverse("intake:template", args=["persons"]) in html
    for kind in ("persons", "work", "enterprises", "jobs"):
        assert f'<option value="{kind}"' in html
        assert reverse("intake:template", args=[kind]) in html


def test_index_for_viewer_has_no_upload(users: dict[str, Any], luxi_job: ImportJob) -> None:
    response = client_for(users["viewer"]).get(reverse("intake:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="upload-form"' not in html
    assert "泸溪.xlsx" not in html


def test_upload_page_shows_chinese_errors(users: dict[str, Any]) -> None:
    client = client_for(users["county_officer"])
    response = client.post(reverse("intake:index"), {"kind": "persons"})
    assert response.status_code == 400
    assert "请选择要上传的文件" in response.content.decode()
    bad = SimpleUploadedFile("a.docx", b"PK\x03\x04")
    response = client.post(reverse("intake:index"), {"kind": "persons", "file": bad})
    assert response.status_code == 400
    assert "不支持的文件类型" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_upload_page_redirects_to_job(users: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(users["county_officer"])
    upload = SimpleUploadedFile("a.xlsx", xlsx_bytes(family("433122107201000001")))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intake:index"), {"kind": "persons", "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:job_detail", args=[job.pk])


def test_job_page_polls_until_finished(users: dict[str, Any]) -> None:
    job = ImportJob.objects.create(
        kind="persons", original_name="a.xlsx", sha256="0" * 64, uploaded_by=users["county_officer"]
    )
    client = client_for(users["county_officer"])
    html = client.get(reverse("intake:job_detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html
    partial = client.get(reverse("intake:job_detail", args=[job.pk]) + "?part=status", HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<div id="job-status"')
    job.status = ImportJob.Status.SUCCEEDED
    job.save()
    partial = client.get(reverse("intake:job_detail", args=[job.pk]) + "?part=status", HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in partial.content.decode()


def test_job_page_shows_report_rows(users: dict[str, Any], luxi_job: ImportJob) -> None:
    response = client_for(users["county_officer"]).get(reverse("intake:job_detail", args=[luxi_job.pk]))
    html = response.content.decode()
    assert "身份证号被 Excel 截断" in html
    assert "4.33***E+17" in html
    assert reverse("intake:job_report", args=[luxi_job.pk]) in html
    assert "hx-trigger" not in html
    download = client_for(users["county_officer"]).get(reverse("intake:job_report", args=[luxi_job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX


@pytest.mark.parametrize("who", ["other_county_officer", "township_officer", "viewer"])
def test_job_pages_out_of_scope_404(users: dict[str, Any], luxi_job: ImportJob, who: str) -> None:
    client = client_for(users[who])
    assert client.get(reverse("intake:job_detail", args=[luxi_job.pk])).status_code == 404
    assert client.get(reverse("intake:job_report", args=[luxi_job.pk])).status_code == 404


def test_pages_anonymous_redirect_to_login(luxi_job: ImportJob) -> None:
    client = client_for(None)
    for url in (
        reverse("intake:index"),
        reverse("intake:job_detail", args=[luxi_job.pk]),
        reverse("intake:job_report", args=[luxi_job.pk]),
        reverse("intake:template", args=["persons"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_admin_lists_only_visible_jobs(users: dict[str, Any], luxi_job: ImportJob) -> None:
    from tests.conftest import make_user

    above = make_user("zhou_staff", "433100000000", ["admin"], is_staff=True)
    elsewhere = make_user("fenghuang_staff", "433123000000", ["admin"], is_staff=True)
    url = reverse("admin:intake_importjob_changelist")
    assert "泸溪.xlsx" in client_for(above).get(url).content.decode()
    assert "泸溪.xlsx" not in client_for(elsewhere).get(url).content.decode()
    assert client_for(users["county_officer"]).get(url).status_code == 302  # not staff: to the admin login
