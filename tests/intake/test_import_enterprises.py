"""ENTERPRISES import end to end: real xlsx / xls / GBK csv files, exact counts, exact rows and audit rows."""

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from laborcoop.core.errors import PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.checksums import make_uscc
from laborcoop.core.validation.phone import PHONE_REQUIRED
from laborcoop.core.validation.uscc import USCC_BAD_CHECKSUM
from laborcoop.employers import choices as ec
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.employers.services import REGION_OUT_OF_SCOPE, REGION_TOO_HIGH, SIZE_INVALID
from laborcoop.intake.columns import COLUMNS, ImportKind
from laborcoop.intake.models import ImportJob
from laborcoop.intake.services import ENTERPRISE_USER_CANNOT_IMPORT, import_create, import_run
from laborcoop.intake.services.common import CODE_NOT_IN_LIST, DAMAGED_NUMBER
from laborcoop.intake.services.employer_rows import NOT_YES_NO
from laborcoop.intake.services.enterprises import ENTERPRISE_ELSEWHERE, USCC_TWICE_IN_FILE
from laborcoop.intake.services.region_text import REGION_NAME_UNKNOWN
from laborcoop.intake.templates_xlsx import HEADER_ROW, INSTRUCTIONS_SHEET, LISTS_SHEET, SHEET_NAMES, build_template
from tests.api.conftest import token_client
from tests.factories import EnterpriseFactory, JobPostingFactory
from tests.intake.helpers import counts, errors, issues, run_file, write_gbk_csv, write_xls, write_xlsx, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "所在地区代码",
    "所在地区",
    "所属行业",
    "企业规模",
    "联系人",
    "联系电话",
    "地址",
    "就业帮扶车间",
    "就业帮扶基地",
]
ZERO = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0, "warned": 0}
USCC_A = make_uscc("91433122MA4L00001")  # 工商, 企业
USCC_B = make_uscc("92433122MA4L00002")  # 工商, 个体工商户
USCC_N = make_uscc("N2433122MA4L00003")  # 农业 (letter-prefixed): 村级集体经济组织


def _counts(**kw: int) -> dict[str, int]:
    return {**ZERO, **kw}


def firm(uscc: str, name: str = "泸溪县竹编工艺有限公司", **extra: str) -> dict[str, str]:
    row = {
        "企业名称": name,
        "统一社会信用代码": uscc,
        "所在地区代码": "",
        "所在地区": "泸溪县",
        "所属行业": "制造业",
        "企业规模": "小型",
        "联系人": "向经理",
        "联系电话": "0743-4221234",
        "地址": "泸溪县白沙镇",
        "就业帮扶车间": "是",
        "就业帮扶基地": "否",
    }
    row.update(extra)
    return row


def three_firms() -> list[dict[str, str]]:
    return [
        firm(USCC_A),
        firm(USCC_B, name="浦市镇农家乐", **{"所在地区": "湖南省/湘西土家族苗族自治州/泸溪县/浦市镇", "所属行业": "H"}),
        firm(
            USCC_N,
            name="黑塘村股份经济合作社",
            **{"所在地区代码": "433122107", "所在地区": "", "联系电话": "13812345678", "就业帮扶车间": ""},
        ),
    ]


def test_creates_enterprises_with_the_form_values(users: dict[str, Any], tmp_path: Path) -> None:
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "企业.xlsx", three_firms(), HEADERS), "enterprises")

    assert job.status == ImportJob.Status.SUCCEEDED, job.error
    assert counts(job) == _counts(created=3)
    assert issues(job) == []
    a, b, n = (Enterprise.objects.get(uscc=code) for code in (USCC_A, USCC_B, USCC_N))
    assert (a.name, a.region_id, a.industry, a.size, a.contact_phone) == (
        "泸溪县竹编工艺有限公司",
        "433122000000",
        "C",
        "small",
        "0743-4221234",
    )
    assert (a.is_assist_workshop, a.is_assist_base, a.address, a.version) == (True, False, "泸溪县白沙镇", 1)
    assert (b.region_id, b.industry) == ("433122108000", "H")
    assert (n.region_id, n.contact_phone, n.is_assist_workshop) == ("433122107000", "13812345678", False)
    entry = AuditEntry.objects.get(object_type="employers.enterprise", object_id=str(n.pk))
    assert (entry.action, entry.actor, entry.region_code) == ("create", users["county_officer"], "433122107000")
    assert entry.reason == "导入：企业.xlsx 第 4 行"
    assert entry.changes["contact_phone"] == [None, "138****5678"]
    assert entry.changes["uscc"] == [None, USCC_N]


def test_same_file_twice_changes_nothing(users: dict[str, Any], tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "企业.xlsx", three_firms(), HEADERS)
    run_file(users["county_officer"], path, "enterprises")
    audits = AuditEntry.objects.count()

    second = run_file(users["county_officer"], path, "enterprises")

    assert counts(second) == _counts(unchanged=3)
    assert AuditEntry.objects.count() == audits
    assert (
        sorted(Enterprise.objects.filter(region__code__startswith="433122").values_list("version", flat=True))
        == [1] * 3
    )


def test_changed_row_updates_only_what_changed(users: dict[str, Any], tmp_path: Path) -> None:
    rows = three_firms()
    run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", rows, HEADERS), "enterprises")
    before = AuditEntry.objects.count()

    rows[1]["联系人"] = "张经理"
    rows[1]["就业帮扶基地"] = "是"
    rows[1]["联系电话"] = "13900002222"
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "b.xlsx", rows, HEADERS), "enterprises")

    assert counts(job) == _counts(updated=1, unchanged=2)
    b = Enterprise.objects.get(uscc=USCC_B)
    assert (b.contact_name, b.is_assist_base, b.contact_phone, b.version) == ("张经理", True, "13900002222", 2)
    update = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE)
    assert AuditEntry.objects.count() == before + 1
    assert (update.object_id, update.actor, update.reason) == (
        str(b.pk),
        users["county_officer"],
        "导入：b.xlsx 第 3 行",
    )
    assert update.changes == {
        "contact_name": ["向经理", "张经理"],
        "contact_phone": ["074*****1234", "139****2222"],
        "is_assist_base": [False, True],
    }


def test_moving_an_enterprise_moves_its_jobs(users: dict[str, Any], tmp_path: Path) -> None:
    enterprise = EnterpriseFactory(uscc=USCC_A, region_id="433122000000", name="泸溪县竹编工艺有限公司")
    posting = JobPostingFactory(enterprise=enterprise)
    job = run_file(
        users["county_officer"],
        write_xlsx(tmp_path / "a.xlsx", [firm(USCC_A, **{"所在地区": "湘西州泸溪县武溪镇"})], HEADERS),
        "enterprises",
    )
    assert counts(job) == _counts(updated=1)
    posting.refresh_from_db()
    assert posting.region_id == "433122107000"
    assert AuditEntry.objects.get().changes["region"] == ["433122000000", "433122107000"]


def test_bad_rows_rejected_with_chinese_reasons(users: dict[str, Any], tmp_path: Path) -> None:
    elsewhere = EnterpriseFactory(region_id="433123000000")  # managed by 凤凰县
    bad_check = USCC_A[:-1] + ("0" if USCC_A[-1] != "0" else "1")
    rows = [
        firm(USCC_A),  # row 2: fine
        firm(bad_check, name="校验码错误公司"),  # 3
        firm(USCC_B, **{"所在地区": "凤凰县"}),  # 4: outside 泸溪县
        firm(elsewhere.uscc, name="凤凰县企业"),  # 5: registered by 凤凰县
        firm(USCC_A, name="重复的公司"),  # 6: same USCC as row 2
        firm(make_uscc("91433122MA4L00009"), **{"所在地区": "火星县"}),  # 7
        firm("9.14331E+17"),  # 8: Excel number
        firm(make_uscc("91433122MA4L00010"), **{"所属行业": "造火箭"}),  # 9
        firm(make_uscc("91433122MA4L00011"), **{"就业帮扶车间": "可能"}),  # 10
        firm(make_uscc("91433122MA4L00012"), **{"联系电话": ""}),  # 11
        firm(make_uscc("91433122MA4L00013"), **{"所在地区": "湖南省"}),  # 12: a province is too high
    ]
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", rows, HEADERS), "enterprises")

    assert counts(job) == _counts(created=1, rejected=10)
    assert errors(job) == [
        (3, USCC_BAD_CHECKSUM),
        (4, REGION_OUT_OF_SCOPE),
        (5, ENTERPRISE_ELSEWHERE),
        (6, USCC_TWICE_IN_FILE.format(row=2)),
        (7, REGION_NAME_UNKNOWN.format(text="火星县")),
        (8, DAMAGED_NUMBER.format(label="统一社会信用代码")),
        (9, CODE_NOT_IN_LIST.format(label="所属行业", value="造火箭")),
        (10, NOT_YES_NO.format(label="就业帮扶车间", value="可能")),
        (11, PHONE_REQUIRED),
        (12, REGION_TOO_HIGH),
    ]
    assert "不在您的管辖范围" in REGION_OUT_OF_SCOPE
    assert "不在您的管辖范围" in ENTERPRISE_ELSEWHERE
    columns = dict(job.issues.values_list("row", "column"))
    assert (columns[3], columns[4], columns[11]) == ("统一社会信用代码", "所在地区", "联系电话")
    elsewhere.refresh_from_db()
    assert elsewhere.name != "凤凰县企业"
    assert Enterprise.objects.filter(region__code__startswith="433122").count() == 1
    assert job.report  # the rejected rows' report file


def test_gbk_csv_and_xls(users: dict[str, Any], tmp_path: Path) -> None:
    csv_job = run_file(
        users["county_officer"], write_gbk_csv(tmp_path / "企业.csv", three_firms(), HEADERS), "enterprises"
    )
    assert csv_job.status == ImportJob.Status.SUCCEEDED, csv_job.error
    assert counts(csv_job) == _counts(created=3)
    assert Enterprise.objects.get(uscc=USCC_B).name == "浦市镇农家乐"

    xls_job = run_file(users["county_officer"], write_xls(tmp_path / "企业.xls", three_firms(), HEADERS), "enterprises")
    assert xls_job.status == ImportJob.Status.SUCCEEDED, xls_job.error
    assert counts(xls_job) == _counts(unchanged=3)


def test_absent_column_keeps_stored_values_and_new_rows_need_it(users: dict[str, Any], tmp_path: Path) -> None:
    stored = EnterpriseFactory(uscc=USCC_A, region_id="433122000000", size="large", name="旧名称")
    headers = [h for h in HEADERS if h != "企业规模"]
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", three_firms(), headers), "enterprises")

    assert counts(job) == _counts(updated=1, rejected=2)
    assert errors(job) == [(3, SIZE_INVALID), (4, SIZE_INVALID)]
    stored.refresh_from_db()
    assert (stored.name, stored.size) == ("泸溪县竹编工艺有限公司", "large")


def test_missing_required_column_fails_the_job(users: dict[str, Any], tmp_path: Path) -> None:
    headers = [h for h in HEADERS if h != "统一社会信用代码"]
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", three_firms(), headers), "enterprises")
    assert (job.status, job.error) == (ImportJob.Status.FAILED, "缺少必填列“统一社会信用代码”")
    assert not Enterprise.objects.filter(region__code__startswith="433122").exists()


@pytest.mark.parametrize(
    ("who", "message"), [("enterprise", ENTERPRISE_USER_CANNOT_IMPORT), ("broker", PermissionDeniedError().message)]
)
def test_roles_that_cannot_import_enterprises(users: dict[str, Any], who: str, message: str) -> None:
    upload = SimpleUploadedFile("a.xlsx", xlsx_bytes(three_firms(), HEADERS))
    with pytest.raises(PermissionDeniedError) as exc:
        import_create(acting_user=users[who], uploaded_file=upload, kind="enterprises")
    assert exc.value.message == message
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize(("who", "expected"), [(None, 401), ("viewer", 403), ("broker", 403), ("enterprise", 403)])
def test_api_denied(users: dict[str, Any], who: str | None, expected: int) -> None:
    api = token_client(users[who] if who else None)
    upload = SimpleUploadedFile("a.xlsx", xlsx_bytes(three_firms(), HEADERS))
    response = api.post(reverse("api:import_list"), {"file": upload, "kind": "enterprises"}, format="multipart")
    assert response.status_code == expected
    assert ImportJob.objects.count() == 0
    assert not Enterprise.objects.filter(region__code__startswith="433122").exists()


def test_api_upload_kind_enterprises(users: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    api = token_client(users["county_officer"])
    upload = SimpleUploadedFile("企业.xlsx", xlsx_bytes(three_firms(), HEADERS))
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(reverse("api:import_list"), {"file": upload, "kind": "enterprises"}, format="multipart")
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["kind"], body["status"]) == ("enterprises", "queued")
    polled = api.get(reverse("api:import_detail", args=[body["id"]])).json()
    assert (polled["status"], polled["rows_created"], polled["rows_rejected"]) == ("succeeded", 3, 0)
    assert Enterprise.objects.filter(region__code__startswith="433122").count() == 3
    assert JobPosting.objects.count() == 0


def filled_template(kind: ImportKind, rows: list[dict[str, str]]) -> bytes:
    """Our downloadable template with rows typed in under its header (keyed by label)."""
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(kind)))
    sheet = workbook[SHEET_NAMES[kind]]
    for offset, row in enumerate(rows, start=1):
        for index, column in enumerate(COLUMNS[kind], start=1):
            if row.get(column.label):
                sheet.cell(HEADER_ROW + offset, index, row[column.label])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def drop_downs(kind: ImportKind) -> dict[str, list[str]]:
    """Column label -> the values of its drop-down list, read back from the template."""
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(kind)))
    sheet, lists = workbook[SHEET_NAMES[kind]], workbook[LISTS_SHEET]
    labels = {openpyxl.utils.get_column_letter(i): c.label for i, c in enumerate(COLUMNS[kind], start=1)}
    found = {}
    for validation in sheet.data_validations.dataValidation:
        letter = str(validation.sqref).split(":")[0].rstrip("0123456789")
        cell_range = validation.formula1.lstrip("=").replace("$", "").split("!")[1]
        found[labels[letter]] = [cell.value for row in lists[cell_range] for cell in row]
    return found


def test_template_drop_downs_and_key_note() -> None:
    lists = drop_downs(ImportKind.ENTERPRISES)
    assert lists["所属行业"] == list(ec.Industry.labels)
    assert lists["企业规模"] == ["大型", "中型", "小型", "微型"]
    assert lists["就业帮扶车间"] == lists["就业帮扶基地"] == ["是", "否"]
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(ImportKind.ENTERPRISES)))
    notes = [row[0] for row in workbook[INSTRUCTIONS_SHEET].iter_rows(values_only=True) if row[0]]
    assert any("以统一社会信用代码识别企业" in note for note in notes)


def test_filled_template_imports(users: dict[str, Any]) -> None:
    rows = [{**firm(USCC_A), "所属行业": "制造业", "企业规模": "小型", "就业帮扶车间": "是"}]
    upload = SimpleUploadedFile("企业导入模板.xlsx", filled_template(ImportKind.ENTERPRISES, rows))
    created = import_create(
        acting_user=users["county_officer"], uploaded_file=upload, kind="enterprises", enqueue=False
    )
    job = import_run(job_id=created.pk)
    assert (job.status, job.header_row) == (ImportJob.Status.SUCCEEDED, HEADER_ROW)
    assert counts(job) == _counts(created=1)
    assert Enterprise.objects.get(uscc=USCC_A).is_assist_workshop is True
