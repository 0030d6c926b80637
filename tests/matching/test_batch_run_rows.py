"""A batch run knows its recommendations: the run is recorded on every row it proposes, and its page counts
its own rows by state and its own top jobs."""

from typing import Any

import pytest
from django.urls import reverse

from laborcoop.matching.choices import RecSource, RecState
from laborcoop.matching.models import Recommendation
from laborcoop.matching.selectors import matching_run_state_counts, matching_run_top_jobs
from tests.matching.conftest import run_batch
from tests.matching.test_recommendations_setup import Market, page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(one_opening_market: Market) -> Market:
    return one_opening_market


_run = run_batch


def test_a_run_records_itself_on_new_rows_and_on_rows_it_proposes_again(
    users: dict[str, Any], market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    officer = users["county_officer"]
    first = _run(officer, django_capture_on_commit_callbacks)
    assert first.assigned > 0
    assert set(Recommendation.objects.values_list("run", flat=True)) == {first.pk}
    Recommendation.objects.update(state=RecState.INTERESTED)

    second = _run(officer, django_capture_on_commit_callbacks)

    assert second.assigned == first.assigned
    assert set(Recommendation.objects.values_list("run", flat=True)) == {second.pk}
    assert set(Recommendation.objects.values_list("state", flat=True)) == {RecState.INTERESTED}  # kept
    assert not first.recommendations.exists()
    assert matching_run_state_counts(user=officer, run=first) == []


def test_the_run_page_counts_its_own_rows_by_state_and_its_own_top_jobs(
    users: dict[str, Any], market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    officer = users["county_officer"]
    run = _run(officer, django_capture_on_commit_callbacks)
    own = list(run.recommendations.order_by("id"))
    assert len(own) == run.assigned >= 2
    Recommendation.objects.filter(pk=own[0].pk).update(state=RecState.INTERESTED)
    # Rows of no run: a batch-source row of an earlier run (its run deleted) and a mode-1 row. Not counted.
    stray_job = market.fenghuang_job
    for laborer in market.fenghuang:
        Recommendation.objects.create(
            job=stray_job, laborer=laborer, region_id=laborer.region_id, score=1, source=RecSource.BATCH
        )
    Recommendation.objects.create(job=stray_job, laborer=market.luxi[2], region_id=market.luxi[2].region_id, score=1)

    counts = matching_run_state_counts(user=users["province_admin"], run=run)
    top = matching_run_top_jobs(user=users["province_admin"], run=run)
    page = page_client(officer).get(reverse("matching:run_detail", args=[run.pk])).content.decode()

    assert counts == [
        {"state": RecState.RECOMMENDED, "label": "推荐", "count": len(own) - 1},
        {"state": RecState.INTERESTED, "label": "有意向", "count": 1},
    ]
    assert sum(j["count"] for j in top) == len(own)
    assert {j["id"] for j in top} == {r.job_id for r in own}
    assert f'<td data-label="推荐数" class="right" id="run-state-recommended">{len(own) - 1}</td>' in page
    assert '<td data-label="推荐数" class="right" id="run-state-interested">1</td>' in page
    assert "本次推荐的进展" in page


def test_another_county_sees_none_of_the_runs_rows(
    users: dict[str, Any], market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    run = _run(users["county_officer"], django_capture_on_commit_callbacks)

    assert run.assigned > 0
    assert matching_run_state_counts(user=users["other_county_officer"], run=run) == []
    assert matching_run_top_jobs(user=users["other_county_officer"], run=run) == []


def test_the_run_page_queries_do_not_grow_with_rows(
    users: dict[str, Any],
    market: Market,
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    run = _run(users["province_admin"], django_capture_on_commit_callbacks)
    client = page_client(users["province_admin"])
    assert run.assigned >= 2

    with django_assert_max_num_queries(12):
        response = client.get(reverse("matching:run_detail", args=[run.pk]))
    assert response.status_code == 200
