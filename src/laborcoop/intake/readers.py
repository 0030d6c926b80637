"""Reading uploaded spreadsheets (.xlsx, .xls, .ods via python-calamine; .csv via the csv module) as text.

Every cell comes back as text, so that no value is silently reinterpreted: whole floats lose their ".0"
("433122.0" -> "433122"), but a float that Excel already rounded to 15 significant digits stays visibly a
float ("4.31127198003151E+17") for `idcard.detect_excel_damage` to flag. Dates become "YYYY-MM-DD".

The header row is found among the first rows by how many expected headers it holds (title rows above a header
on row 3, as in the 全国防返贫监测信息系统 exports); merged and two-row headers are resolved (`header.py`).
Rows are streamed: a sheet of 100k rows is never copied into Python lists as a whole.
"""

import codecs
import csv
import io
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from python_calamine import CalamineWorkbook, PasswordError, SheetVisibleEnum

from laborcoop.intake.columns import header_key
from laborcoop.intake.header import HEADER_SCAN_ROWS, Merged, RawRow, find_header

UNSUPPORTED_FILE_TYPE = "不支持的文件类型，请上传 xlsx、xls、ods 或 csv 文件"
EMPTY_FILE = "文件是空的，没有可导入的数据"
NO_HEADER_ROW = f"未找到表头行：请确认前 {HEADER_SCAN_ROWS} 行中有一行列名（如“证件号码”“姓名”）"
FILE_ENCRYPTED = "文件设置了密码保护，请取消密码后重新上传"
FILE_CORRUPT = "文件已损坏或内容与扩展名不符，无法读取；请用 Excel 另存为 xlsx 后重新上传"
UNKNOWN_ENCODING = "无法识别 CSV 文件的编码，请另存为 UTF-8 编码的 CSV 或 xlsx 文件"
SHEET_NOT_FOUND = "找不到工作表“{sheet}”"

SPREADSHEET_EXTENSIONS = frozenset([".xlsx", ".xls", ".ods"])
CSV_EXTENSION = ".csv"
CSV_DELIMITERS = (",", "\t", ";")
# Above this magnitude a float no longer holds every digit Excel showed: keep it visibly a float.
EXACT_FLOAT_LIMIT = 1e15

_FATAL = (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)

# The csv module refuses a cell longer than 131,072 characters by default, mid-stream: after the rows above it
# were imported, the file would fail half-saved. Any cell of an accepted upload (50 MB at most) is read, as in
# a spreadsheet, and the importers judge it. (A process-wide setting of the csv module; only ever raised.)
CSV_FIELD_LIMIT = 64 * 1024 * 1024
csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))


class ReadError(Exception):
    """The file cannot be read; `message` is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    sheet: str
    header_row: int  # 1-based row number in the file
    headers: list[str]  # cleaned header texts; duplicates suffixed "_2", "_3"
    rows: Iterator[tuple[int, list[str]]]  # (1-based row number, cell texts aligned with headers); no blank rows


Source = str | Path | BinaryIO


def cell_text(value: object) -> str:
    """One cell value (as python-calamine returns it) as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer():
            return str(int(value)) if abs(value) < EXACT_FLOAT_LIMIT else repr(value).upper()
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()


def _extension(filename: str) -> str:
    suffix = Path(filename or "").suffix.lower()
    if suffix not in SPREADSHEET_EXTENSIONS and suffix != CSV_EXTENSION:
        raise ReadError(UNSUPPORTED_FILE_TYPE)
    return suffix


def _is_fatal(exc: BaseException) -> bool:
    # pyo3's PanicException derives from BaseException: a panic in calamine on a broken file is a read error.
    return isinstance(exc, _FATAL)


def _guarded(rows: Iterator[RawRow]) -> Iterator[RawRow]:
    try:
        yield from rows
    except ReadError:
        raise
    except BaseException as exc:
        if _is_fatal(exc):
            raise
        raise ReadError(FILE_CORRUPT) from exc


# --- spreadsheets ------------------------------------------------------------------------------------


def _open_workbook(source: Source) -> CalamineWorkbook:
    try:
        if isinstance(source, str | Path):
            if Path(source).stat().st_size == 0:
                raise ReadError(EMPTY_FILE)
            return CalamineWorkbook.from_path(str(source))
        if hasattr(source, "seekable") and source.seekable():
            source.seek(0)
            if not source.read(1):
                raise ReadError(EMPTY_FILE)
            source.seek(0)
        else:
            data = source.read()
            if not data:
                raise ReadError(EMPTY_FILE)
            source = io.BytesIO(data)
        return CalamineWorkbook.from_filelike(source)
    except ReadError:
        raise
    except BaseException as exc:
        if _is_fatal(exc):
            raise
        raise ReadError(FILE_ENCRYPTED if _is_password_error(exc) else FILE_CORRUPT) from exc


def _is_password_error(exc: BaseException) -> bool:
    return isinstance(exc, PasswordError) or "password" in str(exc).lower() or "encrypt" in str(exc).lower()


def _sheet_rows(sheet: Any) -> Iterator[RawRow]:
    """Rows with their 1-based row numbers. python-calamine's iter_rows starts at row 0 of the sheet (padding
    rows above the data) in the versions we use; the check on the first row guards against a version that
    starts at the first data row instead (that row is never blank)."""
    start = sheet.start
    rows = iter(sheet.iter_rows())
    first = next(rows, None)
    if first is None:
        return
    offset = start[0] if start and start[0] > 0 and any(v not in ("", None) for v in first) else 0
    yield offset + 1, _row_texts(first)
    for number, row in enumerate(rows, start=offset + 2):
        yield number, _row_texts(row)


def _row_texts(row: list[Any]) -> list[str]:
    # Most cells are strings: skip the call to cell_text for them (the hot loop of a 100k-row import).
    return [value.strip() if type(value) is str else cell_text(value) for value in row]


def _sheet_merges(sheet: Any) -> list[Merged] | None:
    ranges = sheet.merged_cell_ranges
    if ranges is None:
        return None
    col_offset = sheet.start[1] if sheet.start else 0
    return [
        Merged(r0 + 1, r1 + 1, c0 - col_offset, c1 - col_offset) for (r0, c0), (r1, c1) in ranges if r1 > r0 or c1 > c0
    ]


def _load_sheet(workbook: CalamineWorkbook, name: str) -> tuple[Iterator[RawRow], list[Merged] | None]:
    try:
        sheet = workbook.get_sheet_by_name(name)
        return _guarded(_sheet_rows(sheet)), _sheet_merges(sheet)
    except BaseException as exc:
        if _is_fatal(exc):
            raise
        raise ReadError(FILE_CORRUPT) from exc


def _candidate_sheets(workbook: CalamineWorkbook) -> list[str]:
    try:
        visible = [m.name for m in workbook.sheets_metadata if m.visible == SheetVisibleEnum.Visible]
    except BaseException as exc:
        if _is_fatal(exc):
            raise
        visible = []
    return visible or list(workbook.sheet_names)


def _read_spreadsheet(source: Source, sheet: str | None, expected: set[str], all_sheets: bool) -> Iterator[Table]:
    workbook = _open_workbook(source)
    if sheet is not None:
        if sheet not in workbook.sheet_names:
            raise ReadError(SHEET_NOT_FOUND.format(sheet=sheet))
        names = [sheet]
    else:
        names = _candidate_sheets(workbook)
    best: tuple[int, Table] | None = None
    for name in names:
        rows, merges = _load_sheet(workbook, name)
        found = find_header(rows, merges, expected)
        if found is None:
            continue
        score, header_row, headers, data_rows = found
        table = Table(sheet=name, header_row=header_row, headers=headers, rows=data_rows)
        if all_sheets:
            yield table
        elif best is None or score > best[0]:
            best = (score, table)
    if not all_sheets:
        if best is None:
            raise ReadError(NO_HEADER_ROW if expected else EMPTY_FILE)
        yield best[1]


# --- CSV ---------------------------------------------------------------------------------------------


def _read_bytes(source: Source) -> bytes:
    try:
        if isinstance(source, str | Path):
            return Path(source).read_bytes()
        if hasattr(source, "seekable") and source.seekable():
            source.seek(0)
        data = source.read()
    except OSError as exc:
        raise ReadError(FILE_CORRUPT) from exc
    return data if isinstance(data, bytes) else bytes(data)


def decode_csv(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else
    GB18030 (a superset of GBK and GB2312)."""
    if data.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(UNKNOWN_ENCODING)


def sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon: the one occurring most often in the first lines."""
    sample = text[:65536].splitlines()[:20]
    counts = {d: sum(line.count(d) for line in sample) for d in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(text: str, delimiter: str) -> Iterator[RawRow]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            yield number, [cell.strip() for cell in row]
    except csv.Error as exc:
        raise ReadError(FILE_CORRUPT) from exc


def _read_csv(source: Source, filename: str, expected: set[str]) -> Table:
    data = _read_bytes(source)
    if not data.strip():
        raise ReadError(EMPTY_FILE)
    text = decode_csv(data)
    del data
    found = find_header(_guarded(_csv_rows(text, sniff_delimiter(text))), None, expected)
    if found is None:
        raise ReadError(NO_HEADER_ROW if expected else EMPTY_FILE)
    _, header_row, headers, rows = found
    return Table(sheet=Path(filename).stem, header_row=header_row, headers=headers, rows=rows)


# --- public ------------------------------------------------------------------------------------------


def _expected_keys(expected_headers: Iterable[str]) -> set[str]:
    return {k for k in (header_key(h) for h in expected_headers) if k}


def read_table(
    source: Source, *, filename: str, sheet: str | None = None, expected_headers: Iterable[str] = ()
) -> Table:
    """The table of an uploaded file: its header row and a stream of data rows, every cell as text.

    `filename` gives the type (.xlsx, .xls, .ods, .csv). Without `sheet`, the visible sheet whose header row
    matches most `expected_headers` is read (the first on a tie). Raises ReadError (with a Chinese message)
    for an unsupported, empty, encrypted or corrupt file and when no header row is found.
    """
    extension = _extension(filename)
    expected = _expected_keys(expected_headers)
    if extension == CSV_EXTENSION:
        return _read_csv(source, filename, expected)
    return next(_read_spreadsheet(source, sheet, expected, all_sheets=False))


def iter_sheets(source: Source, *, filename: str, expected_headers: Iterable[str] = ()) -> Iterator[Table]:
    """Every sheet that has a header row, in workbook order (a CSV file is one sheet). Read each table's rows
    before moving on only if you need them: the sheets are independent."""
    extension = _extension(filename)
    expected = _expected_keys(expected_headers)
    if extension == CSV_EXTENSION:
        yield _read_csv(source, filename, expected)
        return
    yield from _read_spreadsheet(source, None, expected, all_sheets=True)
