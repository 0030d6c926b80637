"""Importing official code lists (xlsx, GBK/UTF-8 CSV) on the small sample tree (tests/regions_fixture.py)."""

from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from laborcoop.core.models import AuditEntry
from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.selectors import (
    ADDRESS_CURRENT,
    ADDRESS_HISTORICAL,
    ADDRESS_NOT_YET,
    address_code_status,
)
from laborcoop.regions.services import (
    IMPORT_CODE_BAD_LENGTH,
    IMPORT_CODE_DUPLICATE,
    IMPORT_CODE_NOT_DIGITS,
    IMPORT_NAME_EMPTY,
    IMPORT_NO_HEADER,
    RegionImportError,
    region_import_official_list,
)
from laborcoop.registry.models import Household
from tests.factories import HouseholdFactory

# County-level list of Hunan as in the sample tree, with 泸溪县 renamed, 凤凰县 missing and 花垣县 new.
HUNAN_COUNTIES = [
    ("430000", "湖南省"),
    ("430100", "长沙市"),
    ("430102", "芙蓉区"),
    ("430500", "邵阳市"),
    ("430523", "邵阳县"),
    ("433100", "湘西土家族苗族自治州"),
    ("433101", "吉首市"),
    ("433122", "泸溪市"),
    ("433124", "花垣县"),
]
EFFECTIVE = date(2024, 1, 1)


def write_xlsx(path: Path, rows: list[tuple[Any, ...]], header: tuple[str, ...] = ("区划代码", "名称")) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["湖南省行政区划代码表（2024）"])  # a title row above the header
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_xlsx_creates_renames_abolishes(regions: dict[str, Region], tmp_path: Path) -> None:
    HouseholdFactory(region_id="433123109201")  # a village of 凤凰县
    rows: list[tuple[Any, ...]] = [*HUNAN_COUNTIES, (433101, "吉首市")]  # numeric cell, duplicate code
    path = write_xlsx(tmp_path / "hunan.xlsx", rows)

    summary = region_import_official_list(path=path, effective_date=EFFECTIVE)

    assert (summary.created, summary.renamed, summary.abolished, summary.reactivated) == (1, 1, 1, 0)
    assert summary.unchanged == 7
    assert summary.errors == [IMPORT_CODE_DUPLICATE.format(row=12, code="433101")]

    new = Region.objects.get(code="433124000000")
    assert (new.name, new.level, new.prefix, new.parent_id) == ("花垣县", RegionLevel.COUNTY, "433124", "433100000000")
    assert (new.valid_from, new.valid_to) == (EFFECTIVE, None)

    renamed = Region.objects.get(code="433122000000")
    assert (renamed.name, renamed.note, renamed.valid_to) == ("泸溪市", "原名 泸溪县", None)

    fenghuang = Region.objects.get(code="433123000000")  # abolished, never deleted
    assert fenghuang.valid_to == EFFECTIVE
    household = Household.objects.select_related("region__parent__parent").get(region_id="433123109201")
    assert household.region.parent is not None
    assert household.region.parent.parent == fenghuang
    # Levels the file does not cover (townships, villages) and other provinces are left alone.
    assert Region.objects.get(code="433123109000").valid_to is None
    assert Region.objects.get(code="370102000000").valid_to is None
    assert Region.objects.filter(valid_to__isnull=False).count() == 1

    audits = AuditEntry.objects.filter(object_type="regions.region")
    assert audits.count() == 3
    created_audit = audits.get(object_id="433124000000")
    assert created_audit.action == AuditEntry.Action.CREATE
    assert created_audit.actor_id is None
    assert "hunan.xlsx" in created_audit.reason
    assert audits.get(object_id="433122000000").changes["name"] == ["泸溪县", "泸溪市"]
    assert audits.get(object_id="433123000000").changes["valid_to"] == [None, "2024-01-01"]

    assert address_code_status("433123", date(1990, 1, 1)) == ADDRESS_HISTORICAL
    assert address_code_status("433124", date(1990, 1, 1)) == ADDRESS_NOT_YET
    assert address_code_status("433124", date(2024, 6, 1)) == ADDRESS_CURRENT


def test_gbk_csv_reactivates_and_is_idempotent(regions: dict[str, Region], tmp_path: Path) -> None:
    region_import_official_list(path=write_xlsx(tmp_path / "a.xlsx", HUNAN_COUNTIES), effective_date=EFFECTIVE)
    text = "区划代码,名称\n" + "".join(f"{c},{n}\n" for c, n in [*HUNAN_COUNTIES, ("433123", "凤凰县")])
    path = write_csv(tmp_path / "hunan-gbk.csv", text, "gbk")

    summary = region_import_official_list(path=path, effective_date=date(2025, 1, 1))

    assert (summary.created, summary.renamed, summary.abolished, summary.reactivated) == (0, 0, 0, 1)
    assert summary.unchanged == len(HUNAN_COUNTIES)
    assert summary.errors == []
    assert Region.objects.get(code="433123000000").valid_to is None
    again = region_import_official_list(path=path, effective_date=date(2025, 1, 1))
    assert (again.changed, again.unchanged) == (0, len(HUNAN_COUNTIES) + 1)


def test_bad_rows_are_skipped_with_chinese_reasons(regions: dict[str, Region], tmp_path: Path) -> None:
    text = (
        "code\tname\n"
        "433122\t泸溪县\n"
        "43312X\t某县\n"
        "4331\t湘西州\n"
        "4331221\t某镇\n"
        "433129\t\n"
        "\t\n"
        "433122108\t浦市镇\n"
        "433122108203000\t太长\n"
    )
    path = write_csv(tmp_path / "mixed.tsv", text, "utf-8")

    summary = region_import_official_list(path=path, effective_date=EFFECTIVE)

    assert summary.errors == [
        IMPORT_CODE_NOT_DIGITS.format(row=3, code="43312X"),
        IMPORT_CODE_BAD_LENGTH.format(row=4, code="4331"),
        IMPORT_CODE_BAD_LENGTH.format(row=5, code="4331221"),
        IMPORT_NAME_EMPTY.format(row=6, code="433129"),
        IMPORT_CODE_BAD_LENGTH.format(row=9, code="433122108203000"),
    ]
    assert "含有非数字字符" in summary.errors[0]
    assert not Region.objects.filter(code__in=["433129000000", "433120000000"]).exists()
    # The file covers counties and townships of 43: the valid rows are kept, the others abolished.
    assert Region.objects.get(code="433122108000").valid_to is None
    assert Region.objects.get(code="433122107000").valid_to == EFFECTIVE  # 武溪镇, not in the file
    assert Region.objects.get(code="433101000000").valid_to == EFFECTIVE
    assert Region.objects.get(code="433122108201").valid_to is None  # villages: level not covered


def test_missing_header_is_an_error_and_saves_nothing(regions: dict[str, Region], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", "编号,地方\n甲,乙\n", "utf-8")
    with pytest.raises(RegionImportError) as excinfo:
        region_import_official_list(path=path)
    assert excinfo.value.message == IMPORT_NO_HEADER
    assert not AuditEntry.objects.exists()


def test_nothing_half_saved_on_failure(regions: dict[str, Region], tmp_path: Path, monkeypatch: Any) -> None:
    path = write_xlsx(tmp_path / "hunan.xlsx", HUNAN_COUNTIES)

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("audit store down")

    monkeypatch.setattr("laborcoop.regions.services.audit_record", fail)
    with pytest.raises(RuntimeError):
        region_import_official_list(path=path, effective_date=EFFECTIVE)
    assert not Region.objects.filter(code="433124000000").exists()
    assert Region.objects.get(code="433122000000").name == "泸溪县"
    assert Region.objects.get(code="433123000000").valid_to is None


def test_import_regions_command(regions: dict[str, Region], tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "hunan.xlsx", [*HUNAN_COUNTIES, ("ABC", "坏行")])
    out, err = StringIO(), StringIO()
    call_command("import_regions", str(path), "--date", "2024-01-01", stdout=out, stderr=err)
    assert "新增 1 个，更名 1 个，停用 1 个，重新启用 0 个" in out.getvalue()
    assert "区划代码“ABC”含有非数字字符" in err.getvalue()
    assert Region.objects.get(code="433123000000").valid_to == EFFECTIVE

    with pytest.raises(CommandError, match="日期格式"):
        call_command("import_regions", str(path), "--date", "2024/01/01")
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_regions", str(tmp_path / "missing.csv"))
