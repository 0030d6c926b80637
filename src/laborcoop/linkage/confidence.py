"""How sure a link is, in the officer's words: 高可信 / 中可信 / 低可信 and the plain reasons behind it.

A link is accepted without review only when it is 高可信:
- the ID numbers are equal (身份证号一致);
- or, without an equal ID, the mobile number is equal where both lists have one and the name reads the same
  (手机号一致、姓名相同 or 姓名同音), with the same birth year and no other sex;
- or the name is the same character for character, the birth date is the same, and the village is the same
  or missing on one side (姓名相同、出生日期相同、同村), and the engine is at least `HIGH_PROBABILITY` sure.

Everything else the engine links goes to review: 低可信 when something speaks against one person (two
different *valid* ID numbers: the GB 11643 check digit catches every single-character error, so they almost
always belong to two people; another sex), 中可信 otherwise (a name that differs in a character, 赵永 / 赵勇,
even when it sounds the same; another birth date; another village; a missing birth date).

Pure functions of the engine's agreeing and conflicting fields (`engine.COMPARED_FIELDS`): the engine adds
`level` and `reasons` to its matches with them, the comparison screens and the benchmark read those.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

HIGH, MEDIUM, LOW = "high", "medium", "low"
LEVEL_LABELS = {HIGH: "高可信", MEDIUM: "中可信", LOW: "低可信"}
LEVEL_HELP = {
    HIGH: "可直接接受",
    MEDIUM: "请核实后决定",
    LOW: "很可能不是同一人，请核实",
}
# A name-and-birth-date link is accepted without review only at this probability or above.
HIGH_PROBABILITY = 0.99

ID_EQUAL = "身份证号一致"
ID_DIFFER = "身份证号不同（两个均为有效号码）"
PHONE_EQUAL = "手机号一致"
PHONE_DIFFER = "手机号不同"
NAME_EQUAL = "姓名相同"
NAME_HOMOPHONE = "姓名同音不同字"
NAME_DIFFER = "姓名不同"
BIRTH_EQUAL = "出生日期相同"
BIRTH_SAME_YEAR = "出生日期不同（同年）"
BIRTH_DIFFER = "出生日期不同"
SEX_DIFFER = "性别不同"
SAME_VILLAGE = "同村"
SAME_COUNTY = "同县不同村"
OTHER_COUNTY = "不同县"


@dataclass(frozen=True)
class Assessment:
    level: str
    reasons: tuple[str, ...]

    @property
    def needs_review(self) -> bool:
        return self.level != HIGH

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level]


def reasons_of(agreeing: Iterable[str], conflicting: Iterable[str]) -> list[str]:
    """The plain reasons of a pair: what agrees first (ID, phone, name, birth date, village), then what
    differs."""
    agree, conflict = set(agreeing), set(conflicting)
    found: list[str] = []
    if "id_number" in agree:
        found.append(ID_EQUAL)
    if "phone" in agree:
        found.append(PHONE_EQUAL)
    if "name" in agree:
        found.append(NAME_EQUAL)
    elif "name_pinyin" in agree:
        found.append(NAME_HOMOPHONE)
    if "birth_date" in agree:
        found.append(BIRTH_EQUAL)
    if "village_code" in agree:
        found.append(SAME_VILLAGE)
    differ: list[str] = []
    if "id_number" in conflict:
        differ.append(ID_DIFFER)
    if "name" not in agree and "name_pinyin" not in agree and ("name" in conflict or "name_pinyin" in conflict):
        differ.append(NAME_DIFFER)
    if "birth_date" in conflict:
        differ.append(BIRTH_SAME_YEAR if "birth_year" in agree else BIRTH_DIFFER)
    if "sex" in conflict:
        differ.append(SEX_DIFFER)
    if "village_code" in conflict:
        differ.append(SAME_COUNTY if "county_code" in agree else OTHER_COUNTY)
    if "phone" in conflict:
        differ.append(PHONE_DIFFER)
    return found + differ


def assess(method: str, probability: float, agreeing: Iterable[str], conflicting: Iterable[str]) -> Assessment:
    """The level and reasons of one link of the engine (method "id" or "splink")."""
    agree, conflict = set(agreeing), set(conflicting)
    reasons = tuple(reasons_of(agree, conflict))
    if method == "id" or "id_number" in agree:
        return Assessment(HIGH, reasons)
    if "id_number" in conflict or "sex" in conflict:
        return Assessment(LOW, reasons)
    same_name = "name" in agree
    sounds_same = same_name or "name_pinyin" in agree
    if "phone" in agree and sounds_same and "birth_year" in agree:
        return Assessment(HIGH, reasons)
    if same_name and "birth_date" in agree and "village_code" not in conflict and probability >= HIGH_PROBABILITY:
        return Assessment(HIGH, reasons)
    return Assessment(MEDIUM, reasons)


def split_fields(text: str | None) -> tuple[str, ...]:
    return tuple(filter(None, (text or "").split(",")))
