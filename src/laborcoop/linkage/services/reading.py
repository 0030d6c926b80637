"""Reading an uploaded list into normalised records (`TheirRecord` rows, unsaved).

The clear ID number lives only inside `their_record`: it is checked (Excel damage, checksum), hashed with the
registry's keyed HMAC and masked; birth date and sex fall back to the ID's when their columns are empty.
"""

from collections.abc import Iterator
from datetime import date
from typing import Any

from laborcoop.core.chinese import normalize_name
from laborcoop.core.file_crypto import open_decrypted
from laborcoop.core.masking import mask_id_number, mask_phone
from laborcoop.core.text import clean_text
from laborcoop.core.validation.idcard import detect_excel_damage, parse_id_number
from laborcoop.core.validation.phone import MOBILE_RE, normalize_phone
from laborcoop.intake.normalize import parse_date
from laborcoop.intake.readers import read_table
from laborcoop.linkage.columns import COMMON_COLUMNS, expected_headers
from laborcoop.linkage.models import Comparison, TheirRecord
from laborcoop.regions.models import Region, RegionLevel, prefix_of_code
from laborcoop.regions.scope import in_subtree_q
from laborcoop.registry.identity import id_number_hash, phone_hash

ID_DAMAGED = "证件号码被 Excel 截断（以数字格式保存），无法使用"
ID_INVALID = "证件号码无效"
_COMMON_KEYS = frozenset(c.key for c in COMMON_COLUMNS)
_SEX = {"1": "1", "男": "1", "m": "1", "male": "1", "2": "2", "女": "2", "f": "2", "female": "2"}
# Meaning-specific columns holding dates: stored as ISO text when they parse.
DATE_KEYS = frozenset(
    {"death_date", "moved_date", "insured_since", "insured_month", "stopped_on", "registered_on", "dibao_since"}
)


class VillageNames:
    """Village names of the comparison region's subtree -> code (only names that are unique there)."""

    def __init__(self, region_code: str | None) -> None:
        self.region_code = region_code
        self._codes: dict[str, str | None] | None = None

    def code(self, name: str) -> str:
        if self._codes is None:  # loaded on the first name: many lists carry codes only
            qs = Region.objects.filter(level=RegionLevel.VILLAGE)
            if self.region_code:
                qs = qs.filter(in_subtree_q(prefix_of_code(self.region_code), "code"))
            self._codes = {}
            for code, village in qs.values_list("code", "name"):
                self._codes[village] = None if village in self._codes else code
        return self._codes.get(name) or ""


def _cell(cells: list[str], mapping: dict[str, int], key: str) -> str:
    index = mapping.get(key)
    return cells[index] if index is not None and index < len(cells) else ""


def their_record(
    comparison: Comparison, row: int, cells: list[str], villages: VillageNames, today: date
) -> TheirRecord | None:
    """One data row as an unsaved TheirRecord; None for a row without name and ID (a note or subtotal)."""
    mapping = comparison.mapping
    name = normalize_name(clean_text(_cell(cells, mapping, "name")))[:50]
    raw_id = _cell(cells, mapping, "id_number")
    if not name and not raw_id.strip():
        return None
    record = TheirRecord(comparison=comparison, row=row, name=name)
    id_birth: date | None = None
    id_sex = ""
    if raw_id.strip():
        if detect_excel_damage(raw_id):
            record.id_problem = ID_DAMAGED
            record.id_masked = mask_id_number(clean_text(raw_id))[:22]
        else:
            parsed = parse_id_number(raw_id, on=today)
            if parsed.ok:
                record.id_hash = id_number_hash(parsed.normalized)
                record.id_masked = mask_id_number(parsed.normalized)
                id_birth, id_sex = parsed.birth_date, parsed.sex
            else:
                messages = [m for ms in parsed.issues.errors.values() for m in ms]
                record.id_problem = (messages[0] if messages else ID_INVALID)[:100]
                record.id_masked = mask_id_number(parsed.cleaned)[:22]
    record.sex = _SEX.get(clean_text(_cell(cells, mapping, "sex")).lower(), "") or id_sex
    record.birth_date = parse_date(_cell(cells, mapping, "birth_date")) or id_birth
    code = clean_text(_cell(cells, mapping, "village_code")).replace(" ", "")
    record.village_name = clean_text(_cell(cells, mapping, "village_name"))[:50]
    if len(code) == 12 and code.isdigit():
        record.village_code = code
    elif record.village_name:
        record.village_code = villages.code(record.village_name)
    phone = normalize_phone(_cell(cells, mapping, "phone"))
    if MOBILE_RE.fullmatch(phone):
        record.phone_hash, record.phone_masked = phone_hash(phone), mask_phone(phone)
    extra: dict[str, Any] = {}
    for key in mapping:
        if key in _COMMON_KEYS:
            continue
        value = clean_text(_cell(cells, mapping, key))
        if not value:
            continue
        if key in DATE_KEYS:
            parsed_date = parse_date(value)
            value = parsed_date.isoformat() if parsed_date else value
        extra[key] = value[:200]
    record.extra = extra
    return record


def read_their_records(comparison: Comparison, *, today: date) -> Iterator[TheirRecord]:
    """The uploaded list's records in file order. Raises intake.readers.ReadError for an unreadable file."""
    is_csv = comparison.original_name.lower().endswith(".csv")
    with open_decrypted(comparison.file) as source:
        table = read_table(
            source,
            filename=comparison.original_name,
            sheet=None if is_csv else (comparison.sheet or None),
            expected_headers=expected_headers(comparison.department),
        )
        villages = VillageNames(comparison.region_id)
        for row, cells in table.rows:
            record = their_record(comparison, row, cells, villages, today)
            if record is not None:
                yield record
