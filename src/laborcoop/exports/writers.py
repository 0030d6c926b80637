"""Writing export rows as csv (streamed, UTF-8 with BOM) and xlsx (xlsxwriter in constant-memory mode).

Writers take rows already reduced to plain values (exports.columns / exports.ledgers); they know nothing of
models, scope or masking.
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import IO, Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from laborcoop.exports import conf
from laborcoop.exports.columns import ExportContext
from laborcoop.exports.ledgers import Ledger
from laborcoop.exports.selectors import ListSource
from laborcoop.regions.selectors import region_path_name

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel opens a UTF-8 csv as UTF-8 (and shows Chinese correctly) only when the file starts with a BOM.
UTF8_BOM = "\ufeff"
EXCEL_MAX_ROWS = 1_048_576
# Cells starting with these are run as formulas by spreadsheet programs (CSV injection); prefix them with '.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CSV_BATCH = 500

OnChunk = Callable[[int], None] | None


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write() returns what it was given, so csv.writer formats one row at a time."""

    def write(self, value: str) -> str:
        return value


def csv_stream(header: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """The csv as UTF-8 bytes with a BOM, a few hundred rows per chunk, never the whole file in memory."""
    writer = csv.writer(_Echo())
    yield (UTF8_BOM + writer.writerow(header)).encode("utf-8")
    batch: list[str] = []
    for row in rows:
        batch.append(writer.writerow([csv_cell(v) for v in row]))
        if len(batch) >= _CSV_BATCH:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


def write_csv(source: ListSource, ctx: ExportContext, out: IO[bytes], on_chunk: OnChunk = None) -> int:
    rows = 0

    def counted() -> Iterator[list[Any]]:
        nonlocal rows
        for row in source.rows(ctx, on_chunk=on_chunk):
            rows += 1
            yield row

    for chunk in csv_stream(source.header, counted()):
        out.write(chunk)
    return rows


# --- xlsx ------------------------------------------------------------------------------------------------


def new_workbook(out: IO[bytes]) -> Workbook:
    """Constant memory: each row goes to a temporary file as soon as the next one starts. No formulas or links
    from text: a name or address starting with '=' stays text."""
    return xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )


class SheetSplitter:
    """Writes rows in order to as many sheets as needed: at most `max_rows` data rows per sheet, each sheet
    starting with the same top rows (title rows, header). Sheets are named 人员, 人员（2）, 人员（3）, ...
    """

    def __init__(
        self,
        workbook: Workbook,
        *,
        name: str,
        top_rows: list[tuple[list[Any], Format | None]],
        widths: list[int],
        max_rows: int | None = None,
    ) -> None:
        self.workbook = workbook
        self.name = name
        self.top_rows = top_rows
        self.widths = widths
        limit = EXCEL_MAX_ROWS - len(top_rows)
        self.max_rows = max(1, min(max_rows or conf.xlsx_sheet_max_rows(), limit))
        self.sheets: list[Worksheet] = []
        self._sheet: Worksheet | None = None
        self._row = 0
        self._rows_on_sheet = 0

    def _new_sheet(self) -> Worksheet:
        number = len(self.sheets) + 1
        sheet = self.workbook.add_worksheet(self.name if number == 1 else f"{self.name}（{number}）")
        for col, width in enumerate(self.widths):
            sheet.set_column(col, col, width)
        for row, (values, fmt) in enumerate(self.top_rows):
            sheet.write_row(row, 0, values, fmt)
        if self.top_rows:
            sheet.freeze_panes(len(self.top_rows), 0)
        self.sheets.append(sheet)
        self._sheet = sheet
        self._row = len(self.top_rows)
        self._rows_on_sheet = 0
        return sheet

    def write(self, values: list[Any], fmt: Format | None = None) -> None:
        sheet = self._sheet
        if sheet is None or self._rows_on_sheet >= self.max_rows:
            sheet = self._new_sheet()
        sheet.write_row(self._row, 0, [None if v == "" else v for v in values], fmt)
        self._row += 1
        self._rows_on_sheet += 1

    def finish(self) -> None:
        if self._sheet is None:  # no rows at all: still one sheet with the header
            self._new_sheet()


def write_list_xlsx(
    source: ListSource, ctx: ExportContext, out: IO[bytes], on_chunk: OnChunk = None, *, max_rows: int | None = None
) -> int:
    workbook = new_workbook(out)
    bold = workbook.add_format({"bold": True, "bg_color": "#EEF2F6", "border": 1})
    sheets = SheetSplitter(
        workbook,
        name=source.title,
        top_rows=[(source.header, bold)],
        widths=[col.width for col in source.columns],
        max_rows=max_rows,
    )
    rows = 0
    for row in source.rows(ctx, on_chunk=on_chunk):
        sheets.write(row)
        rows += 1
    sheets.finish()
    workbook.close()
    return rows


def ledger_title_rows(ledger: Ledger, *, today: date, masked: bool) -> list[list[Any]]:
    region = region_path_name(ledger.region_code) if ledger.region_code else "全国"
    note = "证件号码和电话已脱敏" if masked else "含完整证件号码和电话，请妥善保管"
    return [[ledger.title], [f"地区：{region}"], [f"制表日期：{today.isoformat()}　（{note}）"]]


def write_ledger_xlsx(
    ledger: Ledger,
    ctx: ExportContext,
    out: IO[bytes],
    on_chunk: OnChunk = None,
    *,
    today: date,
    max_rows: int | None = None,
) -> int:
    """Title rows (name, region, date) and the header on every sheet; group headings bold, subtotals and the
    total shaded. Returns the number of data rows written."""
    workbook = new_workbook(out)
    title = workbook.add_format({"bold": True, "font_size": 14})
    header = workbook.add_format({"bold": True, "bg_color": "#EEF2F6", "border": 1})
    formats = {
        "group": workbook.add_format({"bold": True, "bg_color": "#F5F8FB"}),
        "row": None,
        "subtotal": workbook.add_format({"italic": True, "bg_color": "#FEF7E6"}),
        "total": workbook.add_format({"bold": True, "bg_color": "#FDE9C4"}),
    }
    titles = ledger_title_rows(ledger, today=today, masked=ctx.masked)
    sheets = SheetSplitter(
        workbook,
        name=ledger.title,
        top_rows=[(titles[0], title), (titles[1], None), (titles[2], None), (ledger.header, header)],
        widths=ledger.widths,
        max_rows=max_rows,
    )
    rows = 0
    for line in ledger.lines(ctx, on_chunk=on_chunk):
        sheets.write(line.values, formats[line.kind])
        if line.kind == "row":
            rows += 1
    sheets.finish()
    workbook.close()
    return rows
