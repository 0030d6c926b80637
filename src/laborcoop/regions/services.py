"""Writes to the region tree: loading the bundled data, importing official code lists.

Regions are never deleted: households, laborers, users and old ID numbers refer to codes that may since have
been abolished, so an abolished code keeps its row with `valid_to` (and `successor` where known).
"""

import csv
import gzip
import io
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Q
from django.utils import timezone

from laborcoop.core.audit import audit_record, diff, snapshot
from laborcoop.core.models import AuditEntry
from laborcoop.regions.models import Region, RegionLevel, level_of_code, prefix_of_code
from laborcoop.regions.scope import in_subtree_q
from laborcoop.regions.selectors import (
    PLACEHOLDER_NAMES,
    address_code_cache_clear,
    is_nbs_only_county,
)

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

logger = logging.getLogger(__name__)

DATA_DIR = Path(settings.BASE_DIR) / "data" / "regions"
REGIONS_FILE = DATA_DIR / "regions.csv.gz"
HISTORICAL_FILE = DATA_DIR / "historical.csv"
BATCH_SIZE = 2000
INSERT_BATCH_SIZE = 5000
NAME_MAX_LENGTH = 100
NOTE_MAX_LENGTH = 200
RENAMED_NOTE = "原名 {name}"
RENAMED_NOTE_PREFIX = "原名 "

# Import: header names recognised (compared without spaces, case-insensitive).
CODE_HEADERS = frozenset(["代码", "区划代码", "行政区划代码", "统计用区划代码", "code"])
NAME_HEADERS = frozenset(["名称", "区划名称", "行政区划名称", "单位名称", "name"])
IMPORT_CODE_LENGTHS = (6, 9, 12)
SPREADSHEET_SUFFIXES = frozenset([".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"])

# Import messages (Chinese, shown to the operator).
IMPORT_FILE_UNREADABLE = "无法读取文件：{reason}"
IMPORT_NO_HEADER = "未找到表头：文件需要“代码”（或“区划代码”“code”）和“名称”（或“name”）两列。"
IMPORT_CODE_NOT_DIGITS = "第 {row} 行：区划代码“{code}”含有非数字字符，已跳过。"
IMPORT_CODE_BAD_LENGTH = "第 {row} 行：区划代码“{code}”应为 6 位、9 位或 12 位数字，已跳过。"
IMPORT_CODE_BAD_PROVINCE = "第 {row} 行：区划代码“{code}”的前两位不是有效的省级代码，已跳过。"
IMPORT_NAME_EMPTY = "第 {row} 行：区划代码“{code}”的名称为空，已跳过。"
IMPORT_NAME_TOO_LONG = "第 {row} 行：区划代码“{code}”的名称超过 100 个字，已跳过。"
IMPORT_CODE_DUPLICATE = "第 {row} 行：区划代码“{code}”在文件中重复出现，已跳过。"

AUDIT_CREATED = "导入区划代码（{file}）：新增"
AUDIT_RENAMED = "导入区划代码（{file}）：更名"
AUDIT_ABOLISHED = "导入区划代码（{file}）：停用"
AUDIT_REACTIVATED = "导入区划代码（{file}）：重新启用"

# Nearest-ancestor candidates by level: how many leading digits each possible parent keeps.
_ANCESTOR_CUTS: dict[int, tuple[int, ...]] = {
    RegionLevel.PROVINCE: (),
    RegionLevel.PREFECTURE: (2,),
    RegionLevel.COUNTY: (4, 2),
    RegionLevel.TOWNSHIP: (6, 4, 2),
    RegionLevel.VILLAGE: (9, 6, 4, 2),
}
_AUDIT_FIELDS = ["name", "valid_from", "valid_to", "note"]


class RegionImportError(Exception):
    """The file as a whole cannot be imported (unreadable, no header). Nothing was saved."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def nearest_ancestor(code: str, known: set[str] | dict[str, Any]) -> str | None:
    """The closest existing ancestor code: village -> township -> county -> prefecture -> province.

    Skips missing levels, e.g. townships of 东莞 (4419, no counties) hang directly on the prefecture.
    """
    for cut in _ANCESTOR_CUTS[level_of_code(code)]:
        candidate = code[:cut].ljust(12, "0")
        if candidate != code and candidate in known:
            return candidate
    return None


# --- Loading the bundled tree ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoricalEntry:
    code: str  # 12 digits
    name: str
    valid_from: date | None
    valid_to: date | None
    successor: str | None  # 12 digits
    note: str


def _read_tree_file(path: Path) -> dict[str, str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        if [h.strip() for h in header[:2]] != ["code12", "name"]:
            raise ValueError(f"{path}: expected header code12,name, got {header!r}")
        rows: dict[str, str] = {}
        for line_no, row in enumerate(reader, start=2):
            code, name = row[0].strip(), row[1].strip()
            if len(code) != 12 or not code.isdigit() or not name:
                raise ValueError(f"{path}:{line_no}: bad row {row!r}")
            rows[code] = name
    return rows


def _optional_date(value: str) -> date | None:
    value = value.strip()
    return date.fromisoformat(value) if value else None


def _read_historical(path: Path) -> list[HistoricalEntry]:
    entries: list[HistoricalEntry] = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        for line_no, row in enumerate(csv.DictReader(f), start=2):
            code6 = (row.get("code6") or "").strip()
            if not code6 or code6.startswith("#"):
                continue
            successor6 = (row.get("successor_code6") or "").strip()
            if len(code6) != 6 or not code6.isdigit() or (successor6 and not successor6.isdigit()):
                raise ValueError(f"{path}:{line_no}: bad code in {row!r}")
            entries.append(
                HistoricalEntry(
                    code=code6.ljust(12, "0"),
                    name=(row.get("name") or "").strip(),
                    valid_from=_optional_date(row.get("valid_from") or ""),
                    valid_to=_optional_date(row.get("valid_to") or ""),
                    successor=successor6.ljust(12, "0") if successor6 else None,
                    note=(row.get("note") or "").strip()[:NOTE_MAX_LENGTH],
                )
            )
    return entries


def _apply_historical(region: Region, entry: HistoricalEntry, *, in_tree: bool, known: set[str]) -> bool:
    """Fill in validity, successor and note from a historical entry; never overwrite a value already set.

    An abolition (valid_to) is applied only to codes absent from the bundled tree (the tree is the newer
    source), and not to a row an import has re-activated (it keeps its successor, so `successor` is set).
    """
    changed = False
    if entry.valid_from and region.valid_from is None:
        region.valid_from = entry.valid_from
        changed = True
    if entry.valid_to and not in_tree and region.valid_to is None and region.successor_id is None:
        region.valid_to = entry.valid_to
        if entry.successor and entry.successor in known:
            region.successor_id = entry.successor
        changed = True
    if entry.note and not region.note:
        region.note = entry.note
        changed = True
    return changed


# Columns written by _insert_new, in order.
_INSERT_FIELDS = ("code", "name", "level", "parent", "prefix", "valid_from", "valid_to", "successor", "note")


def _new_values(code: str, names: dict[str, str], known: set[str]) -> tuple[Any, ...]:
    """The column values (in _INSERT_FIELDS order) of a new region with no validity data."""
    parent = nearest_ancestor(code, known)
    return (code, names[code], level_of_code(code), parent, prefix_of_code(code), None, None, None, "")


def _new_region(code: str, names: dict[str, str], known: set[str]) -> Region:
    values = _new_values(code, names, known)
    return Region(**{f.attname: v for f, v in zip(_insert_model_fields(), values, strict=True)})


def _insert_model_fields() -> list[Any]:
    return [Region._meta.get_field(name) for name in _INSERT_FIELDS]


def _insert_new(rows: Iterable[Region | tuple[Any, ...]]) -> None:
    """Insert new regions with executemany, in batches.

    75k rows through bulk_create take ~8 s on SQLite (model instances and per-value SQL compilation, and
    SQLite's 999-parameter limit allows only ~110 rows a statement); executemany takes well under a second.
    Parents sort before their children (a parent's code is its child's with trailing zeros), and the FK
    constraints are checked at commit anyway.
    """
    conn = connections[router.db_for_write(Region)]
    fields = _insert_model_fields()
    quote = conn.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - identifiers from the model, values bound
        quote(Region._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    batch: list[tuple[Any, ...]] = []
    with conn.cursor() as cursor:
        for row in rows:
            if isinstance(row, Region):
                row = tuple(f.get_db_prep_save(getattr(row, f.attname), conn) for f in fields)
            batch.append(row)
            if len(batch) >= INSERT_BATCH_SIZE:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def region_tree_load(*, path: Path | None = None, historical_path: Path | None = None) -> int:
    """Load the bundled region tree (data/regions/regions.csv.gz + historical.csv); return rows created.

    Idempotent: rows already present are kept; only missing rows are added, names of rows never touched by an
    import are brought up to date, and historical validity/successor/note values are filled in where empty.
    Parents are the nearest existing ancestor (village -> township -> county -> prefecture -> province).
    """
    tree = _read_tree_file(path or REGIONS_FILE)
    historical = _read_historical(historical_path or HISTORICAL_FILE)
    wanted = dict(tree)
    for entry in historical:
        if entry.name:
            wanted.setdefault(entry.code, entry.name)

    with transaction.atomic():
        existing = {
            code: (name, valid_to, note)
            for code, name, valid_to, note in Region.objects.values_list("code", "name", "valid_to", "note")
        }
        known = set(existing) | set(wanted)
        new_codes = sorted(wanted.keys() - existing.keys())
        # Historical entries are applied to model instances; plain new rows stay tuples (see _insert_new).
        new_with_history: dict[str, Region] = {}
        renames = {
            code: name
            for code, name in tree.items()
            if code in existing
            and existing[code][0] != name
            and existing[code][1] is None
            and not existing[code][2].startswith(RENAMED_NOTE_PREFIX)
        }
        to_update: dict[str, Region] = {}
        history_codes = [e.code for e in historical if e.code in existing]
        if renames or history_codes:
            to_update = Region.objects.in_bulk([*renames, *history_codes])
        changed: set[str] = set()
        for code, name in renames.items():
            to_update[code].name = name
            changed.add(code)
        for entry in historical:
            if entry.code in existing:
                target = to_update[entry.code]
            elif entry.code in wanted:
                if entry.code not in new_with_history:
                    new_with_history[entry.code] = _new_region(entry.code, wanted, known)
                target = new_with_history[entry.code]
            else:  # an entry without a name for a code that is nowhere else: nothing to attach it to
                continue
            if _apply_historical(target, entry, in_tree=entry.code in tree, known=known) and entry.code in existing:
                changed.add(entry.code)

        _insert_new(new_with_history.get(code) or _new_values(code, wanted, known) for code in new_codes)
        if changed:
            Region.objects.bulk_update(
                [to_update[code] for code in sorted(changed)],
                ["name", "valid_from", "valid_to", "successor", "note"],
                batch_size=BATCH_SIZE,
            )
        address_code_cache_clear()
        transaction.on_commit(address_code_cache_clear)
    logger.info("region tree loaded: %d created, %d updated", len(new_codes), len(changed))
    return len(new_codes)


# --- Importing an official code list ---------------------------------------------------------------------


@dataclass
class ImportSummary:
    created: int = 0
    renamed: int = 0
    abolished: int = 0
    reactivated: int = 0  # a code that was abolished and is in the file again (a rename as well counts here)
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)  # skipped rows, with the reason in Chinese

    @property
    def changed(self) -> int:
        return self.created + self.renamed + self.abolished + self.reactivated


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RegionImportError(IMPORT_FILE_UNREADABLE.format(reason="编码无法识别（应为 UTF-8 或 GBK）"))


def _read_table(path: Path) -> list[list[str]]:
    """The cells of the first sheet (xlsx etc., via calamine) or of a CSV file (UTF-8 or GBK) as text."""
    try:
        if path.suffix.lower() in SPREADSHEET_SUFFIXES:
            from python_calamine import CalamineWorkbook

            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            return [[_cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
        text = _decode(path.read_bytes())
    except RegionImportError:
        raise
    except Exception as exc:  # calamine and file errors have no common base class
        raise RegionImportError(IMPORT_FILE_UNREADABLE.format(reason=exc)) from exc
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def _header_key(cell: str) -> str:
    return "".join(cell.split()).lower()


def _find_columns(rows: list[list[str]]) -> tuple[int, int, int]:
    """(index of the first data row, code column, name column)."""
    for index, row in enumerate(rows[:20]):
        keys = [_header_key(c) for c in row]
        code_col = next((i for i, k in enumerate(keys) if k in CODE_HEADERS), None)
        name_col = next((i for i, k in enumerate(keys) if k in NAME_HEADERS), None)
        if code_col is not None and name_col is not None:
            return index + 1, code_col, name_col
    first = next((row for row in rows if any(row)), None)
    if first and len(first) >= 2 and first[0].isdigit():  # no header: code, name
        return 0, 0, 1
    raise RegionImportError(IMPORT_NO_HEADER)


def _valid_rows(rows: list[list[str]], errors: list[str]) -> dict[str, str]:
    """{code12: name} of the valid data rows; invalid rows are described in `errors` and skipped."""
    start, code_col, name_col = _find_columns(rows)
    valid: dict[str, str] = {}
    for index in range(start, len(rows)):
        row = rows[index]
        line = index + 1
        code = row[code_col].strip() if code_col < len(row) else ""
        name = row[name_col].strip() if name_col < len(row) else ""
        if not code and not name:
            continue
        if not code.isascii() or not code.isdigit():
            errors.append(IMPORT_CODE_NOT_DIGITS.format(row=line, code=code))
        elif len(code) not in IMPORT_CODE_LENGTHS:
            errors.append(IMPORT_CODE_BAD_LENGTH.format(row=line, code=code))
        elif not "11" <= code[:2] <= "82":
            errors.append(IMPORT_CODE_BAD_PROVINCE.format(row=line, code=code))
        elif not name:
            errors.append(IMPORT_NAME_EMPTY.format(row=line, code=code))
        elif len(name) > NAME_MAX_LENGTH:
            errors.append(IMPORT_NAME_TOO_LONG.format(row=line, code=code))
        elif code.ljust(12, "0") in valid:
            errors.append(IMPORT_CODE_DUPLICATE.format(row=line, code=code))
        else:
            valid[code.ljust(12, "0")] = name
    return valid


def _subtrees_q(prefixes: Iterable[str]) -> Q:
    q = Q()
    for prefix in prefixes:
        q |= in_subtree_q(prefix, "code")
    return q


def _batched(items: list[Region]) -> Iterator[list[Region]]:
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]


def region_import_official_list(
    *, path: Path | str, effective_date: date | None = None, acting_user: "AbstractBaseUser | None" = None
) -> ImportSummary:
    """Bring the tree in line with an official code list (CSV in UTF-8/GBK, or xlsx) with columns code, name.

    Codes of 6, 9 or 12 digits are padded to 12. New codes are created (valid_from = effective_date, default
    today); changed names are updated, the old name kept in `note`; codes missing from the file, at the
    levels the file covers and within the provinces it covers, are abolished (valid_to = effective_date) but
    never deleted; an abolished code found in the file again is re-activated. NBS-only "7x" county units are
    only abolished if the file lists such units at all (a GB/T 2260 county list does not), and placeholder
    prefectures (市辖区, 省直辖县级行政区划) are kept while they still have active children.
    Invalid rows are skipped and reported in `errors`. One audit row per change; all or nothing.
    """
    path = Path(path)
    effective = effective_date or timezone.localdate()
    summary = ImportSummary()
    valid = _valid_rows(_read_table(path), summary.errors)
    if not valid:
        return summary

    levels = {level_of_code(code) for code in valid}
    provinces = sorted({code[:2] for code in valid})
    lists_nbs_units = any(level_of_code(c) == RegionLevel.COUNTY and is_nbs_only_county(c) for c in valid)
    file_label = path.name

    with transaction.atomic():
        existing = Region.objects.select_for_update().filter(_subtrees_q(provinces)).in_bulk()
        known: set[str] = set(existing) | set(valid)
        created: list[Region] = []
        updated: list[Region] = []
        audits: list[tuple[str, Region, dict[str, list[Any]], str]] = []

        for code, name in sorted(valid.items()):
            region = existing.get(code)
            if region is None:
                region = Region(
                    code=code,
                    name=name,
                    level=level_of_code(code),
                    prefix=prefix_of_code(code),
                    parent_id=nearest_ancestor(code, known),
                    valid_from=effective,
                )
                created.append(region)
                changes = {"name": [None, name], "valid_from": [None, effective.isoformat()]}
                audits.append((AuditEntry.Action.CREATE, region, changes, AUDIT_CREATED))
                summary.created += 1
                continue
            before = snapshot(region, _AUDIT_FIELDS)
            reactivated = region.valid_to is not None
            if reactivated:
                region.valid_to = None
            if region.name != name:
                region.note = RENAMED_NOTE.format(name=region.name)[:NOTE_MAX_LENGTH]
                region.name = name
            elif not reactivated:
                summary.unchanged += 1
                continue
            updated.append(region)
            if reactivated:
                summary.reactivated += 1
                reason = AUDIT_REACTIVATED
            else:
                summary.renamed += 1
                reason = AUDIT_RENAMED
            audits.append((AuditEntry.Action.UPDATE, region, diff(before, snapshot(region, _AUDIT_FIELDS)), reason))

        active_children: set[str] = {
            r.parent_id
            for r in [*existing.values(), *created]
            if r.parent_id and r.valid_to is None and (r.code in valid or r.level not in levels)
        }
        for code, region in sorted(existing.items()):
            if region.valid_to is not None or region.level not in levels or code in valid:
                continue
            if region.level == RegionLevel.COUNTY and is_nbs_only_county(code) and not lists_nbs_units:
                continue
            if region.level == RegionLevel.PREFECTURE and region.name in PLACEHOLDER_NAMES and code in active_children:
                continue
            before = snapshot(region, _AUDIT_FIELDS)
            region.valid_to = effective
            updated.append(region)
            summary.abolished += 1
            changes = diff(before, snapshot(region, _AUDIT_FIELDS))
            audits.append((AuditEntry.Action.UPDATE, region, changes, AUDIT_ABOLISHED))

        Region.objects.bulk_create(created, batch_size=BATCH_SIZE)
        for batch in _batched(updated):
            Region.objects.bulk_update(batch, ["name", "valid_to", "note"])
        for action, region, changes, reason in audits:
            audit_record(
                actor=acting_user,
                action=action,
                instance=region,
                region_code=region.code,
                changes=changes,
                reason=reason.format(file=file_label),
            )
        address_code_cache_clear()
        transaction.on_commit(address_code_cache_clear)
    logger.info(
        "region import %s: %d created, %d renamed, %d abolished, %d reactivated, %d unchanged, %d skipped",
        file_label,
        summary.created,
        summary.renamed,
        summary.abolished,
        summary.reactivated,
        summary.unchanged,
        len(summary.errors),
    )
    return summary
