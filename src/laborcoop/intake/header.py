"""Finding the header row of a sheet and resolving merged and two-row headers (used by `intake.readers`).

Real exports put one or two title rows above the header (the 全国防返贫监测信息系统 header is on row 3) and
use merged cells, which carry their value only in the top-left cell:

- a group row above the field row ("务工信息" over "开始时间 | 结束时间"): the field headers are kept; a field
  header cell that is empty takes the group's text;
- a header cell merged down over two rows ("姓名" on rows 2-3 next to the group): the empty cell on the field
  row takes the text from above;
- a header cell merged across several columns: the empty cells take its text (then made unique: "_2").

Without merge information (.ods, .csv) an empty header cell takes the text of the cell directly above.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from laborcoop.core.text import clean_text
from laborcoop.intake.columns import header_key

HEADER_SCAN_ROWS = 15  # non-blank rows searched for the header

RawRow = tuple[int, list[str]]  # (1-based row number, cell texts)


@dataclass(frozen=True)
class Merged:
    """A merged range: rows 1-based, columns 0-based relative to the row lists, both inclusive."""

    row0: int
    row1: int
    col0: int
    col1: int

    def covers(self, row: int, col: int) -> bool:
        return self.row0 <= row <= self.row1 and self.col0 <= col <= self.col1


def is_blank(cells: list[str]) -> bool:
    return not any(cells)


def unique_headers(headers: list[str]) -> list[str]:
    """Duplicates get a suffix: ["电话", "电话"] -> ["电话", "电话_2"]. Empty headers stay empty."""
    seen: dict[str, int] = {}
    result: list[str] = []
    for header in headers:
        if not header:
            result.append(header)
            continue
        count = seen.get(header, 0) + 1
        seen[header] = count
        candidate = header if count == 1 else f"{header}_{count}"
        while count > 1 and candidate in seen:
            count += 1
            candidate = f"{header}_{count}"
        if candidate != header:
            seen[candidate] = 1
        result.append(candidate)
    return result


class _Scan:
    def __init__(self, buffer: list[RawRow], merges: list[Merged] | None, expected: set[str]) -> None:
        self.buffer = buffer
        self.merges = merges
        self.expected = expected
        self.by_number = dict(buffer)

    def text_at(self, row: int, col: int) -> str:
        cells = self.by_number.get(row)
        return cells[col] if cells is not None and 0 <= col < len(cells) else ""

    def fill(self, row: int, col: int) -> str:
        """The text an empty header cell at (row, col) inherits from a merged range or the row above."""
        if self.merges is None:
            return self.text_at(row - 1, col)
        for merged in self.merges:
            inside = merged.covers(row, col) and merged.row0 >= row - 1 and (merged.row0, merged.col0) != (row, col)
            group_above = merged.row1 == row - 1 and merged.covers(row - 1, col)
            if inside or group_above:
                return self.text_at(merged.row0, merged.col0)
        return ""

    def combined(self, index: int) -> list[str]:
        number, cells = self.buffer[index]
        width = max(len(cells), len(self.by_number.get(number - 1, [])))
        return [self.text_at(number, col) or self.fill(number, col) for col in range(width)]

    def score(self, index: int) -> int:
        if not self.expected:  # no expectation: the row with the most filled cells (title rows have one)
            return sum(1 for cell in self.buffer[index][1] if cell)
        return len({header_key(h) for h in self.combined(index)} & self.expected)

    def spans_down(self, index: int) -> bool:
        """A merged header cell continues from this row into the next one."""
        number = self.buffer[index][0]
        next_number = self.buffer[index + 1][0] if index + 1 < len(self.buffer) else None
        if self.merges is None or next_number != number + 1:
            return False
        return any(m.row0 <= number < m.row1 for m in self.merges)

    def best(self) -> tuple[int, int]:
        scores = [self.score(i) for i in range(len(self.buffer))]
        index = max(range(len(scores)), key=lambda i: (scores[i], -i))
        while self.spans_down(index) and scores[index + 1] >= scores[index]:
            index += 1
        return index, scores[index]


def _data_rows(rows: Iterator[RawRow], width: int) -> Iterator[RawRow]:
    for number, cells in rows:
        cells = cells[:width]
        if is_blank(cells):
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        yield number, cells


def find_header(
    rows: Iterator[RawRow], merges: list[Merged] | None, expected: set[str]
) -> tuple[int, int, list[str], Iterator[RawRow]] | None:
    """(score, header row number, headers, data rows) or None when the sheet is blank or, with `expected`
    normalised header keys given, no row among the first HEADER_SCAN_ROWS holds any of them."""
    rows = iter(rows)
    buffer: list[RawRow] = []
    for number, cells in rows:
        if not is_blank(cells):
            buffer.append((number, cells))
            if len(buffer) >= HEADER_SCAN_ROWS:
                break
    if not buffer:
        return None
    scan = _Scan(buffer, merges, expected)
    index, score = scan.best()
    if expected and score == 0:
        return None
    headers = [clean_text(h) for h in scan.combined(index)]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        return None
    header_number = buffer[index][0]
    rest = chain(buffer[index + 1 :], rows)
    return score, header_number, unique_headers(headers), _data_rows(rest, len(headers))
