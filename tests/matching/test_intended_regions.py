"""意向地区 in matching: a laborer who asked for 济南 gets a 济南 job's region points as if it were at home."""

from datetime import date
from typing import Any

import numpy as np

from laborcoop.matching.engine.arrays import JobArrays, LaborerArrays, encode_laborer, intent_range
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


def test_intent_range_is_the_regions_subtree() -> None:
    assert intent_range("370100000000") == (370100000000, 370199999999)
    assert intent_range("433122107201") == (433122107201, 433122107201)
    assert intent_range("济南") == (1, 0)  # text is no region: an empty range
    row = encode_laborer(_laborer(1, ["370100000000"]), Taxonomy())
    assert (row["ir_lo1"], row["ir_hi1"], row["ir_lo2"], row["ir_hi2"]) == (370100000000, 370199999999, 1, 0)


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
