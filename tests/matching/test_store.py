"""Storing pairs: exact pairs only (never the cross product of their jobs and laborers), states kept, the run
recorded on every row it proposes."""

from typing import Any
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from laborcoop.matching.choices import RecSource, RecState
from laborcoop.matching.models import MatchingRun, Recommendation, RecommendationEvent
from laborcoop.matching.services import store
from laborcoop.matching.services.store import PAIR_CHUNK, recommendations_store, rows_for_pairs
from tests.factories import JobPostingFactory
from tests.matching.test_recommendations_setup import make_laborer

pytestmark = pytest.mark.django_db

VILLAGE = "433122108201"


def item(score: float) -> dict[str, Any]:
    return {"score": score, "factors": [{"code": "occupation", "label": "工种意向", "points": score, "text": "一致"}]}


@pytest.fixture
def two_by_two(regions: dict[str, Any]) -> dict[str, Any]:
    j1, j2 = JobPostingFactory(), JobPostingFactory()
    l1, l2 = make_laborer(VILLAGE, name="张一"), make_laborer(VILLAGE, name="张二")
    return {"j1": j1, "j2": j2, "l1": l1, "l2": l2}


def _rec(job: Any, laborer: Any, **extra: Any) -> Recommendation:
    return Recommendation.objects.create(job=job, laborer=laborer, region_id=laborer.region_id, score=1, **extra)


def _snapshot(rec: Recommendation) -> dict[str, Any]:
    return Recommendation.objects.filter(pk=rec.pk).values().get()


def test_a_batch_over_two_jobs_and_two_laborers_touches_only_the_assigned_pairs(
    users: dict[str, Any], two_by_two: dict[str, Any]
) -> None:
    j1, j2, l1, l2 = two_by_two["j1"], two_by_two["j2"], two_by_two["l1"], two_by_two["l2"]
    old_run = MatchingRun.objects.create(region_id="433122000000")
    kept = _rec(j1, l1, state=RecState.INTERESTED, source=RecSource.JOB)
    crossed = _rec(j1, l2, state=RecState.INTERESTED, run=old_run)  # (j1, l2): not assigned by this run
    other_cross = _rec(j2, l1)  # (j2, l1): neither
    untouched = [_snapshot(crossed), _snapshot(other_cross)]
    run = MatchingRun.objects.create(region_id="433122000000")

    write = store._update_rows
    with transaction.atomic(), mock.patch.object(store, "_update_rows", wraps=write) as updates:
        stored = recommendations_store(
            acting_user=users["county_officer"],
            job_by_id={j1.pk: j1, j2.pk: j2},
            laborer_by_id={l1.pk: l1, l2.pk: l2},
            items=[(j1.pk, l1.pk, item(70.5)), (j2.pk, l2.pk, item(64.0))],
            source=RecSource.BATCH,
            run=run,
        )

    assert [(r.job_id, r.laborer_id) for r in stored] == [(j1.pk, l1.pk), (j2.pk, l2.pk)]
    assert [list(call.args[0]) for call in updates.call_args_list] == [[kept]]  # the one existing assigned pair
    assert [_snapshot(crossed), _snapshot(other_cross)] == untouched
    kept.refresh_from_db()
    assert (kept.state, kept.source, kept.run, kept.score) == (RecState.INTERESTED, RecSource.JOB, run, 70.5)
    new = Recommendation.objects.get(job=j2, laborer=l2)
    assert (new.state, new.source, new.run, float(new.score)) == (RecState.RECOMMENDED, RecSource.BATCH, run, 64.0)
    assert list(RecommendationEvent.objects.values_list("recommendation_id", "to_state")) == [
        (new.pk, RecState.RECOMMENDED)
    ]
    assert set(run.recommendations.all()) == {kept, new}


def test_the_lookup_reads_exactly_the_pairs(two_by_two: dict[str, Any]) -> None:
    j1, j2, l1, l2 = two_by_two["j1"], two_by_two["j2"], two_by_two["l1"], two_by_two["l2"]
    rows = {(r.job_id, r.laborer_id): r for r in (_rec(j1, l1), _rec(j1, l2), _rec(j2, l1), _rec(j2, l2))}

    found = rows_for_pairs([(j1.pk, l1.pk), (j2.pk, l2.pk)])
    one_job = rows_for_pairs([(j1.pk, l1.pk), (j1.pk, l2.pk)])
    one_laborer = rows_for_pairs([(j2.pk, l1.pk), (j1.pk, l1.pk)])
    missing = rows_for_pairs([(j1.pk, 10**9)])

    assert found == {k: rows[k] for k in [(j1.pk, l1.pk), (j2.pk, l2.pk)]}
    assert one_job == {k: rows[k] for k in [(j1.pk, l1.pk), (j1.pk, l2.pk)]}
    assert one_laborer == {k: rows[k] for k in [(j2.pk, l1.pk), (j1.pk, l1.pk)]}
    assert missing == {}


def test_modes_one_and_two_leave_the_run_alone(users: dict[str, Any], two_by_two: dict[str, Any]) -> None:
    j1, l1 = two_by_two["j1"], two_by_two["l1"]
    run = MatchingRun.objects.create(region_id="433122000000")
    rec = _rec(j1, l1, run=run)

    with transaction.atomic():
        recommendations_store(
            acting_user=users["county_officer"],
            job_by_id={j1.pk: j1},
            laborer_by_id={l1.pk: l1},
            items=[(j1.pk, l1.pk, item(50))],
            source=RecSource.JOB,
        )

    rec.refresh_from_db()
    assert (rec.run, float(rec.score), rec.source) == (run, 50.0, RecSource.JOB)


def test_a_large_batch_is_looked_up_in_chunks_of_exact_pairs(regions: dict[str, Any]) -> None:
    jobs = [JobPostingFactory() for _ in range(3)]
    laborers = [make_laborer(VILLAGE, name=f"王{i}", phone="") for i in range(2 * PAIR_CHUNK + 10)]
    pairs = [(jobs[i % 3].pk, lab.pk) for i, lab in enumerate(laborers)]
    for job_id, laborer_id in pairs[::7]:
        Recommendation.objects.create(job_id=job_id, laborer_id=laborer_id, region_id=VILLAGE, score=1)
    # The cross product (every laborer with every job) would be three times as many rows.
    for lab in laborers[:30]:
        for job in jobs:
            Recommendation.objects.get_or_create(job=job, laborer=lab, defaults={"region_id": VILLAGE, "score": 2})
    expected = {p for p in pairs if Recommendation.objects.filter(job_id=p[0], laborer_id=p[1]).exists()}

    with CaptureQueriesContext(connection) as queries:
        found = rows_for_pairs(pairs)

    assert set(found) == expected
    assert len(queries) == 3  # ceil(1010 / 500) chunks
