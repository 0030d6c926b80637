"""Allocation respects openings and hard filters, and reaches the optimum on small instances."""

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laborcoop.bench.synthetic_market import generate
from laborcoop.matching.engine.allocate import (
    allocate,
    allocate_exact,
    allocate_flow,
    allocate_greedy,
    greedy_top_k_blind,
    max_fill,
)
from laborcoop.matching.engine.arrays import JobArrays, LaborerArrays
from laborcoop.matching.engine.candidates import candidate_pairs
from laborcoop.matching.engine.factors import ScoreContext, Weights
from laborcoop.matching.engine.filters import FilterOptions, feasible
from laborcoop.matching.engine.metrics import gini, per_opening, violations
from laborcoop.matching.engine.score import Side, score_pairs
from laborcoop.matching.engine.taxonomy import Taxonomy
from tests.matching.engine_support import AS_OF, market, reference_feasible

SMALL = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _arrays(labs: list[dict[str, Any]], jobs: list[dict[str, Any]]) -> tuple[LaborerArrays, JobArrays, ScoreContext]:
    tax = Taxonomy()
    la = LaborerArrays.from_rows(labs, tax)
    ja = JobArrays.from_rows(jobs, tax, today=AS_OF)
    return la, ja, ScoreContext(weights=Weights(), taxonomy=tax)


def brute_force(la: LaborerArrays, ja: JobArrays, ctx: ScoreContext) -> tuple[int, int]:
    """(max fill, max total score at that fill) by enumerating every assignment."""
    n, m = len(la), len(ja)
    li, ji = np.meshgrid(np.arange(n), np.arange(m), indexing="ij")
    mask, rel = feasible(Side(la, li), Side(ja, ji), FilterOptions(as_of=AS_OF))
    score = score_pairs(Side(la, li), Side(ja, ji), rel, ctx).total
    best = (0, 0)
    for choice in itertools.product(range(-1, m), repeat=n):
        used = np.bincount([c for c in choice if c >= 0], minlength=m)
        if (used > ja.col("openings")).any():
            continue
        if any(c >= 0 and not mask[i, c] for i, c in enumerate(choice)):
            continue
        fill = sum(c >= 0 for c in choice)
        total = sum(int(score[i, c]) for i, c in enumerate(choice) if c >= 0)
        best = max(best, (fill, total))
    return best


@SMALL
@given(st.data())
def test_exact_allocation_matches_brute_force(data: Any) -> None:
    labs, jobs = market(data.draw, data.draw(st.integers(1, 5)), data.draw(st.integers(1, 3)))
    la, ja, ctx = _arrays(labs, jobs)

    alloc = allocate_exact(la, ja, ctx, options=FilterOptions(as_of=AS_OF))

    assert (alloc.filled, int(alloc.score.sum())) == brute_force(la, ja, ctx)


@SMALL
@given(st.data())
def test_allocation_never_breaks_openings_or_filters(data: Any) -> None:
    labs, jobs = market(data.draw, data.draw(st.integers(1, 30)), data.draw(st.integers(1, 6)))
    la, ja, ctx = _arrays(labs, jobs)
    options = FilterOptions(as_of=AS_OF)

    alloc = allocate(la, ja, ctx, k=2, options=options, relation_kind="all")

    per_job = np.bincount(alloc.job, minlength=len(jobs))
    assert (per_job <= ja.col("openings")).all()
    assert len(set(alloc.lab.tolist())) == alloc.filled
    for lab_pos, job_pos in zip(alloc.lab.tolist(), alloc.job.tolist(), strict=True):
        assert reference_feasible(labs[lab_pos], jobs[job_pos])
    assert violations(alloc, la, ja, options) == {"hard_filter": 0, "over_capacity": 0, "double_assigned": 0}
    # With every pair in reach of the rounds and repairs, the fill is the optimum's.
    assert alloc.filled == max_fill(la, ja, ctx, options=options, relation_kind="all")[0]


@pytest.fixture(scope="module")
def small_market() -> Any:
    mk = generate(3000, 150, openings=1500, seed=3)
    ctx = ScoreContext(weights=Weights(), taxonomy=mk.taxonomy, agreements=mk.agreements)
    return mk, ctx, FilterOptions(as_of=mk.today)


def test_candidate_scores_equal_the_engine_score(small_market: Any) -> None:
    mk, ctx, options = small_market

    pairs = candidate_pairs(mk.laborers, mk.jobs, ctx, k=5, options=options)

    lab, job = Side(mk.laborers, pairs.lab), Side(mk.jobs, pairs.job)
    mask, rel = feasible(lab, job, options)
    assert mask.all()
    assert np.array_equal(score_pairs(lab, job, rel, ctx).total, pairs.score)
    keys = pairs.lab * len(mk.jobs) + pairs.job
    assert len(np.unique(keys)) == len(pairs)  # a pair from both sides is kept once


def test_min_cost_flow_beats_greedy_baselines(small_market: Any) -> None:
    mk, ctx, options = small_market
    top = candidate_pairs(mk.laborers, mk.jobs, ctx, k=10, job_factor=0, job_extra=0, options=options)

    flow = allocate_flow(top, mk.jobs)
    greedy = allocate_greedy(top, mk.jobs)
    blind, sent = greedy_top_k_blind(top, mk.jobs, k=10)
    full = allocate(mk.laborers, mk.jobs, ctx, options=options)
    best, _ = max_fill(mk.laborers, mk.jobs, ctx, options=options)

    assert flow.filled >= greedy.filled >= blind.filled
    assert full.filled >= flow.filled
    assert full.filled == best  # the augmenting passes reach the max-flow fill
    assert gini(per_opening(sent, mk.jobs)) > gini(per_opening(np.bincount(full.job, minlength=150), mk.jobs))


def test_gini() -> None:
    assert gini(np.array([1.0, 1.0, 1.0])) == pytest.approx(0.0)
    assert gini(np.array([0.0, 0.0, 0.0, 4.0])) == pytest.approx(0.75)
    assert gini(np.array([])) == 0.0
