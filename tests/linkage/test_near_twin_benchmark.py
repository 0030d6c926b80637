"""The near-twin benchmark at CI size (issue 13 item 20): a registry of 8,000 and a department's list with near
twins (same name, sex, birth year and village), ID typos the check digit catches, missing and changed phones.
Floors: precision >= 0.995 on the links accepted without review, at most 5 % of links to review, no near twin
with two different valid IDs accepted. The 200k figures are in docs/benchmarks.md (`bench_linkage --near-twins`)."""

import pytest

from laborcoop.bench.linkage import near_twin_scores
from laborcoop.bench.synthetic_linkage import generate_near_twins
from laborcoop.linkage.engine import link

SIZE = 8_000


@pytest.fixture(scope="module")
def outcome() -> dict[str, dict[str, float]]:
    data = generate_near_twins(SIZE, seed=11)
    assert len(data.near_twin_pairs) > 500  # the hard case is really there
    result = link(data.ours.drop(columns=["id_number", "phone"]), data.theirs, threads=1)
    matches = result.matches
    auto = matches[matches["level"] == "high"]
    auto_ids_differ = auto["conflicting_fields"].str.split(",").map(lambda f: "id_number" in f)
    return {
        "level": near_twin_scores(matches, data.truth_pairs, data.near_twin_pairs, "level"),
        "conflicts": near_twin_scores(matches, data.truth_pairs, data.near_twin_pairs, "conflicts"),
        "auto_ids_differ": {"count": int(auto_ids_differ.sum())},
    }


def test_precision_of_what_is_accepted_without_review(outcome: dict[str, dict[str, float]]) -> None:
    level = outcome["level"]
    assert level["auto_precision"] >= 0.995, level
    assert outcome["auto_ids_differ"]["count"] == 0


def test_review_share_is_what_an_office_can_read(outcome: dict[str, dict[str, float]]) -> None:
    level, conflicts = outcome["level"], outcome["conflicts"]
    assert level["review_share"] <= 0.05, level
    assert conflicts["review_share"] > 0.10  # every link with a conflict to review would be far more


def test_links_overall(outcome: dict[str, dict[str, float]]) -> None:
    level = outcome["level"]
    assert level["recall"] >= 0.99, level
    assert level["precision"] >= 0.995, level
    assert level["false_links_valid_ids_differ"] <= 2, level  # two valid IDs that differ: almost never linked
