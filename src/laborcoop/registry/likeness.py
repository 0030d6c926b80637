"""Scoring two person records as likely the same person. Pure functions, shared by the registration check
and the duplicate scan.

Name levels (shared/domain.md "Chinese name matching"): equal after normalisation (OpenCC t2s, spaces,
full-width forms), equal toneless pinyin (homophones: 张伟 / 章玮), pinyin Jaro-Winkler >= 0.9, else not a
candidate. Jaro-Winkler runs on pinyin, never on Hanzi (two similar characters share no bytes).

score = 0.7 * name + 0.2 * birth + 0.1 * place, where
- name: 1.0 equal, 0.9 homophone, 0.75 * JW for a close spelling (0.675 .. 0.75);
- birth: 1.0 same date, 0.6 month and day swapped (a common typing error: 1990-03-05 / 1990-05-03);
- place: 1.0 same village, 0.5 same county, 0 otherwise.
Every candidate shares the sex and the (possibly swapped) birth date, so a candidate's score ranges from
about 0.59 to 1.0; the scan keeps pairs at or above SCAN_THRESHOLD.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from pypinyin import lazy_pinyin
from rapidfuzz.distance import JaroWinkler

from laborcoop.core.chinese import SURNAME_READINGS, normalize_name

JW_THRESHOLD = 0.9
SCAN_THRESHOLD = 0.6

NAME_EQUAL = 1.0
NAME_HOMOPHONE = 0.9
NAME_FUZZY_FACTOR = 0.75
BIRTH_SWAPPED = 0.6
PLACE_COUNTY = 0.5

REASON_NAME_EQUAL = "姓名相同"
REASON_NAME_T2S = "姓名相同（繁简转换后）"
REASON_NAME_HOMOPHONE = "姓名同音（{pinyin}）"
REASON_NAME_CLOSE = "姓名拼音相近（{a} / {b}）"
REASON_BIRTH_EQUAL = "出生日期相同"
REASON_BIRTH_SWAPPED = "出生日期月日颠倒"
REASON_SAME_VILLAGE = "同村"
REASON_SAME_COUNTY = "同县"
REASON_SAME_ID_TAIL = "证件号后四位相同"


@lru_cache(maxsize=50_000)
def _part_pinyin(text: str) -> str:
    return "".join(lazy_pinyin(text, errors="ignore")).lower()


def fast_name_pinyin(name: str) -> str:
    """`core.chinese.name_pinyin`, ten times faster on many names: the surname and the given name are
    converted (and cached) separately, because given names repeat far more than full names (57,641 distinct
    names among 100,000 seeded laborers, but 2,569 distinct surnames and given names). It differs from
    name_pinyin only where pypinyin would read a phrase across the surname boundary (1 of 5,000 seeded names:
    周长华, where the phrase 周长 "perimeter" reads 长 as chang)."""
    if not name:
        return ""
    for length in (2, 1):
        reading = SURNAME_READINGS.get(name[:length])
        if reading is not None:
            return reading + _part_pinyin(name[length:])
    return _part_pinyin(name[:1]) + _part_pinyin(name[1:])


@lru_cache(maxsize=200_000)
def name_key(raw: str) -> tuple[str, str]:
    """(normalised name, toneless pinyin); cached because names repeat a lot (王伟, 张伟, 李娜 ...)."""
    norm = normalize_name(raw)
    return norm, fast_name_pinyin(norm)


@dataclass(frozen=True, slots=True)
class Person:
    """What the scorer needs of a record."""

    id: int
    raw_name: str
    name: str  # normalised
    pinyin: str
    birth_date: date
    region_code: str
    id_last4: str = ""

    @classmethod
    def of(cls, *, id: int, name: str, birth_date: date, region_code: str, id_last4: str = "") -> "Person":
        norm, py = name_key(name)
        return cls(id, name, norm, py, birth_date, region_code or "", id_last4)


@dataclass(frozen=True)
class Match:
    score: float
    reasons: list[str]


def swapped(day: date) -> date | None:
    """The date with month and day exchanged, if that is another valid date (1990-03-05 -> 1990-05-03)."""
    if day.day > 12 or day.day == day.month:
        return None
    return date(day.year, day.day, day.month)


def _name_level(a: Person, b: Person) -> tuple[float, str] | None:
    if not a.name or not b.name:
        return None
    if a.name == b.name:
        return NAME_EQUAL, (REASON_NAME_EQUAL if a.raw_name.strip() == b.raw_name.strip() else REASON_NAME_T2S)
    if not a.pinyin or not b.pinyin:
        return None
    if a.pinyin == b.pinyin:
        return NAME_HOMOPHONE, REASON_NAME_HOMOPHONE.format(pinyin=a.pinyin)
    jw = JaroWinkler.normalized_similarity(a.pinyin, b.pinyin, score_cutoff=JW_THRESHOLD)
    if jw < JW_THRESHOLD:
        return None
    return NAME_FUZZY_FACTOR * jw, REASON_NAME_CLOSE.format(a=a.pinyin, b=b.pinyin)


def score_pair(a: Person, b: Person) -> Match | None:
    """How likely two records (already known to share the sex) are the same person; None if unlikely."""
    if a.birth_date == b.birth_date:
        birth, birth_reason = 1.0, REASON_BIRTH_EQUAL
    elif swapped(a.birth_date) == b.birth_date:
        birth, birth_reason = BIRTH_SWAPPED, REASON_BIRTH_SWAPPED
    else:
        return None
    level = _name_level(a, b)
    if level is None:
        return None
    name, name_reason = level
    reasons = [name_reason, birth_reason]
    place = 0.0
    if a.region_code and a.region_code == b.region_code:
        place = 1.0
        reasons.append(REASON_SAME_VILLAGE)
    elif a.region_code[:6] and a.region_code[:6] == b.region_code[:6]:
        place = PLACE_COUNTY
        reasons.append(REASON_SAME_COUNTY)
    if a.id_last4 and a.id_last4 == b.id_last4:
        reasons.append(REASON_SAME_ID_TAIL)
    score = round(min(1.0, 0.7 * name + 0.2 * birth + 0.1 * place), 3)
    return Match(score=score, reasons=reasons)


LEVEL_LENGTHS = (12, 9, 6, 4, 2)


def common_region_code(a: str, b: str) -> str:
    """The smallest region containing both codes: the longest common level prefix, padded to 12 digits
    ('433122107201' and '433122108201' -> '433122000000'); '' if not even the province agrees."""
    for length in LEVEL_LENGTHS:
        if a[:length] == b[:length]:
            return a[:length].ljust(12, "0")
    return ""
