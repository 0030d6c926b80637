"""Matching runs by itself when a job is posted, a laborer is registered or a job ends (after the commit)."""

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest

from laborcoop.employers.services import job_create
from laborcoop.employment.choices import EndReason
from laborcoop.employment.records.services import EmploymentData, employment_record_end, employment_record_update
from laborcoop.matching.models import Recommendation
from laborcoop.notifications.models import Notification
from tests.employers.conftest import job_data
from tests.employment.factories import EmploymentRecordFactory
from tests.matching.test_recommendations_setup import Market, build_market

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(users: dict[str, Any]) -> Market:
    return build_market(users)


def test_posting_a_job_recommends_candidates_once(
    users: dict[str, Any], market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    officer = users["county_officer"]
    enterprise = market.luxi_job.enterprise
    # When the county officer posts a 普工 job in 泸溪县
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = job_create(acting_user=officer, enterprise=enterprise, data=job_data(work_region_code="433122000000"))
    # Then matching ran once after the commit, over the officer's pool (泸溪县) only
    assert sum("match_job" in repr(callback) for callback in callbacks) == 1
    recommended = set(Recommendation.objects.filter(job=job).values_list("laborer_id", flat=True))
    assert recommended == {laborer.pk for laborer in market.luxi}
    assert Notification.objects.filter(template="job_recommended").count() == 3


def test_nothing_runs_when_the_post_is_rolled_back(users: dict[str, Any], market: Market) -> None:
    # Inside the test's transaction no commit happens: no matching and no notification
    job = job_create(acting_user=users["county_officer"], enterprise=market.luxi_job.enterprise, data=job_data())
    assert not Recommendation.objects.filter(job=job).exists()
    assert not Notification.objects.exists()


def test_leaving_a_job_brings_new_recommendations(
    users: dict[str, Any], market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    laborer = market.luxi[0]
    record = EmploymentRecordFactory(laborer=laborer, start_date=date.today() - timedelta(days=200))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        employment_record_end(
            acting_user=users["county_officer"],
            record=record,
            end_date=date.today(),
            end_reason=EndReason.RESIGNED,
            expected_version=record.version,
        )
    assert sum("match_laborer" in repr(callback) for callback in callbacks) == 1
    jobs = set(Recommendation.objects.filter(laborer=laborer).values_list("job_id", flat=True))
    assert market.luxi_job.pk in jobs


def _rematched(callbacks: list[Any]) -> list[tuple[int, int]]:
    """(laborer id, user id) of the mode-2 runs queued after the commit."""
    return [callback.args for callback in callbacks if "match_laborer" in repr(callback)]


def test_an_end_date_set_by_editing_the_record_also_rematches(
    users: dict[str, Any], market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.tracking.followup_helpers import hire

    laborer, officer = market.luxi[0], users["county_officer"]
    record = hire(officer, laborer, start=date.today() - timedelta(days=200))
    record.refresh_from_db()
    data = dataclasses.replace(EmploymentData.from_record(record), end_date=date.today(), end_reason=EndReason.RESIGNED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        employment_record_update(acting_user=officer, record=record, data=data, expected_version=record.version)
    assert _rematched(callbacks) == [(laborer.pk, officer.pk)]
    assert Recommendation.objects.filter(laborer=laborer, job=market.luxi_job).exists()


def test_no_rematch_when_the_same_write_starts_another_job(
    users: dict[str, Any], market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    """A work-import chunk can end the old job and start the new one in one write: the laborer is not free."""
    from laborcoop.employment.models import EmploymentRecord
    from laborcoop.employment.signals import employment_changed

    laborer = market.luxi[0]
    old = EmploymentRecordFactory(
        laborer=laborer,
        start_date=date.today() - timedelta(days=400),
        end_date=date.today() - timedelta(days=40),
        end_reason=EndReason.RESIGNED,
    )
    new = EmploymentRecordFactory(laborer=laborer, start_date=date.today() - timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        employment_changed.send(
            sender=EmploymentRecord,
            records=[old, new],
            created={new.pk},
            ended={old.pk},
            acting_user=users["county_officer"],
        )
    assert _rematched(callbacks) == []
