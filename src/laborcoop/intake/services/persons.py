"""PERSONS import: households and their members, upserted by 户编号 and by the ID number's keyed hash.

Per chunk: parse and validate every row (the rules of the registry forms; cells that repeat, such as code
lists and the household's cells, converted once per distinct value), prefetch the chunk's existing laborers
(as tuples, not model instances) and households, check each household's members (file rows merged with the
members already stored), compute the changed fields in memory, then write new rows with one INSERT per table
(services.bulk: executemany, COPY on PostgreSQL; new laborers and audit rows without model instances) and
changed ones with bulk_update (only they are loaded as model instances), with one audit row per created or
changed object. An identical row writes nothing.

Audit rows of updates hold the changed fields, old -> new (personal values masked). Audit rows of creations
name the job's file and row ("导入：人员.xlsx 第 12 行") and carry no values: the file is kept with the job,
and copying 30 values of every new person into the audit table would double what the import writes.

A row is written whole or not at all: the runner wraps a chunk in one transaction and, when a bulk write
fails, redoes the chunk with `per_row=True`, where every row (its household and its member) gets a savepoint.
"""

import json
import logging
from collections import defaultdict, namedtuple
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import JSONField, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from laborcoop.accounts.access import region_code_in_scope
from laborcoop.core.audit import diff, snapshot
from laborcoop.core.crypto import encrypt
from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.checksums import id_check_char
from laborcoop.core.validation.idcard import (
    ADDRESS_CURRENT,
    ADDRESS_HISTORICAL,
    ID_DAMAGED_BY_EXCEL,
    PROVINCE_CODES,
    age_on,
    parse_id_number,
)
from laborcoop.core.validation.idcard import MAX_AGE as ID_MAX_AGE
from laborcoop.core.validation.issues import Issues
from laborcoop.core.validation.phone import validate_mobile
from laborcoop.employment.rehome import employment_records_follow_home
from laborcoop.intake import normalize
from laborcoop.intake.columns import PERSON_COLUMNS, ImportKind
from laborcoop.intake.services.bulk import insert_objects, insert_rows
from laborcoop.intake.services.common import (
    CODE_NOT_IN_LIST,
    DAMAGED_NUMBER,
    ERROR,
    SAVE_FAILED,
    VALUE_REQUIRED,
    VALUE_TOO_LONG,
    WARNING,
    ChunkOutcome,
    Importer,
    Row,
    RowIssue,
    RowReporter,
    clean_code,
)
from laborcoop.intake.services.places import Place, VillageResolver
from laborcoop.regions.selectors import address_code_status
from laborcoop.registry import choices as c
from laborcoop.registry.identity import PHONE_COLUMN_NAMES, id_number_hash, identity_columns, phone_columns
from laborcoop.registry.models import Household, Laborer
from laborcoop.registry.services import LABORER_FIELDS
from laborcoop.registry.validation.household import (
    NO_HEAD,
    RELATION_IMPLIED_SEX,
    RELATION_SEX_MISMATCH,
    MemberFacts,
    check_household_members,
)
from laborcoop.registry.validation.person import check_person

logger = logging.getLogger(__name__)

ID_DAMAGED = ID_DAMAGED_BY_EXCEL  # "身份证号被 Excel 截断"
ID_ELSEWHERE = "该证件号码已在其他地区登记"
HOUSEHOLD_ELSEWHERE = "该户编号已在其他地区登记"
ID_TWICE_IN_FILE = "证件号码与第 {row} 行重复"
HOUSEHOLD_VALUES_DIFFER = "本行的户信息（{labels}）与本户第 {row} 行不同，以第 {row} 行为准"
SEX_DIFFERS = "性别“{value}”与身份证号不符，已按身份证号记为{sex}"
BIRTH_DIFFERS = "出生日期“{value}”与身份证号不符，已按身份证号记为 {birth}"
UNREADABLE_IGNORED = "{label}“{value}”无法识别，未导入"
WAGE_OUT_OF_RANGE = "期望月收入应在 100 至 100000 元之间，未导入"

WAGE_RANGE = (100, 100_000)
_SEX_LABELS = dict(c.Sex.choices)

# Column key -> model field of Household (the village is resolved separately into `region`).
HOUSEHOLD_COLUMN_FIELDS = {
    "household_type": "household_type",
    "poverty_attribute": "poverty_attribute",
    "monitor_category": "monitor_category",
    "identified_on": "identified_on",
    "risk_eliminated": "risk_eliminated",
    "household_phone": "phone",
}
# Validation field names (registry.validation) -> the column that holds the value.
_FIELD_COLUMN = {
    "id_number": "id_number",
    "sex": "id_number",
    "birth_date": "id_number",
    "phone": "phone",
    "name": "name",
    "relation": "relation",
    "education": "education",
    "student_status": "student_status",
    "health": "health",
    "labor_skill": "labor_skill",
    "employment_status": "employment_status",
}
_LIMITS = {"name": 50, "person_no": 30, "household_no": 30, "ethnicity": 20, "disability_category": 20}
_LIMITS_EMPLOYER = 100

_CREATE, _UPDATE = "create", "update"
_MISSING = object()
_CREATED, _UPDATED = AuditEntry.Action.CREATE.value, AuditEntry.Action.UPDATE.value
_LABEL = {column.key: column.label for column in PERSON_COLUMNS}
_AUDIT_LABORER_FIELDS = [*LABORER_FIELDS, "household"]
_AUDITED_LABORER = frozenset(_AUDIT_LABORER_FIELDS)
_LABORER_TYPE = Laborer._meta.label_lower
# The stored laborer as the import compares it: the fields a row can set (parse), the ones check_person reads,
# and the keys. A row whose values name another field is compared on the model instance (_load_changed).
_STORED_FIELDS = (
    "id",
    "id_number_hash",
    "household_id",
    "region_id",
    "person_no",
    "name",
    "id_type",
    "disability_cert_suffix",
    "sex",
    "birth_date",
    "ethnicity",
    "relation",
    "education",
    "student_status",
    "health",
    "disability_category",
    "labor_skill",
    "political_status",
    "marital_status",
    "phone_hash",
    "phone_masked",
    "phone_last4",
    "employment_status",
    "employer_name",
    "work_region_willingness",
    "intended_occupations",
    "expected_wage",
    "training_needs",
)
_STORED_SET = frozenset(_STORED_FIELDS)
_HASH_AT = _STORED_FIELDS.index("id_number_hash")
StoredLaborer = namedtuple("StoredLaborer", _STORED_FIELDS)  # type: ignore[misc]


@cache
def _json_columns() -> frozenset[str]:
    return frozenset(
        f.attname for f in Laborer._meta.concrete_fields if isinstance(f, JSONField) and f.attname in _STORED_SET
    )


def _json_loads(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


@dataclass(frozen=True)
class _Shown:
    """What Laborer.__str__ reads."""

    name: str
    id_masked: str


@dataclass
class Parsed:
    row: int
    cells: list[str]
    issues: list[RowIssue] = field(default_factory=list)
    rejected: bool = False
    household_no: str = ""
    household: dict[str, Any] = field(default_factory=dict)  # Household field -> value (present columns)
    laborer: dict[str, Any] = field(default_factory=dict)  # Laborer field -> value (present columns + derived)
    id_number: str = ""
    id_hash: str = ""
    phone: str = ""  # the clear mobile while the row is processed; `laborer` holds only its hash, mask, tail
    warnings: Issues = field(default_factory=Issues)  # stored on the laborer

    def error(self, key: str, reason: str) -> None:
        self.issues.append(RowIssue(key, ERROR, reason))
        self.rejected = True

    def warn(self, key: str, reason: str, field_name: str | None = None) -> None:
        self.issues.append(RowIssue(key, WARNING, reason))
        if field_name:
            self.warnings.warn(field_name, reason)

    @property
    def has_warnings(self) -> bool:
        return any(i.severity == WARNING for i in self.issues)


@dataclass
class HouseholdPlan:
    household: Household
    action: str | None = None  # create / update / None (unchanged)
    before: dict[str, Any] = field(default_factory=dict)  # audited values before the change
    fields: set[str] = field(default_factory=set)
    moved: bool = False  # the village changed: members not in the file move too
    done: bool = False


@dataclass
class RowPlan:
    parsed: Parsed
    household: HouseholdPlan
    stored: Any = None  # the stored laborer's record (existing_laborers), None for a new one
    values: dict[str, Any] | None = None  # a new laborer: its columns (attnames) as the INSERT writes them
    laborer: Laborer | None = None  # a changed laborer: the model instance with the new values set
    changed: list[str] | None = field(default_factory=list)  # a changed laborer: the fields that differ
    target: dict[str, Any] = field(default_factory=dict)
    action: str | None = None
    before: dict[str, Any] = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)
    writes_household: bool = False  # this row's write carries the household's create or update


_HEAD, _SPOUSE = c.Relation.HEAD.value, c.Relation.SPOUSE.value
_MALE, _FEMALE = c.Sex.MALE.value, c.Sex.FEMALE.value
_HOUSEHOLD_CELL_KEYS = (
    "village_code",
    "county_name",
    "township_name",
    "village_name",
    *HOUSEHOLD_COLUMN_FIELDS,
)
_MOBILE_SECOND = frozenset("3456789")
# The member cells parsed together per distinct combination (see _parse_member_memoized).
_MEMBER_CODE_KEYS = (
    "ethnicity",
    "disability_category",
    "employer_name",
    "relation",
    "education",
    "student_status",
    "labor_skill",
    "health",
    "political_status",
    "marital_status",
    "employment_status",
)
_MEMBER_TAIL_KEYS = ("intended_occupations", "training_needs", "work_region_willingness", "expected_wage")
_MEMO_LIMIT = 50_000  # distinct combinations kept (a column of free text must not grow it without bound)


def _quick_clean(text: str) -> str:
    """clean_text, short-cut for the usual plain ASCII cell (digits, letters) that it would not change."""
    if text.isascii() and text.isalnum():
        return text
    return normalize.clean_text(text)


def _mobile(raw: str) -> tuple[str, str]:
    """(11-digit mobile or "", error message or ""), with validate_mobile's rules; plain numbers short-cut."""
    if len(raw) == 11 and raw.isdigit() and raw[0] == "1" and raw[1] in _MOBILE_SECOND:
        return raw, ""
    phone, issues = validate_mobile(normalize.clean_phone(raw), field="phone")
    errors = issues.errors.get("phone", [])
    return phone, errors[0] if errors else ""


def _plainly_valid(members: list[MemberFacts]) -> bool:
    """The common household, checked cheaply: one 户主, at most one 配偶 of the other sex, no ID twice.
    (Relations are already checked against the code list when the rows are parsed.) False means "run the
    full check", not "invalid"."""
    heads = [m for m in members if m.relation == _HEAD]
    spouses = [m for m in members if m.relation == _SPOUSE]
    if len(heads) != 1 or len(spouses) > 1 or (spouses and spouses[0].sex == heads[0].sex):
        return False
    digests = [m.id_hash for m in members if m.id_hash]
    return len(digests) == len(set(digests))


def _default_employment(values: dict[str, Any]) -> str:
    if values.get("student_status") or values.get("labor_skill") in (c.LaborSkill.LOST, c.LaborSkill.NONE):
        return c.EmploymentStatus.NOT_IN_LABOR_FORCE
    return c.EmploymentStatus.UNEMPLOYED


class PersonsImporter(Importer):
    kind = ImportKind.PERSONS

    def __init__(self, *, job: Any, user: Any, mapping: Any, headers: list[str]) -> None:
        super().__init__(job=job, user=user, mapping=mapping, headers=headers)
        self.reporter = RowReporter(job=job, columns=PERSON_COLUMNS, mapping=mapping, headers=headers)
        self.index = dict(mapping.by_key)
        self.today = timezone.localdate()
        self.villages = VillageResolver(user)
        self.reason_prefix = f"导入：{job.original_name[:200]}"
        self._seen: dict[str, int] = {}
        self._pending_seen: dict[str, int] = {}
        # Per column: raw text -> (value, error or "", warning or ""); code lists repeat a handful of values.
        self._memo: dict[str, dict[str, tuple[Any, str, str]]] = defaultdict(dict)
        self._hh_index = self.index.get("household_no")
        self._person_memo: dict[tuple[Any, ...], Issues] = {}
        self._household_cells = [self.index[k] for k in _HOUSEHOLD_CELL_KEYS if k in self.index]
        self._household_memo: dict[tuple[str, ...], tuple[dict[str, Any], list[RowIssue]]] = {}
        self._village_memo: dict[tuple[str, ...], tuple[str, Place]] = {}
        converters: list[tuple[str, Callable[[str], tuple[Any, str, str]]]] = [
            ("household_type", lambda raw: self._choice("household_type", raw, c.HouseholdType, required=True)),
            ("poverty_attribute", lambda raw: self._choice("poverty_attribute", raw, c.PovertyAttribute)),
            ("monitor_category", lambda raw: self._choice("monitor_category", raw, c.MonitorCategory)),
            ("identified_on", lambda raw: self._date("identified_on", raw)),
            ("risk_eliminated", lambda raw: self._bool("risk_eliminated", raw)),
        ]
        self._household_converters = [(key, convert) for key, convert in converters if key in self.index]
        self._codes_cells = [self.index[k] for k in _MEMBER_CODE_KEYS if k in self.index]
        self._codes_memo: dict[tuple[str, ...], tuple[dict[str, Any], list[RowIssue]]] = {}
        self._tail_cells = [self.index[k] for k in _MEMBER_TAIL_KEYS if k in self.index]
        self._tail_memo: dict[tuple[str, ...], tuple[dict[str, Any], list[RowIssue]]] = {}

    # --- file-wide state --------------------------------------------------------------------------------

    def group_key(self, cells: list[str]) -> str:
        i = self._hh_index
        return cells[i].strip() if i is not None and i < len(cells) else ""

    def chunk_committed(self) -> None:
        self._seen.update(self._pending_seen)
        self._pending_seen = {}

    def chunk_rolled_back(self) -> None:
        self._pending_seen = {}

    def tables_written(self) -> list[str]:
        return [Laborer._meta.db_table, Household._meta.db_table, AuditEntry._meta.db_table]

    # --- parsing one row --------------------------------------------------------------------------------

    def _cell(self, cells: list[str], key: str) -> str:
        i = self.index.get(key)
        return (cells[i] or "") if i is not None and i < len(cells) else ""

    def _memoized(self, key: str, raw: str, convert: Callable[[str], tuple[Any, str, str]]) -> tuple[Any, str, str]:
        memo = self._memo[key]
        hit = memo.get(raw)
        if hit is None:
            hit = memo[raw] = convert(raw)
        return hit

    def _choice(self, key: str, raw: str, choices: Any, *, required: bool = False) -> tuple[Any, str, str]:
        def convert(text: str) -> tuple[Any, str, str]:
            cleaned = normalize.clean_text(text)
            if not cleaned:
                return "", (VALUE_REQUIRED.format(label=_LABEL[key]) if required else ""), ""
            code = normalize.map_choice(cleaned, choices)
            if code is None:
                return cleaned, CODE_NOT_IN_LIST.format(label=_LABEL[key], value=cleaned), ""
            return code, "", ""

        return self._memoized(key, raw, convert)

    def _soft_choice(self, key: str, raw: str, choices: Any) -> tuple[Any, str, str]:
        """Like _choice, but a value outside the code list is left for check_person to report."""

        def convert(text: str) -> tuple[Any, str, str]:
            cleaned = normalize.clean_text(text)
            return (normalize.map_choice(cleaned, choices) or cleaned) if cleaned else "", "", ""

        return self._memoized(key, raw, convert)

    def _multi(self, key: str, raw: str, choices: Any = None) -> tuple[Any, str, str]:
        def convert(text: str) -> tuple[Any, str, str]:
            items = normalize.split_multi(text)
            if choices is None:
                return items, "", ""
            codes: list[str] = []
            unknown: list[str] = []
            for item in items:
                code = normalize.map_choice(item, choices)
                if code is None:
                    unknown.append(item)
                elif code not in codes:
                    codes.append(code)
            warning = UNREADABLE_IGNORED.format(label=_LABEL[key], value="、".join(unknown)) if unknown else ""
            return codes, "", warning

        return self._memoized(key, raw, convert)

    def _date(self, key: str, raw: str) -> tuple[Any, str, str]:
        def convert(text: str) -> tuple[Any, str, str]:
            cleaned = normalize.clean_text(text)
            if not cleaned:
                return None, "", ""
            value = normalize.parse_date(cleaned)
            if value is None:
                return ..., "", UNREADABLE_IGNORED.format(label=_LABEL[key], value=cleaned)
            return value, "", ""

        return self._memoized(key, raw, convert)

    def _bool(self, key: str, raw: str) -> tuple[Any, str, str]:
        def convert(text: str) -> tuple[Any, str, str]:
            cleaned = normalize.clean_text(text)
            if not cleaned:
                return None, "", ""
            value = normalize.parse_bool(cleaned)
            if value is None:
                return ..., "", UNREADABLE_IGNORED.format(label=_LABEL[key], value=cleaned)
            return value, "", ""

        return self._memoized(key, raw, convert)

    def _wage(self, raw: str) -> tuple[Any, str, str]:
        def convert(text: str) -> tuple[Any, str, str]:
            cleaned = normalize.clean_text(text)
            if not cleaned:
                return None, "", ""
            value = normalize.parse_int(cleaned)
            if value is None:
                return ..., "", UNREADABLE_IGNORED.format(label=_LABEL["expected_wage"], value=cleaned)
            if not WAGE_RANGE[0] <= value <= WAGE_RANGE[1]:
                return ..., "", WAGE_OUT_OF_RANGE
            return value, "", ""

        return self._memoized("expected_wage", raw, convert)

    def _text(self, p: Parsed, key: str, target: dict[str, Any], field_name: str, limit: int) -> None:
        if key not in self.index:
            return
        value = self._memoized(key, self._cell(p.cells, key), lambda text: (_quick_clean(text), "", ""))[0]
        if len(value) > limit:
            p.error(key, VALUE_TOO_LONG.format(label=_LABEL[key], limit=limit))
        target[field_name] = value

    def _apply(
        self, p: Parsed, key: str, result: tuple[Any, str, str], target: dict[str, Any], field_name: str
    ) -> None:
        value, error, warning = result
        if error:
            p.error(key, error)
        if warning:
            p.warn(key, warning)
        if value is not ...:
            target[field_name] = value

    def parse(self, row: int, cells: list[str]) -> Parsed:
        p = Parsed(row=row, cells=cells)
        cell = self._cell

        # 户编号
        household_no, damaged = clean_code(_quick_clean(cell(cells, "household_no")))
        if damaged:
            p.error("household_no", DAMAGED_NUMBER.format(label=_LABEL["household_no"]))
        elif not household_no:
            p.error("household_no", VALUE_REQUIRED.format(label=_LABEL["household_no"]))
        elif len(household_no) > _LIMITS["household_no"]:
            p.error("household_no", VALUE_TOO_LONG.format(label=_LABEL["household_no"], limit=_LIMITS["household_no"]))
        p.household_no = household_no

        # 证件号码: the usual clean number on a short path, anything else through parse_id_number.
        raw_id = cell(cells, "id_number")
        fast = self._plain_id(raw_id)
        if fast is not None:
            lab = p.laborer
            p.id_number, lab["sex"], lab["birth_date"] = fast
            p.id_hash = id_number_hash(p.id_number)
            lab["id_type"] = c.IdType.RESIDENT_ID
            lab["disability_cert_suffix"] = ""
            self._cross_check_id(p, lab["sex"], lab["birth_date"])
        else:
            self._parse_id(p, raw_id)

        # 姓名
        name = self._memoized("name", cell(cells, "name"), lambda text: (normalize.clean_name(text), "", ""))[0]
        if not name:
            p.error("name", VALUE_REQUIRED.format(label=_LABEL["name"]))
        elif len(name) > _LIMITS["name"]:
            p.error("name", VALUE_TOO_LONG.format(label=_LABEL["name"], limit=_LIMITS["name"]))
        p.laborer["name"] = name

        # The household's cells (village and household fields) repeat on every member's row: parse them once.
        key = tuple(cells[i] if i < len(cells) else "" for i in self._household_cells)
        found = self._household_memo.get(key)
        if found is None:
            found = self._household_memo[key] = self._parse_household(cells)
        values, issues = found
        p.household = dict(values)
        for item in issues:
            p.issues.append(item)
            if item.severity == ERROR:
                p.rejected = True
        self._parse_member_memoized(p)
        return p

    def _parse_id(self, p: Parsed, raw_id: str) -> None:
        # parse_id_number judges Excel damage (detect_excel_damage) on the raw text before anything else
        # and reports it as "身份证号被 Excel 截断".
        parsed_id = parse_id_number(raw_id, address_status=address_code_status, on=self.today)
        for messages in parsed_id.issues.errors.values():
            for msg in messages:
                p.error("id_number", msg)
        for messages in parsed_id.issues.warnings.values():
            for msg in messages:
                p.warn("id_number", msg, "id_number")
        if parsed_id.ok:
            p.id_number = parsed_id.normalized
            p.id_hash = id_number_hash(parsed_id.normalized)
            lab = p.laborer
            lab["sex"] = parsed_id.sex
            lab["birth_date"] = parsed_id.birth_date
            lab["id_type"] = c.IdType.DISABILITY_CERT if parsed_id.disability_suffix else c.IdType.RESIDENT_ID
            lab["disability_cert_suffix"] = parsed_id.disability_suffix
            self._cross_check_id(p, parsed_id.sex, parsed_id.birth_date)

    def _plain_id(self, raw: str) -> tuple[str, str, date] | None:
        """(ID, sex, birth date) of the usual clean 18-digit ID that parse_id_number would accept without any
        message; None for everything else, which goes through parse_id_number itself."""
        if len(raw) != 18 or not raw.isascii() or not raw[:17].isdigit() or not (raw[17].isdigit() or raw[17] == "X"):
            return None
        if raw[:2] not in PROVINCE_CODES or id_check_char(raw[:17]) != raw[17]:
            return None
        try:
            birth = date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
        except ValueError:
            return None
        if birth > self.today or age_on(birth, self.today) > ID_MAX_AGE:
            return None
        if address_code_status(raw[:6], birth) not in (ADDRESS_CURRENT, ADDRESS_HISTORICAL):
            return None
        return raw, (_MALE if int(raw[16]) % 2 else _FEMALE), birth

    def _village(self, cells: list[str]) -> tuple[str, Place]:
        """(the column an error is reported on, the village), once per distinct set of village cells."""
        cell = self._cell
        raw = (cell(cells, "village_code"), cell(cells, "county_name"), cell(cells, "township_name"))
        key = (*raw, cell(cells, "village_name"))
        found = self._village_memo.get(key)
        if found is None:
            village_code = normalize.clean_text(key[0]) if "village_code" in self.index else ""
            if village_code:
                found = ("village_code", self.villages.by_code(village_code))
            else:
                place = self.villages.by_names(
                    normalize.clean_text(key[1]), normalize.clean_text(key[2]), normalize.clean_text(key[3])
                )
                found = ("village_name", place)
            self._village_memo[key] = found
        return found

    def _parse_household(self, cells: list[str]) -> tuple[dict[str, Any], list[RowIssue]]:
        p = Parsed(row=0, cells=cells)
        has = self.index.__contains__
        cell = self._cell
        village_key, place = self._village(cells)
        if place.error:
            p.error(village_key, place.error)
        else:
            p.household["region_id"] = place.code
        hh = p.household
        for key, convert in self._household_converters:
            self._apply(p, key, convert(cell(cells, key)), hh, key)
        if has("household_phone"):
            phone, error = _mobile(cell(cells, "household_phone"))
            if error:
                p.error("household_phone", error)
            hh["phone"] = phone
        return hh, p.issues

    def _parse_member(self, p: Parsed) -> None:
        """The member's cells, one by one (the reference for `_parse_member_memoized`)."""
        self._text(p, "person_no", p.laborer, "person_no", _LIMITS["person_no"])
        self._member_codes(p)
        self._member_phone(p)
        self._member_tail(p)

    def _parse_member_memoized(self, p: Parsed) -> None:
        """`_parse_member` with its low-cardinality cells (code lists, ethnicity, multi-value cells, wage)
        converted once per distinct combination: the same values and issues, in the same order."""
        self._text(p, "person_no", p.laborer, "person_no", _LIMITS["person_no"])
        self._apply_memo(p, self._codes_memo, self._codes_cells, self._member_codes)
        self._member_phone(p)
        self._apply_memo(p, self._tail_memo, self._tail_cells, self._member_tail)

    def _apply_memo(
        self,
        p: Parsed,
        memo: dict[tuple[str, ...], tuple[dict[str, Any], list[RowIssue]]],
        indexes: list[int],
        parse: Callable[[Parsed], None],
    ) -> None:
        cells = p.cells
        width = len(cells)
        key = tuple([cells[i] if i < width else "" for i in indexes])
        found = memo.get(key)
        if found is None:
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            scratch = Parsed(row=p.row, cells=cells)
            parse(scratch)
            found = memo[key] = (scratch.laborer, scratch.issues)
        values, issues = found
        p.laborer.update(values)
        for item in issues:
            p.issues.append(item)
            if item.severity == ERROR:
                p.rejected = True

    def _member_codes(self, p: Parsed) -> None:
        """Reads only the cells of _MEMBER_CODE_KEYS."""
        has = self.index.__contains__
        cell = self._cell
        cells = p.cells
        lab = p.laborer
        self._text(p, "ethnicity", lab, "ethnicity", _LIMITS["ethnicity"])
        self._text(p, "disability_category", lab, "disability_category", _LIMITS["disability_category"])
        self._text(p, "employer_name", lab, "employer_name", _LIMITS_EMPLOYER)
        if has("relation"):
            relation = self._choice("relation", cell(cells, "relation"), c.Relation, required=True)
            self._apply(p, "relation", relation, lab, "relation")
        else:
            p.error("relation", VALUE_REQUIRED.format(label=_LABEL["relation"]))
        for key, choices in (
            ("education", c.Education),
            ("student_status", c.StudentStatus),
            ("labor_skill", c.LaborSkill),
        ):
            if has(key):
                self._apply(p, key, self._soft_choice(key, cell(cells, key), choices), lab, key)
        if has("health"):
            health, _, _ = self._soft_health(cell(cells, "health"))
            lab["health"] = health
        if has("political_status"):
            value, error, _ = self._choice("political_status", cell(cells, "political_status"), c.PoliticalStatus)
            if error:
                p.error("political_status", error)
            lab["political_status"] = value or c.PoliticalStatus.MASSES
        if has("marital_status"):
            marital = self._choice("marital_status", cell(cells, "marital_status"), c.MaritalStatus)
            self._apply(p, "marital_status", marital, lab, "marital_status")
        if has("employment_status"):
            value, error, _ = self._choice("employment_status", cell(cells, "employment_status"), c.EmploymentStatus)
            if error:
                p.error("employment_status", error)
            elif value:
                lab["employment_status"] = value

    def _member_phone(self, p: Parsed) -> None:
        lab = p.laborer
        if "phone" in self.index:
            phone, error = _mobile(self._cell(p.cells, "phone"))
            if error:
                p.error("phone", error)
            # Compared with the stored row by hash; encrypted when written (_plan_group, _load_changed).
            p.phone = phone
            cols = phone_columns(phone)
            lab["phone_hash"] = cols.phone_hash
            lab["phone_masked"] = cols.phone_masked
            lab["phone_last4"] = cols.phone_last4

    def _member_tail(self, p: Parsed) -> None:
        """Reads only the cells of _MEMBER_TAIL_KEYS."""
        has = self.index.__contains__
        cell = self._cell
        cells = p.cells
        lab = p.laborer
        multi: list[tuple[str, Any]] = [
            ("intended_occupations", None),
            ("training_needs", None),
            ("work_region_willingness", c.WILLINGNESS_CHOICES),
        ]
        for key, choices in multi:
            if has(key):
                self._apply(p, key, self._multi(key, cell(cells, key), choices), lab, key)
        if has("expected_wage"):
            self._apply(p, "expected_wage", self._wage(cell(cells, "expected_wage")), lab, "expected_wage")

    def _soft_health(self, raw: str) -> tuple[Any, str, str]:
        def convert(text: str) -> tuple[Any, str, str]:
            values = [normalize.map_choice(item, c.Health) or item for item in normalize.split_multi(text)]
            ordered = [v for v in c.Health.values if v in values]
            return ordered + [v for v in values if v not in c.Health.values], "", ""

        return self._memoized("health", raw, convert)

    def _cross_check_id(self, p: Parsed, sex: str, birth: date | None) -> None:
        """The ID decides sex and birth date; a different value in their own columns is a warning."""
        if "sex" in self.index:
            raw = self._cell(p.cells, "sex")
            given = self._memoized("sex", raw, lambda text: (normalize.map_choice(text, c.Sex), "", ""))[0]
            if raw.strip() and given != sex:
                value = normalize.clean_text(raw)
                p.warn("sex", SEX_DIFFERS.format(value=value, sex=_SEX_LABELS[sex]), "sex")
        if "birth_date" in self.index and birth is not None:
            raw = self._cell(p.cells, "birth_date")
            if raw == birth.isoformat():  # the usual cell: parse_date would give exactly `birth`
                return
            given = self._memoized("birth_date", raw, lambda text: (normalize.parse_date(text), "", ""))[0]
            if raw.strip() and given != birth:
                value = normalize.clean_text(raw)
                p.warn("birth_date", BIRTH_DIFFERS.format(value=value, birth=birth.isoformat()), "birth_date")

    # --- a chunk ----------------------------------------------------------------------------------------

    def process_chunk(self, rows: list[Row], *, per_row: bool) -> ChunkOutcome:
        self._pending_seen = {}
        parsed = [self.parse(row, cells) for row, cells in rows]
        valid = [p for p in parsed if not p.rejected]

        for p in valid:
            first = self._seen.get(p.id_hash) or self._pending_seen.get(p.id_hash)
            if first is not None:
                p.error("id_number", ID_TWICE_IN_FILE.format(row=first))
            else:
                self._pending_seen[p.id_hash] = p.row
        valid = [p for p in valid if not p.rejected]

        laborers = self.existing_laborers([p.id_hash for p in valid])
        households = self.existing_households({p.household_no for p in valid})

        for p in valid:
            existing = laborers.get(p.id_hash)
            if existing is not None and not region_code_in_scope(self.user, existing.region_id):
                p.error("id_number", ID_ELSEWHERE)
            household = households.get(p.household_no)
            if household is not None and not region_code_in_scope(self.user, household.region_id):
                p.error("household_no", HOUSEHOLD_ELSEWHERE)
            if not p.rejected:
                self._check_person(p, existing)
        valid = [p for p in valid if not p.rejected]

        groups: dict[str, list[Parsed]] = defaultdict(list)
        for p in valid:
            groups[p.household_no].append(p)
        in_chunk = {p.id_hash for p in valid}
        # The stored members of these households that are not rows of this chunk (those are checked as rows).
        members: dict[int, list[MemberFacts]] = defaultdict(list)
        household_ids = [households[number].pk for number in groups if number in households]
        if household_ids:
            member_rows = (
                Laborer.objects.filter(household_id__in=household_ids)
                .exclude(id_number_hash__in=in_chunk)
                .values_list("household_id", "name", "relation", "sex", "id_number_hash")
            )
            for household_id, name, relation, sex, digest in member_rows:
                members[household_id].append(MemberFacts(label=name, relation=relation, sex=sex, id_hash=digest))
        plans: list[RowPlan] = []
        for household_no, group in groups.items():
            household = households.get(household_no)
            base = members[household.pk] if household else []
            accepted = self._check_household(base, group)
            if accepted:
                plans.extend(self._plan_group(household_no, household, accepted, laborers))

        self._load_changed(plans)
        written = self._write_per_row(plans) if per_row else self._write_bulk(plans)
        return self._outcome(parsed, written)

    @staticmethod
    def existing_laborers(hashes: list[str]) -> dict[str, Any]:
        """The stored laborers of these ID hashes as StoredLaborer tuples (attribute access like a model
        instance; building 2,000 model instances per chunk cost more than the rest of a re-import).

        JSON columns are read as text and decoded once per distinct text (["健康"], [] repeat on most rows),
        with what JSONField.from_db_value does: json.loads. The decoded lists are shared: read, never changed."""
        json_columns = _json_columns()
        as_text = {f"{name}_json": Cast(name, TextField()) for name in _STORED_FIELDS if name in json_columns}
        columns = [f"{name}_json" if name in json_columns else name for name in _STORED_FIELDS]
        rows = Laborer.objects.filter(id_number_hash__in=hashes).annotate(**as_text).values_list(*columns)
        decoded: dict[str, Any] = {}
        json_at = [i for i, name in enumerate(_STORED_FIELDS) if name in json_columns]
        found = {}
        for row in rows:
            values = list(row)
            for i in json_at:
                text = values[i]
                if text is not None:
                    value = decoded.get(text, _MISSING)
                    if value is _MISSING:
                        value = decoded[text] = _json_loads(text)
                    values[i] = value
            found[values[_HASH_AT]] = StoredLaborer._make(values)
        return found

    @staticmethod
    def existing_households(numbers: set[str]) -> dict[str, Household]:
        return {h.household_no: h for h in Household.objects.filter(household_no__in=numbers)}

    def _check_person(self, p: Parsed, existing: Laborer | None) -> None:
        values = p.laborer

        def current(name: str, default: Any) -> Any:
            if name in values:
                return values[name]
            return getattr(existing, name) if existing is not None else default

        employment = current("employment_status", None)
        if employment is None:
            employment = _default_employment(values)
        issues = self._person_issues(
            values["birth_date"],
            values.get("sex", ""),
            current("labor_skill", ""),
            current("education", ""),
            current("student_status", ""),
            tuple(current("health", [])),
            employment,
        )
        for name, messages in issues.errors.items():
            for msg in messages:
                p.error(_FIELD_COLUMN.get(name, name), msg)
        for name, messages in issues.warnings.items():
            for msg in messages:
                p.warn(_FIELD_COLUMN.get(name, name), msg, name)
        relation, sex = values.get("relation", ""), values.get("sex", "")
        expected = RELATION_IMPLIED_SEX.get(relation)
        if expected and sex and sex != expected:
            msg = RELATION_SEX_MISMATCH.format(label=values["name"], relation=relation, sex=_SEX_LABELS[sex])
            p.warn("relation", msg, "relation")

    def _person_issues(
        self,
        birth: date,
        sex: str,
        labor_skill: str,
        education: str,
        student_status: str,
        health: tuple[str, ...],
        employment: str,
    ) -> Issues:
        """check_person, memoised: its outcome depends on the birth date only through the age, and a file
        repeats a few hundred combinations (the code lists' `values` are rebuilt on every access)."""
        key = (age_on(birth, self.today), sex, labor_skill, education, student_status, health, employment)
        found = self._person_memo.get(key)
        if found is None:
            found = self._person_memo[key] = check_person(
                birth_date=birth,
                sex=sex,
                labor_skill=labor_skill,
                education=education,
                student_status=student_status,
                health=list(health),
                employment_status=employment,
                today=self.today,
            )
        return found

    @staticmethod
    def _facts(p: Parsed) -> MemberFacts:
        return MemberFacts(
            label=f"第 {p.row} 行 {p.laborer['name']}",
            relation=p.laborer["relation"],
            sex=p.laborer["sex"],
            id_hash=p.id_hash,
            index=p.row,
        )

    def _check_household(self, base: list[MemberFacts], group: list[Parsed]) -> list[Parsed]:
        """The group's rows that keep the household valid: in file order, a row that adds an error (a second
        户主 or 配偶, a same-sex spouse) is rejected; a household left without 户主 rejects all its rows."""
        facts = [self._facts(p) for p in group]
        if _plainly_valid(base + facts) or not check_household_members(base + facts).has_errors:
            return group

        def errors(members: list[MemberFacts]) -> set[str]:
            found = check_household_members(members).errors
            return {msg for messages in found.values() for msg in messages if msg != NO_HEAD}

        accepted: list[Parsed] = []
        accepted_facts: list[MemberFacts] = []
        current = errors(base)
        for p, fact in zip(group, facts, strict=True):
            found = errors(base + accepted_facts + [fact])
            new = found - current
            if new:
                for msg in sorted(new):
                    p.error("relation", msg)
                continue
            accepted.append(p)
            accepted_facts.append(fact)
            current = found
        if accepted and not any(f.relation == c.Relation.HEAD for f in base + accepted_facts):
            for p in accepted:
                p.error("relation", NO_HEAD)
            return []
        return accepted

    def _plan_group(
        self, household_no: str, household: Household | None, group: list[Parsed], laborers: dict[str, Laborer]
    ) -> list[RowPlan]:
        first = group[0]
        values = first.household
        for p in group[1:]:
            differ = [k for k, v in p.household.items() if k in values and values[k] != v]
            if differ:
                labels = "、".join(self._household_label(k) for k in differ)
                p.warn("household_no", HOUSEHOLD_VALUES_DIFFER.format(labels=labels, row=first.row))
        now = timezone.now()
        if household is None:
            if not values.get("household_type"):
                for p in group:
                    p.error("household_type", VALUE_REQUIRED.format(label=_LABEL["household_type"]))
                return []
            household = Household(household_no=household_no, **values)
            hplan = HouseholdPlan(household=household, action=_CREATE)
        else:
            hplan = HouseholdPlan(household=household)
            changed = [k for k, v in values.items() if getattr(household, k) != v]
            if changed:
                hplan.before = snapshot(household, [k.removesuffix("_id") for k in changed])
                for k in changed:
                    setattr(household, k, values[k])
                household.version += 1
                household.updated_at = now
                hplan.action = _UPDATE
                fields = {*changed, "version", "updated_at"}
                if "phone" in fields:  # the property: its stored columns
                    fields = {*(fields - {"phone"}), *PHONE_COLUMN_NAMES}
                hplan.fields = fields
                hplan.moved = "region_id" in changed

        plans = []
        for p in group:
            stored = laborers.get(p.id_hash)
            plan = RowPlan(parsed=p, household=hplan, stored=stored)
            target = {**p.laborer, "region_id": household.region_id}
            if stored is None:
                cols = identity_columns(p.id_number)
                values = target  # a fresh dict: becomes the new row (household_id is set when written)
                values["id_number_enc"] = cols.id_number_enc
                values["id_number_hash"] = cols.id_number_hash
                values["id_masked"] = cols.id_masked
                values["id_last4"] = cols.id_last4
                if "phone_hash" in values:
                    values["phone_enc"] = encrypt(p.phone) if p.phone else ""
                if "employment_status" not in target:
                    values["employment_status"] = _default_employment(target)
                values["warnings"] = p.warnings.warnings
                plan.values = values
                plan.action = _CREATE
            elif not target.keys() <= _STORED_SET:  # compared on the model instance in _load_changed
                plan.changed = None
                plan.target = target
                plan.action = _UPDATE
            else:
                changed = [k for k, v in target.items() if getattr(stored, k) != v]
                if hplan.action == _CREATE or stored.household_id != household.pk:
                    changed.append("household_id")
                if changed:  # the model instance is loaded and changed in _load_changed (one query per chunk)
                    plan.changed = changed
                    plan.target = target
                    plan.action = _UPDATE
            plans.append(plan)
        return plans

    @staticmethod
    def _load_changed(plans: list[RowPlan]) -> None:
        """The laborers that change: load them as model instances and apply the new values."""
        pending = [plan for plan in plans if plan.action == _UPDATE and plan.laborer is None]
        if not pending:
            return
        found = Laborer.objects.in_bulk([plan.stored.id for plan in pending])
        now = timezone.now()
        for plan in pending:
            lab = found[plan.stored.id]
            household = plan.household.household
            changed = plan.changed
            if changed is None:
                changed = [k for k, v in plan.target.items() if getattr(lab, k) != v]
                if plan.household.action == _CREATE or lab.household_id != household.pk:
                    changed.append("household_id")
                if not changed:
                    plan.action = None
                    continue
            audited = [n for n in (k.removesuffix("_id") for k in changed) if n in _AUDITED_LABORER]
            phone_changed = "phone_hash" in changed
            if phone_changed:
                audited.append("phone")  # audited as the (masked) number, not its stored columns
            plan.before = snapshot(lab, audited)
            for k in changed:
                if k != "household_id":
                    setattr(lab, k, plan.target[k])
            if phone_changed:
                lab.phone = plan.parsed.phone  # all four stored columns, the ciphertext included
                changed = [*changed, *PHONE_COLUMN_NAMES]
            lab.household = household
            lab.warnings = plan.parsed.warnings.warnings
            lab.version += 1
            lab.updated_at = now
            plan.laborer = lab
            plan.fields = {*changed, "warnings", "version", "updated_at"}

    @staticmethod
    def _household_label(field_name: str) -> str:
        if field_name == "region_id":
            return "所在村"
        for key, name in HOUSEHOLD_COLUMN_FIELDS.items():
            if name == field_name:
                return _LABEL[key]
        return field_name

    # --- writing ----------------------------------------------------------------------------------------

    def _audit(self, *, action: str, instance: Any, changes: dict[str, Any], row: int) -> dict[str, Any]:
        """An AuditEntry row (attnames) for `bulk.insert_rows`."""
        return {
            "actor_id": self.user.pk,
            "action": action,
            "object_type": instance._meta.label_lower,
            "object_id": str(instance.pk),
            "object_repr": str(instance)[:200],
            "region_code": instance.region_id,
            "changes": changes,
            "reason": f"{self.reason_prefix} 第 {row} 行",
        }

    def _created_audit(self, pk: int, values: dict[str, Any], row: int) -> dict[str, Any]:
        """The audit row of a new laborer, without a model instance (object_repr is Laborer.__str__)."""
        shown = Laborer.__str__(_Shown(values["name"], values["id_masked"]))  # type: ignore[arg-type]
        return {
            "actor_id": self.user.pk,
            "action": _CREATED,
            "object_type": _LABORER_TYPE,
            "object_id": str(pk),
            "object_repr": shown[:200],
            "region_code": values["region_id"],
            "reason": f"{self.reason_prefix} 第 {row} 行",
        }  # "changes" left to its default, {}

    def _write_bulk(self, plans: list[RowPlan]) -> list[RowPlan]:
        """Write every plan; the caller's transaction makes it all or nothing. Returns the plans written."""
        households: dict[int, tuple[HouseholdPlan, int]] = {}  # id(plan) -> (plan, row that writes it)
        for plan in plans:
            hp = plan.household
            plan.writes_household = bool(hp.action and not hp.done and id(hp) not in households)
            if plan.writes_household:
                households[id(hp)] = (hp, plan.parsed.row)
        audits: list[dict[str, Any]] = []
        new_households = [hp.household for hp, _ in households.values() if hp.action == _CREATE]
        insert_objects(Household, new_households)
        changed_households = [hp for hp, _ in households.values() if hp.action == _UPDATE]
        if changed_households:
            fields = sorted(set().union(*(hp.fields for hp in changed_households)))
            Household.objects.bulk_update([hp.household for hp in changed_households], fields, batch_size=500)
        moved_households = []
        for hp, _ in households.values():
            if hp.moved:
                hh = hp.household
                hh.members.update(region_id=hh.region_id, updated_at=timezone.now())
                moved_households.append(hh.pk)
        for hp, row in households.values():
            if hp.action == _CREATE:
                action, changes = _CREATED, {}
            else:
                action, changes = _UPDATED, diff(hp.before, snapshot(hp.household, list(hp.before)))
            audits.append(self._audit(action=action, instance=hp.household, changes=changes, row=row))

        new_laborers: list[tuple[RowPlan, dict[str, Any]]] = []
        changed_laborers: list[tuple[RowPlan, Laborer]] = []
        for plan in plans:
            if plan.action == _CREATE:
                assert plan.values is not None
                plan.values["household_id"] = plan.household.household.pk  # it has a pk now
                new_laborers.append((plan, plan.values))
            elif plan.action == _UPDATE:
                assert plan.laborer is not None
                plan.laborer.household = plan.household.household  # sets household_id now that it has a pk
                changed_laborers.append((plan, plan.laborer))
        ids = insert_rows(Laborer, [values for _, values in new_laborers])
        if changed_laborers:
            fields = sorted(set().union(*(plan.fields for plan, _ in changed_laborers)))
            Laborer.objects.bulk_update([lab for _, lab in changed_laborers], fields, batch_size=500)
        # Employment records follow their laborer's home (moved households, laborers moved to another one).
        employment_records_follow_home(
            laborer_ids=[lab.pk for plan, lab in changed_laborers if "region_id" in plan.fields],
            household_ids=moved_households,
        )
        for (plan, values), pk in zip(new_laborers, ids, strict=True):
            audits.append(self._created_audit(pk, values, plan.parsed.row))
        for plan, lab in changed_laborers:
            changes = diff(plan.before, snapshot(lab, list(plan.before)))
            audits.append(self._audit(action=_UPDATED, instance=lab, changes=changes, row=plan.parsed.row))
        insert_rows(AuditEntry, audits)
        for hp, _ in households.values():
            hp.done = True
        return plans

    def _write_per_row(self, plans: list[RowPlan]) -> list[RowPlan]:
        """Each row in its own savepoint: a row that the database refuses is rejected, the others are kept."""
        written = []
        for plan in plans:
            hp = plan.household
            created_household = hp.action == _CREATE and not hp.done
            try:
                with transaction.atomic():
                    self._write_bulk([plan])
            except DatabaseError as exc:
                logger.warning("import job %s row %s not saved: %s", self.job.pk, plan.parsed.row, type(exc).__name__)
                if created_household:
                    hp.household.pk = None
                    hp.household._state.adding = True
                    hp.done = False
                plan.parsed.error("", SAVE_FAILED)
                continue
            written.append(plan)
        return written

    def _outcome(self, parsed: list[Parsed], written: list[RowPlan]) -> ChunkOutcome:
        outcome = ChunkOutcome()
        by_row = {id(plan.parsed): plan for plan in written}
        for p in parsed:
            plan = by_row.get(id(p))
            if p.rejected or plan is None:
                outcome.rejected += 1
            elif plan.action == _CREATE:
                outcome.created += 1
            elif plan.action == _UPDATE or plan.writes_household:
                outcome.updated += 1
            else:
                outcome.unchanged += 1
            if not p.rejected and p.has_warnings:
                outcome.warned += 1
            if p.issues:
                outcome.issues.extend(self.reporter.issues(p.row, p.cells, p.issues))
        return outcome
