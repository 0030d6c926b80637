"""The 企业报送 import kind: real .xlsx (openpyxl), .xls (xlwt) and GBK .csv files of an enterprise's reports,
bad rows reported with Chinese reasons, re-imports that change nothing, who may upload, the template."""

import io
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from laborcoop.core.errors import PermissionDeniedError
from laborcoop.employment.enterprise_reports import NO_RECORD_HERE, PERSON_NOT_FOUND
from laborcoop.employment.lines import rules as r
from laborcoop.employment.models import EmploymentRecord, EmploymentState, InsuranceMonth, WageMonth
from laborcoop.intake.columns import ImportKind
from laborcoop.intake.models import ImportJob
from laborcoop.intake.services import import_create, kinds_for
from laborcoop.intake.services.enterprise_reports import REPORT_KIND_INVALID
from laborcoop.intake.services.pipeline import ENT_REPORT_ENTERPRISE_ONLY
from laborcoop.intake.templates_xlsx import build_template
from tests.employment.lines_helpers import Worker, jinan_enterprise, other_enterprise, worker
from tests.intake.helpers import counts, errors, issues, run_file, write_gbk_csv, write_xls, write_xlsx

pytestmark = pytest.mark.django_db

KIND = "ent_report"
HEADERS = [
    "报送类型",
    "证件号码",
    "姓名",
    "入职日期",
    "约定月收入",
    "就业渠道",
    "月份",
    "实发工资",
    "参保险种",
    "离职日期",
    "离职原因",
]


def row(kind: str, p: Worker, **cells: str) -> dict[str, str]:
    return {"报送类型": kind, "证件号码": p.id_number, "姓名": p.laborer.name, **cells}


@pytest.fixture
def people(users: dict[str, Any]) -> dict[str, Worker]:
    enterprise = jinan_enterprise(users)
    return {
        "new": worker(None, name="田小花"),
        "here": worker(enterprise, name="向金花"),
        "leaving": worker(enterprise, name="李四"),
        "elsewhere": worker(other_enterprise(), name="赵六"),
    }


def report_rows(p: dict[str, Worker]) -> list[dict[str, str]]:
    return [
        row("入职", p["new"], 入职日期="2024-06-01", 约定月收入="4200", 就业渠道="劳务协作输出"),  # 2
        row("工资", p["new"], 月份="2024年6月", 实发工资="4,200", 参保险种="企业职工养老保险,工伤保险"),  # 3
        row("工资", p["here"], 月份="202405", 实发工资="3900"),  # 4
        row("参保", p["here"], 月份="2024-05", 参保险种="失业"),  # 5
        row("离职", p["leaving"], 离职日期="2024-08-31", 离职原因="本人辞职"),  # 6
        # bad rows
        row("工资", p["elsewhere"], 月份="2024-05", 实发工资="3000"),  # 7: not at this enterprise
        row("工资", p["here"], 月份="2024-05", 实发工资="50"),  # 8: out of range
        {**row("工资", p["here"], 月份="2024-06", 实发工资="3000"), "姓名": "向银花"},  # 9: wrong name
        row("加班", p["here"]),  # 10: unknown kind
        row("参保", p["here"], 月份="2024-02", 参保险种="工伤"),  # 11: before the start
        row("工资", p["here"], 月份="2024-07", 实发工资="350"),  # 12: a warning, saved
    ]


def check_first_run(job: ImportJob, p: dict[str, Worker], *, offset: int = 0) -> None:
    """`offset`: title rows above the header shift the sheet's row numbers."""
    assert job.status == ImportJob.Status.SUCCEEDED, job.error
    assert counts(job) == {"created": 5, "updated": 1, "unchanged": 0, "rejected": 5, "warned": 2}
    assert errors(job) == [
        (7 + offset, NO_RECORD_HERE),
        (8 + offset, r.AMOUNT_OUT_OF_RANGE),
        (9 + offset, PERSON_NOT_FOUND),
        (10 + offset, REPORT_KIND_INVALID.format(value="加班")),
        (11 + offset, r.MONTH_BEFORE_START.format(month="2024-02", start="2024-03-01")),
    ]
    hired = EmploymentRecord.objects.get(laborer=p["new"].laborer)
    assert (hired.enterprise, hired.start_date, hired.monthly_wage, hired.source) == (
        p["here"].record.enterprise,
        date(2024, 6, 1),
        4200,
        "enterprise",
    )
    assert sorted(WageMonth.objects.values_list("record_id", "month", "amount")) == sorted(
        [
            (hired.pk, date(2024, 6, 1), 4200),
            (p["here"].record.pk, date(2024, 5, 1), 3900),
            (p["here"].record.pk, date(2024, 7, 1), 350),
        ]
    )
    assert sorted(InsuranceMonth.objects.values_list("record_id", "insurance_type")) == sorted(
        [(hired.pk, "城镇职工养老"), (hired.pk, "工伤"), (p["here"].record.pk, "失业")]
    )
    p["leaving"].record.refresh_from_db()
    assert (p["leaving"].record.end_date, p["leaving"].record.end_reason) == (date(2024, 8, 31), "resigned")
    # The report never shows a clear ID number.
    assert not any(w.id_number in str(issue) for issue in issues(job) for w in p.values())


def test_xlsx_upload(users: dict[str, Any], people: dict[str, Worker], tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "报送.xlsx", report_rows(people), HEADERS, title_rows=1)
    job = run_file(users["enterprise"], path, KIND)
    check_first_run(job, people, offset=1)
    warned = [(row_no, reason) for row_no, _, _, severity, reason in issues(job) if severity == "warning"]
    assert (13, r.AMOUNT_LOW) in warned
    assert job.report  # the problem report (xlsx) exists
    # The derived status was refreshed (once per chunk) for the laborers whose months were written.
    assert EmploymentState.objects.filter(laborer=people["here"].laborer).exists()

    again = run_file(users["enterprise"], write_xlsx(tmp_path / "again.xlsx", report_rows(people), HEADERS), KIND)
    assert counts(again)["created"] == counts(again)["updated"] == 0
    assert counts(again)["unchanged"] == 6
    assert counts(again)["rejected"] == 5
    assert (EmploymentRecord.objects.count(), WageMonth.objects.count(), InsuranceMonth.objects.count()) == (4, 3, 3)


def test_xls_upload(users: dict[str, Any], people: dict[str, Worker], tmp_path: Path) -> None:
    job = run_file(users["enterprise"], write_xls(tmp_path / "报送.xls", report_rows(people), HEADERS), KIND)
    check_first_run(job, people)


def test_gbk_csv_upload(users: dict[str, Any], people: dict[str, Worker], tmp_path: Path) -> None:
    job = run_file(users["enterprise"], write_gbk_csv(tmp_path / "报送.csv", report_rows(people), HEADERS), KIND)
    check_first_run(job, people)


def test_missing_required_column_fails_the_job(
    users: dict[str, Any], people: dict[str, Worker], tmp_path: Path
) -> None:
    headers = [h for h in HEADERS if h != "报送类型"]
    job = run_file(users["enterprise"], write_xlsx(tmp_path / "a.xlsx", report_rows(people), headers), KIND)
    assert (job.status, job.error) == (ImportJob.Status.FAILED, "缺少必填列“报送类型”")
    assert WageMonth.objects.count() == 0


# --- who uploads what --------------------------------------------------------------------------------------


def upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("a.xlsx", b"PK\x03\x04 not read before the check")


@pytest.mark.parametrize("who", ["county_officer", "province_admin", "prefecture_admin"])
def test_staff_cannot_upload_enterprise_reports(users: dict[str, Any], who: str) -> None:
    with pytest.raises(PermissionDeniedError) as exc:
        import_create(acting_user=users[who], uploaded_file=upload(), kind=KIND, enqueue=False)
    assert str(exc.value) == ENT_REPORT_ENTERPRISE_ONLY
    assert KIND not in kinds_for(users[who])
    assert ImportJob.objects.count() == 0


def test_enterprise_uploads_only_reports(users: dict[str, Any]) -> None:
    assert kinds_for(users["enterprise"]) == [ImportKind.ENT_REPORT]
    with pytest.raises(PermissionDeniedError) as exc:
        import_create(acting_user=users["enterprise"], uploaded_file=upload(), kind="persons", enqueue=False)
    assert str(exc.value) == "您的角色无权执行此操作。"  # persons needs REGISTRY_EDIT, which enterprises lack
    assert ImportJob.objects.count() == 0


def test_api_upload_and_poll(
    users: dict[str, Any], people: dict[str, Worker], tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.api.conftest import token_client

    api = token_client(users["enterprise"])
    data = write_xlsx(tmp_path / "a.xlsx", report_rows(people)[:5], HEADERS).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            reverse("api:import_list"),
            {"file": SimpleUploadedFile("报送.xlsx", data), "kind": KIND},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    polled = api.get(reverse("api:import_detail", args=[response.json()["id"]])).json()
    assert (polled["status"], polled["rows_created"], polled["rows_updated"], polled["rows_rejected"]) == (
        "succeeded",
        4,
        1,
        0,
    )
    officer = token_client(users["county_officer"]).get(reverse("api:import_detail", args=[response.json()["id"]]))
    assert officer.status_code == 404  # the enterprise's job is not the county's


def test_upload_page_for_the_enterprise(
    users: dict[str, Any], people: dict[str, Worker], tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    client.force_login(users["enterprise"])
    page = client.get(reverse("intake:index")).content.decode()
    assert 'value="ent_report"' in page
    assert 'value="persons"' not in page
    data = write_xlsx(tmp_path / "a.xlsx", report_rows(people), HEADERS).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intake:index"), {"kind": KIND, "file": SimpleUploadedFile("报送.xlsx", data)})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "企业报送（入职、工资、参保、离职）" in detail
    assert 'id="issue-table"' in detail
    assert people["here"].id_number not in detail


def test_template_download() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(ImportKind.ENT_REPORT)))
    sheet = workbook["企业报送"]
    headers = [cell.value for cell in sheet[2]]
    assert headers[:3] == ["报送类型", "证件号码", "姓名"]
    assert {"月份", "实发工资", "参保险种", "离职日期", "离职原因"} <= set(headers)


def test_template_download_page(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users["enterprise"])
    response = client.get(reverse("intake:template", args=[KIND]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "%E4%BC%81%E4%B8%9A%E6%8A%A5%E9%80%81" in response["Content-Disposition"]  # 企业报送
