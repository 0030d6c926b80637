"""意向地区 in matching: a laborer who asked for 济南 gets a 济南 job's region points as if it were at home."""

from datetime import date
from typing import Any

import numpy as np

from laborcoop.matching.engine.arrays import (
    NO_INTENT,
    JobArrays,
    LaborerArrays,
    encode_laborer,
    in_intent,
    intent_code,
    intent_range,
)
from laborcoop.matching.engine.candidates import candidate_pairs
from laborcoop.matching.engine.factors import ScoreContext, Weights, f_distance, x_distance
from laborcoop.matching.engine.filters import FilterOptions, feasible
from laborcoop.matching.engine.rank import rank_candidates
from laborcoop.matching.engine.score import Side, score_pairs
from laborcoop.matching.engine.taxonomy import Taxonomy

AS_OF = date(2026, 6, 1)


def _laborer(laborer_id: int, intended: list[str]) -> dict[str, Any]:
    return {
        "id": laborer_id,
        "region_code": "433122107201",  # 湖南省 湘西州 泸溪县
        "birth_date": date(1990, 5, 1),
        "sex": "1",
        "education": "初中",
        "labor_skill": "普通劳动力",
        "employment_status": "unemployed",
        "work_region_willingness": ["03"],
        "intended_occupations": ["普工"],
        "intended_regions": intended,
        "expected_wage": 4000,
    }


def _job(job_id: int, region: str) -> dict[str, Any]:
    return {
        "id": job_id,
        "enterprise_id": 1,
        "work_region_code": region,
        "occupation": "普工",
        "openings": 3,
        "wage_min": 4000,
        "wage_max": 5000,
        "age_min": 18,
        "age_max": 50,
        "status": "open",
        "valid_until": date(2026, 12, 31),
    }


def _market() -> tuple[LaborerArrays, JobArrays, ScoreContext]:
    taxonomy = Taxonomy()
    laborers = LaborerArrays.from_rows(
        [_laborer(1, ["370100000000"]), _laborer(2, []), _laborer(3, ["37", "440300000000"])], taxonomy
    )
    jobs = JobArrays.from_rows([_job(10, "370115000000"), _job(11, "440306000000")], taxonomy, today=AS_OF)
    return laborers, jobs, ScoreContext(weights=Weights(), taxonomy=taxonomy)


def test_an_intended_region_is_its_subtree() -> None:
    jinan = intent_code("370100000000")
    assert intent_range(jinan) == (370100000000, 370199999999)
    assert intent_range(intent_code("37")) == (370000000000, 379999999999)
    assert intent_range(intent_code("433122107201")) == (433122107201, 433122107201)
    assert intent_code("济南") == NO_INTENT  # text is no region
    assert intent_range(NO_INTENT) == (1, 0)
    assert bool(in_intent(370115000000, jinan))
    assert not bool(in_intent(370200000000, jinan))
    assert not bool(in_intent(0, NO_INTENT))
    row = encode_laborer(_laborer(1, ["370100000000", "370100000000", "x"]), Taxonomy())
    assert (row["ir1"], row["ir2"], row["ir3"]) == (jinan, NO_INTENT, NO_INTENT)


def test_a_jinan_intention_scores_a_jinan_job_as_intended_not_as_other_province() -> None:
    laborers, jobs, ctx = _market()
    lab = Side(laborers, np.array([0, 1]))
    job = Side(jobs, np.array([0, 0]))
    _, rel = feasible(lab, job, FilterOptions(as_of=AS_OF))
    points = f_distance(lab, job, rel, ctx)
    assert points.tolist() == [1500, 300]  # 15 points in the intended region; 跨省 3 points without it
    assert x_distance(laborers.row(0), jobs.row(0), ctx) == "工作地点在本人意向地区内（与户籍地跨省）"
    assert x_distance(laborers.row(1), jobs.row(0), ctx) == "工作地点与户籍地跨省"
    # The 深圳 job is outside 济南: no intention bonus for laborer 1, but laborer 3 asked for 深圳市.
    lab3 = Side(laborers, np.array([0, 2]))
    job3 = Side(jobs, np.array([1, 1]))
    _, rel3 = feasible(lab3, job3, FilterOptions(as_of=AS_OF))
    assert f_distance(lab3, job3, rel3, ctx).tolist() == [300, 1500]


def test_the_intention_ranks_the_laborer_first_in_every_mode() -> None:
    laborers, jobs, ctx = _market()
    options = FilterOptions(as_of=AS_OF)
    ranking = rank_candidates(laborers, jobs, 0, ctx, k=3, options=options)
    assert ranking.ids.tolist()[:2] == [1, 3]
    assert ranking.ids.tolist()[-1] == 2
    # The candidate graph of the batch allocation scores the same pairs the same way.
    pairs = candidate_pairs(laborers, jobs, ctx, k=5, options=options, job_factor=0, job_extra=0, relation_kind="all")
    lab_pos, job_pos = pairs.lab, pairs.job
    expected = score_pairs(
        Side(laborers, lab_pos),
        Side(jobs, job_pos),
        feasible(Side(laborers, lab_pos), Side(jobs, job_pos), options)[1],
        ctx,
    ).total
    assert pairs.score.tolist() == expected.tolist()
    by_pair = {(int(lab), int(job)): int(s) for lab, job, s in zip(lab_pos, job_pos, pairs.score, strict=True)}
    assert by_pair[(0, 0)] - by_pair[(1, 0)] == 1200


def test_one_job_against_many_laborers_scores_like_the_pairwise_path() -> None:
    """Mode 1 looks only at the laborers who named regions; the points are those of the general path."""
    laborers, jobs, ctx = _market()
    idx = np.array([0, 1, 2, 1, 0])
    for job_pos in (0, 1):
        lab = Side(laborers, idx)
        one = Side(jobs, job_pos)
        pairs = Side(jobs, np.full(len(idx), job_pos))
        _, rel = feasible(lab, pairs, FilterOptions(as_of=AS_OF))
        assert f_distance(lab, one, rel, ctx).tolist() == f_distance(Side(laborers, idx), pairs, rel, ctx).tolist()
    assert f_distance(Side(laborers, idx), Side(jobs, 0), rel, ctx).tolist() == [1500, 300, 1500, 300, 1500]
