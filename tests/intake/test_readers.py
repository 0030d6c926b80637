"""read_table on real files written by openpyxl, xlwt, odfpy and the csv module."""

import csv
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import xlwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table as OdfTable
from odf.table import TableCell, TableRow
from odf.text import P

from laborcoop.core.validation.idcard import detect_excel_damage, parse_id_number
from laborcoop.intake.columns import ImportKind, header_keys, map_headers
from laborcoop.intake.normalize import clean_id, clean_name, parse_date
from laborcoop.intake.readers import (
    EMPTY_FILE,
    FILE_CORRUPT,
    NO_HEADER_ROW,
    SHEET_NOT_FOUND,
    UNKNOWN_ENCODING,
    UNSUPPORTED_FILE_TYPE,
    ReadError,
    cell_text,
    iter_sheets,
    read_table,
    sniff_delimiter,
)

PERSONS = header_keys(ImportKind.PERSONS)
WORK = header_keys(ImportKind.WORK)
VALID_ID = "43312219800315106X"  # a valid ID (checked in test_valid_id_fixture)
HEADERS = ["县（市、区）", "乡（镇、街道）", "行政村", "户编号", "证件号码", "姓名", "与户主关系", "出生日期"]


def test_valid_id_fixture() -> None:
    assert parse_id_number(VALID_ID).ok


def save_xlsx(workbook: openpyxl.Workbook, path: Path) -> Path:
    workbook.save(path)
    return path


def fanpin_workbook() -> openpyxl.Workbook:
    """Like a 全国防返贫监测信息系统 export: two title rows, the header on row 3, damaged and clean IDs."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "(自定义)监测对象信息"
    sheet["A1"] = "全国防返贫监测信息系统"
    sheet.merge_cells("A1:H1")
    sheet["A2"] = "导出时间：2024-01-05 10:00:00"
    for col, header in enumerate(HEADERS, start=1):
        sheet.cell(3, col, header)
    # ID as a NUMBER cell: Excel kept 15 significant digits.
    sheet.append(["泸溪县", "浦市镇", "新田村", "4331220001", 4.31127198003151e17, "張偉", "户主", date(1980, 3, 15)])
    sheet.append([])  # blank row, skipped
    sheet.append(["泸溪县", "浦市镇", "新田村", "4331220001", VALID_ID, "李  娟", "妻", 29295])
    id_cell = sheet.cell(7, 5, '="４３３１２２１９８００３１５１０６ｘ"')
    id_cell.data_type = "s"  # a text cell, not a formula
    sheet.cell(7, 1, "泸溪县")
    sheet.cell(7, 4, "４３３１２２０００２")
    sheet.cell(7, 6, "王五")
    sheet.cell(7, 7, "户主")
    sheet.cell(7, 8, datetime(1990, 1, 2, 8, 30))
    sheet.cell(7, 8).number_format = "yyyy-mm-dd hh:mm:ss"
    return workbook


class TestXlsx:
    def test_fanpin_export_from_path(self, tmp_path: Path) -> None:
        path = save_xlsx(fanpin_workbook(), tmp_path / "export.xlsx")
        table = read_table(path, filename="export.xlsx", expected_headers=PERSONS)
        assert table.sheet == "(自定义)监测对象信息"
        assert table.header_row == 3
        assert table.headers == [
            "县(市、区)",
            "乡(镇、街道)",
            "行政村",
            "户编号",
            "证件号码",
            "姓名",
            "与户主关系",
            "出生日期",
        ]
        rows = list(table.rows)
        assert [number for number, _ in rows] == [4, 6, 7]
        first, second, third = (cells for _, cells in rows)
        assert first == [
            "泸溪县",
            "浦市镇",
            "新田村",
            "4331220001",
            "4.31127198003151E+17",
            "張偉",
            "户主",
            "1980-03-15",
        ]
        assert detect_excel_damage(first[4])
        assert not parse_id_number(first[4]).ok
        assert clean_name(first[5]) == "张伟"
        assert second[4] == VALID_ID
        assert second[7] == "29295"
        assert parse_date(second[7]) == date(1980, 3, 15)
        assert clean_name(second[5]) == "李娟"
        assert third[3] == "４３３１２２０００２"
        assert clean_id(third[4]) == VALID_ID
        assert third[7] == "1990-01-02 08:30:00"
        assert parse_date(third[7]) == date(1990, 1, 2)
        mapping = map_headers(table.headers, ImportKind.PERSONS)
        assert mapping.ok

    def test_file_like_source(self, tmp_path: Path) -> None:
        buffer = io.BytesIO()
        fanpin_workbook().save(buffer)
        buffer.seek(0, io.SEEK_END)  # an upload that was already read: read_table rewinds
        table = read_table(buffer, filename="EXPORT.XLSX", expected_headers=PERSONS)
        assert table.header_row == 3
        assert len(list(table.rows)) == 3

    def test_group_row_above_field_row(self, tmp_path: Path) -> None:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet["A1"] = "已外出务工信息"
        sheet.merge_cells("A1:E1")
        sheet["A2"] = "基本信息"
        sheet.merge_cells("A2:C2")
        sheet["D2"] = "务工信息"
        sheet.merge_cells("D2:E2")
        for col, header in enumerate(["户编号", "证件号码", "姓名", "开始时间", "结束时间"], start=1):
            sheet.cell(3, col, header)
        sheet.append(["H1", VALID_ID, "张三", "2023年5月", ""])
        table = read_table(save_xlsx(workbook, tmp_path / "w.xlsx"), filename="w.xlsx", expected_headers=WORK)
        assert table.header_row == 3
        assert table.headers == ["户编号", "证件号码", "姓名", "开始时间", "结束时间"]
        assert list(table.rows) == [(4, ["H1", VALID_ID, "张三", "2023年5月", ""])]

    def test_header_cells_merged_down_next_to_a_group(self, tmp_path: Path) -> None:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet["A1"] = "姓名"
        sheet.merge_cells("A1:A2")
        sheet["B1"] = "证件号码"
        sheet.merge_cells("B1:B2")
        sheet["C1"] = "务工信息"
        sheet.merge_cells("C1:E1")
        sheet["C2"] = "开始时间"
        sheet["D2"] = "结束时间"  # E2 empty under the group: takes the group's text
        sheet.append(["张三", VALID_ID, "2023-05-01", "2023-12-31", "x"])
        table = read_table(save_xlsx(workbook, tmp_path / "m.xlsx"), filename="m.xlsx", expected_headers=WORK)
        assert table.header_row == 2
        assert table.headers == ["姓名", "证件号码", "开始时间", "结束时间", "务工信息"]
        assert list(table.rows) == [(3, ["张三", VALID_ID, "2023-05-01", "2023-12-31", "x"])]

    def test_merged_header_not_starting_in_column_a(self, tmp_path: Path) -> None:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet["C2"] = "姓名"
        sheet.merge_cells("C2:C3")
        sheet["D2"] = "务工信息"
        sheet.merge_cells("D2:F2")
        sheet["D3"] = "开始时间"
        sheet["E3"] = "结束时间"
        sheet["C4"] = "张三"
        sheet["D4"] = "2023-05-01"
        sheet["F4"] = "备注"
        table = read_table(save_xlsx(workbook, tmp_path / "b.xlsx"), filename="b.xlsx", expected_headers=WORK)
        assert (table.header_row, table.headers) == (3, ["姓名", "开始时间", "结束时间", "务工信息"])
        assert list(table.rows) == [(4, ["张三", "2023-05-01", "", "备注"])]

    def test_header_merged_across_columns_gets_unique_names(self, tmp_path: Path) -> None:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["姓名", "证件号码", "成员联系电话", None, "户编号", "姓名"])
        sheet.merge_cells("C1:D1")
        sheet.append(["张三", VALID_ID, "13812345678", "13912345678", "H1", "重复"])
        table = read_table(save_xlsx(workbook, tmp_path / "d.xlsx"), filename="d.xlsx", expected_headers=PERSONS)
        assert table.headers == ["姓名", "证件号码", "成员联系电话", "成员联系电话_2", "户编号", "姓名_2"]
        assert map_headers(table.headers, ImportKind.PERSONS).by_key["phone"] == 2

    def test_picks_the_sheet_with_the_best_header(self, tmp_path: Path) -> None:
        workbook = openpyxl.Workbook()
        notes = workbook.active
        notes.title = "说明"
        notes.append(["本表由系统导出"])
        notes.append(["姓名"])
        data = workbook.create_sheet("人员")
        data.append(["户编号", "证件号码", "姓名", "与户主关系", "行政村"])
        data.append(["H1", VALID_ID, "张三", "户主", "新田村"])
        path = save_xlsx(workbook, tmp_path / "s.xlsx")
        table = read_table(path, filename="s.xlsx", expected_headers=PERSONS)
        assert table.sheet == "人员"
        assert list(table.rows) == [(2, ["H1", VALID_ID, "张三", "户主", "新田村"])]
        chosen = read_table(path, filename="s.xlsx", sheet="说明")
        assert chosen.sheet == "说明"
        with pytest.raises(ReadError) as error:
            read_table(path, filename="s.xlsx", sheet="不存在")
        assert error.value.message == SHEET_NOT_FOUND.format(sheet="不存在")
        assert [t.sheet for t in iter_sheets(path, filename="s.xlsx", expected_headers=PERSONS)] == ["说明", "人员"]

    def test_data_not_starting_at_a1(self, tmp_path: Path) -> None:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet["C4"] = "姓名"
        sheet["D4"] = "证件号码"
        sheet["C6"] = "张三"
        sheet["D6"] = 430524900101123  # an old 15-digit ID as a number: exact
        sheet["E6"] = 2500.5
        sheet["F6"] = True
        table = read_table(save_xlsx(workbook, tmp_path / "o.xlsx"), filename="o.xlsx", expected_headers=PERSONS)
        assert table.header_row == 4
        assert table.headers == ["姓名", "证件号码"]
        assert list(table.rows) == [(6, ["张三", "430524900101123"])]

    def test_no_header_row(self, tmp_path: Path) -> None:
        workbook = openpyxl.Workbook()
        workbook.active.append(["a", "b"])
        path = save_xlsx(workbook, tmp_path / "n.xlsx")
        with pytest.raises(ReadError) as error:
            read_table(path, filename="n.xlsx", expected_headers=PERSONS)
        assert error.value.message == NO_HEADER_ROW

    def test_empty_sheet(self, tmp_path: Path) -> None:
        path = save_xlsx(openpyxl.Workbook(), tmp_path / "e.xlsx")
        with pytest.raises(ReadError) as error:
            read_table(path, filename="e.xlsx")
        assert error.value.message == EMPTY_FILE

    def test_without_expected_headers_the_fullest_row_is_the_header(self, tmp_path: Path) -> None:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["标题"])
        sheet.append(["甲", "乙", "丙"])
        sheet.append([1, 2, 3])
        table = read_table(save_xlsx(workbook, tmp_path / "x.xlsx"), filename="x.xlsx")
        assert (table.header_row, table.headers) == (2, ["甲", "乙", "丙"])
        assert list(table.rows) == [(3, ["1", "2", "3"])]


class TestXls:
    def test_xls_with_title_rows_numbers_and_dates(self, tmp_path: Path) -> None:
        workbook = xlwt.Workbook(encoding="utf-8")
        sheet = workbook.add_sheet("监测对象信息")
        sheet.write_merge(0, 0, 0, 4, "全国防返贫监测信息系统")
        sheet.write(1, 0, "导出时间：2024-01-05")
        for col, header in enumerate(["户编号", "证件号码", "姓名", "与户主关系", "出生日期"]):
            sheet.write(2, col, header)
        date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
        sheet.write(3, 0, 4331220001)
        sheet.write(3, 1, 4.31127198003151e17)
        sheet.write(3, 2, "張偉")
        sheet.write(3, 3, "户主")
        sheet.write(3, 4, date(1980, 3, 15), date_style)
        sheet.write(4, 0, "4331220001")
        sheet.write(4, 1, VALID_ID)
        sheet.write(4, 2, "李娟")
        sheet.write(4, 3, "配偶")
        sheet.write(4, 4, "1980-3-15")
        path = tmp_path / "export.xls"
        workbook.save(str(path))
        table = read_table(path, filename="export.xls", expected_headers=PERSONS)
        assert table.header_row == 3
        assert table.headers == ["户编号", "证件号码", "姓名", "与户主关系", "出生日期"]
        assert list(table.rows) == [
            (4, ["4331220001", "4.31127198003151E+17", "張偉", "户主", "1980-03-15"]),
            (5, ["4331220001", VALID_ID, "李娟", "配偶", "1980-3-15"]),
        ]


def odf_cell(value: object) -> TableCell:
    if isinstance(value, float | int):
        cell = TableCell(valuetype="float", value=str(value))
    elif isinstance(value, date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat())
    else:
        cell = TableCell(valuetype="string")
    cell.addElement(P(text=str(value)))
    return cell


class TestOds:
    def test_ods(self, tmp_path: Path) -> None:
        document = OpenDocumentSpreadsheet()
        sheet = OdfTable(name="人员")
        rows: list[list[object]] = [
            ["人员信息表"],
            [],
            ["户编号", "证件号码", "姓名", "与户主关系", "出生日期"],
            ["H1", VALID_ID, "張偉", "户主", date(1980, 3, 15)],
            ["H1", 4.31127198003151e17, "李娟", "妻", 29295],
        ]
        for values in rows:
            row = TableRow()
            for value in values:
                row.addElement(odf_cell(value))
            sheet.addElement(row)
        document.spreadsheet.addElement(sheet)
        path = tmp_path / "people.ods"
        document.save(str(path))
        table = read_table(path, filename="people.ods", expected_headers=PERSONS)
        assert table.header_row == 3
        assert table.headers == ["户编号", "证件号码", "姓名", "与户主关系", "出生日期"]
        assert list(table.rows) == [
            (4, ["H1", VALID_ID, "張偉", "户主", "1980-03-15"]),
            (5, ["H1", "4.31127198003151E+17", "李娟", "妻", "29295"]),
        ]


CSV_ROWS = [
    ["户编号", "证件号码", "姓名", "与户主关系", "出生日期"],
    ["H1", '="43312219800315106X"', "張偉", "户主", "19800315"],
    ["", "", "", "", ""],
    ["H1", "4.31127E+17", "李娟", "妻", "1980/3/15"],
]


def write_csv(path: Path, rows: list[list[str]], encoding: str, delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


class TestCsv:
    @pytest.mark.parametrize(
        ("encoding", "delimiter"),
        [("utf-8-sig", ","), ("utf-8", ","), ("gbk", ","), ("gb18030", ","), ("utf-8", "\t"), ("gbk", ";"),
         ("utf-16", "\t")],
    )  # fmt: skip
    def test_encodings_and_delimiters(self, tmp_path: Path, encoding: str, delimiter: str) -> None:
        path = write_csv(tmp_path / "people.csv", CSV_ROWS, encoding, delimiter)
        table = read_table(path, filename="people.csv", expected_headers=PERSONS)
        assert table.sheet == "people"
        assert table.header_row == 1
        assert table.headers == CSV_ROWS[0]
        rows = list(table.rows)
        assert [number for number, _ in rows] == [2, 4]
        assert rows[0][1] == CSV_ROWS[1]
        assert clean_id(rows[0][1][1]) == VALID_ID
        assert detect_excel_damage(rows[1][1][1])

    def test_title_rows_and_file_like(self) -> None:
        text = "2023年监测对象名单,,\n,,\n姓名,身份证号,与户主关系\n王五,43312219800315106X,户主\n"
        table = read_table(io.BytesIO(text.encode("gbk")), filename="list.CSV", expected_headers=PERSONS)
        assert table.header_row == 3
        assert list(table.rows) == [(4, ["王五", VALID_ID, "户主"])]

    def test_quoted_multiline_cells_and_short_rows(self, tmp_path: Path) -> None:
        text = '姓名,证件号码,备注\n"张三",43312219800315106X,"第一行\n第二行"\n李四\n'
        table = read_table(io.BytesIO(text.encode()), filename="a.csv", expected_headers=PERSONS)
        assert list(table.rows) == [(2, ["张三", VALID_ID, "第一行\n第二行"]), (3, ["李四", "", ""])]

    def test_undecodable_bytes(self) -> None:
        with pytest.raises(ReadError) as error:
            read_table(io.BytesIO(b"\xff\xfe"[:1] + b"\x80\x81\xff" * 10), filename="a.csv")
        assert error.value.message == UNKNOWN_ENCODING

    def test_empty_csv(self) -> None:
        with pytest.raises(ReadError) as error:
            read_table(io.BytesIO(b"  \r\n"), filename="a.csv")
        assert error.value.message == EMPTY_FILE

    def test_sniff_delimiter(self) -> None:
        assert sniff_delimiter("a;b;c\n1;2;3") == ";"
        assert sniff_delimiter("a\tb,c\n1\t2\t3") == "\t"
        assert sniff_delimiter("abc") == ","


def read_all_or_message(data: bytes, filename: str) -> str | None:
    """Read every row; the ReadError message, or None when the bytes happened to be readable."""
    try:
        table = read_table(io.BytesIO(data), filename=filename, expected_headers=PERSONS)
        for _ in table.rows:
            pass
    except ReadError as error:
        return error.message
    return None


class TestErrors:
    @pytest.mark.parametrize("filename", ["a.txt", "a.pdf", "a", "", "a.xlsx.exe", "a.docx"])
    def test_unsupported_type(self, filename: str) -> None:
        with pytest.raises(ReadError) as error:
            read_table(io.BytesIO(b"x"), filename=filename)
        assert error.value.message == UNSUPPORTED_FILE_TYPE
        assert error.value.message == "不支持的文件类型，请上传 xlsx、xls、ods 或 csv 文件"

    @pytest.mark.parametrize("filename", ["a.xlsx", "a.xls", "a.ods", "a.csv"])
    def test_empty_file(self, tmp_path: Path, filename: str) -> None:
        path = tmp_path / filename
        path.write_bytes(b"")
        for source in (path, io.BytesIO(b"")):
            with pytest.raises(ReadError) as error:
                read_table(source, filename=filename)
            assert error.value.message == EMPTY_FILE

    @pytest.mark.parametrize("filename", ["a.xlsx", "a.xls", "a.ods"])
    def test_corrupt_file(self, filename: str) -> None:
        with pytest.raises(ReadError) as error:
            read_table(io.BytesIO(b"PK\x03\x04 this is not a workbook" * 20), filename=filename)
        assert error.value.message == FILE_CORRUPT

    def test_truncated_xlsx(self) -> None:
        buffer = io.BytesIO()
        fanpin_workbook().save(buffer)
        with pytest.raises(ReadError):
            read_table(io.BytesIO(buffer.getvalue()[:2000]), filename="a.xlsx", expected_headers=PERSONS)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.binary(max_size=3000), extension=st.sampled_from([".xlsx", ".xls", ".ods", ".csv"]))
    def test_random_bytes_raise_only_read_error(self, data: bytes, extension: str) -> None:
        message = read_all_or_message(data, "random" + extension)
        assert message is None or message

    @settings(max_examples=50, deadline=None)
    @given(data=st.binary(min_size=1, max_size=400), cut=st.integers(min_value=0, max_value=6000))
    def test_damaged_xlsx_raises_only_read_error(self, data: bytes, cut: int) -> None:
        buffer = io.BytesIO()
        fanpin_workbook().save(buffer)
        raw = buffer.getvalue()
        damaged = raw[:cut] + data + raw[cut + len(data) :]
        message = read_all_or_message(damaged, "a.xlsx")
        assert message is None or message


class TestCellText:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (None, ""),
            ("", ""),
            ("  张三 ", "张三"),
            (433122.0, "433122"),
            (433122, "433122"),
            (-5.0, "-5"),
            (2500.5, "2500.5"),
            (430524900101123.0, "430524900101123"),
            (4.31127198003151e17, "4.31127198003151E+17"),
            (1234567890123456.0, "1234567890123456.0"),
            (float("nan"), ""),
            (True, "是"),
            (False, "否"),
            (date(2023, 5, 1), "2023-05-01"),
            (datetime(2023, 5, 1, 8, 30), "2023-05-01 08:30:00"),
        ],
    )
    def test_values(self, value: object, expected: str) -> None:
        assert cell_text(value) == expected

    @given(st.floats(min_value=1e15, max_value=1e19))
    def test_long_floats_never_look_like_ids(self, value: float) -> None:
        text = cell_text(value)
        assert not text.isdigit()
        if value >= 1e17:
            assert detect_excel_damage(text)
