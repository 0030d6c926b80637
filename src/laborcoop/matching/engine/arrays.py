"""Columnar laborer and job tables: numpy arrays of codes, built from plain dicts, updated one row at a time.

A selector builds these from `values_list` rows (keys named after the model fields, see `encode_laborer` and
`encode_job`); the engine never sees ORM objects. Rows live in positions 0..n-1; `upsert` overwrites a known
id in place or appends (amortised doubling), `remove` moves the last row into the hole. Results never depend
on row order (ties break by id), so an incrementally maintained table ranks exactly like a rebuilt one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, ClassVar

import numpy as np

from laborcoop.matching.engine.taxonomy import NO_OCCUPATION, Taxonomy

# --- codes -------------------------------------------------------------------------------------------------

EDUCATION_LEVELS = ("文盲或半文盲", "小学", "初中", "高中", "大专", "本科及以上")
EDUCATION_RANK = {name: rank for rank, name in enumerate(EDUCATION_LEVELS)}
NO_EDUCATION = -1  # blank (in school) or unknown: fails any education minimum
LOW_EDUCATION_MAX_RANK = 1  # 文盲或半文盲 and 小学 count as "little education"

QUALIFICATION_LEVEL = {"初级技工": 1, "中级技工": 2, "高级技工": 3, "技师": 4, "高级技师": 5}

LABOR_SKILLS = ("普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力")
LABOR_CODE = {name: i for i, name in enumerate(LABOR_SKILLS)}
NO_LABOR_SKILLS = frozenset({"丧失劳动力", "无劳动力"})
WEAK_LABOR = "弱劳动力或半劳动力"
SERIOUS_ILLNESS = "患有大病"

# Laborer status bits; a job blocks some of them (see filters.blocked_status_bits).
ST_INELIGIBLE = 1  # in school, no labor ability, deceased or moved away: never matched
ST_EMPLOYED = 2
ST_UNREACHABLE = 4
ST_LIMITED = 8  # weak/half labor or serious illness: low-threshold jobs only (by default)

# Work-region willingness bits (务工地域 01/02/03).
WILL_IN_COUNTY = 1
WILL_IN_PROVINCE = 2
WILL_OUT_OF_PROVINCE = 4
WILL_ANY = WILL_IN_COUNTY | WILL_IN_PROVINCE | WILL_OUT_OF_PROVINCE
WILLINGNESS_BIT = {"01": WILL_IN_COUNTY, "02": WILL_IN_PROVINCE, "03": WILL_OUT_OF_PROVINCE}

# Relation of a job's work region to a laborer's home: index into distance tables.
REL_SAME_COUNTY = 0
REL_SAME_PREFECTURE = 1
REL_SAME_PROVINCE = 2
REL_OTHER_PROVINCE = 3
# The willingness bit a relation needs: same prefecture is still 省内县外.
REL_WILL_BIT = np.array([WILL_IN_COUNTY, WILL_IN_PROVINCE, WILL_IN_PROVINCE, WILL_OUT_OF_PROVINCE], dtype=np.int8)

SEX_CODE = {"1": 1, "2": 2}

# Intended regions (意向地区): up to INTENT_SLOTS subtrees per laborer, one int64 each: the subtree's first
# 12-digit code shifted left by 3, plus the class of its size (INTENT_SPAN: how many codes it spans). A job whose
# work region lies in one of them is in the laborer's intended region. One column per slot, not two: a ranking
# reads few columns at random positions, and each column read costs a cache miss per laborer.
INTENT_SLOTS = 3
NO_INTENT = -1  # class 7: spans nothing
INTENT_SPAN = np.array([1, 10**3, 10**6, 10**8, 10**10, 0, 0, 0], dtype=np.int64)
_SPAN_CLASS = {12: 0, 9: 1, 6: 2, 4: 3, 2: 4}
_PREFIX_DIGITS = (2, 4, 6, 9, 12)


def intent_code(code: str) -> int:
    """The packed subtree of a region code: 370100000000 (济南市) spans 370100000000..370199999999."""
    text = str(code).strip()
    if not (text.isdigit() and len(text) in (2, 4, 6, 9, 12)):
        return NO_INTENT
    text = text.ljust(12, "0")
    digits = next(d for d in _PREFIX_DIGITS if text[d:].strip("0") == "")
    return (int(text) << 3) | _SPAN_CLASS[digits]


def intent_range(packed: int) -> tuple[int, int]:
    """(first, last) 12-digit code of a packed subtree; an empty range (1, 0) for NO_INTENT."""
    span = int(INTENT_SPAN[packed & 7])
    return (packed >> 3, (packed >> 3) + span - 1) if span else (1, 0)


def in_intent(region: Any, packed: Any) -> Any:
    """Whether the 12-digit `region` lies in the packed subtree (broadcasts)."""
    offset = region - (packed >> 3)
    return (offset >= 0) & (offset < INTENT_SPAN[packed & 7])


def region_parts(code: str | int) -> tuple[int, int, int, int]:
    """(12-digit code, county, prefecture, province) as ints from a region code of any level."""
    text = str(code).strip()
    full = int(text.ljust(12, "0")[:12]) if text else 0
    return full, full // 10**6, full // 10**8, full // 10**10


# --- generic column store ----------------------------------------------------------------------------------


class ColumnStore:
    """Equal-length numpy columns keyed by `id`, with one-row upsert/remove."""

    SCHEMA: ClassVar[dict[str, Any]] = {}
    DEFAULTS: ClassVar[dict[str, int]] = {}  # value of a column the given columns leave out (else 0)

    def __init__(self, columns: Mapping[str, np.ndarray] | None = None) -> None:
        n = len(columns["id"]) if columns else 0
        self._cap = max(n, 16)
        self._data: dict[str, np.ndarray] = {}
        for name, dtype in self.SCHEMA.items():
            col = np.zeros(self._cap, dtype=dtype)
            if columns and name in columns:
                col[:n] = np.asarray(columns[name], dtype=dtype)
            elif name in self.DEFAULTS:
                col[:] = self.DEFAULTS[name]
            self._data[name] = col
        self.n = n
        self._pos: dict[int, int] | None = None

    def __len__(self) -> int:
        return self.n

    def col(self, name: str) -> np.ndarray:
        """The live rows of one column (a view: do not keep it across updates)."""
        return self._data[name][: self.n]

    def __getattr__(self, name: str) -> np.ndarray:
        data = self.__dict__.get("_data")
        if data is not None and name in data:
            return data[name][: self.__dict__["n"]]
        raise AttributeError(name)

    @property
    def positions(self) -> dict[int, int]:
        if self._pos is None:
            self._pos = {int(i): p for p, i in enumerate(self.col("id").tolist())}
        return self._pos

    def position(self, row_id: int) -> int | None:
        return self.positions.get(int(row_id))

    def row(self, pos: int) -> dict[str, Any]:
        return {name: self._data[name][pos].item() for name in self.SCHEMA}

    def upsert_encoded(self, row: Mapping[str, Any]) -> int:
        pos = self.position(row["id"])
        if pos is None:
            if self.n == self._cap:
                self._grow()
            pos = self.n
            self.n += 1
            self.positions[int(row["id"])] = pos
        for name in self.SCHEMA:
            self._data[name][pos] = row[name]
        return pos

    def remove(self, row_id: int) -> bool:
        pos = self.position(row_id)
        if pos is None:
            return False
        last = self.n - 1
        if pos != last:
            for col in self._data.values():
                col[pos] = col[last]
            self.positions[int(self._data["id"][pos])] = pos
        del self.positions[int(row_id)]
        self.n = last
        return True

    def _grow(self) -> None:
        self._cap *= 2
        for name, col in self._data.items():
            bigger = np.zeros(self._cap, dtype=col.dtype)
            bigger[: self.n] = col[: self.n]
            self._data[name] = bigger


# --- laborers ----------------------------------------------------------------------------------------------


class LaborerArrays(ColumnStore):
    SCHEMA: ClassVar[dict[str, Any]] = {
        "id": np.int64,
        "region": np.int64,  # home village, 12-digit code
        "county": np.int32,  # 6-digit
        "pref": np.int32,  # 4-digit
        "prov": np.int16,  # 2-digit
        "birth": np.int32,  # date.toordinal()
        "sex": np.int8,  # 1 男, 2 女, 0 unknown
        "edu": np.int8,  # EDUCATION_RANK, NO_EDUCATION when blank
        "status": np.int8,  # ST_* bits
        "will": np.int8,  # WILL_* bits; blank willingness = WILL_ANY
        "labor": np.int8,  # LABOR_CODE
        "occ1": np.int16,  # first intended occupation id, -1 none
        "occ2": np.int16,  # second intended occupation id, -1 none
        "skill_bits": np.int64,  # canonical occupations named in skills (1 << id)
        "qual": np.int8,  # QUALIFICATION_LEVEL, 0 none
        "wage": np.int32,  # expected monthly wage, 0 unknown
        # Intended regions, packed (see intent_code); NO_INTENT when unused.
        "ir1": np.int64,
        "ir2": np.int64,
        "ir3": np.int64,
    }
    DEFAULTS: ClassVar[dict[str, int]] = {f"ir{i + 1}": NO_INTENT for i in range(INTENT_SLOTS)}

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]], taxonomy: Taxonomy) -> LaborerArrays:
        encoded = [encode_laborer(r, taxonomy) for r in rows]
        cols = {name: np.array([e[name] for e in encoded], dtype=dt) for name, dt in cls.SCHEMA.items()}
        return cls(cols)

    def upsert(self, raw: Mapping[str, Any], taxonomy: Taxonomy) -> int:
        return self.upsert_encoded(encode_laborer(raw, taxonomy))


def encode_laborer(raw: Mapping[str, Any], taxonomy: Taxonomy) -> dict[str, Any]:
    """One laborer from a dict keyed like registry.Laborer (+ `region_code`), as column codes.

    Keys: id, region_code, birth_date, sex, education, student_status, health (list), labor_skill,
    employment_status, unreachable, vital_status, work_region_willingness (list of 01/02/03),
    intended_occupations (list of text), intended_regions (list of region codes; the first INTENT_SLOTS
    count), expected_wage, skills (text), qualification.
    """
    full, county, pref, prov = region_parts(raw.get("region_code") or raw.get("region_id") or "")
    health = raw.get("health") or []
    if isinstance(health, str):
        health = [h for h in health.replace("，", ",").split(",") if h]
    labor = raw.get("labor_skill") or ""
    status = 0
    if (
        raw.get("student_status")
        or labor in NO_LABOR_SKILLS
        or labor not in LABOR_CODE
        or (raw.get("vital_status") or "normal") != "normal"
    ):
        status |= ST_INELIGIBLE
    if raw.get("employment_status") == "employed":
        status |= ST_EMPLOYED
    if raw.get("unreachable"):
        status |= ST_UNREACHABLE
    if labor == WEAK_LABOR or SERIOUS_ILLNESS in health:
        status |= ST_LIMITED
    will = 0
    for code in raw.get("work_region_willingness") or []:
        will |= WILLINGNESS_BIT.get(str(code), 0)
    intents = taxonomy.resolve_many(list(raw.get("intended_occupations") or []))
    skill_ids = taxonomy.resolve_many(raw.get("skills") or "")
    birth = raw["birth_date"]
    places = [c for c in (intent_code(code) for code in raw.get("intended_regions") or []) if c != NO_INTENT]
    places = list(dict.fromkeys(places))[:INTENT_SLOTS]
    places += [NO_INTENT] * (INTENT_SLOTS - len(places))
    return {
        "id": int(raw["id"]),
        "region": full,
        "county": county,
        "pref": pref,
        "prov": prov,
        "birth": birth.toordinal() if isinstance(birth, date) else date.fromisoformat(str(birth)).toordinal(),
        "sex": SEX_CODE.get(str(raw.get("sex") or ""), 0),
        "edu": EDUCATION_RANK.get(raw.get("education") or "", NO_EDUCATION),
        "status": status,
        "will": will or WILL_ANY,
        "labor": LABOR_CODE.get(labor, LABOR_CODE["无劳动力"]),
        "occ1": intents[0] if intents else NO_OCCUPATION,
        "occ2": intents[1] if len(intents) > 1 else NO_OCCUPATION,
        # Skills and certificates: both the skills text and the intents the person is trained for count.
        "skill_bits": taxonomy.skill_bits(skill_ids),
        "qual": QUALIFICATION_LEVEL.get(raw.get("qualification") or "", 0),
        "wage": int(raw.get("expected_wage") or 0),
        **{f"ir{slot + 1}": places[slot] for slot in range(INTENT_SLOTS)},
    }


# --- jobs --------------------------------------------------------------------------------------------------


class JobArrays(ColumnStore):
    SCHEMA: ClassVar[dict[str, Any]] = {
        "id": np.int64,
        "enterprise": np.int64,
        "region": np.int64,  # work region, 12-digit code
        "county": np.int32,
        "pref": np.int32,
        "prov": np.int16,
        "occ": np.int16,  # occupation id
        "canon": np.int8,  # canonical occupation (for skill bits), -1 none
        "openings": np.int32,
        "wage_min": np.int32,
        "wage_max": np.int32,
        "age_min": np.int16,
        "age_max": np.int16,
        "sex": np.int8,  # 0 不限, 1 男, 2 女
        "edu_min": np.int8,  # EDUCATION_RANK, -1 no minimum
        "acc": np.int8,  # provides accommodation
        "meals": np.int8,
        "low": np.int8,  # low-threshold job
        "assist": np.int8,  # employer is a 就业帮扶车间 or 基地
        "retention": np.float32,  # past retention rate in [0, 1], NaN unknown
        "sent": np.int32,  # candidates already sent (congestion)
        "active": np.int8,  # open and valid: offered in modes 2 and 3
    }

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]], taxonomy: Taxonomy, *, today: date) -> JobArrays:
        encoded = [encode_job(r, taxonomy, today=today) for r in rows]
        cols = {name: np.array([e[name] for e in encoded], dtype=dt) for name, dt in cls.SCHEMA.items()}
        return cls(cols)

    def upsert(self, raw: Mapping[str, Any], taxonomy: Taxonomy, *, today: date) -> int:
        return self.upsert_encoded(encode_job(raw, taxonomy, today=today))


def encode_job(raw: Mapping[str, Any], taxonomy: Taxonomy, *, today: date) -> dict[str, Any]:
    """One job posting from a dict keyed like employers.JobPosting (+ `work_region_code`) and its employer.

    Keys: id, enterprise_id, work_region_code, occupation, openings, wage_min, wage_max, age_min, age_max,
    sex_requirement, education_min, provides_accommodation, provides_meals, is_low_threshold, status,
    valid_until; optional is_assist_workshop, is_assist_base, retention_rate (0..1), sent_count.
    """
    full, county, pref, prov = region_parts(raw.get("work_region_code") or raw.get("work_region_id") or "")
    occ = taxonomy.resolve(raw.get("occupation") or "")
    valid_until = raw.get("valid_until")
    if valid_until is not None and not isinstance(valid_until, date):
        valid_until = date.fromisoformat(str(valid_until))
    active = (raw.get("status") or "open") == "open" and (valid_until is None or valid_until >= today)
    retention = raw.get("retention_rate")
    return {
        "id": int(raw["id"]),
        "enterprise": int(raw.get("enterprise_id") or 0),
        "region": full,
        "county": county,
        "pref": pref,
        "prov": prov,
        "occ": occ,
        "canon": taxonomy.canonical_of(occ),
        "openings": int(raw.get("openings") or 1),
        "wage_min": int(raw.get("wage_min") or 0),
        "wage_max": int(raw.get("wage_max") or raw.get("wage_min") or 0),
        "age_min": _int_or(raw.get("age_min"), 16),
        "age_max": _int_or(raw.get("age_max"), 60),
        "sex": SEX_CODE.get(str(raw.get("sex_requirement") or ""), 0),
        "edu_min": EDUCATION_RANK.get(raw.get("education_min") or "", -1),
        "acc": int(bool(raw.get("provides_accommodation"))),
        "meals": int(bool(raw.get("provides_meals"))),
        "low": int(bool(raw.get("is_low_threshold"))),
        "assist": int(bool(raw.get("is_assist_workshop") or raw.get("is_assist_base"))),
        "retention": math.nan if retention is None else float(retention),
        "sent": int(raw.get("sent_count") or 0),
        "active": int(active),
    }


def _int_or(value: Any, default: int) -> int:
    return default if value is None else int(value)
