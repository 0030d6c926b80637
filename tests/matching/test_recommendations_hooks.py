"""Matching runs by itself when a job is posted, a laborer is registered or a job ends (after the commit)."""

from datetime import date, timedelta
from typing import Any

import pytest

from laborcoop.employers.services import job_create
from laborcoop.employment.choices import EndReason
from laborcoop.employment.services import employment_record_end
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
