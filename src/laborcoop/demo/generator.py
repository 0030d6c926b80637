"""Deterministic demo data: households and laborers in Hunan villages, enterprises and job postings.

`seed_dataset(SeedConfig(laborers=N, seed=S))` writes N laborers (every member of the generated households),
about one enterprise per 400 laborers (at least 50) and 2-5 jobs per enterprise. The same seed, size,
reference day (`as_of`) and database state give the same rows (names, ID numbers and their hashes, phones,
household numbers); only the AES-GCM ciphertexts differ, because every encryption draws a fresh nonce.

Bulk paths only, one transaction per batch: on PostgreSQL households and laborers stream through COPY while
they are generated (the server inserts in parallel); elsewhere one executemany INSERT per table and batch.
Large PostgreSQL loads (FAST_LOAD_MIN) run in a single transaction that drops the secondary indexes and
foreign keys of the two tables and rebuilds them at the end (see `_indexes_dropped`).

The data passes the registry validation rules (one 户主, a spouse of the other sex, ages consistent with
relation and school, healthy working-age adults have labor ability, unique ID and mobile numbers), so
`warnings` is {} everywhere.

Appending (laborers exist already) continues household numbers per village, draws from another random
stream (seed and the current laborer count), continues the phone sequence and rejects ID numbers whose hash
the database holds.
"""

import json
import time
from bisect import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from random import Random
from typing import Any, Generic, TypeVar

from django.db import connection, transaction
from django.db.models import Max

from laborcoop.employers import choices as ec
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.scope import in_subtree_q
from laborcoop.registry import choices as rc
from laborcoop.registry.identity import identity_columns
from laborcoop.registry.models import Household, Laborer
from laborcoop.registry.validation.checksums import USCC_ALPHABET, make_id_number, make_uscc

from . import names as nm

DEFAULT_SEED = 2026
DEFAULT_BATCH = 5000
LABORERS_PER_ENTERPRISE = 400
MIN_ENTERPRISES = 50
# PostgreSQL loads of at least this many laborers (and at least as many as the table holds) run in one
# transaction with the secondary indexes and foreign keys of the two tables dropped and rebuilt at the end.
FAST_LOAD_MIN = 100_000

T = TypeVar("T")
M, F = rc.Sex.MALE.value, rc.Sex.FEMALE.value
R = rc.Relation
EMPLOYED, UNEMPLOYED, FARMING, NOT_APPLICABLE = (
    rc.EmploymentStatus.EMPLOYED.value,
    rc.EmploymentStatus.UNEMPLOYED.value,
    rc.EmploymentStatus.FARMING.value,
    rc.EmploymentStatus.NOT_IN_LABOR_FORCE.value,
)
IN_COUNTY, IN_PROVINCE, OUT_OF_PROVINCE = (
    rc.WorkArea.IN_COUNTY.value,
    rc.WorkArea.IN_PROVINCE.value,
    rc.WorkArea.OUT_OF_PROVINCE.value,
)

# Share of households per county group: 泸溪县, the rest of 湘西州, 邵阳县, the rest of Hunan.
COUNTY_GROUPS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("433122", 0.12, ()),
    ("4331", 0.28, ("433122",)),
    ("430523", 0.10, ()),
    ("43", 0.50, ("4331", "430523")),
)
# Enterprise areas: key, region prefix, share, short place name, industries (section, weight).
ENTERPRISE_AREAS: tuple[tuple[str, str, float, str, tuple[tuple[str, float], ...]], ...] = (
    ("xiangxi", "4331", 0.30, "", (("C", 1.0),)),
    ("changsha", "4301", 0.15, "长沙", (("C", 4), ("E", 2), ("H", 2), ("O", 2), ("G", 1), ("F", 1))),
    ("shaoyang", "430523", 0.05, "邵阳县", (("C", 3), ("A", 2), ("F", 1), ("E", 1))),
    ("jinan", "3701", 0.15, "济南", (("C", 4), ("E", 2), ("G", 2), ("H", 1), ("O", 1), ("Q", 1))),
    ("guangzhou", "4401", 0.08, "广州", (("C", 3), ("H", 2), ("G", 2), ("O", 1), ("F", 1))),
    ("shenzhen", "4403", 0.08, "深圳", (("C", 4), ("G", 2), ("O", 1), ("H", 1))),
    ("dongguan", "4419", 0.09, "东莞", (("C", 6), ("G", 1), ("H", 1))),
    ("yiwu", "330782", 0.05, "义乌", (("C", 3), ("F", 3), ("G", 2))),
    ("haining", "330481", 0.05, "海宁", (("C", 5), ("F", 1), ("G", 1))),
)
PARTNER_AREAS = frozenset({"jinan", "guangzhou", "shenzhen", "dongguan", "yiwu", "haining"})


class FastRandom(Random):
    """random.Random with cheaper integer draws: int(random() * n) instead of rejection sampling (the bias,
    at most n / 2**53, does not matter for demo data). Deterministic per seed like Random."""

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        return start + step * int(self.random() * ((stop - start + step - 1) // step))

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]


class Weighted(Generic[T]):
    """A weighted choice that costs one random() and a bisect per draw."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        pairs = [(item, w) for item, w in pairs if w > 0]
        if not pairs:
            raise ValueError("Weighted needs at least one positive weight")
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: Random) -> T:
        return self.items[bisect(self.cum, rng.random() * self.total)]


def _w(*pairs: tuple[T, float]) -> Weighted[T]:
    return Weighted(pairs)


# ---------------------------------------------------------------------------------------------- regions
@dataclass
class County:
    code6: str
    name: str
    villages: list[tuple[str, str]]  # (village code12, address prefix "<township><village>")
    ethnicity: Weighted[str]
    id_codes: list[tuple[date, str]] = field(default_factory=list)  # before date -> code (predecessors)
    id_code: str = ""

    def id_address(self, birth: date) -> str:
        for until, code in self.id_codes:
            if birth < until:
                return code
        return self.id_code or self.code6


@dataclass
class RegionPools:
    counties: list[County]
    county_pick: Weighted[int]
    enterprise_areas: dict[str, list[tuple[str, str]]]  # area -> [(region code12, address prefix)]
    partner_prefectures: list[str]  # region codes for 意向地区
    region_names: dict[str, str] = field(default_factory=dict)  # code12 -> name (enterprise areas)

    @property
    def village_count(self) -> int:
        return sum(len(c.villages) for c in self.counties)


class MissingRegionsError(Exception):
    pass


MISSING_VILLAGES = "行政区划表中没有湖南省的村（社区）。请先运行 manage.py load_regions。"


def _ethnicity_for(code6: str) -> Weighted[str]:
    for cut in (6, 4, 2):
        table = nm.ETHNICITY_BY_PREFIX.get(code6[:cut])
        if table:
            return Weighted(table)
    return Weighted((("汉族", 1.0),))


def _strip_suffix(name: str, suffixes: Sequence[str]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def load_region_pools() -> RegionPools:
    """Read the villages of Hunan and the enterprise areas from the Region table (active codes only)."""
    active = Region.objects.filter(valid_to__isnull=True)
    townships = dict(active.filter(in_subtree_q("43", "code"), level=RegionLevel.TOWNSHIP).values_list("code", "name"))
    counties_all = dict(
        Region.objects.filter(in_subtree_q("43", "code"), level=RegionLevel.COUNTY).values_list("code", "name")
    )
    by_county: dict[str, list[tuple[str, str]]] = defaultdict(list)
    communities: dict[str, list[tuple[str, str]]] = defaultdict(list)
    villages = active.filter(in_subtree_q("43", "code"), level=RegionLevel.VILLAGE).order_by("code")
    for code, name in villages.values_list("code", "name"):
        label = townships.get(code[:9] + "000", "") + _strip_suffix(name, ("委会",))
        # Rural villages (村委会, 200-399) first; a county with none falls back to its communities.
        (by_county if code[9:] >= "200" else communities)[code[:6]].append((code, label))
    for code6, rows in communities.items():
        if code6 not in by_county:
            by_county[code6] = rows
    if not by_county:
        raise MissingRegionsError(MISSING_VILLAGES)

    # ID address codes: NBS-only "7x" units never appear in IDs (use a real county of the same prefecture);
    # people born before a renaming carry the old code (望城县 430122 before 2011, ...).
    real_counties = sorted(c[:6] for c in counties_all if c[4] != "7")
    predecessors: dict[str, list[tuple[date, str]]] = defaultdict(list)
    for old, valid_to, successor in Region.objects.filter(
        level=RegionLevel.COUNTY, valid_to__isnull=False, successor__isnull=False
    ).values_list("code", "valid_to", "successor_id"):
        if valid_to is not None:
            predecessors[str(successor)[:6]].append((valid_to, old[:6]))

    counties: list[County] = []
    for code6 in sorted(by_county):
        id_code = code6
        if code6[4] == "7":
            same_prefecture = [c for c in real_counties if c[:4] == code6[:4]]
            id_code = same_prefecture[0] if same_prefecture else code6[:4] + "00"
        counties.append(
            County(
                code6=code6,
                name=counties_all.get(code6 + "000000", ""),
                villages=by_county[code6],
                ethnicity=_ethnicity_for(code6),
                id_codes=sorted(predecessors.get(id_code, [])),
                id_code=id_code,
            )
        )

    weights: list[tuple[int, float]] = []
    for prefix, share, excluded in COUNTY_GROUPS:
        members = [
            i
            for i, c in enumerate(counties)
            if c.code6.startswith(prefix) and not any(c.code6.startswith(x) for x in excluded)
        ]
        total = sum(len(counties[i].villages) for i in members)
        if total:
            weights.extend((i, share * len(counties[i].villages) / total) for i in members)

    areas: dict[str, list[tuple[str, str]]] = {}
    county_names: dict[str, str] = {}
    for key, prefix, _share, _place, _industries in ENTERPRISE_AREAS:
        rows = _area_regions(prefix)
        if rows:
            areas[key] = rows
            county_names.update(
                Region.objects.filter(in_subtree_q(prefix, "code"), level__lte=RegionLevel.COUNTY).values_list(
                    "code", "name"
                )
            )
    partner_prefectures = list(
        active.filter(code__in=["370100000000", "440100000000", "440300000000", "441900000000"])
        .order_by("code")
        .values_list("code", flat=True)
    )
    return RegionPools(counties, Weighted(weights), areas, partner_prefectures, county_names)


def _area_regions(prefix: str) -> list[tuple[str, str]]:
    """Township-level regions of an enterprise area, else its counties, else the area region itself."""
    active = Region.objects.filter(valid_to__isnull=True).filter(in_subtree_q(prefix, "code"))
    for level in (RegionLevel.TOWNSHIP, RegionLevel.COUNTY):
        rows = list(active.filter(level=level).order_by("code").values_list("code", "name"))
        if level == RegionLevel.TOWNSHIP:
            # Skip NBS pseudo-townships (林场, 农场, 开发区 at 400-599).
            rows = [r for r in rows if r[0][6:9] < "400"]
        if rows:
            return rows
    own = active.filter(code=prefix.ljust(12, "0")).values_list("code", "name").first()
    return [own] if own else []


# ---------------------------------------------------------------------------------------------- config
@dataclass(frozen=True)
class SeedConfig:
    laborers: int
    seed: int = DEFAULT_SEED
    batch: int = DEFAULT_BATCH
    as_of: date | None = None  # the reference day for ages and job validity (default: today)
    use_copy: bool | None = None  # COPY for laborers; None = on PostgreSQL
    fast_load: bool | None = None  # drop and rebuild secondary indexes; None = large loads on PostgreSQL


@dataclass
class SeedReport:
    households: int = 0
    laborers: int = 0
    enterprises: int = 0
    jobs: int = 0
    seconds: float = 0.0
    method: str = ""
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.laborers / self.seconds if self.seconds else 0.0


ProgressFn = Callable[[int, int], None]


# ---------------------------------------------------------------------------------------------- people
# Code-list weights used below.
# fmt: off
EDUCATION_BY_AGE: tuple[tuple[int, Weighted[str]], ...] = (
    (23, _w(("初中", 60), ("高中", 30), ("大专", 10))),  # 16-22 not in school (no 小学: warned)
    (30, _w(("小学", 3), ("初中", 45), ("高中", 30), ("大专", 15), ("本科及以上", 7))),
    (45, _w(("文盲或半文盲", 1), ("小学", 12), ("初中", 55), ("高中", 22), ("大专", 7), ("本科及以上", 3))),
    (60, _w(("文盲或半文盲", 5), ("小学", 30), ("初中", 50), ("高中", 13), ("大专", 2))),
    (200, _w(("文盲或半文盲", 25), ("小学", 50), ("初中", 20), ("高中", 5))),
)
HEALTHY, CHRONIC, SERIOUS, DISABLED = ("健康",), ("长期慢性病",), ("患有大病",), ("残疾",)
HEALTH_BY_AGE: tuple[tuple[int, Weighted[tuple[str, ...]]], ...] = (
    (16, _w((HEALTHY, 970), (CHRONIC, 10), (SERIOUS, 5), (DISABLED, 15))),
    (45, _w((HEALTHY, 920), (CHRONIC, 40), (SERIOUS, 15), (DISABLED, 25))),
    (60, _w((HEALTHY, 820), (CHRONIC, 110), (SERIOUS, 30), (DISABLED, 35), (("长期慢性病", "残疾"), 5))),
    (200, _w((HEALTHY, 600), (CHRONIC, 280), (SERIOUS, 40), (DISABLED, 60), (("长期慢性病", "残疾"), 20))),
)
SKILL_WORKING_AGE = {
    "healthy": _w(("普通劳动力", 82), ("技能劳动力", 18)),
    "长期慢性病": _w(("弱劳动力或半劳动力", 60), ("普通劳动力", 40)),
    "患有大病": _w(("弱劳动力或半劳动力", 60), ("丧失劳动力", 40)),
    "残疾": _w(("弱劳动力或半劳动力", 50), ("丧失劳动力", 30), ("普通劳动力", 20)),
}
SKILL_60_64 = {True: _w(("普通劳动力", 45), ("弱劳动力或半劳动力", 45), ("无劳动力", 10)),
               False: _w(("弱劳动力或半劳动力", 50), ("丧失劳动力", 30), ("无劳动力", 20))}
SKILL_65_69 = {True: _w(("弱劳动力或半劳动力", 50), ("无劳动力", 50)),
               False: _w(("丧失劳动力", 40), ("无劳动力", 60))}
HAS_LABOR = frozenset(rc.HAS_LABOR)
QUALIFICATION = _w(("", 20), ("初级技工", 50), ("中级技工", 25), ("高级技工", 5))
WORK_AREA = {
    "prime": _w((IN_COUNTY, 30), (IN_PROVINCE, 25), (OUT_OF_PROVINCE, 45)),
    "weak": _w((IN_COUNTY, 70), (IN_PROVINCE, 20), (OUT_OF_PROVINCE, 10)),
    "older": _w((IN_COUNTY, 75), (IN_PROVINCE, 20), (OUT_OF_PROVINCE, 5)),
}
EMPLOYMENT = {
    "prime": _w((EMPLOYED, 62), (FARMING, 15), (UNEMPLOYED, 23)),
    "weak": _w((EMPLOYED, 35), (FARMING, 40), (UNEMPLOYED, 25)),
    "older": _w((EMPLOYED, 20), (FARMING, 60), (UNEMPLOYED, 20)),
}
WILLINGNESS = _w(
    ((IN_COUNTY,), 25), ((IN_PROVINCE,), 8), ((OUT_OF_PROVINCE,), 15), ((IN_COUNTY, IN_PROVINCE), 22),
    ((IN_PROVINCE, OUT_OF_PROVINCE), 10), ((IN_COUNTY, IN_PROVINCE, OUT_OF_PROVINCE), 20),
)
WAGES = _w(*zip(range(3000, 8001, 500), (8, 10, 14, 16, 14, 12, 9, 7, 5, 3, 2), strict=True))
TRAINING = Weighted((t, 1.0) for t in rc.TrainingNeed.values)
_FEMALE_LEANING = {"家政服务员", "缝纫工", "保洁员", "服务员", "养老护理员"}
_MALE_LEANING = {"电焊工", "建筑工", "钢筋工", "木工", "货车司机", "叉车司机", "保安", "电工"}
OCCUPATION_BY_SEX = {
    M: Weighted((o, w * (0.3 if o in _FEMALE_LEANING else 1.0)) for o, w in nm.OCCUPATIONS),
    F: Weighted((o, w * (2.5 if o in _FEMALE_LEANING else 0.15 if o in _MALE_LEANING else 1.0))
                for o, w in nm.OCCUPATIONS),
}
SURNAMES = {"苗族": Weighted(nm.SURNAMES_MIAO), "土家族": Weighted(nm.SURNAMES_TUJIA),
            "": Weighted(nm.SURNAMES_HUNAN)}
HOUSEHOLD_SIZE = _w((2, 15), (3, 25), (4, 30), (5, 20), (6, 10))
POVERTY_ATTRIBUTE = _w(("一般脱贫户", 80), ("低保脱贫户", 17), ("特困供养脱贫户", 3))
POVERTY_CAUSE = _w(
    ("因病", 28), ("缺技术", 18), ("因残", 10), ("因学", 10), ("缺劳力", 10), ("自身发展动力不足", 6),
    ("交通条件落后", 6), ("缺土地", 4), ("因灾", 4), ("因婚", 2), ("因丧", 2),
)
HEAD_WITHOUT_SPOUSE = _w(("丧偶", 60), ("离婚", 25), ("未婚", 15))
ADULT_CHILD_MARITAL = _w(("未婚", 70), ("已婚", 25), ("离婚", 5))
# fmt: on
DISABILITY = Weighted(nm.DISABILITY_CATEGORIES)

# Phones: counter k -> prefix k % P and suffix (k // P * A + B) mod 10^8 (A coprime to 10): unique for every
# k below P * 10^8, and they look random. Appends continue the counter after the existing laborers.
_PHONE_A, _PHONE_B = 48_271_993, 31_415_926


def phone_number(k: int) -> str:
    prefixes = nm.MOBILE_PREFIXES
    return f"{prefixes[k % len(prefixes)]}{(k // len(prefixes) * _PHONE_A + _PHONE_B) % 100_000_000:08d}"


def _cohort(birth_year: int) -> str:
    return "old" if birth_year < 1970 else "mid" if birth_year < 1995 else "new"


def _given_name(rng: Random, sex: str, birth_year: int) -> str:
    cohort = _cohort(birth_year)
    first, second = nm.GIVEN_CHARS[(cohort, sex)]
    if rng.random() < nm.SINGLE_CHAR_SHARE[cohort]:
        return rng.choice(second)
    a, b = rng.choice(first), rng.choice(second)
    return a + b if a != b else a + rng.choice(second)


def _student_status(rng: Random, age: int) -> str:
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


def _table(table: tuple[tuple[int, Weighted[T]], ...], age: int) -> Weighted[T]:
    for limit, weighted in table:
        if age < limit:
            return weighted
    return table[-1][1]


def _labor_skill(rng: Random, age: int, health: tuple[str, ...], in_school: bool) -> str:
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


def _assign_names(rng: Random, county: County, members: list[Member]) -> None:
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


# ---------------------------------------------------------------------------------------------- employers
@dataclass
class EmployerPools:
    by_county: dict[str, list[str]] = field(default_factory=dict)  # county code6 -> enterprise names
    hunan: list[tuple[str, str]] = field(default_factory=list)  # (county code6, name)
    partner: list[str] = field(default_factory=list)

    def add(self, region_code: str, name: str) -> None:
        if region_code.startswith("43"):
            self.by_county.setdefault(region_code[:6], []).append(name)
            self.hunan.append((region_code[:6], name))
        else:
            self.partner.append(name)


def _local_employer(rng: Random, county: County) -> str:
    place = county.name or "本县"
    trade = rng.choice(("农业专业合作社", "建筑劳务有限公司", "生态农业有限公司", "农产品加工厂", "商贸有限公司"))
    return f"{place}{rng.choice(nm.BRANDS)}{trade}"


def _employer(rng: Random, employers: EmployerPools, county: County, area: str) -> str:
    if area == IN_COUNTY:
        local = employers.by_county.get(county.code6)
        return rng.choice(local) if local and rng.random() < 0.6 else _local_employer(rng, county)
    if area == IN_PROVINCE:
        for _ in range(3):
            if employers.hunan:
                code6, name = rng.choice(employers.hunan)
                if code6 != county.code6:
                    return name
        return f"长沙{rng.choice(nm.BRANDS)}{rng.choice(nm.INDUSTRY_PROFILE['C'][0])}有限公司"
    if employers.partner:
        return rng.choice(employers.partner)
    return f"东莞{rng.choice(nm.BRANDS)}{rng.choice(nm.INDUSTRY_PROFILE['C'][0])}有限公司"


# ---------------------------------------------------------------------------------------------- generator
# fmt: off
LABORER_FIELDS: tuple[str, ...] = (
    "household_id", "region_id", "person_no", "name", "id_type", "id_number_enc", "id_number_hash",
    "id_masked", "id_last4", "disability_cert_suffix", "sex", "birth_date", "ethnicity", "relation",
    "education", "student_status", "health", "disability_category", "labor_skill", "political_status",
    "marital_status", "phone", "phone_last4", "qualification", "skills", "employment_status",
    "employer_name", "work_area", "work_region_willingness", "intended_occupations", "intended_regions",
    "expected_wage", "training_needs", "unreachable", "unreachable_since", "warnings", "version",
)
JSON_FIELDS = frozenset(
    {"health", "work_region_willingness", "intended_occupations", "intended_regions", "training_needs",
     "warnings"}
)
# fmt: on
_INDEX = {name: i for i, name in enumerate(LABORER_FIELDS)}
REGION, ID_HASH, SEX, BIRTH, PHONE = (_INDEX[f] for f in ("region_id", "id_number_hash", "sex", "birth_date", "phone"))
_EMPTY: tuple[str, ...] = ()


class Generator:
    """Generates households and their members; one instance per seed run."""

    def __init__(
        self,
        *,
        pools: RegionPools,
        employers: EmployerPools,
        seed: int,
        offset: int,
        as_of: date,
        household_counters: dict[str, int],
        taken_hashes: set[str],
    ) -> None:
        self.pools = pools
        self.employers = employers
        self.rng: Random = FastRandom(f"laborcoop-seed:{seed}:{offset}")
        self.as_of = as_of
        self.phone_k = offset
        self.counters = household_counters
        self.used_ids: set[int] = set()
        self.taken_hashes = taken_hashes

    # A person's ID: county address code, birth date, a sequence with the sex parity; unique in this run.
    def id_number(self, county: County, birth: date, sex: str) -> str:
        address = county.id_address(birth)
        parity = 1 if sex == M else 0
        base = int(f"{address}{birth:%Y%m%d}") * 1000
        for _ in range(200):
            seq = self.rng.randrange(0, 500) * 2 + parity
            if base + seq not in self.used_ids:
                self.used_ids.add(base + seq)
                return make_id_number(address, birth, seq)
        raise RuntimeError("no free ID sequence")  # 500 people of one sex born on one day in one county

    def birth_date(self, age: int) -> date:
        """A birth date that makes the person exactly `age` on as_of."""
        day = min(self.as_of.day, 28) if self.as_of.month == 2 else self.as_of.day
        latest = date(self.as_of.year - age, self.as_of.month, day)
        return latest - timedelta(days=self.rng.randrange(0, 365))

    def household(self, size: int) -> tuple[list[Any], list[list[Any]]]:
        rng = self.rng
        county = self.pools.counties[self.pools.county_pick.pick(rng)]
        village_code, address = rng.choice(county.villages)
        number = self.counters.get(village_code, 0) + 1
        self.counters[village_code] = number
        household_no = f"{village_code}{number:06d}"
        members = plan_household(rng, size)
        _assign_names(rng, county, members)
        spouse_present = any(m.relation == R.SPOUSE for m in members)
        parents_both = sum(m.relation in (R.FATHER, R.MOTHER) for m in members) == 2
        married_son = any(m.relation == R.DAUGHTER_IN_LAW for m in members)
        rows: list[list[Any]] = []
        phones: list[str] = []
        for index, m in enumerate(members):
            row = self.person(county, village_code, household_no, index, m, spouse_present, parents_both, married_son)
            rows.append(row)
            if row[PHONE]:
                phones.append(row[PHONE])
        household = self.household_row(household_no, village_code, address, phones)
        return household, rows

    def household_row(self, household_no: str, village: str, address: str, phones: list[str]) -> list[Any]:
        rng = self.rng
        lifted = rng.random() < 0.6
        monitor = ""
        if lifted:
            attribute = POVERTY_ATTRIBUTE.pick(rng)
            if rng.random() < 0.08:
                monitor = "脱贫不稳定户"
        else:
            attribute = ""
            draw = rng.random()
            monitor = "边缘易致贫户" if draw < 0.12 else "突发严重困难户" if draw < 0.17 else ""
        causes: tuple[str, ...] = _EMPTY
        if lifted or monitor:
            causes = (POVERTY_CAUSE.pick(rng),)
            if rng.random() < 0.35:
                second = POVERTY_CAUSE.pick(rng)
                causes = causes if second == causes[0] else (*causes, second)
        if monitor:
            identified = date(rng.randint(2020, self.as_of.year - 1), rng.randint(1, 12), rng.randint(1, 28))
        elif lifted:
            identified = date(rng.randint(2014, 2019), rng.randint(1, 12), rng.randint(1, 28))
        else:
            identified = None
        return [
            None,  # id: reserved from the sequence (COPY) or returned by bulk_create
            household_no,
            village,
            "脱贫户" if lifted else "一般农户",
            attribute,
            monitor,
            identified,
            (rng.random() < 0.6) if monitor else None,
            causes,
            phones[0] if phones else "",
            f"{address}{rng.randint(1, 12)}组{rng.randint(1, 60)}号",
            EMPTY_WARNINGS,
            1,
        ]

    def person(
        self,
        county: County,
        village: str,
        household_no: str,
        index: int,
        m: Member,
        spouse_present: bool,
        parents_both: bool,
        married_son: bool,
    ) -> list[Any]:
        rng = self.rng
        age = m.age
        birth = self.birth_date(age)
        ident = identity_columns(self.id_number(county, birth, m.sex))
        while ident.id_number_hash in self.taken_hashes:  # appending: the database has this number already
            ident = identity_columns(self.id_number(county, birth, m.sex))
        student = _student_status(rng, age)
        education = "" if student else _table(EDUCATION_BY_AGE, age).pick(rng)
        health = _table(HEALTH_BY_AGE, age).pick(rng)
        disability = DISABILITY.pick(rng) if "残疾" in health else ""
        skill = _labor_skill(rng, age, health, bool(student))
        has_labor = skill in HAS_LABOR
        name = m.surname + _given_name(rng, m.sex, birth.year)

        political = "群众"
        if age >= 18:
            draw = rng.random()
            political = "中共党员" if draw < (0.09 if age >= 45 else 0.05) else political
            if political == "群众" and age <= 28 and rng.random() < 0.2:
                political = "共青团员"
        elif age >= 14 and rng.random() < (0.4 if student else 0.2):
            political = "共青团员"

        if m.relation in (R.HEAD, R.SPOUSE):
            marital = "已婚" if spouse_present else HEAD_WITHOUT_SPOUSE.pick(rng)
        elif m.relation in (R.FATHER, R.MOTHER):
            marital = "已婚" if parents_both else "丧偶"
        elif m.relation == R.DAUGHTER_IN_LAW or (m.relation == R.SON and married_son):
            marital = "已婚"
        elif age >= 22:
            marital = ADULT_CHILD_MARITAL.pick(rng)
        else:
            marital = "未婚" if age >= 16 else ""

        phone = ""
        if age >= 16 and rng.random() < (0.6 if age >= 75 else 0.92):
            phone = phone_number(self.phone_k)
            self.phone_k += 1

        qualification = skills = ""
        if skill == "技能劳动力":
            qualification = QUALIFICATION.pick(rng)
            skills = rng.choice(nm.SKILLED_OCCUPATIONS)

        status, work_area, employer = NOT_APPLICABLE, "", ""
        willingness: tuple[str, ...] = _EMPTY
        occupations: tuple[str, ...] = _EMPTY
        regions: tuple[str, ...] = _EMPTY
        training: tuple[str, ...] = _EMPTY
        wage = None
        unreachable, unreachable_since = False, None
        if has_labor and not student and age >= 16:
            group = "older" if age >= 60 else "weak" if skill == "弱劳动力或半劳动力" else "prime"
            status = EMPLOYMENT[group].pick(rng)
            if status == EMPLOYED:
                work_area = WORK_AREA[group].pick(rng)
                employer = _employer(rng, self.employers, county, work_area)
                willingness = tuple(sorted({work_area, *WILLINGNESS.pick(rng)})) if rng.random() < 0.3 else (work_area,)
            elif status == FARMING:
                willingness = (IN_COUNTY,)
            else:
                willingness = WILLINGNESS.pick(rng)
            first = skills or OCCUPATION_BY_SEX[m.sex].pick(rng)
            second = OCCUPATION_BY_SEX[m.sex].pick(rng) if rng.random() < 0.45 else first
            occupations = (first,) if second == first else (first, second)
            if OUT_OF_PROVINCE in willingness and self.pools.partner_prefectures and rng.random() < 0.3:
                regions = (rng.choice(self.pools.partner_prefectures),)
            wage = WAGES.pick(rng)
            if age < 55 and rng.random() < 0.55:
                training = (TRAINING.pick(rng),)
                if rng.random() < 0.25:
                    extra = TRAINING.pick(rng)
                    training = training if extra == training[0] else (*training, extra)
            if age < 60 and rng.random() < 0.012:
                unreachable = True
                unreachable_since = self.as_of - timedelta(days=rng.randint(30, 400))

        return [
            None,  # household_id: set when the household row exists
            village,
            f"{household_no}{index + 1:02d}",
            name,
            rc.IdType.RESIDENT_ID.value,
            ident.id_number_enc,
            ident.id_number_hash,
            ident.id_masked,
            ident.id_last4,
            "",
            m.sex,
            birth,
            m.ethnicity,
            str(m.relation),
            education,
            student,
            health,
            disability,
            skill,
            political,
            marital,
            phone,
            phone[-4:],
            qualification,
            skills,
            status,
            employer,
            work_area,
            willingness,
            occupations,
            regions,
            wage,
            training,
            unreachable,
            unreachable_since,
            EMPTY_WARNINGS,
            1,
        ]


# ---------------------------------------------------------------------------------------------- enterprises
def generate_enterprises(
    rng: Random, pools: RegionPools, count: int, taken_usccs: set[str], taken_names: set[str]
) -> list[Enterprise]:
    areas = [(a, a[2]) for a in ENTERPRISE_AREAS if a[0] in pools.enterprise_areas]
    if not areas:
        return []
    pick_area = Weighted(areas)
    result: list[Enterprise] = []
    for _ in range(count):
        key, prefix, _share, place, industries = pick_area.pick(rng)
        regions = pools.enterprise_areas[key]
        workshop = key == "xiangxi" and rng.random() < 0.7
        if key == "xiangxi":
            luxi = [r for r in regions if r[0].startswith("433122")]
            code, township = rng.choice(luxi if luxi and rng.random() < 0.4 else regions)
        else:
            code, township = rng.choice(regions)
        county = pools.region_names.get(code[:6] + "000000", "")
        if key == "xiangxi":
            section, trade, _occ = rng.choice(nm.WORKSHOP_TRADES)
            place = _strip_suffix(county, ("县", "市")) or "湘西"
        else:
            section = Weighted(industries).pick(rng)
            trade = rng.choice(nm.INDUSTRY_PROFILE[section][0])
        name = ""
        for _attempt in range(20):
            suffix = rng.choice(("有限公司", "有限公司", "有限责任公司"))
            if section == "A" and rng.random() < 0.5:
                suffix = "专业合作社"
            candidate = f"{place}{rng.choice(nm.BRANDS)}{trade}{suffix}"
            if candidate not in taken_names:
                name = candidate
                break
        if not name:
            continue
        taken_names.add(name)
        authority = "93" if suffix == "专业合作社" else "92" if workshop and rng.random() < 0.2 else "91"
        while True:
            body = "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
            uscc = make_uscc(f"{authority}{code[:6]}{body}")
            if uscc not in taken_usccs:
                taken_usccs.add(uscc)
                break
        size = (
            _w(("small", 40), ("micro", 60)).pick(rng)
            if workshop
            else _w(("large", 6), ("medium", 24), ("small", 45), ("micro", 25)).pick(rng)
        )
        area_code = nm.LANDLINE_AREA_CODES.get(prefix, "")
        if area_code and rng.random() < 0.3:
            contact_phone = f"{area_code}-{rng.randint(2, 8)}{rng.randrange(10**6, 10**7)}"
        else:
            contact_phone = phone_number(10**9 + rng.randrange(10**9))
        contact = SURNAMES[""].pick(rng) + _given_name(rng, M if rng.random() < 0.5 else F, rng.randint(1970, 1998))
        base = not workshop and key == "xiangxi" and rng.random() < 0.5
        result.append(
            Enterprise(
                name=name,
                uscc=uscc,
                region_id=code,
                industry=section,
                size=size,
                contact_name=contact,
                contact_phone=contact_phone,
                address=f"{county}{township}{rng.choice(nm.BRANDS)}路{rng.randint(1, 300)}号",
                is_assist_workshop=workshop,
                is_assist_base=base or (key in PARTNER_AREAS and rng.random() < 0.08),
                description=(
                    f"就业帮扶车间，主营{trade}，吸纳脱贫劳动力和监测对象就近就业。"
                    if workshop
                    else f"主营{trade}，长期招聘一线员工。"
                ),
            )
        )
    return result


def generate_jobs(rng: Random, enterprises: Sequence[Enterprise], as_of: date) -> list[JobPosting]:
    jobs: list[JobPosting] = []
    for e in enterprises:
        region = str(e.region_id)
        coastal = not region.startswith("43")
        if e.is_assist_workshop:
            trade = next((t for t in nm.WORKSHOP_TRADES if t[1] in e.name), nm.WORKSHOP_TRADES[0])
            occupations: tuple[str, ...] = trade[2]
        else:
            occupations = nm.INDUSTRY_PROFILE.get(e.industry, nm.INDUSTRY_PROFILE["C"])[1]
        for _ in range(rng.randint(2, 5)):
            occupation = rng.choice(occupations)
            if e.is_assist_workshop:
                wage_min = rng.randrange(1800, 3001, 100)
            elif coastal:
                wage_min = rng.randrange(4000, 6501, 100)
            else:
                wage_min = rng.randrange(3000, 5001, 100)
            wage_max = wage_min + rng.randrange(500, 3001, 100)
            age_max = _w((45, 20), (50, 30), (55, 30), (60, 20)).pick(rng)
            education_min = _w(("", 60), ("小学", 5), ("初中", 27), ("高中", 6), ("大专", 2)).pick(rng)
            sex = ""
            if occupation in ("缝纫工", "绣工", "家政服务员", "育婴员") and rng.random() < 0.3:
                sex = F
            elif occupation in ("保安", "建筑工", "钢筋工", "货车司机", "架子工") and rng.random() < 0.4:
                sex = M
            expired = rng.random() < 0.1
            if expired:
                valid_until = as_of - timedelta(days=rng.randint(1, 60))
                valid_from = valid_until - timedelta(days=rng.randint(30, 120))
                status = ec.JobStatus.CLOSED if rng.random() < 0.6 else ec.JobStatus.OPEN
            else:
                valid_from = as_of - timedelta(days=rng.randint(0, 90))
                valid_until = as_of + timedelta(days=rng.randint(15, 150))
                draw = rng.random()
                status = (
                    ec.JobStatus.OPEN if draw < 0.88 else ec.JobStatus.PAUSED if draw < 0.93 else ec.JobStatus.CLOSED
                )
            accommodation = rng.random() < (0.8 if coastal else 0.3 if e.is_assist_workshop else 0.5)
            meals = rng.random() < (0.6 if coastal else 0.4)
            perks = "，包吃住" if accommodation and meals else "，提供住宿" if accommodation else ""
            jobs.append(
                JobPosting(
                    enterprise=e,
                    region_id=region,
                    title=occupation if rng.random() < 0.5 else f"招聘{occupation}",
                    occupation=occupation,
                    openings=rng.randint(5, 30) if e.is_assist_workshop else rng.randint(1, 60),
                    wage_min=wage_min,
                    wage_max=wage_max,
                    work_region_id=region,
                    age_min=_w((16, 30), (18, 70)).pick(rng),
                    age_max=age_max,
                    sex_requirement=sex,
                    education_min=education_min,
                    provides_accommodation=accommodation,
                    provides_meals=meals,
                    is_low_threshold=education_min in ("", "小学")
                    and age_max >= 50
                    and occupation not in nm.SKILLED_OCCUPATIONS,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    status=status,
                    description=f"{occupation}，月薪{wage_min}-{wage_max}元{perks}。",
                )
            )
    return jobs


# ---------------------------------------------------------------------------------------------- writing
EMPTY_WARNINGS: dict[str, list[str]] = {}
# fmt: off
HOUSEHOLD_FIELDS: tuple[str, ...] = (
    "id", "household_no", "region_id", "household_type", "poverty_attribute", "monitor_category",
    "identified_on", "risk_eliminated", "poverty_causes", "phone", "address", "warnings", "version",
)
# Written by the writers after the generated columns: the same timestamp for every row of a run.
TIMESTAMP_FIELDS = ("created_at", "updated_at")
# fmt: on


class CopyFormatter:
    """Rows to COPY text format, faster than psycopg's write_row (which adapts value by value).

    Strings pass through as they are: generated strings never contain a backslash, tab or newline, so they
    need no escaping. Tuples and dicts are JSON (tuples cached: there are few distinct ones).
    """

    def __init__(self, model: Any, fields: Sequence[str], now: datetime) -> None:
        json_cache: dict[tuple[Any, ...], str] = {}

        def json_tuple(value: tuple[Any, ...]) -> str:
            text = json_cache.get(value)
            if text is None:
                text = json_cache[value] = json.dumps(list(value), ensure_ascii=False)
            return text

        def json_dict(value: dict[str, Any]) -> str:
            return json.dumps(value, ensure_ascii=False) if value else "{}"

        self.by_type: dict[type, Callable[[Any], str]] = {
            tuple: json_tuple,
            dict: json_dict,
            list: lambda v: json.dumps(v, ensure_ascii=False),
            bool: lambda v: "t" if v else "f",
            int: str,
            date: date.isoformat,
        }
        self.suffix = f"\t{now.isoformat()}\t{now.isoformat()}\n"
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        columns = ", ".join(connection.ops.quote_name(by_attname[a].column) for a in (*fields, *TIMESTAMP_FIELDS))
        self.sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"

    def line(self, row: Sequence[Any]) -> str:
        by_type = self.by_type
        values = [v if v.__class__ is str else "\\N" if v is None else by_type[v.__class__](v) for v in row]
        return "\t".join(values) + self.suffix


def _reserve_ids(model: Any, count: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
        return [row[0] for row in cursor.fetchall()]


def _write_batch_copy(gen: "Generator", sizes: list[int], laborers: CopyFormatter, households: CopyFormatter) -> int:
    """One batch on PostgreSQL: laborers stream into COPY while they are generated (the server inserts and
    indexes in parallel), then the households; foreign keys are checked at commit."""
    ids = _reserve_ids(Household, len(sizes))
    household_rows: list[list[Any]] = []
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.copy(laborers.sql) as copy:
            chunk: list[str] = []
            for household_id, size in zip(ids, sizes, strict=True):
                household, rows = gen.household(size)
                household[0] = household_id
                household_rows.append(household)
                for row in rows:
                    row[0] = household_id
                    chunk.append(laborers.line(row))
                written += len(rows)
                if len(chunk) >= 500:
                    copy.write("".join(chunk))
                    chunk = []
            if chunk:
                copy.write("".join(chunk))
        with cursor.copy(households.sql) as copy:
            copy.write("".join(households.line(row) for row in household_rows))
    return written


class InsertWriter:
    """Rows as parameters of one executemany INSERT (SQLite, or PostgreSQL without COPY).

    Django's bulk_create spends ~40 field preparations per laborer; the generated values are already clean,
    so they only need the database's forms of JSON, dates and datetimes.
    """

    def __init__(self, model: Any, fields: Sequence[str], now: datetime) -> None:
        ops = connection.ops
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        all_fields = (*fields, *TIMESTAMP_FIELDS)
        columns = ", ".join(ops.quote_name(by_attname[a].column) for a in all_fields)
        placeholders = ", ".join(["%s"] * len(all_fields))
        self.suffix = [ops.adapt_datetimefield_value(now)] * len(TIMESTAMP_FIELDS)
        table = ops.quote_name(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 (quoted model names)
        self.by_type: dict[type, Callable[[Any], Any]] = {
            tuple: lambda v: json.dumps(list(v), ensure_ascii=False),
            list: lambda v: json.dumps(v, ensure_ascii=False),
            dict: lambda v: json.dumps(v, ensure_ascii=False),
            date: ops.adapt_datefield_value,
        }

    def params(self, row: Sequence[Any]) -> list[Any]:
        by_type = self.by_type
        return [by_type[v.__class__](v) if v.__class__ in by_type else v for v in row] + self.suffix


def _next_ids(model: Any, count: int) -> list[int]:
    """Primary keys for `count` new rows: reserved from the sequence on PostgreSQL; elsewhere the ids after
    the current maximum (the batch transaction holds SQLite's write lock)."""
    if connection.vendor == "postgresql":
        return _reserve_ids(model, count)
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (a quoted model table name)
        start = int(cursor.fetchone()[0]) + 1
    return list(range(start, start + count))


def _write_batch_insert(gen: "Generator", sizes: list[int], laborers: InsertWriter, households: InsertWriter) -> int:
    """One batch through executemany INSERTs (households first, with explicit ids)."""
    generated = [gen.household(size) for size in sizes]
    with transaction.atomic(), connection.cursor() as cursor:
        ids = _next_ids(Household, len(generated))
        laborer_params: list[list[Any]] = []
        for household_id, (household, rows) in zip(ids, generated, strict=True):
            household[0] = household_id
            for row in rows:
                row[0] = household_id
                laborer_params.append(laborers.params(row))
        cursor.executemany(households.sql, [households.params(h) for h, _rows in generated])
        cursor.executemany(laborers.sql, laborer_params)
    return len(laborer_params)


@contextmanager
def _indexes_dropped(report: SeedReport, *, enabled: bool) -> Iterator[None]:
    """PostgreSQL bulk load: drop the non-unique indexes and the foreign keys of the household and laborer
    tables, and recreate them from their saved definitions (same names) after the load.

    Must run inside the load's transaction: DDL is transactional in PostgreSQL, so an error anywhere rolls
    the indexes back too. Building an index over the loaded table is a sort, much cheaper than millions of
    random B-tree inserts; foreign keys are validated by one join instead of a trigger per row. Unique and
    primary-key indexes stay (duplicates fail at once). Other sessions wait for the tables meanwhile.
    """
    if not enabled:
        yield
        return
    qn = connection.ops.quote_name
    saved: list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]] = []
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        for model in (Laborer, Household):
            table = model._meta.db_table
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary ORDER BY 1",
                [table],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY 1",
                [table],
            )
            foreign_keys = cursor.fetchall()
            for name, _definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {qn(name)}")
            saved.append((table, indexes, foreign_keys))
    report.phases["drop_indexes"] = time.perf_counter() - t0
    yield
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for table, indexes, foreign_keys in reversed(saved):
            for _name, definition in indexes:
                cursor.execute(definition)
            for name, definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")
    report.phases["rebuild_indexes"] = time.perf_counter() - t0


def _existing_village_counters() -> dict[str, int]:
    """Appending: household numbers continue after the highest `<village code><6 digits>` per village."""
    counters: dict[str, int] = {}
    for region, highest in Household.objects.order_by().values_list("region").annotate(Max("household_no")):
        tail = (highest or "")[12:]
        counters[str(region)] = int(tail) if tail.isdigit() and len(highest or "") == 18 else 0
    return counters


def _vacuum_analyze() -> None:
    tables = [m._meta.db_table for m in (Laborer, Household, Enterprise, JobPosting)]
    with connection.cursor() as cursor:
        verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        cursor.execute(f"{verb} {', '.join(connection.ops.quote_name(t) for t in tables)}")


def seed_dataset(config: SeedConfig, *, progress: ProgressFn | None = None) -> SeedReport:
    """Generate and write the data set. Appends when laborers exist already (see the module docstring)."""
    started = time.perf_counter()
    report = SeedReport()
    as_of = config.as_of or date.today()
    now = datetime.now(UTC)
    use_copy = connection.vendor == "postgresql" if config.use_copy is None else config.use_copy
    report.method = "COPY" if use_copy else "INSERT executemany"
    pools = load_region_pools()
    offset = Laborer.objects.count()
    appending = offset > 0

    # Enterprises and jobs first: employed laborers name them as employers.
    t0 = time.perf_counter()
    rng: Random = FastRandom(f"laborcoop-enterprises:{config.seed}:{offset}")
    count = max(0 if appending else MIN_ENTERPRISES, round(config.laborers / LABORERS_PER_ENTERPRISE))
    taken_usccs = set(Enterprise.objects.values_list("uscc", flat=True))
    taken_names = set(Enterprise.objects.values_list("name", flat=True))
    enterprises = generate_enterprises(rng, pools, count, taken_usccs, taken_names)
    jobs = generate_jobs(rng, enterprises, as_of)
    with transaction.atomic():
        Enterprise.objects.bulk_create(enterprises, batch_size=1000)
        for job in jobs:
            job.enterprise_id = job.enterprise.pk
        JobPosting.objects.bulk_create(jobs, batch_size=1000)
    report.enterprises, report.jobs = len(enterprises), len(jobs)
    employers = EmployerPools()
    for region_code, name in Enterprise.objects.order_by("id").values_list("region", "name"):
        employers.add(str(region_code), name)
    report.phases["enterprises"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    gen = Generator(
        pools=pools,
        employers=employers,
        seed=config.seed,
        offset=offset,
        as_of=as_of,
        household_counters=_existing_village_counters() if appending else {},
        taken_hashes=set(Laborer.objects.values_list("id_number_hash", flat=True)) if appending else set(),
    )
    report.phases["prepare"] = time.perf_counter() - t0
    laborer_copy = CopyFormatter(Laborer, LABORER_FIELDS, now) if use_copy else None
    household_copy = CopyFormatter(Household, HOUSEHOLD_FIELDS, now) if use_copy else None
    laborer_insert = InsertWriter(Laborer, LABORER_FIELDS, now)
    household_insert = InsertWriter(Household, HOUSEHOLD_FIELDS, now)
    fast = config.fast_load
    if fast is None:
        fast = use_copy and config.laborers >= FAST_LOAD_MIN and config.laborers >= offset
    report.method += " (重建索引)" if fast and use_copy else ""
    batch = max(1, config.batch)
    t0 = time.perf_counter()
    with transaction.atomic() if fast else nullcontext(), _indexes_dropped(report, enabled=fast and use_copy):
        remaining = config.laborers
        while remaining > 0:
            # Household sizes first (the last household takes what is left), so ids can be reserved per batch.
            sizes: list[int] = []
            n = 0
            while n < batch and n < remaining:
                sizes.append(min(HOUSEHOLD_SIZE.pick(gen.rng), remaining - n))
                n += sizes[-1]
            if laborer_copy is not None and household_copy is not None:
                written = _write_batch_copy(gen, sizes, laborer_copy, household_copy)
            else:
                written = _write_batch_insert(gen, sizes, laborer_insert, household_insert)
            remaining -= written
            report.households += len(sizes)
            report.laborers += written
            if progress:
                progress(report.laborers, config.laborers)
    report.phases["households_and_laborers"] = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        t0 = time.perf_counter()
        _vacuum_analyze()
        report.phases["vacuum_analyze"] = time.perf_counter() - t0
    report.seconds = time.perf_counter() - started
    return report


def reset_dataset() -> dict[str, int]:
    """Delete every laborer, household, job posting and enterprise (enterprise users are unbound first)."""
    from laborcoop.accounts.models import User

    counts: dict[str, int] = {}
    with transaction.atomic():
        User.objects.filter(enterprise__isnull=False).update(enterprise=None)
        for model in (Laborer, Household, JobPosting, Enterprise):
            counts[model._meta.label] = model.objects.all().delete()[0]
    return counts


# ---------------------------------------------------------------------------------------------- regions
# Codes the demo needs: 湖南省, 湘西州, 泸溪县, 邵阳县, 长沙市 and the partner regions.
REQUIRED_REGION_CODES = (
    "430000000000", "433100000000", "433122000000", "430523000000", "430100000000",
    "370100000000", "440100000000", "440300000000", "441900000000", "330782000000", "330481000000",
)  # fmt: skip
MIN_HUNAN_VILLAGES = 20000  # NBS 2023 lists ~23.7k 村委会 and ~5.8k 居委会 in Hunan


def regions_complete() -> bool:
    """Whether the Region table holds the full tree the demo relies on (all of China down to townships and
    every Hunan village)."""
    present = Region.objects.filter(code__in=REQUIRED_REGION_CODES).count()
    if present < len(REQUIRED_REGION_CODES):
        return False
    villages = Region.objects.filter(in_subtree_q("43", "code"), level=RegionLevel.VILLAGE).count()
    return villages >= MIN_HUNAN_VILLAGES


def ensure_regions() -> bool:
    """Load the real region tree unless it is complete. Returns True when it loaded."""
    if regions_complete():
        return False
    from laborcoop.regions.services import region_tree_load

    region_tree_load()
    return True
