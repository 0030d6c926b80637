"""Comparison services on real uploaded files: upload, mapping, the run and its counts, bad input."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from laborcoop.core.errors import PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.intake.readers import FILE_CORRUPT
from laborcoop.linkage.columns import MAPPING_DUPLICATE, MISSING_ID_OR_BIRTH_COLUMN, MISSING_NAME_COLUMN
from laborcoop.linkage.models import Comparison, ComparisonEntry, ProposedChange, TheirRecord
from laborcoop.linkage.services import comparison_create, comparison_mapping_confirm, comparison_run
from laborcoop.linkage.services.reading import ID_DAMAGED
from laborcoop.linkage.services.upload import (
    DEPARTMENT_INVALID,
    FILE_REQUIRED,
    NO_DATA_ROWS,
    NOT_AWAITING_MAPPING,
)
from laborcoop.registry.identity import id_number_hash
from tests.linkage.conftest import Person, row_of
from tests.linkage.helpers import HOUSEHOLD_HEADERS, gbk_csv_bytes, run_comparison, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def household_list(registry: list[Person]) -> list[dict[str, Any]]:
    """20 people with IDs (one deceased, one moved), one without ID, one with a traditional name and an ID
    destroyed by Excel, two people our registry lacks."""
    rows = [row_of(p) for p in registry[:20]]
    rows[0].update({"户籍状态": "死亡", "死亡日期": "2025-03-01"})
    rows[1].update({"户籍状态": "迁出", "迁出日期": "2024年5月1日"})
    rows.append(row_of(registry[20], with_id=False))
    rows.append({**row_of(registry[23], with_id=False, name="謝軍"), "公民身份号码": 4.33122198001012e17})
    rows.append({"姓名": "王小二", "性别": "男", "出生日期": "1990-01-01", "户籍地村": "黑塘村"})
    rows.append({"姓名": "李四", "性别": "女", "出生日期": "1991-02-02", "户籍地村": "黄家桥村"})
    return rows


def as_cells(rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [[i + 1] + [r.get(h, "") for h in HOUSEHOLD_HEADERS[1:]] for i, r in enumerate(rows)]


def test_household_list_xlsx_counts_and_matches(users: dict[str, Any], registry: list[Person]) -> None:
    data = xlsx_bytes(HOUSEHOLD_HEADERS, as_cells(household_list(registry)))

    comparison = run_comparison(users["county_officer"], "户籍.xlsx", data, "household_reg")

    assert comparison.status == Comparison.Status.SUCCEEDED, comparison.error
    assert comparison.progress == 100
    assert comparison.header_row == 2  # a title row above the header
    assert comparison.rows_total == 24
    assert comparison.rows_id_damaged == 1
    assert comparison.ours_total == 30  # 凤凰县's three are outside the uploader's region
    assert comparison.matched_count == 22
    assert comparison.only_ours_count == 8
    assert comparison.only_theirs_count == 2
    assert comparison.note == ""  # the engine's model detail is not the officer's business
    entries = ComparisonEntry.objects.filter(comparison=comparison)
    by_id = entries.filter(kind=ComparisonEntry.Kind.MATCHED, method="id")
    assert {e.laborer_id for e in by_id} == {p.laborer.pk for p in registry[:20]}
    assert all(e.probability == 1.0 for e in by_id)
    fuzzy = {e.laborer_id: e for e in entries.filter(kind=ComparisonEntry.Kind.MATCHED, method="splink")}
    assert set(fuzzy) == {registry[20].laborer.pk, registry[23].laborer.pk}
    assert "birth_date" in fuzzy[registry[20].laborer.pk].agreeing
    assert "name" in fuzzy[registry[23].laborer.pk].agreeing  # 謝軍 = 谢军 after t2s
    only_theirs = {e.their.name for e in entries.filter(kind=ComparisonEntry.Kind.ONLY_THEIRS).select_related("their")}
    assert only_theirs == {"王小二", "李四"}
    only_ours = set(entries.filter(kind=ComparisonEntry.Kind.ONLY_OURS).values_list("laborer_id", flat=True))
    assert only_ours == {p.laborer.pk for p in registry[21:23] + registry[24:]}
    changes = ProposedChange.objects.filter(comparison=comparison).order_by("laborer_id")
    assert [(c.laborer_id, c.field, c.new_value) for c in changes] == [
        (registry[0].laborer.pk, "vital_status", {"value": "deceased", "date": "2025-03-01"}),
        (registry[1].laborer.pk, "vital_status", {"value": "moved", "date": "2024-05-01"}),
    ]


def test_uploaded_ids_are_stored_only_hashed_and_masked(users: dict[str, Any], registry: list[Person]) -> None:
    data = xlsx_bytes(HOUSEHOLD_HEADERS, as_cells(household_list(registry)))

    comparison = run_comparison(users["county_officer"], "户籍.xlsx", data, "household_reg")

    first = TheirRecord.objects.get(comparison=comparison, row=3)
    number = registry[0].id_number
    assert first.id_hash == id_number_hash(number) == registry[0].laborer.id_number_hash
    assert first.id_masked == number[:4] + "**********" + number[-4:]
    damaged = TheirRecord.objects.get(comparison=comparison, name="谢军")
    assert (damaged.id_hash, damaged.id_problem) == ("", ID_DAMAGED)
    stored = [str(v) for v in TheirRecord.objects.values_list("id_masked", "id_hash", "extra", "name")]
    assert not any(p.id_number in text for p in registry for text in stored)


def test_gbk_csv_social_insurance_list(users: dict[str, Any], registry: list[Person]) -> None:
    headers = ["姓名", "身份证号码", "参保单位", "参保险种", "参保起始"]
    rows = [[p.laborer.name, p.id_number, "湘西建工集团有限公司", "企业职工养老保险", "2024-07"] for p in registry[:5]]
    rows.append(["查无此人", "", "某公司", "工伤保险", "2024-01"])

    comparison = run_comparison(users["county_officer"], "社保.csv", gbk_csv_bytes(headers, rows), "social_insurance")

    assert comparison.status == Comparison.Status.SUCCEEDED, comparison.error
    assert (comparison.matched_count, comparison.only_theirs_count, comparison.only_ours_count) == (5, 1, 25)
    changes = ProposedChange.objects.filter(comparison=comparison, laborer=registry[0].laborer)
    assert {(c.field, c.new_value["value"]) for c in changes} == {
        ("employment_status", "employed"),
        ("employer_name", "湘西建工集团有限公司"),
    }
    entry = ComparisonEntry.objects.get(comparison=comparison, laborer=registry[0].laborer)
    assert entry.evidence == {
        "参保单位": "湘西建工集团有限公司",
        "参保险种": "企业职工养老保险",
        "参保起始": "2024-07-01",
    }


def test_poverty_list_proposes_name_correction_and_review_items(users: dict[str, Any], registry: list[Person]) -> None:
    headers = ["姓名", "证件号码", "性别", "出生日期"]
    p = registry[0]
    theirs_birth = (p.laborer.birth_date + timedelta(days=1)).isoformat()  # never the registry's date
    rows = [["张玮", p.id_number, "男", theirs_birth]]  # homophone name, another birth date

    comparison = run_comparison(users["county_officer"], "监测.xlsx", xlsx_bytes(headers, rows), "poverty")

    entry = ComparisonEntry.objects.get(comparison=comparison, kind=ComparisonEntry.Kind.MATCHED)
    assert entry.method == "id"
    ours_birth = p.laborer.birth_date.isoformat()
    assert entry.conflicts == [
        {"field": "name", "label": "姓名", "ours": "张伟", "theirs": "张玮"},
        {"field": "birth_date", "label": "出生日期", "ours": ours_birth, "theirs": theirs_birth},
    ]
    changes = ProposedChange.objects.filter(comparison=comparison).order_by("id")
    # The name is applied on acceptance; the birth date follows the ID number: a review item.
    assert [(c.field, c.ours_display, c.theirs_display, c.applies) for c in changes] == [
        ("name", "张伟", "张玮", True),
        ("birth_date", ours_birth, theirs_birth, False),
    ]


def test_unemployment_and_dibao_lists(users: dict[str, Any], registry: list[Person]) -> None:
    employed = registry[2].laborer
    employed.employment_status = "employed"
    employed.save()
    rows = [[employed.name, registry[2].id_number, "2025-01-05"]]
    unemployment = run_comparison(
        users["county_officer"], "失业.xlsx", xlsx_bytes(["姓名", "证件号码", "登记日期"], rows), "unemployment"
    )
    dibao = run_comparison(
        users["county_officer"],
        "低保.xlsx",
        xlsx_bytes(["姓名", "证件号码", "低保起始"], [[employed.name, registry[2].id_number, "20220301"]]),
        "dibao",
    )

    change = ProposedChange.objects.get(comparison=unemployment)
    assert (change.field, change.new_value) == ("employment_status", {"value": "unemployed"})
    assert not ProposedChange.objects.filter(comparison=dibao).exists()
    entry = ComparisonEntry.objects.get(comparison=dibao, kind=ComparisonEntry.Kind.MATCHED)
    assert entry.evidence == {"低保起始": "2022-03-01"}


def test_create_audits_and_waits_for_mapping(users: dict[str, Any], registry: list[Person]) -> None:
    data = xlsx_bytes(HOUSEHOLD_HEADERS, as_cells(household_list(registry)))

    comparison = comparison_create(
        acting_user=users["county_officer"], uploaded_file=upload("户籍.xlsx", data), department="household_reg"
    )

    assert comparison.status == Comparison.Status.MAPPING
    assert comparison.region_id == "433122000000"
    assert comparison.mapping["name"] == 1
    assert comparison.mapping["id_number"] == 2
    assert comparison.mapping["status"] == 6
    assert AuditEntry.objects.filter(object_type="linkage.comparison", action="create").count() == 1
    # Running before the mapping is confirmed does nothing.
    assert comparison_run(comparison_id=comparison.pk).status == Comparison.Status.MAPPING


def test_mapping_can_be_corrected_and_is_checked(users: dict[str, Any], registry: list[Person]) -> None:
    user = users["county_officer"]
    data = xlsx_bytes(HOUSEHOLD_HEADERS, as_cells(household_list(registry)))
    comparison = comparison_create(acting_user=user, uploaded_file=upload("a.xlsx", data), department="household_reg")

    with pytest.raises(ValidationError) as bad:
        comparison_mapping_confirm(acting_user=user, comparison=comparison, mapping={"name": 1, "id_number": 1})
    assert bad.value.message_dict["mapping"][0] == MAPPING_DUPLICATE.format(a="姓名", b="证件号码")
    with pytest.raises(ValidationError) as missing:
        comparison_mapping_confirm(acting_user=user, comparison=comparison, mapping={"sex": 3})
    assert missing.value.message_dict["mapping"] == [MISSING_NAME_COLUMN, MISSING_ID_OR_BIRTH_COLUMN]
    comparison.refresh_from_db()
    assert comparison.status == Comparison.Status.MAPPING

    # Drop the status column: the run then proposes nothing about deaths.
    mapping = {k: v for k, v in comparison.mapping.items() if k not in ("status", "death_date", "moved_date")}
    comparison_mapping_confirm(acting_user=user, comparison=comparison, mapping=mapping, enqueue=False)
    with pytest.raises(ValidationError) as again:
        comparison_mapping_confirm(acting_user=user, comparison=comparison, mapping=mapping)
    assert again.value.message_dict["mapping"] == [NOT_AWAITING_MAPPING]
    done = comparison_run(comparison_id=comparison.pk)
    assert done.matched_count == 22
    assert not ProposedChange.objects.filter(comparison=done).exists()


def test_run_is_idempotent(users: dict[str, Any], registry: list[Person]) -> None:
    data = xlsx_bytes(HOUSEHOLD_HEADERS, as_cells(household_list(registry)))
    comparison = run_comparison(users["county_officer"], "a.xlsx", data, "household_reg")
    counts = (TheirRecord.objects.count(), ComparisonEntry.objects.count(), ProposedChange.objects.count())

    again = comparison_run(comparison_id=comparison.pk)
    # A worker that died mid-run: the comparison is found running and is run again from the start.
    Comparison.objects.filter(pk=comparison.pk).update(status=Comparison.Status.RUNNING)
    rerun = comparison_run(comparison_id=comparison.pk)

    assert again.status == rerun.status == Comparison.Status.SUCCEEDED
    assert (TheirRecord.objects.count(), ComparisonEntry.objects.count(), ProposedChange.objects.count()) == counts


@pytest.mark.parametrize(
    ("name", "data", "field", "message"),
    [
        ("a.pdf", b"%PDF-1.4", "file", "不支持的文件类型，请上传 xlsx、xls、ods 或 csv 文件"),
        ("a.xlsx", b"", "file", "文件是空的，没有可导入的数据"),
        (
            "a.xlsx",
            b"not a zip at all",
            "file",
            FILE_CORRUPT,
        ),
        ("a.xlsx", xlsx_bytes(["姓名", "证件号码"], [], title=None), "file", NO_DATA_ROWS),
        ("a.xlsx", xlsx_bytes(["名字", "证件号码"], [["张伟", "1"]], title=None), "file", MISSING_NAME_COLUMN),
        ("a.xlsx", xlsx_bytes(["姓名", "村"], [["张伟", "黑塘村"]], title=None), "file", MISSING_ID_OR_BIRTH_COLUMN),
    ],
)
def test_bad_uploads_save_nothing(users: dict[str, Any], name: str, data: bytes, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        comparison_create(
            acting_user=users["county_officer"], uploaded_file=upload(name, data), department="household_reg"
        )

    assert message in exc.value.message_dict[field]
    assert not Comparison.objects.exists()
    assert not AuditEntry.objects.exists()


def test_missing_file_and_department(users: dict[str, Any]) -> None:
    user = users["county_officer"]
    with pytest.raises(ValidationError) as no_file:
        comparison_create(acting_user=user, uploaded_file=None, department="dibao")
    with pytest.raises(ValidationError) as no_department:
        comparison_create(acting_user=user, uploaded_file=upload("a.csv", b"x"), department="tax")

    assert no_file.value.message_dict == {"file": [FILE_REQUIRED]}
    assert no_department.value.message_dict == {"department": [DEPARTMENT_INVALID]}
    assert not Comparison.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "hotline", "enterprise"])
def test_roles_that_may_not_upload(users: dict[str, Any], who: str) -> None:
    data = xlsx_bytes(["姓名", "证件号码"], [["张伟", "433122197001010011"]])

    with pytest.raises(PermissionDeniedError):
        comparison_create(acting_user=users[who], uploaded_file=upload("a.xlsx", data), department="poverty")

    assert not Comparison.objects.exists()
