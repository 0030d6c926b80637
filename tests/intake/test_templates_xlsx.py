import io

import openpyxl
import pytest

from laborcoop.core.validation.idcard import detect_excel_damage
from laborcoop.intake.columns import COLUMNS, ImportKind, header_keys, map_headers
from laborcoop.intake.readers import read_table
from laborcoop.intake.templates_xlsx import (
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    SHEET_NAMES,
    TEMPLATE_ROWS,
    TEXT_COLUMNS,
    build_template,
)
from laborcoop.registry import choices as c


@pytest.fixture(scope="module")
def templates() -> dict[ImportKind, bytes]:
    return {kind: build_template(kind) for kind in ImportKind}


@pytest.mark.parametrize("kind", list(ImportKind))
def test_read_back_finds_header_and_maps_every_column(templates: dict[ImportKind, bytes], kind: ImportKind) -> None:
    table = read_table(io.BytesIO(templates[kind]), filename="模板.xlsx", expected_headers=header_keys(kind))
    assert table.sheet == SHEET_NAMES[kind]
    assert table.header_row == HEADER_ROW
    assert table.headers == [col.label.replace("（", "(").replace("）", ")") for col in COLUMNS[kind]]
    assert list(table.rows) == []  # drop-downs and formats are not data
    mapping = map_headers(table.headers, kind)
    assert mapping.ok
    assert mapping.missing_required == []
    assert set(mapping.by_key) == {col.key for col in COLUMNS[kind]}
    assert mapping.unknown_headers == []


@pytest.mark.parametrize("kind", list(ImportKind))
def test_layout(templates: dict[ImportKind, bytes], kind: ImportKind) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(templates[kind]))
    assert workbook.sheetnames == [SHEET_NAMES[kind], INSTRUCTIONS_SHEET, LISTS_SHEET]
    assert workbook[LISTS_SHEET].sheet_state == "hidden"
    sheet = workbook[SHEET_NAMES[kind]]
    columns = COLUMNS[kind]
    assert "导入模板" in sheet.cell(1, 1).value
    assert [sheet.cell(HEADER_ROW, i + 1).value for i in range(len(columns))] == [col.label for col in columns]
    assert sheet.freeze_panes == "A3"
    for index, column in enumerate(columns):
        header = sheet.cell(HEADER_ROW, index + 1)
        assert header.font.b
        if column.required:
            assert header.comment is not None
            assert "必填" in header.comment.text
    instructions = workbook[INSTRUCTIONS_SHEET]
    labels = {row[0] for row in instructions.iter_rows(values_only=True)}
    assert {col.label for col in columns} <= labels


def test_person_template_drop_downs_and_text_columns(templates: dict[ImportKind, bytes]) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(templates[ImportKind.PERSONS]))
    sheet = workbook[SHEET_NAMES[ImportKind.PERSONS]]
    lists = workbook[LISTS_SHEET]
    columns = COLUMNS[ImportKind.PERSONS]
    letters = {col.key: openpyxl.utils.get_column_letter(i + 1) for i, col in enumerate(columns)}
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    relation = validations[f"{letters['relation']}3:{letters['relation']}{TEMPLATE_ROWS + 2}"]
    assert relation.type == "list"
    source = relation.formula1.lstrip("=").replace("$", "")
    sheet_name, cell_range = source.split("!")
    assert sheet_name.strip("'") == LISTS_SHEET
    values = [cell.value for row in lists[cell_range] for cell in row]
    assert values == list(c.Relation.labels)
    student = validations[f"{letters['student_status']}3:{letters['student_status']}{TEMPLATE_ROWS + 2}"]
    assert "!" in student.formula1  # a list longer than Excel's 255-character inline limit
    sex = validations[f"{letters['sex']}3:{letters['sex']}{TEMPLATE_ROWS + 2}"]
    sex_range = sex.formula1.lstrip("=").replace("$", "").split("!")[1]
    assert [cell.value for row in lists[sex_range] for cell in row] == ["男", "女"]
    health = validations[f"{letters['health']}3:{letters['health']}{TEMPLATE_ROWS + 2}"]
    assert health.errorStyle == "warning"  # "残疾,长期慢性病" must stay possible
    formats = {
        col: dimension.number_format
        for dimension in sheet.column_dimensions.values()
        for col in range(dimension.min, dimension.max + 1)
    }
    for index, column in enumerate(COLUMNS[ImportKind.PERSONS], start=1):
        assert (formats.get(index) == "@") == (column.key in TEXT_COLUMNS), column.key
    assert {"id_number", "phone", "household_phone", "household_no", "village_code"} <= TEXT_COLUMNS


def test_filled_template_keeps_long_ids(templates: dict[ImportKind, bytes]) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(templates[ImportKind.PERSONS]))
    sheet = workbook[SHEET_NAMES[ImportKind.PERSONS]]
    values = {"village_name": "新田村", "household_no": "4331220001", "id_number": "43312219800315106X",
              "name": "張偉", "relation": "户主", "phone": "13812345678"}  # fmt: skip
    for index, column in enumerate(COLUMNS[ImportKind.PERSONS], start=1):
        if column.key in values:
            sheet.cell(HEADER_ROW + 1, index, values[column.key])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(
        io.BytesIO(buffer.getvalue()), filename="filled.xlsx", expected_headers=header_keys(ImportKind.PERSONS)
    )
    mapping = map_headers(table.headers, ImportKind.PERSONS)
    rows = list(table.rows)
    assert len(rows) == 1
    number, cells = rows[0]
    assert number == 3
    assert {key: cells[mapping.by_key[key]] for key in values} == values
    assert not detect_excel_damage(cells[mapping.by_key["id_number"]])
