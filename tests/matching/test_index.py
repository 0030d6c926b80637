"""Incremental updates of the warm index rank exactly like a rebuild."""

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laborcoop.matching.engine.index import MatchIndex
from laborcoop.matching.engine.taxonomy import Taxonomy
from tests.matching.engine_support import AS_OF, job_row, laborer_row, market


def _same(a: Any, b: Any) -> None:
    assert a.ids.tolist() == b.ids.tolist()
    assert a.centipoints.tolist() == b.centipoints.tolist()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_upserts_and_removals_equal_a_rebuild(data: Any) -> None:
    labs, jobs = market(data.draw, data.draw(st.integers(2, 20)), data.draw(st.integers(1, 5)))
    tax = Taxonomy()
    index = MatchIndex.build(laborer_rows=labs[:1], job_rows=jobs[:1], today=AS_OF, taxonomy=tax)
    for lab in labs[1:]:
        index.upsert_laborer(lab)
    for job in jobs[1:]:
        index.upsert_job(job)
    # Change some laborers, remove some, change a job.
    changed = [data.draw(laborer_row(lab["id"])) for lab in labs[: data.draw(st.integers(0, len(labs)))]]
    for lab in changed:
        index.upsert_laborer(lab)
    current = {lab["id"]: lab for lab in labs} | {lab["id"]: lab for lab in changed}
    removed = data.draw(st.lists(st.sampled_from(sorted(current)), unique=True, max_size=len(current) - 1))
    for lab_id in removed:
        assert index.remove_laborer(lab_id)
        del current[lab_id]
    assert not index.remove_laborer(10**9)
    new_job = data.draw(job_row(jobs[0]["id"]))
    index.upsert_job(new_job)
    job_rows = [new_job, *jobs[1:]]

    rebuilt = MatchIndex.build(laborer_rows=list(current.values()), job_rows=job_rows, today=AS_OF)

    assert len(index.laborers) == len(current)
    for job in job_rows:
        _same(index.candidates_for_job(job["id"], k=7), rebuilt.candidates_for_job(job["id"], k=7))
    for lab_id in current:
        _same(index.jobs_for_laborer(lab_id, k=3), rebuilt.jobs_for_laborer(lab_id, k=3))


def test_growth_beyond_initial_capacity_keeps_rows() -> None:
    index = MatchIndex.build(laborer_rows=[], job_rows=[], today=AS_OF)
    rows = [
        {"id": i, "region_code": "433122000000", "birth_date": "1990-01-01", "labor_skill": "普通劳动力"}
        for i in range(1, 101)
    ]
    for row in rows:
        index.upsert_laborer(row)

    assert len(index.laborers) == 100
    assert index.laborers.col("id").tolist() == list(range(1, 101))
    assert index.laborers.position(57) == 56
