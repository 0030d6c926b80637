"""Mode 3 as a background run: openings respected, the acting user's scope, idempotence, pages and access."""

from typing import Any

import pytest
from django.urls import reverse

from laborcoop.core.errors import PermissionDeniedError
from laborcoop.employers.choices import JobStatus
from laborcoop.employers.models import JobPosting
from laborcoop.matching.choices import RecSource, RecState
from laborcoop.matching.models import MatchingRun, Recommendation
from laborcoop.matching.services import matching_run_create, matching_run_execute
from laborcoop.notifications.models import Notification
from tests.matching.conftest import run_batch
from tests.matching.test_recommendations_setup import Market, build_market, page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(one_opening_market: Market) -> Market:
    return one_opening_market


_run = run_batch


def test_a_run_assigns_within_openings_and_scope(
    users: dict[str, Any], market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    run = _run(users["county_officer"], django_capture_on_commit_callbacks)

    assert run.status == MatchingRun.Status.SUCCEEDED
    assert run.progress == 100
    batch = Recommendation.objects.filter(source=RecSource.BATCH)
    assert batch.count() == run.assigned > 0
    assert run.laborers_considered == len(market.luxi)
    for job in JobPosting.objects.all():
        assert batch.filter(job=job).count() <= job.openings
    assert set(batch.values_list("laborer_id", flat=True)) <= {lab.pk for lab in market.luxi}
    assert len(set(batch.values_list("laborer_id", flat=True))) == batch.count()  # one job each
    assert set(batch.values_list("state", flat=True)) == {RecState.RECOMMENDED}
    assert not Notification.objects.exists()  # staff review first


def test_a_second_execute_changes_nothing(
    users: dict[str, Any], market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    run = _run(users["county_officer"], django_capture_on_commit_callbacks)
    before = list(Recommendation.objects.order_by("id").values("id", "job_id", "laborer_id", "state", "score"))

    again = matching_run_execute(run_id=run.pk)

    assert again.status == MatchingRun.Status.SUCCEEDED
    assert again.finished_at == run.finished_at
    after = list(Recommendation.objects.order_by("id").values("id", "job_id", "laborer_id", "state", "score"))
    assert after == before


def test_existing_states_are_kept(
    users: dict[str, Any], market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    _run(users["county_officer"], django_capture_on_commit_callbacks)
    Recommendation.objects.update(state=RecState.INTERESTED)

    _run(users["county_officer"], django_capture_on_commit_callbacks)

    assert set(Recommendation.objects.values_list("state", flat=True)) == {RecState.INTERESTED}


@pytest.mark.parametrize("role", ["enterprise", "hotline", "viewer"])
def test_only_registry_editors_start_runs(users: dict[str, Any], role: str) -> None:
    with pytest.raises(PermissionDeniedError):
        matching_run_create(acting_user=users[role])


def test_enterprise_user_gets_403_on_the_pages(users: dict[str, Any]) -> None:
    client = page_client(users["enterprise"])

    assert client.get(reverse("matching:runs")).status_code == 403
    assert client.post(reverse("matching:runs")).status_code == 403
    assert not MatchingRun.objects.exists()


def test_anonymous_is_sent_to_login(users: dict[str, Any]) -> None:
    response = page_client(None).get(reverse("matching:runs"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_another_regions_run_is_404(
    users: dict[str, Any], market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    run = _run(users["other_county_officer"], django_capture_on_commit_callbacks)
    client = page_client(users["county_officer"])

    assert client.get(reverse("matching:run_detail", args=[run.pk])).status_code == 404
    assert run.pk not in [r.pk for r in client.get(reverse("matching:runs")).context["runs"]]


def test_the_pages_start_a_run_and_show_its_counts(
    users: dict[str, Any], market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    client = page_client(users["county_officer"])
    listing = client.get(reverse("matching:runs"))
    assert "发起批量匹配" in listing.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matching:runs"))
    run = MatchingRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:run_detail", args=[run.pk])

    page = client.get(reverse("matching:run_detail", args=[run.pk])).content.decode()
    assert "已完成" in page
    assert f'<dd id="run-assigned">{run.assigned} 人</dd>' in page
    assert f'<dd id="run-laborers">{run.laborers_considered} 人</dd>' in page
    assert "不会自动通知" in page
    assert "hx-trigger" not in page  # finished: no more polling
    top = Recommendation.objects.filter(source=RecSource.BATCH).first()
    assert top is not None
    assert reverse("matching:job_pipeline", args=[top.job_id]) in page

    part = client.get(
        reverse("matching:run_detail", args=[run.pk]) + "?part=status", headers={"HX-Request": "true"}
    ).content.decode()
    assert part.startswith('<div id="run-status"')


def test_a_queued_run_polls(users: dict[str, Any]) -> None:
    run = MatchingRun.objects.create(region_id="433122000000", created_by=users["county_officer"])
    page = page_client(users["county_officer"]).get(reverse("matching:run_detail", args=[run.pk])).content.decode()

    assert "排队中" in page
    assert 'hx-trigger="every 1s"' in page


def test_viewer_sees_the_list_without_the_button(users: dict[str, Any]) -> None:
    page = page_client(users["viewer"]).get(reverse("matching:runs"))

    assert page.status_code == 200
    assert "发起批量匹配" not in page.content.decode()


def test_several_laborers_on_one_job_are_explained(
    users: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Regression: with more than one laborer assigned to a job, the explanation pass handed the engine an
    array of positions where it takes a mask over the laborer rows ("operands could not be broadcast")."""
    market = build_market(users)
    JobPosting.objects.exclude(pk=market.luxi_job.pk).update(status=JobStatus.CLOSED)
    JobPosting.objects.filter(pk=market.luxi_job.pk).update(openings=3)

    run = _run(users["county_officer"], django_capture_on_commit_callbacks)

    assert run.status == MatchingRun.Status.SUCCEEDED, run.error
    batch = Recommendation.objects.filter(source=RecSource.BATCH, job=market.luxi_job)
    assert batch.count() == run.assigned >= 2
    assert all(rec.factors for rec in batch)  # each assignment carries the engine's explanation
