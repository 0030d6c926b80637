"""xlsx sheets split when a sheet is full; each sheet repeats the header."""

import io
from typing import Any

import pytest
from django.urls import reverse

from laborcoop.exports.writers import EXCEL_MAX_ROWS, SheetSplitter, new_workbook
from tests.exports.conftest import body, client_for, read_xlsx

pytestmark = pytest.mark.django_db


def split(rows: int, per_sheet: int, top_rows: int = 1) -> dict[str, list[list[Any]]]:
    out = io.BytesIO()
    workbook = new_workbook(out)
    sheets = SheetSplitter(
        workbook,
        name="人员",
        top_rows=[([f"标题{i}"], None) for i in range(top_rows - 1)] + [(["序号", "姓名"], None)],
        widths=[6, 10],
        max_rows=per_sheet,
    )
    for i in range(rows):
        sheets.write([i + 1, f"张{i}"])
    sheets.finish()
    workbook.close()
    return read_xlsx(out.getvalue())


def test_rows_continue_on_new_sheets_with_the_header() -> None:
    book = split(rows=7, per_sheet=3)

    assert list(book) == ["人员", "人员（2）", "人员（3）"]
    assert [len(rows) - 1 for rows in book.values()] == [3, 3, 1]
    assert all(rows[0] == ["序号", "姓名"] for rows in book.values())
    numbers = [row[0] for rows in book.values() for row in rows[1:]]
    assert numbers == [1, 2, 3, 4, 5, 6, 7]


def test_exactly_full_sheet_does_not_add_an_empty_one() -> None:
    assert list(split(rows=6, per_sheet=3)) == ["人员", "人员（2）"]


def test_no_rows_still_writes_the_header() -> None:
    assert split(rows=0, per_sheet=3) == {"人员": [["序号", "姓名"]]}


def test_title_rows_repeat_and_limit_never_exceeds_excel() -> None:
    book = split(rows=3, per_sheet=2, top_rows=3)
    assert [rows[:3] for rows in book.values()] == [[["标题0", None], ["标题1", None], ["序号", "姓名"]]] * 2

    out = io.BytesIO()
    sheets = SheetSplitter(new_workbook(out), name="x", top_rows=[(["a"], None)] * 4, widths=[], max_rows=10**9)
    assert sheets.max_rows == EXCEL_MAX_ROWS - 4


def test_text_that_looks_like_a_formula_stays_text() -> None:
    out = io.BytesIO()
    workbook = new_workbook(out)
    sheets = SheetSplitter(workbook, name="s", top_rows=[(["名称"], None)], widths=[10])
    sheets.write(["=1+1"])
    workbook.close()
    assert read_xlsx(out.getvalue())["s"][1] == ["=1+1"]


def test_list_export_splits_by_the_sheet_limit_setting(
    users: dict[str, Any], people: dict[str, Any], settings: Any
) -> None:
    settings.LABORCOOP_EXPORT_XLSX_SHEET_MAX_ROWS = 3

    data = body(
        client_for(users["county_officer"]).post(reverse("exports:start", args=["laborers"]), {"format": "xlsx"})
    )

    book = read_xlsx(data)
    assert list(book) == ["人员", "人员（2）"]
    assert [len(rows) - 1 for rows in book.values()] == [3, 1]
    assert book["人员（2）"][0] == book["人员"][0]
