"""PERSONS import end to end: real files in tmp_path, a job per file, exact counts and exact rows."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from laborcoop.core.models import AuditEntry
from laborcoop.intake.models import ImportJob
from laborcoop.intake.services.persons import ID_DAMAGED, ID_ELSEWHERE, ID_TWICE_IN_FILE
from laborcoop.intake.services.places import VILLAGE_OUT_OF_SCOPE, VILLAGE_UNKNOWN
from laborcoop.registry.identity import id_number_hash
from laborcoop.registry.models import Household, Laborer
from laborcoop.registry.validation.household import MANY_HEADS, NO_HEAD
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import HouseholdFactory, LaborerFactory, fresh_id_number
from tests.intake.helpers import (
    HEADERS,
    counts,
    errors,
    family,
    issues,
    person,
    run_file,
    write_gbk_csv,
    write_xls,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

ZERO = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0, "warned": 0}


def _counts(**kw: int) -> dict[str, int]:
    return {**ZERO, **kw}


def test_happy_path_creates_households_and_members(users: dict[str, Any], tmp_path: Path) -> None:
    rows = [*family("433122107201000001"), *family("433122107202000002", village="天门溪村", surname="王")]
    path = write_xlsx(tmp_path / "人员.xlsx", rows, title_rows=2)

    job = run_file(users["county_officer"], path)

    assert job.status == ImportJob.Status.SUCCEEDED, job.error
    assert (job.header_row, job.rows_total, job.rows_done, job.progress) == (3, 6, 6, 100)
    assert counts(job) == _counts(created=6)
    assert issues(job) == []
    assert not job.report
    households = {h.household_no: h for h in Household.objects.all()}
    assert set(households) == {"433122107201000001", "433122107202000002"}
    assert households["433122107202000002"].region_id == "433122107202"
    assert households["433122107201000001"].household_type == "脱贫户"
    head = Laborer.objects.get(id_number_hash=id_number_hash(rows[0]["证件号码"]))
    id_birth = rows[0]["证件号码"][6:14]  # fresh_id_number shifts the date after every 500 numbers drawn
    assert (head.name, head.relation, head.sex) == ("张建国", "户主", "1")
    assert head.birth_date == date(int(id_birth[:4]), int(id_birth[4:6]), int(id_birth[6:]))
    assert head.household.household_no == "433122107201000001"
    assert head.region_id == "433122107201"
    assert head.health == ["健康"]
    assert head.reveal_id_number() == rows[0]["证件号码"]
    assert Laborer.objects.count() == 6
    creates = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE)
    assert creates.count() == 8  # 2 households + 6 members
    entry = creates.get(object_type="registry.laborer", object_id=str(head.pk))
    assert entry.actor == users["county_officer"]
    assert entry.reason == "导入：人员.xlsx 第 4 行"
    assert entry.changes == {}  # the job keeps the file; the reason names the row


def test_same_file_twice_changes_nothing(users: dict[str, Any], tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [*family("433122107201000001"), *family("433122107201000002")])
    run_file(users["county_officer"], path)
    audits = AuditEntry.objects.count()
    versions = sorted(Laborer.objects.values_list("version", flat=True))

    second = run_file(users["county_officer"], path)

    assert counts(second) == _counts(unchanged=6)
    assert AuditEntry.objects.count() == audits
    assert sorted(Laborer.objects.values_list("version", flat=True)) == versions
    assert Household.objects.count() == 2


def test_changed_cell_updates_exactly_that_field(users: dict[str, Any], tmp_path: Path) -> None:
    rows = family("433122107201000001")
    run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", rows))
    son = Laborer.objects.get(id_number_hash=id_number_hash(rows[2]["证件号码"]))
    before = AuditEntry.objects.count()

    rows[2]["劳动技能"] = "技能劳动力"
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "b.xlsx", rows))

    assert counts(job) == _counts(updated=1, unchanged=2)
    son.refresh_from_db()
    assert (son.labor_skill, son.version) == ("技能劳动力", 2)
    update = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE)
    assert AuditEntry.objects.count() == before + 1
    assert update.object_id == str(son.pk)
    assert update.changes == {"labor_skill": ["普通劳动力", "技能劳动力"]}
    assert update.reason == "导入：b.xlsx 第 4 行"
    assert update.actor == users["county_officer"]


def test_phone_change_is_audited_masked(users: dict[str, Any], tmp_path: Path) -> None:
    rows = family("433122107201000001")
    run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", rows))
    rows[0]["成员联系电话"] = "13812345678"
    run_file(users["county_officer"], write_xlsx(tmp_path / "b.xlsx", rows))
    update = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE)
    assert update.changes == {"phone": ["", "138****5678"]}


def test_damaged_id_rejected_and_report_shows_masked_value(users: dict[str, Any], tmp_path: Path) -> None:
    rows = family("433122107201000001")
    rows.append(
        person("433122107201000001", relation="之女", name="张小红", male=False, id_number="433122200501012000")
    )
    rows.append(person("433122107201000001", relation="之女", name="张小兰", male=False, id_number="4.33122E+17"))
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", rows))

    assert counts(job) == _counts(created=3, rejected=2)
    assert issues(job) == [
        (5, "证件号码", "4331**********2000", "error", ID_DAMAGED),
        (6, "证件号码", "4.33***E+17", "error", ID_DAMAGED),
    ]
    assert job.report
    import openpyxl

    with job.report.open("rb") as fh:
        sheet = openpyxl.load_workbook(fh).active
        values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert values == [
        ["行号", "列", "值", "级别", "原因"],
        [5, "证件号码", "4331**********2000", "错误", "身份证号被 Excel 截断"],
        [6, "证件号码", "4.33***E+17", "错误", "身份证号被 Excel 截断"],
    ]


def test_out_of_scope_and_unknown_villages_rejected(users: dict[str, Any], tmp_path: Path) -> None:
    rows = [
        *family("433122107201000001"),
        person("433123109201000009", village="棉寨村", name="龙凤英"),
        {**person("433122107201000010", name="向天"), "行政村": "不存在村"},
    ]
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", rows))

    assert counts(job) == _counts(created=3, rejected=2)
    assert errors(job) == [(5, VILLAGE_OUT_OF_SCOPE), (6, VILLAGE_UNKNOWN.format(path="泸溪县/武溪镇/不存在村"))]
    assert not Household.objects.filter(household_no="433123109201000009").exists()


def test_broker_limited_to_own_village(users: dict[str, Any], tmp_path: Path) -> None:
    rows = [*family("433122107201000001"), *family("433122107202000002", village="天门溪村")]
    job = run_file(users["broker"], write_xlsx(tmp_path / "a.xlsx", rows))
    assert counts(job) == _counts(created=3, rejected=3)
    assert {reason for _, reason in errors(job)} == {VILLAGE_OUT_OF_SCOPE}


def test_two_heads_reject_the_later_row(users: dict[str, Any], tmp_path: Path) -> None:
    rows = family("433122107201000001")
    rows.append(person("433122107201000001", relation="户主", name="张二户主"))
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", rows))

    assert counts(job) == _counts(created=3, rejected=1)
    assert errors(job) == [(5, MANY_HEADS.format(count=2, labels="第 2 行 张建国、第 5 行 张二户主"))]
    assert not Laborer.objects.filter(name="张二户主").exists()


def test_second_head_against_stored_head(users: dict[str, Any], tmp_path: Path) -> None:
    household = HouseholdFactory(household_no="433122107201000001", region_id="433122107201")
    LaborerFactory(household=household, name="向老户主")
    rows = [person("433122107201000001", relation="户主", name="张新户主")]
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", rows))
    assert counts(job) == _counts(rejected=1)
    assert errors(job) == [(2, MANY_HEADS.format(count=2, labels="向老户主、第 2 行 张新户主"))]


def test_household_without_head_rejected(users: dict[str, Any], tmp_path: Path) -> None:
    rows = family("433122107201000001")[1:]
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", rows))
    assert counts(job) == _counts(rejected=2)
    assert errors(job) == [(2, NO_HEAD), (3, NO_HEAD)]
    assert Household.objects.count() == 0


def test_members_join_a_stored_household(users: dict[str, Any], tmp_path: Path) -> None:
    household = HouseholdFactory(household_no="433122107201000001", region_id="433122107201")
    LaborerFactory(household=household, name="向老户主")
    rows = [person("433122107201000001", relation="之子", name="向小", birth=date(2000, 1, 1))]
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", rows))
    assert counts(job) == _counts(created=1)
    assert household.members.count() == 2


def test_id_twice_in_file(users: dict[str, Any], tmp_path: Path) -> None:
    rows = family("433122107201000001")
    rows.append({**rows[2], "户编号": "433122107201000002", "与户主关系": "户主"})
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", rows))
    assert counts(job) == _counts(created=3, rejected=1)
    assert errors(job) == [(5, ID_TWICE_IN_FILE.format(row=4))]


def test_laborer_registered_in_other_county_rejected_without_details(users: dict[str, Any], tmp_path: Path) -> None:
    elsewhere = HouseholdFactory(household_no="433123109201000001", region_id="433123109201")
    id_number = fresh_id_number("433123")
    LaborerFactory(household=elsewhere, id_number=id_number, name="龙凤英")
    rows = [person("433122107201000001", id_number=id_number, name="龙凤英")]
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", rows))
    assert counts(job) == _counts(rejected=1)
    assert errors(job) == [(2, ID_ELSEWHERE)]
    assert Household.objects.filter(household_no="433122107201000001").count() == 0


def test_laborer_moves_to_another_household_in_scope(users: dict[str, Any], tmp_path: Path) -> None:
    rows = family("433122107201000001")
    run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", rows))
    son = Laborer.objects.get(id_number_hash=id_number_hash(rows[2]["证件号码"]))
    moved = {**rows[2], "户编号": "433122108201000005", "行政村": "黄家桥村", "乡（镇、街道）": "浦市镇"}
    moved["与户主关系"] = "户主"
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "b.xlsx", [moved]))
    assert counts(job) == _counts(updated=1)
    son.refresh_from_db()
    assert (son.household.household_no, son.region_id, son.relation) == ("433122108201000005", "433122108201", "户主")
    update = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE, object_type="registry.laborer")
    assert update.changes == {
        "relation": ["之子", "户主"],
        "region": ["433122107201", "433122108201"],
        "household": [Household.objects.get(household_no="433122107201000001").pk, son.household_id],
    }


@pytest.mark.parametrize("writer", [write_xls, write_gbk_csv], ids=["xls", "gbk-csv"])
def test_xls_and_gbk_csv(users: dict[str, Any], tmp_path: Path, writer: Any) -> None:
    suffix = ".xls" if writer is write_xls else ".csv"
    path = writer(tmp_path / f"人员{suffix}", family("433122107201000001"))
    job = run_file(users["county_officer"], path)
    assert counts(job) == _counts(created=3)
    assert set(Laborer.objects.values_list("name", flat=True)) == {"张建国", "李秀英", "张小明"}


def test_missing_required_column_fails_job(users: dict[str, Any], tmp_path: Path) -> None:
    headers = [h for h in HEADERS if h != "证件号码"]
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", family("1"), headers))
    assert job.status == ImportJob.Status.FAILED
    assert job.error == "缺少必填列“证件号码”"
    assert Laborer.objects.count() == 0


def test_unreadable_file_fails_job(users: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"this is not a zip file at all")
    job = run_file(users["county_officer"], path)
    assert job.status == ImportJob.Status.FAILED
    assert job.error == "文件已损坏或内容与扩展名不符，无法读取；请用 Excel 另存为 xlsx 后重新上传"


def test_employment_records_follow_a_household_moved_by_import(users: dict[str, Any], tmp_path: Path) -> None:
    # Given a family of 黑塘村 (泸溪县) whose head works in 泸溪县 (县内)
    rows = family("433122107201000001")
    run_file(users["province_admin"], write_xlsx(tmp_path / "a.xlsx", rows))
    head = Laborer.objects.get(id_number_hash=id_number_hash(rows[0]["证件号码"]))
    record = EmploymentRecordFactory(laborer=head, work_region_id="433122000000")
    assert (record.region_id, record.work_area) == ("433122107201", "01")
    # When a re-import moves the household to 棉寨村 in 凤凰县
    moved = [{**row, "县（市、区）": "凤凰县", "乡（镇、街道）": "沱江镇", "行政村": "棉寨村"} for row in rows]
    job = run_file(users["province_admin"], write_xlsx(tmp_path / "b.xlsx", moved))
    assert (counts(job)["rejected"], counts(job)["updated"]) == (0, 3), errors(job)
    # Then the record belongs to the new home and working in 泸溪县 is now 省内县外
    record.refresh_from_db()
    assert (record.region_id, record.work_area) == ("433123109201", "02")
