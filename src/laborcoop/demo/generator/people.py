"""People: phone numbers, given names, school, labor skill, and the members of a household (relations, sexes,
ages, surnames and 民族)."""

from dataclasses import dataclass
from random import Random
from typing import TypeVar

from .. import names as nm
from .regions import County
from .sampling import Weighted
from .weights import SKILL_60_64, SKILL_65_69, SKILL_WORKING_AGE, SURNAMES, F, M, R

T = TypeVar("T")


# Phones: counter k -> prefix k % P and suffix (k // P * A + B) mod 10^8 (A coprime to 10): unique for every
# k below P * 10^8, and they look random. Appends continue the counter after the existing laborers.
_PHONE_A, _PHONE_B = 48_271_993, 31_415_926


def phone_number(k: int) -> str:
    prefixes = nm.MOBILE_PREFIXES
    return f"{prefixes[k % len(prefixes)]}{(k // len(prefixes) * _PHONE_A + _PHONE_B) % 100_000_000:08d}"


def _cohort(birth_year: int) -> str:
    return "old" if birth_year < 1970 else "mid" if birth_year < 1995 else "new"


def given_name(rng: Random, sex: str, birth_year: int) -> str:
    cohort = _cohort(birth_year)
    first, second = nm.GIVEN_CHARS[(cohort, sex)]
    if rng.random() < nm.SINGLE_CHAR_SHARE[cohort]:
        return rng.choice(second)
    a, b = rng.choice(first), rng.choice(second)
    return a + b if a != b else a + rng.choice(second)


def student_status(rng: Random, age: int) -> str:
    """在校生状况 for an age, or '' when not in school."""
    if age <= 2:
        return "学龄前儿童"
    if age <= 5:
        return "学前教育" if rng.random() < 0.9 else "学龄前儿童"
    if age <= 11:
        return "小学"
    if age <= 14:
        return ("七年级", "八年级", "九年级")[age - 12]
    if age <= 17:
        if rng.random() < 0.85:
            grade = "一二三"[age - 15]
            return f"普通高中{grade}年级" if rng.random() < 0.6 else f"中职{grade}年级"
        return ""
    if age <= 21:
        if rng.random() < 0.35:
            grade = "一二三四"[age - 18]
            if age <= 20 and rng.random() < 0.5:
                return f"高职高专{grade}年级"
            return f"本科{grade}年级"
        return ""
    if age <= 23 and rng.random() < 0.06:
        return "硕士研究生及以上"
    return ""


def for_age(table: tuple[tuple[int, Weighted[T]], ...], age: int) -> Weighted[T]:
    for limit, weighted in table:
        if age < limit:
            return weighted
    return table[-1][1]


def labor_skill(rng: Random, age: int, health: tuple[str, ...], in_school: bool) -> str:
    healthy = health == ("健康",)
    if in_school or age < 16 or age >= 70:
        return "无劳动力" if healthy or age < 16 or in_school or rng.random() < 0.7 else "丧失劳动力"
    if age < 60:
        key = "healthy" if healthy else "残疾" if "残疾" in health else health[0]
        return SKILL_WORKING_AGE[key].pick(rng)
    if age < 65:
        return SKILL_60_64[healthy].pick(rng)
    return SKILL_65_69[healthy].pick(rng)


@dataclass
class Member:
    relation: str
    sex: str
    age: int
    surname: str = ""
    ethnicity: str = ""


def plan_household(rng: Random, size: int) -> list[Member]:
    """Relations, sexes and ages of a household of `size` members (head first)."""
    head_age = min(70, int(rng.triangular(30, 71, 50)))
    head_sex = M if rng.random() < 0.86 else F
    members = [Member(R.HEAD, head_sex, head_age)]
    left = size - 1
    youngest_parent = head_age
    if left and rng.random() < (0.9 if size >= 3 else 0.75):
        gap = rng.randint(-2, 6)
        spouse_age = max(20, min(85, head_age - gap if head_sex == M else head_age + gap))
        members.append(Member(R.SPOUSE, F if head_sex == M else M, spouse_age))
        youngest_parent = min(head_age, spouse_age)
        left -= 1
    if left >= 2 and head_age >= 50 and rng.random() < 0.55:
        # Three generations: a married son, his wife and their children.
        son_age = rng.randint(22, min(youngest_parent - 20, 45))
        members.append(Member(R.SON, M, son_age))
        left -= 1
        if left and rng.random() < 0.8:
            members.append(Member(R.DAUGHTER_IN_LAW, F, max(20, son_age - rng.randint(-2, 5))))
            left -= 1
        for _ in range(left):
            sex = M if rng.random() < 0.52 else F
            age = rng.randint(max(0, son_age - 40), son_age - 20)
            members.append(Member(R.GRANDSON if sex == M else R.GRANDDAUGHTER, sex, age))
        return members
    if left >= 1 and head_age <= 52 and rng.random() < 0.3:
        parent_age = min(92, head_age + rng.randint(22, 32))
        if left >= 2 and rng.random() < 0.4:
            members.append(Member(R.FATHER, M, parent_age))
            members.append(Member(R.MOTHER, F, max(head_age + 19, parent_age - rng.randint(0, 5))))
            left -= 2
        else:
            sex = F if rng.random() < 0.6 else M
            members.append(Member(R.MOTHER if sex == F else R.FATHER, sex, parent_age))
            left -= 1
    # Children born while the (younger) parent was 20 to 42.
    oldest_child = max(0, min(youngest_parent - 20, 45))
    youngest_child = min(oldest_child, max(0, youngest_parent - 42))
    for _ in range(left):
        sex = M if rng.random() < 0.52 else F
        members.append(Member(R.SON if sex == M else R.DAUGHTER, sex, rng.randint(youngest_child, oldest_child)))
    return members


def assign_names(rng: Random, county: County, members: list[Member]) -> None:
    """Surnames and 民族: children share the father's surname, grandchildren the son's."""
    head = members[0]
    head.ethnicity = county.ethnicity.pick(rng)
    head.surname = SURNAMES.get(head.ethnicity, SURNAMES[""]).pick(rng)
    family = head
    spouse = next((m for m in members if m.relation == R.SPOUSE), None)
    for m in members[1:]:
        if m.relation in (R.SPOUSE, R.MOTHER, R.DAUGHTER_IN_LAW):
            m.ethnicity = county.ethnicity.pick(rng)
            m.surname = SURNAMES.get(m.ethnicity, SURNAMES[""]).pick(rng)
    if spouse is not None and head.sex == F:
        family = spouse
    for m in members[1:]:
        if m.relation == R.FATHER:
            m.ethnicity, m.surname = head.ethnicity, head.surname
        elif m.relation in (R.SON, R.DAUGHTER):
            other = spouse if spouse is not None and rng.random() < 0.25 else head
            m.ethnicity = other.ethnicity
            m.surname = family.surname
    # Grandchildren: the son's surname; 民族 of the son or of his wife.
    son = next((m for m in members if m.relation == R.SON), None)
    wife = next((m for m in members if m.relation == R.DAUGHTER_IN_LAW), None)
    for m in members:
        if son is not None and m.relation in (R.GRANDSON, R.GRANDDAUGHTER):
            m.surname = son.surname
            m.ethnicity = wife.ethnicity if wife is not None and rng.random() < 0.25 else son.ethnicity
