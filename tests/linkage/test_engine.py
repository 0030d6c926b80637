"""The engine on a small seeded synthetic set (3,000 a side) plus hand-made hard cases."""

from datetime import date
from typing import Any

import pandas as pd
import pytest

from laborcoop.bench.linkage import scores
from laborcoop.bench.synthetic_linkage import generate
from laborcoop.core.validation.checksums import make_id_number
from laborcoop.linkage.engine import LinkResult, link, one_to_one
from laborcoop.linkage.prepare import prepare
from laborcoop.linkage.splink_models import HANZI_COLUMNS, chinese_settings
from laborcoop.registry.identity import id_number_hash

SIZE = 3000
SEED = 11


def person(rid: str, name: str, birth: date | None, sex: str, village: str, *, seq: int = 11, id_number: str = "",
           with_hash: bool = True) -> dict[str, Any]:  # fmt: skip
    number = make_id_number(village[:6], birth or date(1980, 1, 1), seq)
    row = {"record_id": rid, "name": name, "birth_date": birth, "sex": sex, "village_code": village,
           "id_number": id_number}  # fmt: skip
    if with_hash:
        row["id_hash"] = id_number_hash(number)
    return row


# Hard cases: theirs has no ID number, so only Splink can link them.
OURS_EXTRA = [
    person("O-homophone", "张伟", date(1985, 3, 15), "1", "433122101201", seq=301),
    person("O-traditional", "刘建国", date(1966, 9, 1), "1", "433123102205", seq=303),
    person("O-swapped", "单雄信", date(1980, 5, 7), "1", "430524103207", seq=305),
    person("O-wangwei-1", "王伟", date(1979, 2, 3), "1", "433122104201", seq=307),
]
THEIRS_EXTRA = [
    person("T-homophone", "张玮", date(1985, 3, 15), "1", "433122101201", with_hash=False),
    person("T-traditional", "劉建國", date(1966, 9, 1), "1", "433123102205", with_hash=False),
    person("T-swapped", "单雄信", date(1980, 7, 5), "1", "430524103207", with_hash=False),
    # Another 王伟: other birth date, other county.
    person("T-wangwei-2", "王伟", date(1988, 11, 20), "1", "430211105203", with_hash=False),
]


@pytest.fixture(scope="module")
def dataset() -> Any:
    return generate(SIZE, seed=SEED)


@pytest.fixture(scope="module")
def result(dataset: Any) -> LinkResult:
    ours = pd.concat([dataset.ours.drop(columns=["id_number"]), pd.DataFrame(OURS_EXTRA)], ignore_index=True)
    theirs = pd.concat([dataset.theirs, pd.DataFrame(THEIRS_EXTRA).drop(columns=["id_hash"], errors="ignore")])
    return link(ours, theirs.reset_index(drop=True), threshold=0.9)


def test_engine_reaches_the_budget_on_the_synthetic_set(dataset: Any, result: LinkResult) -> None:
    synthetic_pairs = {(a, b) for a, b in result.pairs if not a.startswith("O-")}
    measured = scores(synthetic_pairs, dataset.truth_pairs)
    # Measured with seed 11: precision 1.0, recall 1.0, F1 1.0 (2,700 true links, 0 false positives).
    assert measured["precision"] >= 0.995
    assert measured["recall"] >= 0.995
    assert measured["f1"] >= 0.98
    assert set(result.timings) >= {"prepare", "exact", "train_u", "train_m", "predict", "resolve"}


def test_exact_pass_matches_every_shared_valid_id(dataset: Any, result: LinkResult) -> None:
    their_hashes = {
        row["record_id"]: row["id_hash"] for row in prepare(dataset.theirs).to_pylist() if row["id_hash"] is not None
    }
    our_by_hash = dict(zip(dataset.ours["id_hash"], dataset.ours["record_id"], strict=True))
    expected = {(our_by_hash[h], t) for t, h in their_hashes.items() if h in our_by_hash}
    by_id = result.matches[result.matches["method"] == "id"]
    assert set(zip(by_id["our_id"], by_id["their_id"], strict=True)) == expected
    assert (by_id["probability"] == 1.0).all()
    assert by_id["agreeing_fields"].str.contains("id_number").all()


@pytest.mark.parametrize("case", ["homophone", "traditional", "swapped"])
def test_hard_cases_are_matched_by_splink(result: LinkResult, case: str) -> None:
    row = result.matches[result.matches["our_id"] == f"O-{case}"]
    assert row["their_id"].tolist() == [f"T-{case}"]
    assert row["method"].tolist() == ["splink"]


def test_fields_of_a_match_show_agreement_and_conflict(result: LinkResult) -> None:
    match = next(m for m in result.iter_matches() if m.our_id == "O-swapped")
    assert {"name", "name_pinyin", "sex", "village_code"} <= set(match.agreeing_fields)
    assert "birth_date" in match.conflicting_fields
    homophone = next(m for m in result.iter_matches() if m.our_id == "O-homophone")
    assert "name_pinyin" in homophone.agreeing_fields
    assert "name" in homophone.conflicting_fields


def test_two_different_wang_wei_are_not_matched(result: LinkResult) -> None:
    assert "O-wangwei-1" not in set(result.matches["our_id"])
    assert "T-wangwei-2" not in set(result.matches["their_id"])
    assert "O-wangwei-1" in result.only_ours
    assert "T-wangwei-2" in result.only_theirs


def test_result_is_one_to_one_and_complete(result: LinkResult) -> None:
    assert result.matches["our_id"].is_unique
    assert result.matches["their_id"].is_unique
    assert len(result.matches) + len(result.only_ours) == result.stats["ours"]
    assert len(result.matches) + len(result.only_theirs) == result.stats["theirs"]


def test_one_to_one_is_greedy_by_probability() -> None:
    pairs = pd.DataFrame(
        {"left_id": ["a", "a", "b", "c"], "right_id": ["x", "y", "x", "z"], "probability": [0.95, 0.9, 0.99, 0.5]}
    )
    kept = one_to_one(pairs)
    assert list(zip(kept["left_id"], kept["right_id"], strict=True)) == [("b", "x"), ("a", "y"), ("c", "z")]


def test_duplicate_rows_in_theirs_match_once() -> None:
    ours = [person("O1", "李秀英", date(1970, 4, 4), "2", "433122101201", seq=402)]
    copy = {k: v for k, v in ours[0].items() if k != "id_hash"}
    theirs = [{**copy, "record_id": "T1"}, {**copy, "record_id": "T2"}]
    result = link(ours * 1 + [person(f"X{i}", "陈静", date(1990, 1, i + 1), "2", "430211105203", seq=2 * i + 2)
                              for i in range(20)], theirs)  # fmt: skip
    assert len(result.matches[result.matches["our_id"] == "O1"]) == 1
    assert len(result.only_theirs) == 1


def test_names_are_never_compared_as_hanzi_with_a_string_distance() -> None:
    settings = chinese_settings().get_settings("duckdb").as_dict()
    levels = [level for comparison in settings["comparisons"] for level in comparison["comparison_levels"]]
    distance_sql = [lvl["sql_condition"] for lvl in levels if "jaro" in lvl["sql_condition"].lower()]
    assert distance_sql, "expected Jaro-Winkler levels on pinyin"
    for sql in distance_sql:
        assert "given_py" in sql or "name_py" in sql or "surname_py" in sql
        assert not any(col in sql for col in HANZI_COLUMNS), sql
    tf_columns = {lvl.get("tf_adjustment_column") for lvl in levels} - {None}
    assert "surname_py" in tf_columns
