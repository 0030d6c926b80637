"""JOBS import end to end: postings of registered enterprises, keyed by enterprise + title + work region."""

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from laborcoop.core.errors import PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.checksums import make_uscc
from laborcoop.core.validation.uscc import USCC_BAD_CHECKSUM
from laborcoop.employers import choices as ec
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.employers.services import AGE_TOO_HIGH, REGION_TOO_HIGH, VALIDITY_RANGE, WAGE_RANGE, WAGE_TOO_HIGH
from laborcoop.intake.columns import ImportKind
from laborcoop.intake.models import ImportJob
from laborcoop.intake.services import import_create, import_run
from laborcoop.intake.services.common import CODE_NOT_IN_LIST
from laborcoop.intake.services.employer_rows import NOT_A_DATE, NOT_A_WHOLE_NUMBER
from laborcoop.intake.services.jobs import ENTERPRISE_NOT_FOUND, JOB_AMBIGUOUS, JOB_TWICE_IN_FILE
from laborcoop.intake.services.region_text import REGION_NAME_UNKNOWN
from laborcoop.intake.templates_xlsx import INSTRUCTIONS_SHEET, build_template
from laborcoop.registry.choices import Education
from tests.api.conftest import token_client
from tests.factories import EnterpriseFactory, JobPostingFactory
from tests.intake.helpers import counts, errors, run_file, write_gbk_csv, write_xls, write_xlsx, xlsx_bytes
from tests.intake.test_import_enterprises import drop_downs, filled_template

pytestmark = pytest.mark.django_db

HEADERS = [
    "统一社会信用代码",
    "岗位名称",
    "工种",
    "招聘人数",
    "月薪下限",
    "月薪上限",
    "工作地点",
    "最低年龄",
    "最高年龄",
    "性别要求",
    "最低学历",
    "提供住宿",
    "提供餐食",
    "低门槛岗位",
    "有效期起",
    "有效期止",
]
ZERO = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0, "warned": 0}
USCC_LUXI = make_uscc("91433122MA4L00001")
USCC_FENGHUANG = make_uscc("91433123MA4L00002")
UNTIL = "2030-12-31"


def _counts(**kw: int) -> dict[str, int]:
    return {**ZERO, **kw}


@pytest.fixture
def firms(users: dict[str, Any]) -> dict[str, Enterprise]:
    return {
        "luxi": EnterpriseFactory(uscc=USCC_LUXI, region_id="433122000000", name="泸溪县竹编工艺有限公司"),
        "fenghuang": EnterpriseFactory(uscc=USCC_FENGHUANG, region_id="433123000000", name="凤凰县旅游公司"),
    }


def posting(title: str = "竹编工", **extra: str) -> dict[str, str]:
    row = {
        "统一社会信用代码": USCC_LUXI,
        "岗位名称": title,
        "工种": "手工编织",
        "招聘人数": "10",
        "月薪下限": "3000",
        "月薪上限": "4500",
        "工作地点": "",
        "最低年龄": "",
        "最高年龄": "",
        "性别要求": "不限",
        "最低学历": "",
        "提供住宿": "是",
        "提供餐食": "是",
        "低门槛岗位": "是",
        "有效期起": "2025-03-01",
        "有效期止": UNTIL,
    }
    row.update(extra)
    return row


def three_postings() -> list[dict[str, str]]:
    return [
        posting(),  # at the enterprise's own place
        posting(
            "电子装配工",
            **{"工作地点": "广东省深圳市宝安区", "招聘人数": "30人", "月薪下限": "5000元", "月薪上限": "7000"},
            **{"最低年龄": "18", "最高年龄": "45", "性别要求": "女", "最低学历": "初中", "有效期起": ""},
        ),
        posting("保洁员", **{"工作地点": "370102", "提供住宿": "否", "低门槛岗位": ""}),
    ]


def test_creates_postings(users: dict[str, Any], firms: dict[str, Enterprise], tmp_path: Path) -> None:
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "岗位.xlsx", three_postings(), HEADERS), "jobs")

    assert job.status == ImportJob.Status.SUCCEEDED, job.error
    assert counts(job) == _counts(created=3)
    weave, assembly, cleaner = (JobPosting.objects.get(title=t) for t in ("竹编工", "电子装配工", "保洁员"))
    luxi = firms["luxi"]
    assert (weave.enterprise, weave.region_id, weave.work_region_id, weave.status) == (
        luxi,
        "433122000000",
        "433122000000",
        ec.JobStatus.OPEN,
    )
    assert (weave.age_min, weave.age_max, weave.sex_requirement, weave.education_min) == (16, 60, "", "")
    assert (weave.valid_from, weave.valid_until, weave.provides_meals) == (date(2025, 3, 1), date(2030, 12, 31), True)
    assert (assembly.work_region_id, assembly.openings, assembly.wage_min, assembly.wage_max) == (
        "440306000000",
        30,
        5000,
        7000,
    )
    assert (assembly.age_min, assembly.age_max, assembly.sex_requirement, assembly.education_min) == (
        18,
        45,
        "2",
        "初中",
    )
    assert assembly.valid_from == timezone.localdate()  # blank: the day of the import
    assert (cleaner.work_region_id, cleaner.provides_accommodation, cleaner.is_low_threshold) == (
        "370102000000",
        False,
        False,
    )
    entry = AuditEntry.objects.get(object_type="employers.jobposting", object_id=str(assembly.pk))
    assert (entry.action, entry.actor, entry.region_code) == ("create", users["county_officer"], "433122000000")
    assert entry.reason == "导入：岗位.xlsx 第 3 行"
    assert entry.changes["wage_max"] == [None, 7000]


def test_same_file_twice_changes_nothing(users: dict[str, Any], firms: dict[str, Enterprise], tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "岗位.xlsx", three_postings(), HEADERS)
    run_file(users["county_officer"], path, "jobs")
    audits = AuditEntry.objects.count()

    second = run_file(users["county_officer"], path, "jobs")

    assert counts(second) == _counts(unchanged=3)
    assert AuditEntry.objects.count() == audits
    assert JobPosting.objects.count() == 3
    assert set(JobPosting.objects.values_list("version", flat=True)) == {1}


def test_changed_row_updates_that_posting(users: dict[str, Any], firms: dict[str, Enterprise], tmp_path: Path) -> None:
    rows = three_postings()
    run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", rows, HEADERS), "jobs")
    before = AuditEntry.objects.count()

    rows[0]["月薪上限"] = "4800"
    rows[0]["招聘人数"] = "12"
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "b.xlsx", rows, HEADERS), "jobs")

    assert counts(job) == _counts(updated=1, unchanged=2)
    weave = JobPosting.objects.get(title="竹编工")
    assert (weave.wage_max, weave.openings, weave.version) == (4800, 12, 2)
    assert AuditEntry.objects.count() == before + 1
    update = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE)
    assert (update.object_id, update.reason) == (str(weave.pk), "导入：b.xlsx 第 2 行")
    assert update.changes == {"openings": [10, 12], "wage_max": [4500, 4800]}


def test_existing_posting_is_matched_and_closed_one_is_not(
    users: dict[str, Any], firms: dict[str, Enterprise], tmp_path: Path
) -> None:
    luxi = firms["luxi"]
    open_one = JobPostingFactory(enterprise=luxi, title="竹编工", wage_min=3000, wage_max=4000, openings=10)
    closed = JobPostingFactory(
        enterprise=luxi, title="保洁员", status=ec.JobStatus.CLOSED, wage_min=2500, wage_max=3000
    )
    rows = [posting(), posting("保洁员")]
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", rows, HEADERS), "jobs")

    assert counts(job) == _counts(created=1, updated=1)
    open_one.refresh_from_db()
    closed.refresh_from_db()
    assert (open_one.wage_max, open_one.valid_from, open_one.status) == (4500, date(2025, 3, 1), ec.JobStatus.OPEN)
    assert (closed.wage_max, closed.status, closed.version) == (3000, ec.JobStatus.CLOSED, 1)
    new = JobPosting.objects.get(title="保洁员", status=ec.JobStatus.OPEN)
    assert new.pk != closed.pk


def test_bad_rows_rejected_with_chinese_reasons(
    users: dict[str, Any], firms: dict[str, Enterprise], tmp_path: Path
) -> None:
    luxi = firms["luxi"]
    JobPostingFactory.create_batch(2, enterprise=luxi, title="搬运工")  # two open postings, same key
    bad_check = USCC_LUXI[:-1] + ("0" if USCC_LUXI[-1] != "0" else "1")
    rows = [
        posting(),  # 2: fine
        posting("采茶工", **{"统一社会信用代码": make_uscc("91433122MA4L00099")}),  # 3: not registered
        posting("导游", **{"统一社会信用代码": USCC_FENGHUANG}),  # 4: 凤凰县's enterprise
        posting("包装工", **{"月薪下限": "5000", "月薪上限": "4000"}),  # 5
        posting("质检员", **{"统一社会信用代码": bad_check}),  # 6
        posting("装卸工", **{"招聘人数": "若干"}),  # 7
        posting("保安", **{"最高年龄": "80"}),  # 8
        posting("厨师", **{"有效期起": "2031-01-01"}),  # 9: starts after it ends
        posting(),  # 10: the same posting as row 2
        posting("焊工", **{"工作地点": "火星县"}),  # 11
        posting("电工", **{"工作地点": "山东省"}),  # 12
        posting("搬运工"),  # 13: two stored postings match
        posting("司机", **{"性别要求": "男性优先"}),  # 14
        posting("仓管", **{"有效期止": "明年"}),  # 15
        posting("经理", **{"月薪上限": "200000"}),  # 16
    ]
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", rows, HEADERS), "jobs")

    assert counts(job) == _counts(created=1, rejected=14)
    assert errors(job) == [
        (3, ENTERPRISE_NOT_FOUND),
        (4, ENTERPRISE_NOT_FOUND),
        (5, WAGE_RANGE),
        (6, USCC_BAD_CHECKSUM),
        (7, NOT_A_WHOLE_NUMBER.format(label="招聘人数", value="若干")),
        (8, AGE_TOO_HIGH),
        (9, VALIDITY_RANGE),
        (10, JOB_TWICE_IN_FILE.format(row=2)),
        (11, REGION_NAME_UNKNOWN.format(text="火星县")),
        (12, REGION_TOO_HIGH),
        (13, JOB_AMBIGUOUS),
        (14, CODE_NOT_IN_LIST.format(label="性别要求", value="男性优先")),
        (15, NOT_A_DATE.format(label="有效期止", value="明年")),
        (16, WAGE_TOO_HIGH),
    ]
    assert "不在您的管辖范围" in ENTERPRISE_NOT_FOUND
    assert JobPosting.objects.filter(enterprise=firms["fenghuang"]).count() == 0
    assert JobPosting.objects.count() == 3  # the two 搬运工 and row 2


def test_gbk_csv_and_xls(users: dict[str, Any], firms: dict[str, Enterprise], tmp_path: Path) -> None:
    csv_job = run_file(users["county_officer"], write_gbk_csv(tmp_path / "岗位.csv", three_postings(), HEADERS), "jobs")
    assert csv_job.status == ImportJob.Status.SUCCEEDED, csv_job.error
    assert counts(csv_job) == _counts(created=3)
    assert JobPosting.objects.get(title="电子装配工").work_region_id == "440306000000"

    xls_job = run_file(users["county_officer"], write_xls(tmp_path / "岗位.xls", three_postings(), HEADERS), "jobs")
    assert xls_job.status == ImportJob.Status.SUCCEEDED, xls_job.error
    assert counts(xls_job) == _counts(unchanged=3)


def test_township_officer_sees_county_enterprise_as_not_found(
    users: dict[str, Any], firms: dict[str, Enterprise], tmp_path: Path
) -> None:
    # The enterprise sits at county level, above the 武溪镇 officer's subtree.
    job = run_file(users["township_officer"], write_xlsx(tmp_path / "a.xlsx", [posting()], HEADERS), "jobs")
    assert counts(job) == _counts(rejected=1)
    assert errors(job) == [(2, ENTERPRISE_NOT_FOUND)]


@pytest.mark.parametrize("who", ["enterprise", "broker", "viewer"])
def test_roles_that_cannot_import_jobs(users: dict[str, Any], firms: dict[str, Enterprise], who: str) -> None:
    upload = SimpleUploadedFile("a.xlsx", xlsx_bytes(three_postings(), HEADERS))
    with pytest.raises(PermissionDeniedError):
        import_create(acting_user=users[who], uploaded_file=upload, kind="jobs")
    assert ImportJob.objects.count() == 0


def test_api_enterprise_user_gets_403(users: dict[str, Any], firms: dict[str, Enterprise]) -> None:
    api = token_client(users["enterprise"])
    upload = SimpleUploadedFile("a.xlsx", xlsx_bytes(three_postings(), HEADERS))
    response = api.post(reverse("api:import_list"), {"file": upload, "kind": "jobs"}, format="multipart")
    assert response.status_code == 403
    assert (ImportJob.objects.count(), JobPosting.objects.count()) == (0, 0)


def test_api_upload_kind_jobs(
    users: dict[str, Any], firms: dict[str, Enterprise], django_capture_on_commit_callbacks: Any
) -> None:
    api = token_client(users["county_officer"])
    rows = [posting(), posting("过期岗位", **{"有效期止": str(date(2025, 3, 1) - timedelta(days=1))})]
    upload = SimpleUploadedFile("岗位.xlsx", xlsx_bytes(rows, HEADERS))
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(reverse("api:import_list"), {"file": upload, "kind": "jobs"}, format="multipart")
    assert response.status_code == 202, response.content
    polled = api.get(reverse("api:import_detail", args=[response.json()["id"]])).json()
    assert (polled["status"], polled["rows_created"], polled["rows_rejected"]) == ("succeeded", 1, 1)
    assert polled["report_url"]
    assert list(JobPosting.objects.values_list("title", flat=True)) == ["竹编工"]


def test_template_drop_downs_and_key_note() -> None:
    lists = drop_downs(ImportKind.JOBS)
    assert lists["性别要求"] == ["不限", "男", "女"]
    assert lists["最低学历"] == list(Education.labels)
    assert lists["提供住宿"] == lists["提供餐食"] == lists["低门槛岗位"] == ["是", "否"]
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(ImportKind.JOBS)))
    notes = [row[0] for row in workbook[INSTRUCTIONS_SHEET].iter_rows(values_only=True) if row[0]]
    assert any("以“企业 + 岗位名称 + 工作地点”识别岗位" in note for note in notes)


def test_filled_template_imports(users: dict[str, Any], firms: dict[str, Enterprise]) -> None:
    upload = SimpleUploadedFile("岗位导入模板.xlsx", filled_template(ImportKind.JOBS, three_postings()))
    created = import_create(acting_user=users["county_officer"], uploaded_file=upload, kind="jobs", enqueue=False)
    job = import_run(job_id=created.pk)
    assert job.status == ImportJob.Status.SUCCEEDED, job.error
    assert counts(job) == _counts(created=3)
    assert JobPosting.objects.get(title="电子装配工").sex_requirement == ec.SexRequirement.FEMALE
