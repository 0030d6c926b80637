"""The engine on small department lists, where too few records are left after the exact pass to train Splink:
the shipped default parameters are used (no training), the prior is recomputed from the sizes, and degenerate
inputs return a correct result instead of raising."""

import json
from pathlib import Path
from typing import Any

import opencc
import pandas as pd
import pytest

from laborcoop.bench.linkage import scores
from laborcoop.bench.synthetic_linkage import generate, homophones
from laborcoop.linkage.engine import LinkResult, link
from laborcoop.linkage.splink_models import (
    DEFAULT_MODEL_PATH,
    MIN_TRAINING_RECORDS,
    check_parameters,
    chinese_model,
    default_prior,
    load_default_parameters,
    settings_with_parameters,
)

SEED = 2027


def _consistent(result: LinkResult, n_ours: int, n_theirs: int) -> None:
    assert result.matches["our_id"].is_unique
    assert result.matches["their_id"].is_unique
    assert len(result.matches) + len(result.only_ours) == n_ours
    assert len(result.matches) + len(result.only_theirs) == n_theirs


@pytest.fixture(scope="module")
def county_list() -> tuple[pd.DataFrame, pd.DataFrame, set[tuple[str, str]], set[str]]:
    """300 of ours; their list of 40: 15 with the ID, 15 without ID but the same name, birth date and village,
    3 homophone given names and 2 in traditional characters (no ID), 5 unrelated people (no ID)."""
    data = generate(300, seed=SEED)
    ours = data.ours.reset_index(drop=True)
    s2t, table = opencc.OpenCC("s2t"), homophones()
    used: set[int] = set()

    def pick(condition: Any, count: int) -> list[int]:
        rows = [i for i in range(len(ours)) if i not in used and condition(ours.loc[i, "name"])][:count]
        assert len(rows) == count
        used.update(rows)
        return rows

    traditional = pick(lambda n: s2t.convert(n) != n, 2)
    homophone = pick(lambda n: len(n) > 1 and n[-1] in table, 3)
    with_id, without_id = pick(lambda _: True, 15), pick(lambda _: True, 15)
    rows, truth = [], set()
    for k, i in enumerate(with_id + without_id + homophone + traditional):
        person = ours.loc[i]
        name = person["name"]
        if i in homophone:
            name = name[:-1] + table[name[-1]][0]
        elif i in traditional:
            name = s2t.convert(name)
        rows.append(
            {
                "record_id": f"T{k:03d}",
                "name": name,
                "id_number": person["id_number"] if i in with_id else "",
                "birth_date": person["birth_date"],
                "sex": person["sex"],
                "village_code": person["village_code"],
            }
        )
        truth.add((person["record_id"], f"T{k:03d}"))
    unrelated = data.theirs[~data.theirs["record_id"].isin(set(data.truth["their_id"]))].head(5)
    others = {f"T{100 + k:03d}" for k in range(5)}
    unrelated = unrelated.assign(record_id=sorted(others), id_number="")
    theirs = pd.concat([pd.DataFrame(rows), unrelated], ignore_index=True)
    return ours.drop(columns=["id_number"]), theirs, truth, others


@pytest.fixture(scope="module")
def small_result(county_list: Any) -> LinkResult:
    ours, theirs, _, _ = county_list
    return link(ours, theirs, threshold=0.9)


def test_small_list_uses_the_default_model_and_matches_without_id(county_list: Any, small_result: LinkResult) -> None:
    ours, theirs, truth, others = county_list
    assert small_result.stats["model"] == "default"
    assert "training_error" not in small_result.stats
    assert small_result.stats["splink_input"] == (285, 25)
    assert scores(small_result.pairs, truth) == {
        "precision": 1.0, "recall": 1.0, "f1": 1.0, "true_positives": 35, "false_positives": 0, "false_negatives": 0,
    }  # fmt: skip
    by_splink = small_result.matches[small_result.matches["method"] == "splink"]
    assert len(by_splink) == 20  # 15 exact copies without ID, 3 homophones, 2 traditional
    assert others <= set(small_result.only_theirs)
    _consistent(small_result, len(ours), len(theirs))


def test_default_prior_is_recomputed_from_the_sizes(small_result: LinkResult) -> None:
    parameters = load_default_parameters()
    prior = default_prior(parameters["match_share"], (285, 25))
    assert small_result.stats["prior"] == pytest.approx(prior)
    assert prior == pytest.approx(parameters["match_share"] / 285)
    assert prior > 50 * parameters["probability_two_random_records_match"]  # not the 100k value


def test_training_that_fails_falls_back_to_the_default(county_list: Any) -> None:
    ours, theirs, truth, _ = county_list
    # No birth dates: the EM rule on birth_date finds no pairs (EMTrainingException).
    left, right = ours.assign(birth_date=None), theirs.iloc[15:30].assign(birth_date=None)
    result = link(left, right, training="always")
    assert result.stats["model"] == "default"
    assert result.stats["training_error"].startswith("EMTrainingException")
    assert result.pairs <= truth
    assert len(result.pairs) >= 10  # name, sex and village still link most of them
    assert result.pairs == link(left, right).pairs


def test_mid_size_list_is_trained() -> None:
    data = generate(800, seed=SEED)
    result = link(data.ours.drop(columns=["id_number"]), data.theirs, threshold=0.9)
    assert min(result.stats["splink_input"]) >= MIN_TRAINING_RECORDS
    assert result.stats["model"] == "trained"
    measured = scores(result.pairs, data.truth_pairs)
    assert measured["precision"] >= 0.995
    assert measured["recall"] >= 0.995


def _person(rid: str, **values: Any) -> dict[str, Any]:
    base = {"record_id": rid, "name": "李秀英", "id_number": "", "birth_date": "1970-04-04", "sex": "2",
            "village_code": "433122101201"}  # fmt: skip
    return {**base, **values}


def test_degenerate_inputs_do_not_raise(county_list: Any) -> None:
    ours, theirs, _, _ = county_list
    with_ids = theirs.head(15)
    cases: dict[str, tuple[Any, Any, int]] = {
        "empty ours": (ours.head(0), theirs, 0),
        "empty theirs": (ours, theirs.head(0), 0),
        "both empty": ([], [], 0),
        "all matched by ID": (ours, with_ids, 15),
        "one record each, same person": ([_person("O1")], [_person("T1")], 1),
        "one record each, other person": ([_person("O1")], [_person("T1", name="王建军", birth_date="1991-02-02")], 0),
        "no birth dates": (ours.assign(birth_date=None), theirs.iloc[15:30].assign(birth_date=None), None),
        "no names": ([_person("O1", name=None)], [_person("T1", name="")], None),
        "only unrelated": (ours, theirs.tail(5), 0),
    }
    for label, (left, right, expected) in cases.items():
        result = link(left, right)
        _consistent(result, len(left), len(right))
        assert result.stats["model"] in {"none", "default"}, label
        if expected is not None:
            assert len(result.matches) == expected, label


def test_default_model_file_matches_the_engine() -> None:
    parameters = json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))
    assert DEFAULT_MODEL_PATH.stat().st_size < 10_000
    model = chinese_model()
    check_parameters(model, parameters)
    assert parameters["model"] == "chinese"
    assert 0.0 < parameters["match_share"] <= 1.0
    settings = settings_with_parameters(model, parameters, 0.01)
    assert settings["probability_two_random_records_match"] == 0.01
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if not level.get("is_null_level"):
                assert 0.0 < level["m_probability"] <= 1.0
                assert 0.0 < level["u_probability"] <= 1.0


def test_parameters_of_another_shape_are_refused(tmp_path: Path) -> None:
    parameters = json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))
    wrong = tmp_path / "model.json"
    wrong.write_text(json.dumps({**parameters, "fingerprint": "0" * 16}), encoding="utf-8")
    with pytest.raises(ValueError, match="regenerate"):
        load_default_parameters(wrong)
    parameters["comparisons"]["surname"] = parameters["comparisons"]["surname"][:1]
    with pytest.raises(ValueError, match="levels of surname"):
        check_parameters(chinese_model(), parameters)
