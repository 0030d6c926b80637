"""What every importer shares: row issues with masked values, chunk outcomes, the importer interface."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from laborcoop.core.masking import mask_id_number, mask_phone
from laborcoop.intake.columns import Column, ColumnMapping, ImportKind
from laborcoop.intake.models import ImportIssue, ImportJob

Row = tuple[int, list[str]]  # (row number in the sheet, cells as text)

ERROR = ImportIssue.Severity.ERROR
WARNING = ImportIssue.Severity.WARNING

SAVE_FAILED = "保存失败：本行数据不符合数据库约束（如长度超限或与其他记录冲突），请核对后重新导入"
VALUE_TOO_LONG = "{label}过长（最多 {limit} 个字）"
CODE_NOT_IN_LIST = "{label}“{value}”不在代码表中"
VALUE_REQUIRED = "请填写{label}"
DAMAGED_NUMBER = "{label}被 Excel 截断（以科学计数法或小数保存），请将该列设为文本后重新导出"

_MAX_VALUE = 200
_SCIENTIFIC_RE = re.compile(r"\d+(?:\.\d+)?[eE][+-]?\d+")
_LONG_FLOAT_RE = re.compile(r"\d{16,}\.\d*")
_EXACT_FLOAT_RE = re.compile(r"(\d{1,15})\.0+")


def mask_value(column: Column | None, text: str) -> str:
    """The value as a report may show it: ID and phone numbers masked, other personal values starred."""
    text = (text or "").strip()
    if column is None or not column.personal or not text:
        return text[:_MAX_VALUE]
    if "phone" in column.key:
        return mask_phone(text)[:_MAX_VALUE]
    if "id" in column.key:
        return mask_id_number(text)[:_MAX_VALUE]
    return (text[:1] + "*" * (len(text) - 1))[:_MAX_VALUE]


def clean_code(text: str) -> tuple[str, bool]:
    """A number-like code (户编号, 人口编号) without spaces; (value, damaged) where damaged means Excel stored
    it as a number and lost digits (scientific notation or a float of more than 15 digits)."""
    value = "".join(text.split())
    if _SCIENTIFIC_RE.fullmatch(value) or _LONG_FLOAT_RE.fullmatch(value):
        return value, True
    exact = _EXACT_FLOAT_RE.fullmatch(value)
    return (exact.group(1) if exact else value), False


@dataclass
class RowIssue:
    key: str  # Column.key, "" for the row as a whole
    severity: str
    reason: str


@dataclass
class ParsedRow:
    """One data row being parsed: its issues so far, and whether an error rejects it."""

    row: int
    cells: list[str]
    issues: list[RowIssue] = field(default_factory=list)
    rejected: bool = False

    def error(self, key: str, reason: str) -> None:
        self.issues.append(RowIssue(key, ERROR, reason))
        self.rejected = True

    def warn(self, key: str, reason: str) -> None:
        self.issues.append(RowIssue(key, WARNING, reason))

    @property
    def has_warnings(self) -> bool:
        return any(i.severity == WARNING for i in self.issues)


@dataclass
class ChunkOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    warned: int = 0
    issues: list[ImportIssue] = field(default_factory=list)


class RowReporter:
    """Turns RowIssues of a row into ImportIssue rows: the file's header as the column, the value masked."""

    def __init__(self, *, job: ImportJob, columns: Sequence[Column], mapping: ColumnMapping, headers: list[str]):
        self.job = job
        self.by_key = {c.key: c for c in columns}
        self.mapping = mapping
        self.headers = headers

    def label(self, key: str) -> str:
        index = self.mapping.by_key.get(key)
        if index is not None and index < len(self.headers) and self.headers[index]:
            return self.headers[index][:100]
        column = self.by_key.get(key)
        return column.label if column else ""

    def cell(self, cells: list[str], key: str) -> str:
        index = self.mapping.by_key.get(key)
        if index is None or index >= len(cells):
            return ""
        return cells[index] or ""

    def issues(self, row: int, cells: list[str], found: Sequence[RowIssue]) -> list[ImportIssue]:
        return [
            ImportIssue(
                job=self.job,
                row=row,
                column=self.label(item.key) if item.key else "",
                value=mask_value(self.by_key.get(item.key), self.cell(cells, item.key)) if item.key else "",
                severity=item.severity,
                reason=item.reason[:500],
            )
            for item in found
        ]


class Importer:
    """One kind's row processing. `process_chunk` runs inside the runner's transaction and writes the rows
    it accepts; `per_row=True` (after a failed chunk) writes each row in its own savepoint.

    File-wide state (e.g. ID numbers seen earlier in the file) changes only in `chunk_committed`, so a chunk
    that is rolled back and redone sees the same state.
    """

    kind: ImportKind

    def __init__(self, *, job: ImportJob, user: Any, mapping: ColumnMapping, headers: list[str]) -> None:
        self.job = job
        self.user = user
        self.mapping = mapping
        self.headers = headers

    def group_key(self, cells: list[str]) -> str:
        """Rows with the same key stay in one chunk (a household's members)."""
        return ""

    def process_chunk(self, rows: list[Row], *, per_row: bool) -> ChunkOutcome:
        raise NotImplementedError

    def chunk_committed(self) -> None:
        """The chunk's writes are committed: make its file-wide state permanent."""

    def chunk_rolled_back(self) -> None:
        """The chunk's writes were rolled back: forget its pending file-wide state."""

    def tables_written(self) -> list[str]:
        """Database tables this importer writes in bulk; after a large import the runner refreshes their
        planner statistics (PostgreSQL ANALYZE), as autovacuum would only later."""
        return []
