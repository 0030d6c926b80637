"""Parsing one PERSONS row: its cells -> a `Parsed` row (household values, laborer values, issues).

The rules of the registry forms apply cell by cell. Cells that repeat are converted once per distinct value:
code lists (cells.CellConverter), the household's cells (same on every member's row), the member's
low-cardinality cells per combination. The usual clean ID number and mobile take a short path that gives
exactly what the full validators would.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from laborcoop.core.text import clean_text, map_choice
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
from laborcoop.intake import normalize
from laborcoop.intake.columns import PERSON_COLUMNS
from laborcoop.intake.services.common import (
    DAMAGED_NUMBER,
    ERROR,
    VALUE_REQUIRED,
    VALUE_TOO_LONG,
    WARNING,
    RowIssue,
    clean_code,
)
from laborcoop.intake.services.persons.cells import CellConverter, Converted, mobile, quick_clean
from laborcoop.intake.services.places import Place, VillageResolver
from laborcoop.regions.selectors import address_code_status
from laborcoop.registry import choices as c
from laborcoop.registry.identity import id_number_hash, phone_columns

ID_DAMAGED = ID_DAMAGED_BY_EXCEL  # "身份证号被 Excel 截断"
SEX_DIFFERS = "性别“{value}”与身份证号不符，已按身份证号记为{sex}"
BIRTH_DIFFERS = "出生日期“{value}”与身份证号不符，已按身份证号记为 {birth}"

# Column key -> model field of Household (the village is resolved separately into `region`).
HOUSEHOLD_COLUMN_FIELDS = {
    "household_type": "household_type",
    "poverty_attribute": "poverty_attribute",
    "monitor_category": "monitor_category",
    "identified_on": "identified_on",
    "risk_eliminated": "risk_eliminated",
    "household_phone": "phone",
}
_LIMITS = {"name": 50, "person_no": 30, "household_no": 30, "ethnicity": 20, "disability_category": 20}
_LIMITS_EMPLOYER = 100
_LABEL = {column.key: column.label for column in PERSON_COLUMNS}
_SEX_LABELS = dict(c.Sex.choices)
_MALE, _FEMALE = c.Sex.MALE.value, c.Sex.FEMALE.value
_HOUSEHOLD_CELL_KEYS = (
    "village_code",
    "county_name",
    "township_name",
    "village_name",
    *HOUSEHOLD_COLUMN_FIELDS,
)
# The member cells parsed together per distinct combination (see RowParser.parse_member_memoized).
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

_Memo = dict[tuple[str, ...], tuple[dict[str, Any], list[RowIssue]]]


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


def default_employment(values: dict[str, Any]) -> str:
    """The employment status of a laborer whose row gives none."""
    if values.get("student_status") or values.get("labor_skill") in (c.LaborSkill.LOST, c.LaborSkill.NONE):
        return c.EmploymentStatus.NOT_IN_LABOR_FORCE
    return c.EmploymentStatus.UNEMPLOYED


class RowParser:
    """Parses the rows of one file; `index` is the file's column key -> cell index."""

    def __init__(self, *, index: dict[str, int], user: Any, today: date) -> None:
        self.index = index
        self.today = today
        self.villages = VillageResolver(user)
        self.convert = CellConverter()
        self._household_cells = [index[k] for k in _HOUSEHOLD_CELL_KEYS if k in index]
        self._household_memo: _Memo = {}
        self._village_memo: dict[tuple[str, ...], tuple[str, Place]] = {}
        convert = self.convert
        converters: list[tuple[str, Callable[[str], Converted]]] = [
            ("household_type", lambda raw: convert.choice("household_type", raw, c.HouseholdType, required=True)),
            ("poverty_attribute", lambda raw: convert.choice("poverty_attribute", raw, c.PovertyAttribute)),
            ("monitor_category", lambda raw: convert.choice("monitor_category", raw, c.MonitorCategory)),
            ("identified_on", lambda raw: convert.as_date("identified_on", raw)),
            ("risk_eliminated", lambda raw: convert.as_bool("risk_eliminated", raw)),
        ]
        self._household_converters = [(key, fn) for key, fn in converters if key in index]
        self._codes_cells = [index[k] for k in _MEMBER_CODE_KEYS if k in index]
        self._codes_memo: _Memo = {}
        self._tail_cells = [index[k] for k in _MEMBER_TAIL_KEYS if k in index]
        self._tail_memo: _Memo = {}

    def _cell(self, cells: list[str], key: str) -> str:
        i = self.index.get(key)
        return (cells[i] or "") if i is not None and i < len(cells) else ""

    def _text(self, p: Parsed, key: str, target: dict[str, Any], field_name: str, limit: int) -> None:
        if key not in self.index:
            return
        value = self.convert.memoized(key, self._cell(p.cells, key), lambda text: (quick_clean(text), "", ""))[0]
        if len(value) > limit:
            p.error(key, VALUE_TOO_LONG.format(label=_LABEL[key], limit=limit))
        target[field_name] = value

    @staticmethod
    def _apply(p: Parsed, key: str, result: Converted, target: dict[str, Any], field_name: str) -> None:
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
        household_no, damaged = clean_code(quick_clean(cell(cells, "household_no")))
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
            self.cross_check_id(p, lab["sex"], lab["birth_date"])
        else:
            self._parse_id(p, raw_id)

        # 姓名
        name = self.convert.memoized("name", cell(cells, "name"), lambda text: (normalize.clean_name(text), "", ""))[0]
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
        self.parse_member_memoized(p)
        return p

    # --- the ID number ----------------------------------------------------------------------------------

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
            self.cross_check_id(p, parsed_id.sex, parsed_id.birth_date)

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

    def cross_check_id(self, p: Parsed, sex: str, birth: date | None) -> None:
        """The ID decides sex and birth date; a different value in their own columns is a warning."""
        memoized = self.convert.memoized
        if "sex" in self.index:
            raw = self._cell(p.cells, "sex")
            given = memoized("sex", raw, lambda text: (map_choice(text, c.Sex), "", ""))[0]
            if raw.strip() and given != sex:
                value = clean_text(raw)
                p.warn("sex", SEX_DIFFERS.format(value=value, sex=_SEX_LABELS[sex]), "sex")
        if "birth_date" in self.index and birth is not None:
            raw = self._cell(p.cells, "birth_date")
            if raw == birth.isoformat():  # the usual cell: parse_date would give exactly `birth`
                return
            given = memoized("birth_date", raw, lambda text: (normalize.parse_date(text), "", ""))[0]
            if raw.strip() and given != birth:
                value = clean_text(raw)
                p.warn("birth_date", BIRTH_DIFFERS.format(value=value, birth=birth.isoformat()), "birth_date")

    # --- the household's cells --------------------------------------------------------------------------

    def _village(self, cells: list[str]) -> tuple[str, Place]:
        """(the column an error is reported on, the village), once per distinct set of village cells."""
        cell = self._cell
        raw = (cell(cells, "village_code"), cell(cells, "county_name"), cell(cells, "township_name"))
        key = (*raw, cell(cells, "village_name"))
        found = self._village_memo.get(key)
        if found is None:
            village_code = clean_text(key[0]) if "village_code" in self.index else ""
            if village_code:
                found = ("village_code", self.villages.by_code(village_code))
            else:
                place = self.villages.by_names(clean_text(key[1]), clean_text(key[2]), clean_text(key[3]))
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
            phone, error = mobile(cell(cells, "household_phone"))
            if error:
                p.error("household_phone", error)
            hh["phone"] = phone
        return hh, p.issues

    # --- the member's cells -----------------------------------------------------------------------------

    def parse_member(self, p: Parsed) -> None:
        """The member's cells, one by one (the reference for `parse_member_memoized`)."""
        self._text(p, "person_no", p.laborer, "person_no", _LIMITS["person_no"])
        self._member_codes(p)
        self._member_phone(p)
        self._member_tail(p)

    def parse_member_memoized(self, p: Parsed) -> None:
        """`parse_member` with its low-cardinality cells (code lists, ethnicity, multi-value cells, wage)
        converted once per distinct combination: the same values and issues, in the same order."""
        self._text(p, "person_no", p.laborer, "person_no", _LIMITS["person_no"])
        self._apply_memo(p, self._codes_memo, self._codes_cells, self._member_codes)
        self._member_phone(p)
        self._apply_memo(p, self._tail_memo, self._tail_cells, self._member_tail)

    @staticmethod
    def _apply_memo(p: Parsed, memo: _Memo, indexes: list[int], parse: Callable[[Parsed], None]) -> None:
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
        convert = self.convert
        cells = p.cells
        lab = p.laborer
        self._text(p, "ethnicity", lab, "ethnicity", _LIMITS["ethnicity"])
        if lab.get("ethnicity"):  # "苗" -> 苗族 (the 民族 code list's name); other text is kept as it was
            lab["ethnicity"] = c.normalize_ethnicity(lab["ethnicity"]) or lab["ethnicity"]
        self._text(p, "disability_category", lab, "disability_category", _LIMITS["disability_category"])
        self._text(p, "employer_name", lab, "employer_name", _LIMITS_EMPLOYER)
        if has("relation"):
            relation = convert.choice("relation", cell(cells, "relation"), c.Relation, required=True)
            self._apply(p, "relation", relation, lab, "relation")
        else:
            p.error("relation", VALUE_REQUIRED.format(label=_LABEL["relation"]))
        for key, choices in (
            ("education", c.Education),
            ("student_status", c.StudentStatus),
            ("labor_skill", c.LaborSkill),
        ):
            if has(key):
                self._apply(p, key, convert.soft_choice(key, cell(cells, key), choices), lab, key)
        if has("health"):
            health, _, _ = convert.soft_health(cell(cells, "health"))
            lab["health"] = health
        if has("political_status"):
            value, error, _ = convert.choice("political_status", cell(cells, "political_status"), c.PoliticalStatus)
            if error:
                p.error("political_status", error)
            lab["political_status"] = value or c.PoliticalStatus.MASSES
        if has("marital_status"):
            marital = convert.choice("marital_status", cell(cells, "marital_status"), c.MaritalStatus)
            self._apply(p, "marital_status", marital, lab, "marital_status")
        if has("employment_status"):
            value, error, _ = convert.choice("employment_status", cell(cells, "employment_status"), c.EmploymentStatus)
            if error:
                p.error("employment_status", error)
            elif value:
                lab["employment_status"] = value

    def _member_phone(self, p: Parsed) -> None:
        lab = p.laborer
        if "phone" in self.index:
            phone, error = mobile(self._cell(p.cells, "phone"))
            if error:
                p.error("phone", error)
            # Compared with the stored row by hash; encrypted when written (plan.plan_group, plan.load_changed).
            p.phone = phone
            cols = phone_columns(phone)
            lab["phone_hash"] = cols.phone_hash
            lab["phone_masked"] = cols.phone_masked
            lab["phone_last4"] = cols.phone_last4

    def _member_tail(self, p: Parsed) -> None:
        """Reads only the cells of _MEMBER_TAIL_KEYS."""
        has = self.index.__contains__
        cell = self._cell
        convert = self.convert
        cells = p.cells
        lab = p.laborer
        multi: list[tuple[str, Any]] = [
            ("intended_occupations", None),
            ("training_needs", None),
            ("work_region_willingness", c.WILLINGNESS_CHOICES),
        ]
        for key, choices in multi:
            if has(key):
                self._apply(p, key, convert.multi(key, cell(cells, key), choices), lab, key)
        if has("expected_wage"):
            self._apply(p, "expected_wage", convert.wage(cell(cells, "expected_wage")), lab, "expected_wage")
