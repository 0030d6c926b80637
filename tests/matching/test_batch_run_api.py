"""/api/v1/matching-runs/: start a run over a region of one's subtree, poll status and counts, retry a failed run;
the permission matrix (anonymous, wrong role, right role wrong region, right role right region)."""

from typing import Any

import pytest
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.matching.models import MatchingRun, Recommendation
from laborcoop.matching.services import batch
from tests.matching.test_recommendations_setup import Market, api_client

pytestmark = pytest.mark.django_db

LIST = reverse("api:matching_run_list")


@pytest.fixture
def market(one_opening_market: Market) -> Market:
    return one_opening_market


def _start(client: Any, capture: Any, **body: Any) -> Any:
    with capture(execute=True):
        return client.post(LIST, body, format="json")


def test_start_and_poll_a_run(users: dict[str, Any], market: Market, django_capture_on_commit_callbacks: Any) -> None:
    client = api_client(users["county_officer"])

    response = _start(client, django_capture_on_commit_callbacks)

    assert response.status_code == 202
    assert response.json()["region"] == "433122000000"
    detail = client.get(reverse("api:matching_run_detail", args=[response.json()["id"]]))
    assert detail.status_code == 200
    body = detail.json()
    assert body["status"] == "succeeded"
    assert body["progress"] == 100
    assert body["assigned"] == Recommendation.objects.filter(run_id=body["id"]).count() > 0
    assert body["laborers_considered"] == len(market.luxi)
    assert {"openings", "jobs_considered", "filled_percent", "error", "status_label"} <= set(body)
    listing = client.get(LIST).json()
    assert [row["id"] for row in listing["results"]] == [body["id"]]


def test_a_run_over_a_township_considers_only_its_laborers(
    users: dict[str, Any], market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    township = market.luxi[0].region_id[:9] + "000"

    response = _start(api_client(users["county_officer"]), django_capture_on_commit_callbacks, region=township)

    assert response.status_code == 202
    run = MatchingRun.objects.get(pk=response.json()["id"])
    expected = sum(1 for lab in market.luxi if lab.region_id.startswith(township[:9]))
    assert (run.region_id, run.laborers_considered) == (township, expected)


@pytest.mark.parametrize(
    ("who", "body", "status"),
    [
        (None, {}, 401),
        ("enterprise", {}, 403),
        ("hotline", {}, 403),
        ("viewer", {}, 403),
        ("county_officer", {"region": "433123000000"}, 404),  # 凤凰县: right role, wrong region
        ("county_officer", {"region": "4331"}, 400),
        ("county_officer", {"region": "999999999999"}, 404),
    ],
)
def test_who_may_start_a_run(
    users: dict[str, Any], market: Market, who: str | None, body: dict[str, Any], status: int
) -> None:
    response = api_client(users[who] if who else None).post(LIST, body, format="json")

    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/json")
    assert not MatchingRun.objects.exists()


def test_a_run_of_another_region_is_not_found(users: dict[str, Any], market: Market) -> None:
    run = MatchingRun.objects.create(region_id="433123000000", created_by=users["other_county_officer"])
    missing = api_client(users["county_officer"]).get(reverse("api:matching_run_detail", args=[run.pk + 1000]))

    response = api_client(users["county_officer"]).get(reverse("api:matching_run_detail", args=[run.pk]))

    assert response.status_code == 404
    assert response.content == missing.content
    assert (
        api_client(users["prefecture_admin"]).get(reverse("api:matching_run_detail", args=[run.pk])).status_code == 200
    )


def test_a_failed_run_shows_a_chinese_message_and_is_retried(
    users: dict[str, Any], market: Market, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("operands could not be broadcast together with shapes (8240,) (51,)")

    monkeypatch.setattr(batch, "_explained", broken)
    client = api_client(users["county_officer"])
    run_id = _start(client, django_capture_on_commit_callbacks).json()["id"]

    body = client.get(reverse("api:matching_run_detail", args=[run_id])).json()
    assert body["status"] == "failed"
    assert body["error"] == batch.ERR_RUN_FAILED
    assert "broadcast" not in str(body)
    run = MatchingRun.objects.get(pk=run_id)
    assert run.error_detail.startswith("ValueError: operands could not be broadcast")
    assert not Recommendation.objects.exists()  # nothing partial

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(reverse("api:matching_run_retry", args=[run_id]))

    assert retried.status_code == 202
    run.refresh_from_db()
    assert (run.status, run.error, run.error_detail) == (MatchingRun.Status.SUCCEEDED, "", "")
    assert AuditEntry.objects.filter(object_type="matching.matchingrun", reason__startswith="重试").count() == 1
    again = client.post(reverse("api:matching_run_retry", args=[run_id]))
    assert again.status_code == 409


def test_the_run_page_shows_the_cause_to_admins_only(users: dict[str, Any], market: Market) -> None:
    from tests.matching.test_recommendations_setup import page_client

    run = MatchingRun.objects.create(
        region_id="433122000000",
        created_by=users["county_officer"],
        status=MatchingRun.Status.FAILED,
        error=batch.ERR_RUN_FAILED,
        error_detail="ValueError: boom-detail",
    )
    url = reverse("matching:run_detail", args=[run.pk])

    officer_page = page_client(users["county_officer"]).get(url).content.decode()
    admin_page = page_client(users["prefecture_admin"]).get(url).content.decode()

    assert batch.ERR_RUN_FAILED in officer_page
    assert "boom-detail" not in officer_page
    assert "boom-detail" in admin_page
    assert reverse("matching:run_retry", args=[run.pk]) in officer_page


def test_a_blank_region_is_the_own_region(
    users: dict[str, Any], market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    """The schema allows an empty region (a form field left empty, as DRF reads it: not given); a JSON "" means
    the same instead of a 500 or a refusal (found by tests/api/test_schemathesis.py)."""
    response = _start(api_client(users["county_officer"]), django_capture_on_commit_callbacks, region="")
    assert response.status_code == 202
    assert response.json()["region"] == "433122000000"
