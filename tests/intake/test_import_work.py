"""WORK import (已外出务工) end to end: real xlsx and GBK csv files, exact counts, audit, idempotence."""

import io
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from laborcoop.core.models import AuditEntry
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records import validation as v
from laborcoop.employment.records.counties import COUNTY_AMBIGUOUS
from laborcoop.intake.columns import ImportKind
from laborcoop.intake.models import ImportJob
from laborcoop.intake.services.work import NAME_DIFFERS, NOT_REGISTERED, OUT_OF_SCOPE, TWICE_IN_FILE
from laborcoop.intake.templates_xlsx import HEADER_ROW, build_template
from laborcoop.regions.models import Region
from laborcoop.registry.models import Laborer
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import HouseholdFactory, LaborerFactory, fresh_id_number
from tests.intake.helpers import counts, errors, run_file, write_gbk_csv, write_xlsx

pytestmark = pytest.mark.django_db

HEADERS = [
    "县",
    "乡",
    "村",
    "户编号",
    "证件号码",
    "姓名",
    "是否已务工",
    "开始时间",
    "结束时间",
    "务工所在县",
    "务工月收入",
    "务工企业名称",
    "所属行业",
    "就业渠道",
    "是否点对点输送",
    "年度交通费补助",
]
ZERO = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0, "warned": 0}
RECORD = "employment.employmentrecord"


def _counts(**kw: int) -> dict[str, int]:
    return {**ZERO, **kw}


def work_row(laborer_id: str, name: str, **extra: str) -> dict[str, str]:
    row = {
        "县": "泸溪县",
        "乡": "武溪镇",
        "村": "黑塘村",
        "户编号": "433122107201000001",
        "证件号码": laborer_id,
        "姓名": name,
        "是否已务工": "是",
        "开始时间": "2024-03-01",
        "结束时间": "",
        "务工所在县": "广东省深圳市宝安区",
        "务工月收入": "4500",
        "务工企业名称": "深圳测试电子厂",
        "所属行业": "制造业",
        "就业渠道": "劳务协作输出",
        "是否点对点输送": "是",
        "年度交通费补助": "1000",
    }
    row.update(extra)
    return row


@pytest.fixture
def people(users: dict[str, Any]) -> dict[str, tuple[Laborer, str]]:
    """Three registered laborers of 泸溪县 with their clear ID numbers."""
    found = {}
    for key, name in (("a", "张建国"), ("b", "李秀英"), ("c", "王小明")):
        number = fresh_id_number()
        found[key] = (LaborerFactory(id_number=number, name=name), number)
    return found


def rows_for(people: dict[str, tuple[Laborer, str]]) -> list[dict[str, str]]:
    (a, a_id), (b, b_id), (c, c_id) = people["a"], people["b"], people["c"]
    return [
        work_row(a_id, a.name),
        work_row(b_id, b.name, 开始时间="2023年5月", 结束时间="2023-12-31", 是否已务工="否", 务工所在县="凤凰县"),
        work_row(c_id, c.name, 务工所在县="泸溪县", 就业渠道="帮扶车间", 务工月收入="2200", 是否点对点输送="否"),
    ]


def test_xlsx_creates_records_and_syncs_laborers(users: dict[str, Any], people: Any, tmp_path: Path) -> None:
    officer = users["county_officer"]
    job = run_file(officer, write_xlsx(tmp_path / "已外出务工.xlsx", rows_for(people), HEADERS, title_rows=2), "work")

    assert job.status == ImportJob.Status.SUCCEEDED, job.error
    assert counts(job) == _counts(created=3)
    assert errors(job) == []
    a, b, c = (people[k][0] for k in "abc")
    ra = EmploymentRecord.objects.get(laborer=a)
    assert (ra.start_date, ra.end_date, ra.work_region_id, ra.work_area) == (
        date(2024, 3, 1),
        None,
        "440306000000",
        "03",
    )
    assert (ra.monthly_wage, ra.industry, ra.channel, ra.point_to_point, ra.transport_subsidy, ra.source) == (
        4500,
        "C",
        "劳务协作输出",
        True,
        1000,
        "import",
    )
    rb = EmploymentRecord.objects.get(laborer=b)
    assert (rb.start_date, rb.end_date, rb.work_area) == (date(2023, 5, 1), date(2023, 12, 31), "02")
    assert EmploymentRecord.objects.get(laborer=c).work_area == "01"
    for laborer in (a, b, c):
        laborer.refresh_from_db()
    assert (a.employment_status, a.employer_name, a.work_area) == ("employed", "深圳测试电子厂", "03")
    assert (b.employment_status, b.version) == ("unemployed", 1)  # a past job changes nothing
    assert c.employment_status == "employed"
    entry = AuditEntry.objects.get(object_type=RECORD, object_id=str(ra.pk))
    assert (entry.action, entry.actor, entry.reason) == ("create", officer, "导入：已外出务工.xlsx 第 4 行")
    assert entry.changes["monthly_wage"] == [None, 4500]


def test_second_import_is_unchanged_and_a_changed_wage_is_audited(
    users: dict[str, Any], people: Any, tmp_path: Path
) -> None:
    officer = users["county_officer"]
    rows = rows_for(people)
    path = write_xlsx(tmp_path / "w.xlsx", rows, HEADERS)
    run_file(officer, path, "work")
    audits = AuditEntry.objects.count()
    versions = sorted(EmploymentRecord.objects.values_list("version", flat=True))

    again = run_file(officer, path, "work")
    assert counts(again) == _counts(unchanged=3)
    assert AuditEntry.objects.count() == audits
    assert sorted(EmploymentRecord.objects.values_list("version", flat=True)) == versions

    rows[0]["务工月收入"] = "5200"
    changed = run_file(officer, write_xlsx(tmp_path / "w2.xlsx", rows, HEADERS), "work")
    assert counts(changed) == _counts(updated=1, unchanged=2)
    record = EmploymentRecord.objects.get(laborer=people["a"][0])
    assert (record.monthly_wage, record.version) == (5200, 2)
    entry = AuditEntry.objects.get(object_type=RECORD, object_id=str(record.pk), action="update")
    assert entry.changes == {"monthly_wage": [4500, 5200]}
    assert entry.reason == "导入：w2.xlsx 第 2 行"
    assert AuditEntry.objects.count() == audits + 1  # the employer did not change: the laborer is untouched


def test_gbk_csv(users: dict[str, Any], people: Any, tmp_path: Path) -> None:
    path = write_gbk_csv(tmp_path / "work.csv", rows_for(people), HEADERS)
    job = run_file(users["county_officer"], path, "work")
    assert counts(job) == _counts(created=3)
    assert EmploymentRecord.objects.count() == 3
    assert EmploymentRecord.objects.get(laborer=people["a"][0]).employer_name == "深圳测试电子厂"


def test_rejections_with_chinese_reasons(users: dict[str, Any], people: Any, tmp_path: Path) -> None:
    (a, a_id), (b, b_id), (c, c_id) = people["a"], people["b"], people["c"]
    unknown_id = fresh_id_number()
    fenghuang = LaborerFactory(household=HouseholdFactory(region_id="433123109201"))
    fenghuang_id = fresh_id_number(county="433123")
    Laborer.objects.filter(pk=fenghuang.pk).delete()
    elsewhere = LaborerFactory(household=HouseholdFactory(region_id="433123109201"), id_number=fenghuang_id)
    rows = [
        work_row(unknown_id, "赵六"),
        work_row(a_id, a.name, 务工月收入="50000"),
        work_row(b_id, b.name, 是否已务工="否"),  # 否 with an open end
        work_row(c_id, c.name, 就业渠道="公益性岗位"),  # 公益性岗位 out of the province
        work_row(fenghuang_id, elsewhere.name),
    ]
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "bad.xlsx", rows, HEADERS), "work")

    assert counts(job) == _counts(rejected=5)
    assert errors(job) == [
        (2, NOT_REGISTERED),
        (3, v.WAGE_OUT_OF_RANGE),
        (4, v.NOT_WORKING_BUT_OPEN),
        (5, v.CHANNEL_NOT_IN_COUNTY.format(channel="公益性岗位", area="省外")),
        (6, OUT_OF_SCOPE),
    ]
    wage = job.issues.get(row=3)
    assert (wage.column, wage.value) == ("务工月收入", "50000")
    assert job.issues.get(row=2).value == unknown_id[:4] + "*" * 10 + unknown_id[-4:]
    assert EmploymentRecord.objects.count() == 0
    assert job.report  # the report file lists them


def test_overlap_and_duplicates(users: dict[str, Any], people: Any, tmp_path: Path) -> None:
    (a, a_id), (b, b_id) = people["a"], people["b"]
    EmploymentRecordFactory(laborer=a, start_date=date(2023, 1, 1))  # still ongoing
    rows = [
        work_row(a_id, a.name),  # overlaps the ongoing record
        work_row(b_id, b.name),
        work_row(b_id, b.name, 务工月收入="4800"),  # the same job twice in the file
        work_row(b_id, b.name, 开始时间="2024-06-01"),  # overlaps row 3
    ]
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "o.xlsx", rows, HEADERS), "work")
    assert counts(job) == _counts(created=1, rejected=3)
    assert errors(job) == [
        (2, v.OVERLAP.format(start="2023-01-01", end=v.ONGOING)),
        (4, TWICE_IN_FILE.format(row=3)),
        (5, v.OVERLAP.format(start="2024-03-01", end=v.ONGOING)),
    ]


def test_warnings_keep_the_row(users: dict[str, Any], people: Any, tmp_path: Path) -> None:
    a, a_id = people["a"]
    rows = [work_row(a_id, "张健国", 务工月收入="350")]
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "w.xlsx", rows, HEADERS), "work")
    assert counts(job) == _counts(created=1, warned=1)
    reasons = list(job.issues.order_by("id").values_list("severity", "reason"))
    assert reasons == [("warning", NAME_DIFFERS), ("warning", v.WAGE_LOW)]
    assert EmploymentRecord.objects.get(laborer=a).warnings == {"monthly_wage": [v.WAGE_LOW]}


def test_ambiguous_county_is_rejected(users: dict[str, Any], people: Any, tmp_path: Path) -> None:
    Region.objects.bulk_create(
        [
            Region(code="620000000000", name="甘肃省", level=1, prefix="62"),
            Region(code="620100000000", name="兰州市", level=2, prefix="6201", parent_id="620000000000"),
            Region(code="620102000000", name="城关区", level=3, prefix="620102", parent_id="620100000000"),
            Region(code="540000000000", name="西藏自治区", level=1, prefix="54"),
            Region(code="540100000000", name="拉萨市", level=2, prefix="5401", parent_id="540000000000"),
            Region(code="540102000000", name="城关区", level=3, prefix="540102", parent_id="540100000000"),
        ]
    )
    a, a_id = people["a"]
    rows = [work_row(a_id, a.name, 务工所在县="城关区")]
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "c.xlsx", rows, HEADERS), "work")
    paths = "西藏自治区拉萨市城关区（540102）、甘肃省兰州市城关区（620102）"
    assert errors(job) == [(2, COUNTY_AMBIGUOUS.format(value="城关区", paths=paths))]
    rows[0]["务工所在县"] = "甘肃省兰州市城关区"
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "c2.xlsx", rows, HEADERS), "work")
    assert counts(job) == _counts(created=1)
    assert EmploymentRecord.objects.get(laborer=a).work_region_id == "620102000000"


def test_ending_a_job_by_import(users: dict[str, Any], people: Any, tmp_path: Path) -> None:
    a, a_id = people["a"]
    officer = users["county_officer"]
    run_file(officer, write_xlsx(tmp_path / "1.xlsx", [work_row(a_id, a.name)], HEADERS), "work")
    a.refresh_from_db()
    assert a.employment_status == "employed"
    ended = [work_row(a_id, a.name, 结束时间="2024-10-31", 是否已务工="否")]
    job = run_file(officer, write_xlsx(tmp_path / "2.xlsx", ended, HEADERS), "work")
    assert counts(job) == _counts(updated=1)
    a.refresh_from_db()
    assert (a.employment_status, a.employer_name, a.work_area) == ("unemployed", "", "")
    summary = AuditEntry.objects.filter(object_type="registry.laborer", object_id=str(a.pk)).order_by("id").last()
    assert summary is not None
    assert summary.changes["employment_status"] == ["employed", "unemployed"]


def test_not_working_without_dates_is_skipped(users: dict[str, Any], people: Any, tmp_path: Path) -> None:
    a, a_id = people["a"]
    rows = [work_row(a_id, a.name, 是否已务工="否", 开始时间="", 务工所在县="", 务工月收入="")]
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "n.xlsx", rows, HEADERS), "work")
    assert counts(job) == _counts(unchanged=1)
    assert EmploymentRecord.objects.count() == 0


def test_other_county_officer_cannot_import_our_people(users: dict[str, Any], people: Any, tmp_path: Path) -> None:
    a, a_id = people["a"]
    job = run_file(
        users["other_county_officer"], write_xlsx(tmp_path / "x.xlsx", [work_row(a_id, a.name)], HEADERS), "work"
    )
    assert errors(job) == [(2, OUT_OF_SCOPE)]
    assert EmploymentRecord.objects.count() == 0


def test_template_headers_import(users: dict[str, Any], people: Any, tmp_path: Path) -> None:
    """The downloadable WORK template, filled in under its own header row, imports."""
    book = openpyxl.load_workbook(io.BytesIO(build_template(ImportKind.WORK)))
    sheet = book.worksheets[0]
    labels = [str(sheet.cell(row=HEADER_ROW, column=c).value or "") for c in range(1, sheet.max_column + 1)]
    assert "务工所在县" in labels
    assert "是否已务工" in labels
    a, a_id = people["a"]
    values = work_row(a_id, a.name)
    short = {"县（市、区）": "县", "乡（镇、街道）": "乡", "行政村": "村"}
    for c, label in enumerate(labels, start=1):
        sheet.cell(row=HEADER_ROW + 1, column=c, value=values.get(short.get(label, label), ""))
    path = tmp_path / "template.xlsx"
    book.save(path)
    job = run_file(users["county_officer"], path, "work")
    assert job.status == ImportJob.Status.SUCCEEDED, job.error
    assert counts(job) == _counts(created=1)
