"""The vectorised paths of prepare() and link() give the same output as the per-row functions and the SQL
exact pass they replace, on tricky inputs (polyphonic surnames, traditional characters, 15-digit and
Excel-damaged IDs, date forms, duplicate ID hashes)."""

import random
from datetime import date, datetime
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from laborcoop.bench.synthetic_linkage import generate
from laborcoop.core.chinese import normalize_name, normalize_names
from laborcoop.core.validation.checksums import make_id_number
from laborcoop.core.validation.idcard import parse_id_number
from laborcoop.core.validation.phone import MOBILE_RE, normalize_phone
from laborcoop.linkage import engine
from laborcoop.linkage.engine import StageTimer, _hash_keys, _link_sql, link, one_to_one
from laborcoop.linkage.prepare import (
    LINKAGE_COLUMNS,
    _name_parts,
    id_hashes,
    name_columns,
    normalized_ids,
    prepare,
)
from laborcoop.registry.identity import id_number_hash, phone_hash

TODAY = date(2026, 1, 1)
ID18 = make_id_number("430524", date(1975, 3, 15), 123)
ID18X = next(v for v in (make_id_number("430524", date(1980, 1, 2), seq) for seq in range(1, 999)) if v.endswith("X"))
ID15 = ID18[:6] + ID18[8:17]
FULLWIDTH = "".join(chr(ord(c) + 0xFEE0) for c in ID18)

NAMES = [
    "单雄信", "單雄信", "曾小红", "曾", "解明", "仇伟", "区家明", "查文", "朴志", "覃", "欧阳建国", "歐陽建國", "欧阳",
    "欧阳娜", "司马懿", "令狐冲", "尉迟恭", "万俟卨", "长孙无忌", "单于", "张伟", "張偉", "张 伟", " 张伟 ",
    "张\u3000伟",
    "阿卜杜•热合曼", "阿卜杜·热合曼", "ｗａｎｇ　ｗｅｉ", "劉建國", "乾隆", "於小華", "蕭紅", "著", "鍾", "髮", "后",
    "于思悦", "长平", "重阳", "石", "沈", "", "   ", None, float("nan"), 0, 7, "张\n伟", "李\t四", "x", "O'Neil",
]  # fmt: skip

IDS = [
    ID18, ID18.lower(), ID18X, ID18X.lower(), ID15, " " + ID18 + " ", f'="{ID18X.lower()}"', f"'{ID18}", f'"{ID18}"',
    FULLWIDTH, ID18[:6] + " " + ID18[6:], ID18 + "11", ID18 + "B1", ID18 + "b",
    ID18[:-1] + ("0" if ID18[-1] != "0" else "1"),
    ID18[:15] + "000", "4.30524E+17", "4.30524e17", f"{int(ID18[:17]) / 10**16:.5f}E+17", ID18[:17] + ".0",
    ID15 + ".0", ID18[:17], ID18[:16], "991234197503151234", make_id_number("430524", date(2030, 1, 1), 5),
    make_id_number("430524", date(1880, 1, 1), 5), "43052419750315123", "abc", "", "   ", None, 430524197503151,
    "430524197502301234", "430524750230123", ID18[:14] + "ß", "\u200b" + ID18, ID18 + "\n",
]  # fmt: skip

DATES = [
    "1975-03-15", "19750315", "1975/03/15", "1975.03.15", "1975年03月15日", "1975-03-15 00:00:00", " 1975-03-15 ",
    "1975-3-5", "1975-02-30", "03/15/1975", "abc", "", None,
]  # fmt: skip
SEXES = ["1", "2", "男", "女", "M", "f", " male ", "FEMALE", "3", "", None]
VILLAGES = ["430524101201", " 430524101201 ", "4305 24101201", "43052410120", "4305241012011", "43052410120x", "", None,
            "+43052410120"]  # fmt: skip


def reference_ids(values: list[Any]) -> list[str]:
    out = []
    for value in values:
        parsed = parse_id_number(value, on=TODAY)
        out.append(parsed.normalized if parsed.ok else "")
    return out


def test_normalize_names_equals_normalize_name() -> None:
    values = [*NAMES, *(n + "\u00b7" for n in NAMES if isinstance(n, str))]
    assert normalize_names(values) == [normalize_name(v) for v in values]
    assert normalize_names(["张\n伟", "劉建國"]) == ["张伟", "刘建国"]  # a newline inside: one by one
    assert normalize_names([]) == []


def test_name_columns_equal_name_parts() -> None:
    names = list(dict.fromkeys(normalize_name(v) for v in NAMES))
    columns = {key: array.to_pylist() for key, array in name_columns(names).items()}
    for i, name in enumerate(names):
        parts = _name_parts(name)
        if parts is None:
            assert name == ""
            assert [columns[k][i] for k in ("name_py", "surname_norm", "given_norm")] == ["", "", ""]
            assert columns["surname_variants"][i] == []
            continue
        full_py, surname, surname_py, given, given_py, variants = parts
        assert columns["name_norm"][i] == name
        assert columns["name_py"][i] == full_py, name
        assert (columns["surname_norm"][i], columns["surname_py"][i]) == (surname, surname_py), name
        assert (columns["given_norm"][i], columns["given_py"][i]) == (given, given_py), name
        assert columns["surname_variants"][i] == variants, name
    shan = names.index("单雄信")
    assert (columns["surname_py"][shan], columns["name_py"][shan]) == ("shan", "shanxiongxin")


def test_normalized_ids_equal_parse_id_number() -> None:
    values = IDS * 3
    assert normalized_ids(np.array(values, dtype=object), TODAY).tolist() == reference_ids(values)
    assert normalized_ids([], TODAY).tolist() == []
    assert normalized_ids([None, None], TODAY).tolist() == ["", ""]


def test_id_hashes_equal_id_number_hash() -> None:
    ids = [ID18, ID18X, make_id_number("430211", date(1990, 5, 6), 8)]
    assert id_hashes(ids) == [id_number_hash(v) for v in ids]
    assert id_hashes([]) == []


# The per-row reference of prepare(): the per-row functions for names and IDs, and the SQL expressions of
# the dates, sex and village (as the previous prepare() ran them on every row).
_REFERENCE_SQL = """
SELECT coalesce({birth}, try_strptime(id18[7:14], '%Y%m%d')::DATE) AS bd,
       coalesce(CASE upper(trim(coalesce(sex_in, '')))
               WHEN '1' THEN '1' WHEN '男' THEN '1' WHEN 'M' THEN '1' WHEN 'MALE' THEN '1'
               WHEN '2' THEN '2' WHEN '女' THEN '2' WHEN 'F' THEN '2' WHEN 'FEMALE' THEN '2' END,
           CASE WHEN id18 <> '' THEN CASE WHEN CAST(id18[17] AS INTEGER) % 2 = 1 THEN '1' ELSE '2' END END) AS sex,
       replace(trim(coalesce(village_in, '')), ' ', '') AS vc
FROM rows_in ORDER BY row_no
"""
_FORMATS = "['%Y-%m-%d', '%Y%m%d', '%Y/%m/%d', '%Y.%m.%d', '%Y年%m月%d日', '%Y-%m-%d %H:%M:%S']"


def reference_phone_hash(raw: Any) -> str | None:
    number = normalize_phone(raw) if raw else ""
    return phone_hash(number) if MOBILE_RE.fullmatch(number) else None


def reference_prepare(records: list[dict[str, Any]], *, dates_are_dates: bool) -> list[dict[str, Any]]:
    ids = reference_ids([r.get("id_number") for r in records])
    birth_in = [r.get("birth_date") for r in records]
    rows_in = pa.table(
        {
            "row_no": list(range(len(records))),
            "id18": ids,
            "birth_in": pa.array(birth_in, type=pa.date32() if dates_are_dates else pa.string()),
            "sex_in": pa.array([r.get("sex") for r in records], type=pa.string()),
            "village_in": pa.array([r.get("village_code") for r in records], type=pa.string()),
        }
    )
    birth = "birth_in" if dates_are_dates else f"try_strptime(trim(birth_in), {_FORMATS})::DATE"
    con = duckdb.connect()
    con.register("rows_in", rows_in)
    sql_rows = con.execute(_REFERENCE_SQL.format(birth=birth)).fetchall()
    con.close()
    out = []
    for record, id18, (bd, sex, vc) in zip(records, ids, sql_rows, strict=True):
        raw = record.get("name")
        name = None if raw is None or (isinstance(raw, float) and np.isnan(raw)) else normalize_name(raw)
        parts = _name_parts(name) if name else None
        full_py, surname, surname_py, given, given_py, variants = parts or ("", "", "", "", "", [])
        village_ok = len(vc.encode()) == 12 and vc.isascii() and vc.isdigit()
        out.append(
            {
                "record_id": str(record["record_id"]),
                "id_hash": record.get("id_hash") or (id_number_hash(id18) if id18 else None),
                "id_doubtful": bool(id18) and id18.endswith("000"),
                "name_norm": name or None,
                "name_py": full_py or None,
                "surname_norm": surname or None,
                "surname_py": surname_py or None,
                "given_norm": given or None,
                "given_py": given_py or None,
                "surname_variants": variants or None,
                "birth_date": bd,
                "birth_year": bd.year if bd else None,
                "birth_ym": bd.isoformat()[:7] if bd else None,
                "birth_md": bd.isoformat()[5:10] if bd else None,
                "sex": sex,
                "village_code": vc if village_ok else None,
                "county_code": vc[:6] if village_ok else None,
                "phone_hash": reference_phone_hash(record.get("phone")),
            }
        )
    return out


PHONES = [
    "13812345678", "138 1234 5678", "+86 138-1234-5678", "8613812345678", "１３９１２３４５６７８", "12345678901",
    "0743-4221234", "", "  ", None, "1381234567",
]  # fmt: skip


def tricky_records(n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [
        {
            "record_id": f"R{i}",
            "name": rng.choice(NAMES),
            "id_number": rng.choice(IDS),
            "birth_date": rng.choice(DATES),
            "sex": rng.choice(SEXES),
            "village_code": rng.choice(VILLAGES),
            "phone": rng.choice(PHONES),
        }
        for i in range(n)
    ]


def test_prepare_equals_the_per_row_reference() -> None:
    records = tricky_records(600, seed=5)
    records[0]["id_hash"] = id_number_hash(ID18X)  # a given hash wins over the number
    table = prepare(records, today=TODAY)
    assert tuple(table.column_names) == LINKAGE_COLUMNS
    assert table.to_pylist() == reference_prepare(records, dates_are_dates=False)


def test_prepare_with_date_objects_equals_the_reference() -> None:
    rng = random.Random(7)
    records = tricky_records(200, seed=6)
    for record in records:
        record["birth_date"] = rng.choice([date(1975, 3, 15), date(2001, 12, 31), None])
    assert prepare(pd.DataFrame(records), today=TODAY).to_pylist() == reference_prepare(records, dates_are_dates=True)
    # datetimes among dates: the date part, as the text form "1975-03-15 08:30:00" parsed
    mixed = [{**records[0], "birth_date": datetime(1975, 3, 15, 8, 30)}, {**records[1], "record_id": "x"}]
    assert prepare(mixed, today=TODAY).column("birth_date").to_pylist()[0] == date(1975, 3, 15)


def test_prepare_of_the_synthetic_set_equals_the_reference() -> None:
    data = generate(400, seed=3)
    theirs = data.theirs.assign(birth_date=data.theirs["birth_date"].astype(str).replace({"None": None}))
    records = theirs.to_dict("records")
    assert prepare(theirs, today=TODAY).to_pylist() == reference_prepare(records, dates_are_dates=False)


def test_prepare_of_nothing() -> None:
    assert prepare([], today=TODAY).num_rows == 0


# --- link(): the Arrow exact pass and fields against the SQL pass -------------------------------------


def _assert_same(result: Any, reference: Any) -> None:
    pd.testing.assert_frame_equal(result.matches, reference.matches)
    assert result.only_ours == reference.only_ours
    assert result.only_theirs == reference.only_theirs
    assert result.stats == reference.stats


@pytest.fixture(scope="module")
def with_duplicates() -> tuple[pa.Table, pa.Table]:
    data = generate(1500, seed=21)
    ours = data.ours.drop(columns=["id_number"]).copy()
    theirs = data.theirs.copy()
    # Repeated hashes: three of ours share one, two of theirs carry it; two of theirs share another.
    shared = ours.loc[5, "id_hash"]
    ours.loc[[6, 7], "id_hash"] = shared
    theirs.loc[[3, 4], "id_number"] = make_id_number("430524", date(1975, 3, 15), 123)
    ours.loc[8, "id_hash"] = id_number_hash(make_id_number("430524", date(1975, 3, 15), 123))
    theirs.loc[[10, 11], "id_number"] = [ID18, ID18]
    return prepare(ours), prepare(theirs)


def test_link_with_repeated_hashes_equals_the_sql_pass(with_duplicates: tuple[pa.Table, pa.Table]) -> None:
    ours, theirs = with_duplicates
    assert engine._exact_positions(ours, theirs) is not None  # the Arrow pass runs
    result = link(ours, theirs)
    _assert_same(result, _link_sql(ours, theirs, StageTimer(None), 0.9, None, None, 42))
    assert result.matches["our_id"].is_unique
    assert result.matches["their_id"].is_unique


def test_non_hex_and_colliding_hashes_fall_back(with_duplicates: tuple[pa.Table, pa.Table]) -> None:
    ours, theirs = with_duplicates
    hashes = ours.column("id_hash").to_pylist()
    odd = ["h-" + h if h else None for h in hashes]
    odd_ours = ours.set_column(ours.schema.get_field_index("id_hash"), "id_hash", pa.array(odd))
    assert _hash_keys(odd_ours.column("id_hash")) is None
    assert engine._exact_positions(odd_ours, theirs) is None
    # Two different hashes with the same first 16 digits on one side.
    collide = list(theirs.column("id_hash").to_pylist())
    present = [i for i, h in enumerate(collide) if h]
    collide[present[1]] = collide[present[0]][:16] + "f" * 48
    collided = theirs.set_column(theirs.schema.get_field_index("id_hash"), "id_hash", pa.array(collide))
    assert engine._exact_positions(ours, collided) is None
    _assert_same(link(ours, collided), _link_sql(ours, collided, StageTimer(None), 0.9, None, None, 42))


def test_hash_keys_follow_the_hash() -> None:
    hashes = pa.chunked_array([[id_number_hash(ID18), None], [id_number_hash(ID18).upper(), id_number_hash(ID15)]])
    keys = _hash_keys(hashes)
    assert keys is not None
    assert keys[0] == keys[2] == int(id_number_hash(ID18)[:16], 16)
    assert keys[3] != keys[0]
    assert _hash_keys(pa.chunked_array([["abc"]])) is None


def _reference_one_to_one(pairs: pd.DataFrame) -> pd.DataFrame:
    ordered = pairs.sort_values(["probability", "left_id", "right_id"], ascending=[False, True, True], kind="stable")
    used_left: set[Any] = set()
    used_right: set[Any] = set()
    keep = []
    for i, a, b in zip(range(len(ordered)), ordered["left_id"], ordered["right_id"], strict=True):
        if a in used_left or b in used_right:
            continue
        used_left.add(a)
        used_right.add(b)
        keep.append(i)
    return ordered.iloc[keep].reset_index(drop=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_one_to_one_equals_the_plain_greedy_loop(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 3000
    pairs = pd.DataFrame(
        {
            "left_id": [f"L{v}" for v in rng.integers(0, 1200, n)],
            "right_id": [f"R{v}" for v in rng.integers(0, 1500, n)],
            "probability": rng.choice([0.91, 0.95, 0.99, 0.999, 1.0], n),  # many ties
        }
    ).drop_duplicates(["left_id", "right_id"])
    pd.testing.assert_frame_equal(one_to_one(pairs), _reference_one_to_one(pairs))
