"""Openings are enforced on 录用 / 已上岗: beyond them a hire is refused unless the acting user confirms the
over-hire, which raises the openings (audited); the page and the API expose the confirmation; two hires of the
last opening at the same time on PostgreSQL: exactly one succeeds."""

import threading
import time
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from laborcoop.core.models import AuditEntry
from laborcoop.employers.models import JobPosting
from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation, RecommendationEvent
from laborcoop.matching.services import recommendation_transition
from laborcoop.matching.services.openings import (
    ERR_OPENINGS_FULL,
    OVER_HIRE_REASON,
    job_hired_laborer_ids,
)
from tests.employment.factories import EmploymentRecordFactory
from tests.matching.test_recommendations_setup import Market, api_client, build_market, page_client

HIRE = date.today() - timedelta(days=2)
FULL_OF_ONE = ERR_OPENINGS_FULL % {"openings": 1}


def rec_in(job: JobPosting, laborer: Any, state: str) -> Recommendation:
    return Recommendation.objects.create(
        job=job,
        laborer=laborer,
        region_id=laborer.region_id,
        score=60,
        factors=[{"key": "occupation", "label": "工种意向", "points": 60, "explanation": "意向工种一致"}],
        state=state,
        hire_date=HIRE if state in (RecState.HIRED, RecState.STARTED) else None,
    )


@pytest.fixture
def market(users: dict[str, Any]) -> Market:
    """The luxi job has one opening, already held by luxi[0] (录用); luxi[1] and luxi[2] are at the interview."""
    market = build_market(users)
    JobPosting.objects.filter(pk=market.luxi_job.pk).update(openings=1)
    market.luxi_job.refresh_from_db()
    rec_in(market.luxi_job, market.luxi[0], RecState.HIRED)
    return market


def hire(user: Any, rec: Recommendation, **extra: Any) -> Recommendation:
    return recommendation_transition(
        acting_user=user, recommendation=rec, to_state=RecState.HIRED, expected_version=rec.version, **extra
    )


def job_state(job: JobPosting) -> tuple[int, int, int]:
    job.refresh_from_db()
    audits = AuditEntry.objects.filter(object_type="employers.jobposting", object_id=str(job.pk)).count()
    return job.openings, job.version, audits


def rec_state(rec: Recommendation) -> tuple[str, int, int]:
    rec.refresh_from_db()
    return rec.state, rec.version, RecommendationEvent.objects.filter(recommendation=rec).count()


@pytest.mark.django_db
def test_a_hire_beyond_the_openings_is_refused_and_nothing_is_saved(users: dict[str, Any], market: Market) -> None:
    rec = rec_in(market.luxi_job, market.luxi[1], RecState.INTERVIEW)
    job_before = job_state(market.luxi_job)

    with pytest.raises(ValidationError) as caught:
        hire(users["county_officer"], rec)

    assert caught.value.message_dict == {"confirm_over_hire": [FULL_OF_ONE]}
    assert FULL_OF_ONE == "该岗位招聘人数已满（1人），如需继续录用请先增加招聘人数或确认超额录用。"
    assert rec_state(rec) == (RecState.INTERVIEW, 1, 0)
    assert job_state(market.luxi_job) == job_before


@pytest.mark.django_db
def test_a_confirmed_over_hire_raises_the_openings_with_an_audit_row(users: dict[str, Any], market: Market) -> None:
    officer = users["county_officer"]
    rec = rec_in(market.luxi_job, market.luxi[1], RecState.INTERVIEW)
    assert job_state(market.luxi_job)[0] == 1
    _, version, audits = job_state(market.luxi_job)

    saved = hire(officer, rec, confirm_over_hire=True)

    assert saved.state == RecState.HIRED
    assert job_state(market.luxi_job) == (2, version + 1, audits + 1)
    entry = AuditEntry.objects.filter(object_type="employers.jobposting").latest("id")
    assert (entry.actor, entry.action, entry.changes, entry.reason) == (
        officer,
        AuditEntry.Action.UPDATE,
        {"openings": [1, 2]},
        OVER_HIRE_REASON,
    )
    assert entry.region_code == market.luxi_job.region_id


@pytest.mark.django_db
def test_a_hire_within_the_openings_needs_no_confirmation(users: dict[str, Any], market: Market) -> None:
    JobPosting.objects.filter(pk=market.luxi_job.pk).update(openings=2)
    rec = rec_in(market.luxi_job, market.luxi[1], RecState.INTERVIEW)
    before = job_state(market.luxi_job)

    assert hire(users["county_officer"], rec).state == RecState.HIRED
    assert job_state(market.luxi_job) == before
    assert job_hired_laborer_ids(job_id=market.luxi_job.pk) == {market.luxi[0].pk, market.luxi[1].pk}


@pytest.mark.django_db
def test_the_start_of_a_laborer_already_hired_takes_no_new_opening(users: dict[str, Any], market: Market) -> None:
    # An over-hired job from before the check (two hires on one opening): each may still start work.
    extra = rec_in(market.luxi_job, market.luxi[1], RecState.HIRED)
    before = job_state(market.luxi_job)

    saved = recommendation_transition(
        acting_user=users["county_officer"],
        recommendation=extra,
        to_state=RecState.STARTED,
        expected_version=extra.version,
        hire_date=HIRE,
    )

    assert saved.state == RecState.STARTED
    assert job_state(market.luxi_job) == before


@pytest.mark.django_db
def test_an_employment_record_of_the_job_holds_an_opening(users: dict[str, Any], market: Market) -> None:
    # luxi[0]'s hire ended in 未录用 elsewhere; the enterprise reported luxi[2] hired on the job instead.
    Recommendation.objects.filter(job=market.luxi_job, laborer=market.luxi[0]).update(state=RecState.REJECTED)
    EmploymentRecordFactory(laborer=market.luxi[2], job=market.luxi_job, start_date=HIRE)
    rec = rec_in(market.luxi_job, market.luxi[1], RecState.INTERVIEW)

    with pytest.raises(ValidationError) as caught:
        hire(users["county_officer"], rec)

    assert caught.value.messages == [FULL_OF_ONE]
    assert job_hired_laborer_ids(job_id=market.luxi_job.pk) == {market.luxi[2].pk}


@pytest.mark.django_db
def test_the_enterprise_user_is_refused_too(users: dict[str, Any], market: Market) -> None:
    JobPosting.objects.filter(pk=market.jinan_job.pk).update(openings=1)
    rec_in(market.jinan_job, market.luxi[0], RecState.HIRED)
    rec = rec_in(market.jinan_job, market.luxi[1], RecState.INTERVIEW)

    with pytest.raises(ValidationError) as caught:
        hire(users["enterprise"], rec)

    assert caught.value.messages == [FULL_OF_ONE]
    assert hire(users["enterprise"], rec, confirm_over_hire=True).state == RecState.HIRED
    assert job_state(market.jinan_job)[0] == 2


@pytest.mark.django_db
def test_the_page_refuses_then_accepts_the_confirmed_over_hire(users: dict[str, Any], market: Market) -> None:
    rec = rec_in(market.luxi_job, market.luxi[1], RecState.INTERVIEW)
    client = page_client(users["county_officer"])
    url = reverse("matching:transition", args=[rec.pk])
    pipeline = reverse("matching:job_pipeline", args=[market.luxi_job.pk])

    page = client.get(pipeline).content.decode()
    assert 'name="confirm_over_hire"' in page
    refused = client.post(url, {"state": "hired", "version": rec.version, "next": pipeline}, follow=True)
    assert FULL_OF_ONE in refused.content.decode()
    assert rec_state(rec) == (RecState.INTERVIEW, 1, 0)

    accepted = client.post(
        url, {"state": "hired", "version": rec.version, "next": pipeline, "confirm_over_hire": "1"}, follow=True
    )
    assert accepted.status_code == 200
    assert rec_state(rec) == (RecState.HIRED, 2, 1)
    assert job_state(market.luxi_job)[0] == 2


@pytest.mark.django_db
def test_the_api_refuses_with_400_then_accepts_the_confirmation(users: dict[str, Any], market: Market) -> None:
    rec = rec_in(market.luxi_job, market.luxi[1], RecState.INTERVIEW)
    client = api_client(users["county_officer"])
    url = reverse("api:recommendation_transition", args=[rec.pk])

    refused = client.post(url, {"state": "hired", "version": rec.version}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"confirm_over_hire": [FULL_OF_ONE]}
    assert rec_state(rec) == (RecState.INTERVIEW, 1, 0)

    accepted = client.post(url, {"state": "hired", "version": rec.version, "confirm_over_hire": True}, format="json")
    assert accepted.status_code == 200
    assert accepted.json()["state"] == "hired"
    assert job_state(market.luxi_job)[0] == 2


def test_the_schema_documents_the_confirmation() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    body = schema["components"]["schemas"]["TransitionRequest"]["properties"]["confirm_over_hire"]
    assert body["type"] == "boolean"
    assert "招聘人数已满" in body["description"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite allows one writer at a time")
def test_two_hires_of_the_last_opening_at_once_one_succeeds(users: dict[str, Any]) -> None:
    market = build_market(users)
    JobPosting.objects.filter(pk=market.luxi_job.pk).update(openings=1)
    recs = [rec_in(market.luxi_job, laborer, RecState.INTERVIEW) for laborer in market.luxi[:2]]
    officer = users["county_officer"]
    results: list[str] = []
    together = threading.Barrier(2)

    def hire_in_thread(rec: Recommendation) -> None:
        try:
            together.wait()
            hire(officer, rec)
            results.append("hired")
        except ValidationError as exc:
            results.append(exc.messages[0])
        finally:
            connections["default"].close()

    # Both hires start together and meet at the job's row lock, held here for a moment.
    threads = [threading.Thread(target=hire_in_thread, args=(rec,)) for rec in recs]
    with transaction.atomic():
        JobPosting.objects.select_for_update().get(pk=market.luxi_job.pk)
        for thread in threads:
            thread.start()
        time.sleep(0.5)
    for thread in threads:
        thread.join()

    assert sorted(results) == sorted(["hired", FULL_OF_ONE])
    assert Recommendation.objects.filter(job=market.luxi_job, state=RecState.HIRED).count() == 1
    assert JobPosting.objects.get(pk=market.luxi_job.pk).openings == 1
