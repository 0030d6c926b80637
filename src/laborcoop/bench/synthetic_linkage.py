"""A seeded synthetic Chinese linkage set with known truth: "ours" (the registry) and "theirs" (a department's
list: a noisy copy of most of ours plus unrelated people).

People: surnames by the Hunan frequencies of `demo.names` plus the polyphonic surnames (单 曾 区 仇 解 查 and
欧阳), given names by birth cohort and sex (`demo.names.GIVEN_CHARS`), a share of very common names (王伟, 张敏,
...) so that namesakes with other birth dates and villages test precision, birth dates 1958-2007, valid ID
numbers (address code = county) and 12-digit village codes (real Hunan villages when passed in, otherwise
plausible codes under 43xxxx).

Noise on theirs (independent draws, shares of the copied records): ID missing 15%, damaged by Excel 3%, old
15-digit ID 3% (born before 2000), ID in a spreadsheet wrapper/lower-case x 1%; homophone given-name character
5% (张伟 -> 张玮), traditional characters 5%, an inner space 1%; birth date +-1 day 3%, month and day swapped
2% (day <= 12), missing 3%; other village in the same county 5%, village missing 2%; sex missing 1%.

Vectorised with numpy (1M people in a few seconds); the same seed gives the same data.

`generate_near_twins` adds the hard case of real registers (`NEAR_TWIN_NOISE`): near twins (another person with
the same name, sex, birth year and village, their own valid ID and phone), half of them registered too and
half only on the department's list; ID typos that the GB 11643 check digit catches (one wrong digit,
two adjacent digits swapped); and mobile numbers (registry 70 %, list 60 %, 10 % of the listed ones changed).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import opencc
import pandas as pd
from pypinyin import lazy_pinyin

from laborcoop.core.validation.checksums import ID_CHECK_CHARS, ID_WEIGHTS
from laborcoop.demo import names as nm
from laborcoop.registry.identity import id_number_hash, phone_hash

POLYPHONIC_SURNAMES: tuple[tuple[str, float], ...] = (
    ("单", 2), ("区", 1), ("仇", 1), ("解", 1), ("查", 1), ("欧阳", 2), ("曾", 4),
)  # fmt: skip
COMMON_NAMES = (
    "王伟", "张伟", "李伟", "刘伟", "王芳", "李娜", "张敏", "李敏", "王静", "刘洋", "张丽", "王丽", "李强", "张静",
    "刘军", "王军", "李军", "陈伟", "王勇", "张勇", "刘芳", "陈静", "王磊", "李杰",
)  # fmt: skip
COMMON_NAME_SHARE = 0.03
# Characters used in names; homophones are grouped by toneless pinyin (张伟 -> 张玮 / 张炜 / 张薇).
_HOMOPHONE_POOL = (
    "伟玮炜韦维薇微敏民闵珉华桦骅铭明鸣名红虹宏鸿洪丽莉俐力立利芳方坊舫静靖婧晶菁军君钧俊峻骏强蔷勇涌永泳"
    "杰洁捷婕涛韬滔辉晖徽慧惠蕙刚钢岗纲波博柏斌彬滨峰锋风枫丰鹏朋蓬磊蕾雷超潮亮靓平萍苹屏林琳霖麟兵冰飞菲"
    "妃非龙隆珑国建剑健坚志智芝枝德文雯闻春纯海凯楷学雪梅玫美霞夏侠燕艳雁琴勤芹英瑛莺珍真桂贵云芸允香湘翔"
    "娟鹃隽玲灵铃凤秀绣兰岚澜金锦菊荷翠萃月悦彩采爱梓紫子浩皓昊宇雨语羽豪轩萱宣然冉辰晨宸睿锐航杭阳洋扬鑫"
    "欣馨恒衡熙曦溪心诗思涵寒琪琦奇越彤桐瑶遥婷庭妍研茹如颖莹盈怡仪依佳嘉家梦孟婉宛"
)
_ID_W = np.array(ID_WEIGHTS, dtype=np.int64)
_ID_C = np.frombuffer(ID_CHECK_CHARS.encode(), dtype=np.uint8)
_EPOCH = date(1970, 1, 1)


@dataclass
class SyntheticSet:
    ours: pd.DataFrame  # record_id, name, id_number, id_hash, birth_date, sex, village_code
    theirs: pd.DataFrame  # record_id, name, id_number, birth_date, sex, village_code
    truth: pd.DataFrame  # our_id, their_id
    # Pairs (our_id, their_id) of different people who share name, sex, birth year and village.
    near_twins: pd.DataFrame | None = None

    @property
    def truth_pairs(self) -> set[tuple[str, str]]:
        return set(zip(self.truth["our_id"], self.truth["their_id"], strict=True))

    @property
    def near_twin_pairs(self) -> set[tuple[str, str]]:
        if self.near_twins is None:
            return set()
        return set(zip(self.near_twins["our_id"], self.near_twins["their_id"], strict=True))


@cache
def homophones() -> dict[str, tuple[str, ...]]:
    groups: dict[str, set[str]] = defaultdict(set)
    chars = set(_HOMOPHONE_POOL)
    for first, second in nm.GIVEN_CHARS.values():
        chars |= set(first) | set(second)
    for ch in chars:
        groups[lazy_pinyin(ch)[0]].add(ch)
    return {ch: tuple(sorted(groups[lazy_pinyin(ch)[0]] - {ch})) for ch in chars if len(groups[lazy_pinyin(ch)[0]]) > 1}


@cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def synthetic_villages(rng: np.random.Generator, counties: int = 122, per_county: int = 200) -> list[str]:
    """Plausible Hunan village codes: 14 prefectures, counties 02.., townships 001.., villages 2xx."""
    prefectures = [*range(1, 14), 31]
    codes: list[str] = []
    for k in range(counties):
        pref = prefectures[k % len(prefectures)]
        county = f"43{pref:02d}{2 + k // len(prefectures) * 2 + (k % 2):02d}"
        for v in range(per_county):
            codes.append(f"{county}{1 + v // 20:03d}{201 + v % 20:03d}")
    return codes


def _check_chars(first17: np.ndarray) -> np.ndarray:
    raw = np.frombuffer("".join(first17.tolist()).encode("ascii"), dtype=np.uint8).reshape(len(first17), 17)
    return _ID_C[((raw.astype(np.int64) - 48) @ _ID_W) % 11].view("S1").astype(str)


def _people(rng: np.random.Generator, n: int, villages: np.ndarray, county_weights: np.ndarray) -> pd.DataFrame:
    """n people: name, sex, birth date, village, ID number."""
    surnames = [s for s, _ in nm.SURNAMES_HUNAN] + [s for s, _ in POLYPHONIC_SURNAMES]
    weights = np.array([w for _, w in nm.SURNAMES_HUNAN] + [w for _, w in POLYPHONIC_SURNAMES], dtype=float)
    surname = np.array(surnames, dtype=object)[rng.choice(len(surnames), n, p=weights / weights.sum())]
    sex = np.where(rng.random(n) < 0.5, "1", "2")
    start, end = (date(1958, 1, 1) - _EPOCH).days, (date(2007, 12, 31) - _EPOCH).days
    days = rng.integers(start, end + 1, n)
    birth = pd.to_datetime(days, unit="D")
    years = birth.year.to_numpy()
    cohort = np.where(years < 1970, "old", np.where(years < 1995, "mid", "new"))
    given = np.empty(n, dtype=object)
    for (coh, sx), (first, second) in nm.GIVEN_CHARS.items():
        idx = np.flatnonzero((cohort == coh) & (sex == sx))
        f = np.array(list(first), dtype=object)[rng.integers(0, len(first), len(idx))]
        s = np.array(list(second), dtype=object)[rng.integers(0, len(second), len(idx))]
        single = rng.random(len(idx)) < nm.SINGLE_CHAR_SHARE[coh]
        given[idx] = np.where(single, s, f + s)
    name = surname + given
    common = np.flatnonzero(rng.random(n) < COMMON_NAME_SHARE)
    name[common] = np.array(COMMON_NAMES, dtype=object)[rng.integers(0, len(COMMON_NAMES), len(common))]

    # Village: a county by weight, then a village of it.
    county_of = np.array([v[:6] for v in villages.tolist()], dtype=object)
    counties, first_index, counts = np.unique(county_of, return_index=True, return_counts=True)
    pick = rng.choice(len(counties), n, p=county_weights)
    village = villages[first_index[pick] + (rng.random(n) * counts[pick]).astype(np.int64)]

    # ID: county + birth date + sequence (odd = male), unique.
    birth_text = birth.strftime("%Y%m%d").to_numpy(dtype=object)
    county6 = counties[pick]
    seq = rng.integers(0, 500, n) * 2 + np.where(sex == "1", 1, 0)
    first17 = county6 + birth_text + np.char.zfill(seq.astype(str), 3).astype(object)
    while True:
        dup = pd.Series(first17).duplicated().to_numpy()
        if not dup.any():
            break
        idx = np.flatnonzero(dup)
        seq[idx] = rng.integers(0, 500, len(idx)) * 2 + np.where(sex[idx] == "1", 1, 0)
        first17[idx] = county6[idx] + birth_text[idx] + np.char.zfill(seq[idx].astype(str), 3).astype(object)
    id_number = first17 + _check_chars(first17).astype(object)
    return pd.DataFrame(
        {"name": name, "id_number": id_number, "birth_date": birth.date, "sex": sex, "village_code": village}
    )


def _noisy_copy(rng: np.random.Generator, people: pd.DataFrame, villages: np.ndarray) -> pd.DataFrame:
    out = people.copy()
    n = len(out)
    draw = rng.random((12, n))

    # ID number.
    ids = out["id_number"].to_numpy(dtype=object).copy()
    births = pd.to_datetime(out["birth_date"])
    missing_id = draw[0] < 0.15
    damaged = (draw[0] >= 0.15) & (draw[0] < 0.18)
    old15 = (draw[0] >= 0.18) & (draw[0] < 0.21) & (births.dt.year.to_numpy() < 2000)
    wrapped = (draw[0] >= 0.21) & (draw[0] < 0.22)
    for i in np.flatnonzero(damaged).tolist():
        value = ids[i]
        kind = i % 3
        if kind == 0:
            ids[i] = f"{int(value[:17]) / 10**16:.5f}E+17"  # scientific notation
        elif kind == 1:
            ids[i] = value[:15] + "000"  # Excel kept 15 significant digits
        else:
            ids[i] = value[:17]  # a lost trailing character
    ids[old15] = np.array([v[:6] + v[8:17] for v in ids[old15].tolist()], dtype=object)
    ids[wrapped] = np.array([f'="{v.lower()}"' for v in ids[wrapped].tolist()], dtype=object)
    ids[missing_id] = ""
    out["id_number"] = ids

    # Names: homophone given character, traditional characters, an inner space.
    names = out["name"].to_numpy(dtype=object).copy()
    table = homophones()
    for i in np.flatnonzero(draw[1] < 0.05).tolist():
        value = names[i]
        start = 2 if value[:2] in ("欧阳",) else 1
        positions = [p for p in range(start, len(value)) if value[p] in table]
        if positions:
            p = positions[int(draw[2][i] * len(positions))]
            options = table[value[p]]
            names[i] = value[:p] + options[int(draw[3][i] * len(options))] + value[p + 1 :]
    trad = np.flatnonzero(draw[4] < 0.05)
    names[trad] = np.array([_s2t().convert(v) for v in names[trad].tolist()], dtype=object)
    spaced = np.flatnonzero(draw[5] < 0.01)
    names[spaced] = np.array([v[:1] + " " + v[1:] for v in names[spaced].tolist()], dtype=object)
    out["name"] = names

    # Birth dates.
    dates = births.copy()
    shift = draw[6] < 0.03
    dates[shift] = dates[shift] + pd.to_timedelta(np.where(draw[7][shift] < 0.5, -1, 1), unit="D")
    swap = (draw[6] >= 0.03) & (draw[6] < 0.05) & (dates.dt.day <= 12).to_numpy() & (dates.dt.day != dates.dt.month)
    swapped = pd.to_datetime(
        pd.DataFrame({"year": dates[swap].dt.year, "month": dates[swap].dt.day, "day": dates[swap].dt.month})
    )
    dates[swap] = swapped
    values = dates.dt.date.astype(object).to_numpy()
    values[(draw[6] >= 0.05) & (draw[6] < 0.08)] = None
    out["birth_date"] = values

    # Village: another one in the same county, or missing.
    village = out["village_code"].to_numpy(dtype=object).copy()
    county_of = np.array([v[:6] for v in villages.tolist()], dtype=object)
    counties, first_index, counts = np.unique(county_of, return_index=True, return_counts=True)
    moved = np.flatnonzero(draw[8] < 0.05)
    pos = np.searchsorted(counties, np.array([v[:6] for v in village[moved].tolist()], dtype=object))
    village[moved] = villages[first_index[pos] + (draw[9][moved] * counts[pos]).astype(np.int64)]
    village[(draw[8] >= 0.05) & (draw[8] < 0.07)] = None
    out["village_code"] = village

    sex = out["sex"].to_numpy(dtype=object).copy()
    sex[draw[10] < 0.01] = None
    out["sex"] = sex
    return out


def generate(
    n: int, *, seed: int = 2026, copied: float = 0.9, unrelated: float = 0.1, villages: list[str] | None = None
) -> SyntheticSet:
    """`n` registry persons; theirs = a noisy copy of `copied * n` of them plus `unrelated * n` other people."""
    rng = np.random.default_rng(seed)
    pool = np.array(sorted(villages) if villages else synthetic_villages(rng), dtype=object)
    county_count = len(np.unique(np.array([v[:6] for v in pool.tolist()], dtype=object)))
    county_weights = rng.pareto(1.5, county_count) + 1.0
    county_weights /= county_weights.sum()

    n_copy, n_other = round(n * copied), round(n * unrelated)
    everyone = _people(rng, n + n_other, pool, county_weights)
    ours = everyone.iloc[:n].reset_index(drop=True)
    others = everyone.iloc[n:].reset_index(drop=True)
    ours.insert(0, "record_id", [f"O{i:07d}" for i in range(n)])
    ours["id_hash"] = [id_number_hash(v) for v in ours["id_number"].tolist()]

    chosen = np.sort(rng.choice(n, n_copy, replace=False))
    copy = _noisy_copy(rng, ours.iloc[chosen].drop(columns=["record_id", "id_hash"]).reset_index(drop=True), pool)
    theirs = pd.concat([copy, others], ignore_index=True)
    order = rng.permutation(len(theirs))
    theirs = theirs.iloc[order].reset_index(drop=True)
    theirs.insert(0, "record_id", [f"T{i:07d}" for i in range(len(theirs))])
    # Position k of theirs came from row order[k] of (copy + others); rows < n_copy are copies of chosen[row].
    source = order
    is_copy = source < n_copy
    truth = pd.DataFrame(
        {
            "our_id": ours["record_id"].to_numpy()[chosen[source[is_copy]]],
            "their_id": theirs["record_id"].to_numpy()[is_copy],
        }
    )
    return SyntheticSet(ours=ours, theirs=theirs, truth=truth)


# --- near twins, ID typos and phones (`generate_near_twins`) ---------------------------------------------

NEAR_TWIN_NOISE = {
    "twin_share": 0.05,  # registry people with a near twin (same name, sex, birth year, village)
    "twin_registered": 0.5,  # of the twins, the share that is in the registry too (the rest: on the list only)
    "id_one_digit_wrong": 0.03,  # of listed IDs: one digit typed wrong (check digit fails)
    "id_transposed": 0.02,  # of listed IDs: two adjacent different digits swapped (check digit fails)
    "phone_registry": 0.7,  # registry people with a mobile number
    "phone_list": 0.6,  # list records with a mobile number
    "phone_changed": 0.1,  # of listed numbers of registered people: a newer number than the registry's
}


def _mobiles(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct plausible mobile numbers."""
    prefixes = np.array(["134", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "177",
                         "180", "181", "187", "188", "189", "199"], dtype=object)  # fmt: skip
    numbers = np.unique(rng.integers(0, 10**8 * len(prefixes), int(n * 1.01) + 100))
    numbers = rng.permutation(numbers)[:n]
    return prefixes[numbers // 10**8] + np.char.zfill((numbers % 10**8).astype(str), 8).astype(object)


def _twins(rng: np.random.Generator, originals: pd.DataFrame, taken: set[str]) -> pd.DataFrame:
    """A near twin of each original: same name, sex, birth year and village; another birth date in that
    year, their own valid ID (address code = county of the village)."""
    n = len(originals)
    years = pd.to_datetime(originals["birth_date"]).dt.year.to_numpy()
    old = pd.to_datetime(originals["birth_date"]).to_numpy(dtype="datetime64[D]")
    starts = np.array([np.datetime64(f"{y}-01-01") for y in years.tolist()], dtype="datetime64[D]")
    lengths = np.where((years % 4 == 0) & ((years % 100 != 0) | (years % 400 == 0)), 366, 365)
    offsets = rng.integers(0, lengths - 1)
    days = starts + offsets.astype("timedelta64[D]")
    days = np.where(days >= old, days + np.timedelta64(1, "D"), days)  # never the original's date
    days = np.minimum(days, starts + (lengths - 1).astype("timedelta64[D]"))
    birth = pd.to_datetime(days)
    sex = originals["sex"].to_numpy(dtype=object)
    county6 = np.array([v[:6] for v in originals["village_code"].tolist()], dtype=object)
    birth_text = birth.strftime("%Y%m%d").to_numpy(dtype=object)
    first17 = np.empty(n, dtype=object)
    for i in range(n):
        while True:
            seq = int(rng.integers(0, 500)) * 2 + (1 if sex[i] == "1" else 0)
            candidate = f"{county6[i]}{birth_text[i]}{seq:03d}"
            if candidate not in taken:
                taken.add(candidate)
                first17[i] = candidate
                break
    return pd.DataFrame(
        {
            "name": originals["name"].to_numpy(dtype=object),
            "id_number": first17 + _check_chars(first17).astype(object),
            "birth_date": birth.date,
            "sex": sex,
            "village_code": originals["village_code"].to_numpy(dtype=object),
        }
    )


def _id_typos(rng: np.random.Generator, ids: np.ndarray) -> np.ndarray:
    """One wrong digit or two adjacent digits swapped in a share of the plain 18-character IDs: the GB 11643
    check digit catches both (weights 2^(17-i) mod 11 are distinct and non-zero, 11 is prime)."""
    out = ids.copy()
    draw = rng.random(len(ids))
    plain = np.array([isinstance(v, str) and len(v) == 18 and v[:17].isdigit() for v in ids.tolist()], dtype=bool)
    wrong = np.flatnonzero(plain & (draw < NEAR_TWIN_NOISE["id_one_digit_wrong"]))
    lo = NEAR_TWIN_NOISE["id_one_digit_wrong"]
    swap = np.flatnonzero(plain & (draw >= lo) & (draw < lo + NEAR_TWIN_NOISE["id_transposed"]))
    for i in wrong.tolist():
        value = out[i]
        p = int(rng.integers(0, 17))
        digit = str((int(value[p]) + int(rng.integers(1, 10))) % 10)
        out[i] = value[:p] + digit + value[p + 1 :]
    for i in swap.tolist():
        value = out[i]
        places = [p for p in range(16) if value[p] != value[p + 1]]
        if places:
            p = places[int(rng.integers(0, len(places)))]
            out[i] = value[:p] + value[p + 1] + value[p] + value[p + 2 :]
    return out


def generate_near_twins(
    n: int, *, seed: int = 2026, copied: float = 0.9, unrelated: float = 0.1, villages: list[str] | None = None
) -> SyntheticSet:
    """`generate`'s registry and list plus near twins, ID typos the check digit catches, and mobile numbers.

    Ours: `n` people plus the registered near twins, with `id_hash` and `phone_hash` (as the registry stores
    them). Theirs: a noisy copy of `copied` of ours (the usual noise of `_noisy_copy`, then ID typos), the
    unregistered near twins (their own noise), `unrelated * n` other people; a `phone` column (clear, as a
    list carries it). `near_twins`: every (our person, listed near twin of theirs) pair of different people.
    """
    rng = np.random.default_rng(seed)
    pool = np.array(sorted(villages) if villages else synthetic_villages(rng), dtype=object)
    county_count = len(np.unique(np.array([v[:6] for v in pool.tolist()], dtype=object)))
    county_weights = rng.pareto(1.5, county_count) + 1.0
    county_weights /= county_weights.sum()

    n_other = round(n * unrelated)
    everyone = _people(rng, n + n_other, pool, county_weights)
    base, others = everyone.iloc[:n].reset_index(drop=True), everyone.iloc[n:].reset_index(drop=True)
    n_twin = round(n * NEAR_TWIN_NOISE["twin_share"])
    originals = np.sort(rng.choice(n, n_twin, replace=False))
    taken = {v[:17] for v in everyone["id_number"].tolist()}
    twins = _twins(rng, base.iloc[originals], taken)
    registered = rng.random(n_twin) < NEAR_TWIN_NOISE["twin_registered"]
    ours = pd.concat([base, twins[registered]], ignore_index=True)
    unregistered = twins[~registered].reset_index(drop=True)
    # Twin k of `twins` is the near twin of base row originals[k]; registered twins are ours rows n, n+1, ...
    twin_of_ours = np.full(len(ours), -1, dtype=np.int64)  # ours row -> ours row of its near twin
    reg_rows = n + np.arange(int(registered.sum()))
    twin_of_ours[originals[registered]] = reg_rows
    twin_of_ours[reg_rows] = originals[registered]

    people_count = len(ours) + len(unregistered) + len(others)
    phones = _mobiles(rng, people_count + len(ours))
    registry_phone = phones[: len(ours)].copy()
    registry_phone[rng.random(len(ours)) >= NEAR_TWIN_NOISE["phone_registry"]] = None
    ours["phone"] = registry_phone
    own_phone = phones[: len(ours)]  # a person's number (the registry may not have it)
    spare = iter(phones[people_count:].tolist())
    ours.insert(0, "record_id", [f"O{i:07d}" for i in range(len(ours))])
    ours["id_hash"] = [id_number_hash(v) for v in ours["id_number"].tolist()]
    ours["phone_hash"] = [phone_hash(v) if v else None for v in ours["phone"].tolist()]

    n_copy = round(len(ours) * copied)
    chosen = np.sort(rng.choice(len(ours), n_copy, replace=False))
    copy = _noisy_copy(rng, ours.iloc[chosen][list(_PERSON_COLUMNS)].reset_index(drop=True), pool)
    listed_phone = own_phone[chosen].copy()
    changed = np.flatnonzero(rng.random(n_copy) < NEAR_TWIN_NOISE["phone_changed"])
    listed_phone[changed] = [next(spare) for _ in range(len(changed))]
    copy["phone"] = listed_phone
    twin_copy = _noisy_copy(rng, unregistered, pool)
    twin_copy["phone"] = phones[len(ours) : len(ours) + len(unregistered)]
    others = others.assign(phone=phones[len(ours) + len(unregistered) : people_count])
    theirs = pd.concat([copy, twin_copy, others], ignore_index=True)
    listed = theirs["phone"].to_numpy(dtype=object).copy()
    listed[rng.random(len(theirs)) >= NEAR_TWIN_NOISE["phone_list"]] = None
    theirs["phone"] = listed
    theirs["id_number"] = _id_typos(rng, theirs["id_number"].to_numpy(dtype=object))
    order = rng.permutation(len(theirs))
    theirs = theirs.iloc[order].reset_index(drop=True)
    theirs.insert(0, "record_id", [f"T{i:07d}" for i in range(len(theirs))])
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))  # row of (copy + twin_copy + others) -> row of theirs
    their_ids = theirs["record_id"].to_numpy(dtype=object)
    our_ids = ours["record_id"].to_numpy(dtype=object)
    truth = pd.DataFrame({"our_id": our_ids[chosen], "their_id": their_ids[position[:n_copy]]})

    # Near-twin pairs of different people: a listed copy of a registered twin against the other twin, and
    # an unregistered twin's record against its registered original.
    pairs_ours: list[np.ndarray] = []
    pairs_theirs: list[np.ndarray] = []
    has_twin = twin_of_ours[chosen] >= 0
    pairs_ours.append(our_ids[twin_of_ours[chosen[has_twin]]])
    pairs_theirs.append(their_ids[position[np.flatnonzero(has_twin)]])
    pairs_ours.append(our_ids[originals[~registered]])
    pairs_theirs.append(their_ids[position[n_copy + np.arange(len(unregistered))]])
    near = pd.DataFrame({"our_id": np.concatenate(pairs_ours), "their_id": np.concatenate(pairs_theirs)})
    return SyntheticSet(ours=ours, theirs=theirs, truth=truth, near_twins=near)


_PERSON_COLUMNS = ("name", "id_number", "birth_date", "sex", "village_code")
