"""The batch allocation's augmenting passes reach the max-flow fill, and the candidate lists they are built from
are each laborer's best feasible jobs."""

from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laborcoop.bench.synthetic_market import generate
from laborcoop.matching.engine.allocate import allocate, max_fill
from laborcoop.matching.engine.arrays import JobArrays, LaborerArrays
from laborcoop.matching.engine.candidates import candidate_pairs
from laborcoop.matching.engine.factors import ScoreContext, Weights
from laborcoop.matching.engine.filters import FilterOptions, feasible
from laborcoop.matching.engine.metrics import violations
from laborcoop.matching.engine.score import Side, score_pairs
from laborcoop.matching.engine.taxonomy import Taxonomy
from tests.matching.engine_support import AS_OF, market, reference_feasible

SMALL = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NO_VIOLATIONS = {"hard_filter": 0, "over_capacity": 0, "double_assigned": 0}


def _laborer(laborer_id: int, *, sex: str, education: str, birth: date, wage: int) -> dict[str, Any]:
    return {
        "id": laborer_id,
        "region_code": "433122001001",
        "birth_date": birth,
        "sex": sex,
        "education": education,
        "student_status": "",
        "health": [],
        "labor_skill": "普通劳动力",
        "employment_status": "unemployed",
        "unreachable": False,
        "vital_status": "normal",
        "work_region_willingness": ["01"],
        "intended_occupations": ["普工"],
        "expected_wage": wage,
        "skills": "",
        "qualification": "",
    }


def _job(job_id: int, *, wage_max: int, sex: str = "", education: str = "", age_max: int = 60) -> dict[str, Any]:
    return {
        "id": job_id,
        "enterprise_id": 1,
        "work_region_code": "433122001002",
        "occupation": "普工",
        "openings": 1,
        "wage_min": 3000,
        "wage_max": wage_max,
        "age_min": 18,
        "age_max": age_max,
        "sex_requirement": sex,
        "education_min": education,
        "provides_accommodation": False,
        "provides_meals": False,
        "is_low_threshold": False,
        "status": "open",
        "valid_until": AS_OF + timedelta(days=30),
        "is_assist_workshop": False,
        "retention_rate": None,
        "sent_count": 0,
    }


@pytest.fixture
def chain() -> tuple[LaborerArrays, JobArrays, ScoreContext]:
    """Three one-opening jobs. Laborer 1 can only take job 11; laborer 2 takes 11 or 12 and scores higher on 11
    than laborer 1; laborer 3 takes 12 or 13 and prefers 12. Everyone's first choice leaves laborer 1 out,
    and only moving 3 to 13 and then 2 to 12 gives everyone a place (laborer 2 cannot take 13)."""
    labs = [
        _laborer(1, sex="1", education="初中", birth=date(1990, 1, 1), wage=9000),  # 12 needs 高中, 13 women
        _laborer(2, sex="1", education="高中", birth=date(1990, 1, 1), wage=6000),
        _laborer(3, sex="2", education="高中", birth=date(1970, 1, 1), wage=5000),  # too old for 11
    ]
    jobs = [
        _job(11, wage_max=6000, age_max=45),
        _job(12, wage_max=5000, education="高中"),
        _job(13, wage_max=4000, sex="2"),
    ]
    tax = Taxonomy()
    return (
        LaborerArrays.from_rows(labs, tax),
        JobArrays.from_rows(jobs, tax, today=AS_OF),
        ScoreContext(weights=Weights(), taxonomy=tax),
    )


def _assignment(alloc: Any, laborers: LaborerArrays, jobs: JobArrays) -> dict[int, int]:
    lab_ids = laborers.col("id")[alloc.lab].tolist()
    return dict(zip(lab_ids, jobs.col("id")[alloc.job].tolist(), strict=True))


def test_rounds_over_first_choices_leave_the_laborer_with_one_job_out(chain: Any) -> None:
    laborers, jobs, ctx = chain

    alloc = allocate(laborers, jobs, ctx, k=1, repairs=0, options=FilterOptions(as_of=AS_OF), relation_kind="all")

    assert _assignment(alloc, laborers, jobs) == {2: 11, 3: 12}


def test_augmenting_pass_moves_a_chain_of_holders(chain: Any) -> None:
    laborers, jobs, ctx = chain
    options = FilterOptions(as_of=AS_OF)

    alloc = allocate(laborers, jobs, ctx, k=1, options=options, relation_kind="all")

    assert _assignment(alloc, laborers, jobs) == {1: 11, 2: 12, 3: 13}
    assert violations(alloc, laborers, jobs, options) == NO_VIOLATIONS


def test_no_augmenting_pass_starts_after_the_time_limit(chain: Any) -> None:
    laborers, jobs, ctx = chain

    alloc = allocate(laborers, jobs, ctx, k=1, time_limit=0.0, options=FilterOptions(as_of=AS_OF), relation_kind="all")

    assert _assignment(alloc, laborers, jobs) == {2: 11, 3: 12}


@SMALL
@given(st.data())
def test_short_lists_still_reach_the_max_flow_fill(data: Any) -> None:
    labs, jobs = market(data.draw, data.draw(st.integers(1, 30)), data.draw(st.integers(1, 6)))
    tax = Taxonomy()
    la, ja = LaborerArrays.from_rows(labs, tax), JobArrays.from_rows(jobs, tax, today=AS_OF)
    ctx = ScoreContext(weights=Weights(), taxonomy=tax)
    options = FilterOptions(as_of=AS_OF)

    alloc = allocate(la, ja, ctx, k=1, repair_k=1, options=options)

    assert violations(alloc, la, ja, options) == NO_VIOLATIONS
    for lab_pos, job_pos in zip(alloc.lab.tolist(), alloc.job.tolist(), strict=True):
        assert reference_feasible(labs[lab_pos], jobs[job_pos])
    assert alloc.filled == max_fill(la, ja, ctx, options=options)[0]


@pytest.mark.parametrize("full_first_pass", [False, True], ids=["max-flow-paths", "full-first-pass"])
@pytest.mark.parametrize(("seed", "n_laborers", "n_jobs", "openings"), [(2, 5000, 100, 5000), (6, 3000, 150, 1500)])
def test_allocation_fills_as_many_openings_as_the_max_flow(
    seed: int, n_laborers: int, n_jobs: int, openings: int, full_first_pass: bool
) -> None:
    mk = generate(n_laborers, n_jobs, openings=openings, seed=seed)
    ctx = ScoreContext(weights=Weights(), taxonomy=mk.taxonomy, agreements=mk.agreements)
    options = FilterOptions(as_of=mk.today)

    alloc = allocate(mk.laborers, mk.jobs, ctx, options=options, full_first_pass=full_first_pass)

    assert alloc.filled == max_fill(mk.laborers, mk.jobs, ctx, options=options)[0]
    assert violations(alloc, mk.laborers, mk.jobs, options) == NO_VIOLATIONS


def test_candidate_lists_are_each_laborers_best_feasible_jobs() -> None:
    mk = generate(2000, 120, openings=1200, seed=5)
    ctx = ScoreContext(weights=Weights(), taxonomy=mk.taxonomy, agreements=mk.agreements)
    options = FilterOptions(as_of=mk.today)
    k = 5

    pairs = candidate_pairs(
        mk.laborers, mk.jobs, ctx, k=k, job_factor=0, job_extra=0, options=options, relation_kind="all"
    )

    li, ji = np.meshgrid(np.arange(len(mk.laborers)), np.arange(len(mk.jobs)), indexing="ij")
    mask, rel = feasible(Side(mk.laborers, li), Side(mk.jobs, ji), options)
    score = np.where(mask, score_pairs(Side(mk.laborers, li), Side(mk.jobs, ji), rel, ctx).total, -(1 << 30))
    expected = -np.sort(-score, axis=1)[:, :k]
    got = np.full((len(mk.laborers), k), -(1 << 30))
    order = np.lexsort((-pairs.score.astype(np.int64), pairs.lab))
    lab, sc = pairs.lab[order], pairs.score[order]
    rank = np.arange(len(lab)) - np.searchsorted(lab, lab)
    got[lab, rank] = sc
    assert mask.sum() > 0
    assert np.array_equal(got, expected)  # the k best scores of every laborer (ties may swap equal jobs)
    assert mask[pairs.lab, pairs.job].all()
