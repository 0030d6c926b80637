"""Hard filters are never violated: the engine agrees with a plain reference on random markets."""

from datetime import date
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laborcoop.matching.engine.arrays import JobArrays, LaborerArrays
from laborcoop.matching.engine.filters import FilterOptions, birth_cutoffs, feasible
from laborcoop.matching.engine.index import MatchIndex
from laborcoop.matching.engine.score import Side
from laborcoop.matching.engine.taxonomy import Taxonomy
from tests.matching.engine_support import AS_OF, age_on, market, reference_feasible

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.data())
def test_mode1_returns_exactly_the_feasible_laborers(data: Any) -> None:
    labs, jobs = market(data.draw, data.draw(st.integers(1, 25)), 1)
    index = MatchIndex.build(laborer_rows=labs, job_rows=jobs, today=AS_OF)

    ranking = index.candidates_for_job(jobs[0]["id"], k=1000)

    expected = {lab["id"] for lab in labs if reference_feasible(lab, jobs[0], check_active=False)}
    assert set(ranking.ids.tolist()) == expected
    assert ranking.n_feasible == len(expected)


@FAST
@given(st.data())
def test_mode2_returns_exactly_the_feasible_active_jobs(data: Any) -> None:
    labs, jobs = market(data.draw, 1, data.draw(st.integers(1, 25)))
    index = MatchIndex.build(laborer_rows=labs, job_rows=jobs, today=AS_OF)

    ranking = index.jobs_for_laborer(labs[0]["id"], k=1000)

    expected = {job["id"] for job in jobs if reference_feasible(labs[0], job)}
    assert set(ranking.ids.tolist()) == expected


@FAST
@given(st.data())
def test_pairwise_mask_matches_reference(data: Any) -> None:
    labs, jobs = market(data.draw, data.draw(st.integers(1, 12)), data.draw(st.integers(1, 8)))
    tax = Taxonomy()
    la = LaborerArrays.from_rows(labs, tax)
    ja = JobArrays.from_rows(jobs, tax, today=AS_OF)

    mask, _ = feasible(
        Side(la, np.arange(len(labs))[:, None]), Side(ja, np.arange(len(jobs))[None, :]), FilterOptions(as_of=AS_OF)
    )

    expected = np.array([[reference_feasible(lab, job) for job in jobs] for lab in labs])
    assert np.array_equal(mask, expected)


def test_include_employed_and_unreachable_when_asked() -> None:
    lab = {
        "id": 1,
        "region_code": "433122100200",
        "birth_date": date(1990, 5, 1),
        "sex": "1",
        "education": "初中",
        "labor_skill": "普通劳动力",
        "employment_status": "employed",
        "unreachable": True,
    }
    job = {"id": 9, "work_region_code": "433122000000", "occupation": "普工", "valid_until": AS_OF}
    index = MatchIndex.build(laborer_rows=[lab], job_rows=[job], today=AS_OF)

    assert len(index.candidates_for_job(9)) == 0
    assert len(index.candidates_for_job(9, options=index.options(include_employed=True))) == 0
    both = index.options(include_employed=True, include_unreachable=True)
    assert index.candidates_for_job(9, options=both).ids.tolist() == [1]


def test_birth_cutoffs_agree_with_age_on_around_leap_days() -> None:
    for as_of in (date(2024, 2, 29), date(2023, 2, 28), date(2023, 3, 1)):
        cut = birth_cutoffs(as_of)
        for birth_day in (date(2008, 2, 29), date(2007, 2, 28), date(2007, 3, 1), date(2004, 2, 29)):
            age = age_on(birth_day, as_of)
            assert birth_day.toordinal() <= cut[age]
            assert birth_day.toordinal() > cut[age + 1]
