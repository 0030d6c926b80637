"""The warm index of modes 1 and 2: it sees writes made through the services (as another process would make
them: nothing tells it), drops what was deleted or rolled back, and ranks exactly like a fresh build."""

import itertools
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from laborcoop.employers.choices import JobStatus
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.employers.services import job_set_status
from laborcoop.frontdesk.models import DuplicatePair
from laborcoop.frontdesk.review import duplicate_merge
from laborcoop.matching.engine.factors import Weights
from laborcoop.matching.engine.index import MatchIndex
from laborcoop.matching.models import Recommendation
from laborcoop.matching.selectors import job_rows, laborer_rows, open_jobs
from laborcoop.matching.services import (
    matching_weights_for,
    matching_weights_set,
    recommendations_for_job,
    recommendations_for_laborer,
    warm,
)
from laborcoop.matching.services.warm import warm_candidates_for_job, warm_index_stats, warm_jobs_for_laborer
from laborcoop.registry.models import Laborer
from laborcoop.registry.services import laborer_register, laborer_update
from tests.factories import EnterpriseFactory, HouseholdFactory, JobPostingFactory, fresh_id_number
from tests.matching.test_recommendations_setup import Market, build_market

pytestmark = pytest.mark.django_db

HUANGJIAQIAO = "433122108201"  # 黄家桥村, 泸溪县
_households = itertools.count(1)


@pytest.fixture
def market(users: dict[str, Any]) -> Market:
    return build_market(users)


def member(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "向大山",
        "id_number": fresh_id_number(county=HUANGJIAQIAO[:6], birth=date(1985, 4, 2)),
        "relation": "户主",
        "education": "初中",
        "student_status": "",
        "health": ["健康"],
        "labor_skill": "普通劳动力",
        "political_status": "群众",
        "employment_status": "unemployed",
        "phone": "13812340099",
        "work_region_willingness": ["01", "03"],
        "intended_occupations": ["普工"],
        "expected_wage": 4500,
        "training_needs": [],
        "unreachable": False,
    }
    data.update(overrides)
    return data


def register(officer: Any, **overrides: Any) -> tuple[Laborer, dict[str, Any]]:
    household = HouseholdFactory(region_id=HUANGJIAQIAO, household_no=f"{HUANGJIAQIAO}{next(_households):06d}")
    data = member(**overrides)
    return laborer_register(acting_user=officer, household=household, data=data), data


def proposed(recs: list[Recommendation]) -> set[int]:
    return {rec.laborer_id for rec in recs}


def test_a_laborer_registered_after_the_index_is_warm_is_proposed_next_time(
    users: dict[str, Any], market: Market
) -> None:
    officer = users["county_officer"]
    assert proposed(recommendations_for_job(acting_user=officer, job=market.luxi_job)) == {
        lab.pk for lab in market.luxi
    }

    laborer, _ = register(officer)
    again = recommendations_for_job(acting_user=officer, job=market.luxi_job)

    assert proposed(again) == {lab.pk for lab in market.luxi} | {laborer.pk}
    assert warm_index_stats()["builds"] == 1  # seen by the incremental refresh, not by a rebuild


def test_a_changed_laborer_is_ranked_on_the_new_values(users: dict[str, Any], market: Market) -> None:
    officer = users["county_officer"]
    laborer, data = register(officer)
    assert laborer.pk in proposed(recommendations_for_job(acting_user=officer, job=market.luxi_job))

    # Out of the province only from now on: the job in their own county no longer fits.
    laborer_update(
        acting_user=officer,
        laborer=laborer,
        data={**data, "work_region_willingness": ["03"]},
        expected_version=laborer.version,
    )
    after = recommendations_for_job(acting_user=officer, job=market.luxi_job)

    assert laborer.pk not in proposed(after)
    assert proposed(after) == {lab.pk for lab in market.luxi}
    jinan = recommendations_for_job(acting_user=users["enterprise"], job=market.jinan_job)
    assert laborer.pk in proposed(jinan)  # 济南 is 省外: still a fit there
    assert warm_index_stats()["builds"] == 1


def test_a_laborer_merged_away_is_no_longer_proposed(users: dict[str, Any], market: Market) -> None:
    officer = users["county_officer"]
    kept, removed = market.luxi[0], market.luxi[1]
    assert {kept.pk, removed.pk} <= proposed(recommendations_for_job(acting_user=officer, job=market.luxi_job))
    pair = DuplicatePair.objects.create(
        laborer_a=kept, laborer_b=removed, score=0.95, reasons=["姓名相同"], region_code="433122000000"
    )

    duplicate_merge(acting_user=officer, pair=pair, keep="a")
    recommendations_for_laborer(acting_user=officer, laborer=kept)  # ranks jobs: the merge itself must be seen
    assert warm_index_stats()["laborers"] == Laborer.objects.count() == 4
    after = recommendations_for_job(acting_user=officer, job=market.luxi_job)

    assert not Laborer.objects.filter(pk=removed.pk).exists()
    assert proposed(after) == {kept.pk, market.luxi[2].pk}
    assert warm_index_stats()["builds"] == 1


def test_a_paused_job_is_matched_on_demand_but_not_offered(users: dict[str, Any], market: Market) -> None:
    admin = users["province_admin"]
    recommendations_for_laborer(acting_user=admin, laborer=market.luxi[0])  # warm, with the job open
    job_set_status(acting_user=admin, job=market.luxi_job, status=JobStatus.PAUSED)

    on_demand = recommendations_for_job(acting_user=admin, job=market.luxi_job)
    offered = recommendations_for_laborer(acting_user=admin, laborer=market.luxi[1])

    assert proposed(on_demand) == {lab.pk for lab in market.everyone}
    assert market.luxi_job.pk not in {rec.job_id for rec in offered}
    assert {rec.job_id for rec in offered} == {market.jinan_job.pk, market.fenghuang_job.pk}
    assert warm_index_stats()["jobs"] == 2


def test_rows_of_a_rolled_back_transaction_are_dropped(users: dict[str, Any], market: Market) -> None:
    officer = users["county_officer"]
    recommendations_for_job(acting_user=officer, job=market.luxi_job)

    rolled_back = transaction.savepoint()
    ghost, _ = register(officer, name="孟幽灵")
    ghost_id = ghost.pk
    assert ghost_id in proposed(recommendations_for_job(acting_user=officer, job=market.luxi_job))
    transaction.savepoint_rollback(rolled_back)
    after = recommendations_for_job(acting_user=officer, job=market.luxi_job)

    assert not Laborer.objects.filter(pk=ghost_id).exists()
    assert proposed(after) == {lab.pk for lab in market.luxi}
    assert warm_index_stats()["laborers"] == Laborer.objects.count() == 5


def test_the_index_is_rebuilt_when_the_date_changes(users: dict[str, Any], market: Market) -> None:
    today = timezone.localdate()
    JobPosting.objects.filter(pk=market.fenghuang_job.pk).update(valid_until=today, updated_at=timezone.now())
    officer, laborer = users["county_officer"], market.luxi[0]

    first = recommendations_for_laborer(acting_user=officer, laborer=laborer, today=today)
    tomorrow = recommendations_for_laborer(acting_user=officer, laborer=laborer, today=today + timedelta(days=1))

    assert market.fenghuang_job.pk in {rec.job_id for rec in first}
    assert market.fenghuang_job.pk not in {rec.job_id for rec in tomorrow}
    assert warm_index_stats()["builds"] == 2
    assert warm_index_stats()["today"] == today + timedelta(days=1)


def test_a_write_that_bypasses_updated_at_is_seen_after_the_periodic_rebuild(
    users: dict[str, Any], market: Market
) -> None:
    officer, laborer = users["county_officer"], market.luxi[0]
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Laborer.objects.update(updated_at=an_hour_ago)  # out of the refresh's overlap window
    recommendations_for_job(acting_user=officer, job=market.luxi_job)
    Laborer.objects.filter(pk=laborer.pk).update(work_region_willingness=["03"])  # updated_at left alone

    stale = recommendations_for_job(acting_user=officer, job=market.luxi_job)
    with override_settings(MATCHING_WARM_REBUILD_SECONDS=0):
        rebuilt = recommendations_for_job(acting_user=officer, job=market.luxi_job)

    assert laborer.pk in proposed(stale)  # the documented limit of the incremental refresh
    assert laborer.pk not in proposed(rebuilt)
    assert warm_index_stats()["builds"] == 2


def test_a_row_stamped_before_a_look_but_committed_after_it_is_caught_by_the_sweep(
    users: dict[str, Any], market: Market
) -> None:
    officer, laborer = users["county_officer"], market.luxi[0]
    recommendations_for_job(acting_user=officer, job=market.luxi_job)  # the build
    stamped = timezone.now()  # a transaction stamps the row now ...
    recommendations_for_job(acting_user=officer, job=market.luxi_job)  # ... we look ...
    Laborer.objects.filter(pk=laborer.pk).update(work_region_willingness=["03"], updated_at=stamped)  # ... it commits

    missed = recommendations_for_job(acting_user=officer, job=market.luxi_job)
    later = timezone.now() + timedelta(seconds=warm.OVERLAP_SECONDS / 4 + 1)
    with mock.patch.object(warm, "timezone", SimpleNamespace(now=lambda: later)):
        swept = recommendations_for_job(acting_user=officer, job=market.luxi_job)

    assert laborer.pk in proposed(missed)  # newer than the last look only: not yet
    assert laborer.pk not in proposed(swept)
    assert warm_index_stats()["builds"] == 1


def _fresh_index(today: date, weights: Any) -> MatchIndex:
    return MatchIndex.build(
        laborer_rows=laborer_rows(Laborer.objects.all()),
        job_rows=job_rows(open_jobs(today=today)),
        today=today,
        weights=weights,
    )


# Overlap 0: only what changed after the last look is read again (in a test everything happened within the
# default window, which would re-read every row and hide a missed change).
@pytest.mark.parametrize("overlap", [0, 120])
def test_after_changes_of_every_kind_the_warm_index_ranks_like_a_fresh_build(
    users: dict[str, Any], market: Market, settings: Any, overlap: int
) -> None:
    settings.MATCHING_WARM_OVERLAP_SECONDS = overlap
    officer, admin, today = users["county_officer"], users["province_admin"], timezone.localdate()
    recommendations_for_job(acting_user=users["enterprise"], job=market.jinan_job)  # candidates sent for a job
    recommendations_for_job(acting_user=officer, job=market.luxi_job)  # warm
    recommendations_for_laborer(acting_user=officer, laborer=market.luxi[0])

    # Laborers: one registered, one changed, one merged away (taking their recommendations with them).
    newcomer, _ = register(officer, intended_occupations=["操作工"], expected_wage=6000)
    changed, data = register(officer, name="向小河", intended_occupations=["包装工"])
    laborer_update(
        acting_user=officer,
        laborer=changed,
        data={**data, "intended_occupations": ["保洁"], "expected_wage": 3000},
        expected_version=changed.version,
    )
    pair = DuplicatePair.objects.create(
        laborer_a=market.luxi[0], laborer_b=market.luxi[1], score=0.9, reasons=["姓名相同"], region_code="433122000000"
    )
    duplicate_merge(acting_user=officer, pair=pair, keep="a")
    # Jobs: one closed, one posted, one employer becomes a 帮扶车间, candidates sent for another; the merge
    # took candidates sent for 济南 away (nothing about that job itself changed).
    job_set_status(acting_user=admin, job=market.fenghuang_job, status=JobStatus.CLOSED)
    posted = JobPostingFactory(
        enterprise=EnterpriseFactory(region_id="433122107000"), work_region_id="433122107000", occupation="保洁"
    )
    recommendations_for_job(acting_user=officer, job=market.luxi_job)
    warm_jobs_for_laborer(laborer_id=newcomer.pk, k=1, today=today, weights=Weights())  # a look, storing nothing
    Enterprise.objects.filter(pk=market.luxi_job.enterprise_id).update(
        is_assist_workshop=True, updated_at=timezone.now()
    )
    # And the province's own weights.
    matching_weights_set(acting_user=admin, province_code="430000000000", values={"wage": 40}, expected_version=0)
    weights = matching_weights_for(region_code="430000000000")

    fresh = _fresh_index(today, weights)
    open_ids = [job.pk for job in open_jobs(today=today)]
    assert set(open_ids) == {market.luxi_job.pk, market.jinan_job.pk, posted.pk}
    # Mode 2 first: mode 1 reads its job afresh, which would hide a stale job row.
    for laborer in Laborer.objects.all():
        warm_items, _ = warm_jobs_for_laborer(laborer_id=laborer.pk, k=20, today=today, weights=weights)
        assert warm_items == fresh.jobs_for_laborer(laborer.pk, k=20).items()
    for job_id in open_ids:
        warm_items, _ = warm_candidates_for_job(job_id=job_id, pool=None, k=50, today=today, weights=weights)
        assert warm_items == fresh.candidates_for_job(job_id, k=50).items()
        assert warm_items  # something to compare
    assert warm_index_stats() == {"builds": 1, "laborers": Laborer.objects.count(), "jobs": 3, "today": today}
    assert Laborer.objects.count() == 6
    factors = {f["code"]: f for f in fresh.jobs_for_laborer(newcomer.pk, k=20).items()[0]["factors"]}
    assert "wage" in factors  # the province's weights were in force (40 points for the wage)


def _stored_mode_one(user: Any, job: JobPosting) -> list[tuple[int, Decimal, list[dict[str, Any]]]]:
    sid = transaction.savepoint()
    recs = recommendations_for_job(acting_user=user, job=job)
    out = [(rec.laborer_id, rec.score, rec.factors) for rec in recs]
    transaction.savepoint_rollback(sid)
    return out


def _stored_mode_two(user: Any, laborer: Laborer) -> list[tuple[int, Decimal, list[dict[str, Any]]]]:
    sid = transaction.savepoint()
    recs = recommendations_for_laborer(acting_user=user, laborer=laborer)
    out = [(rec.job_id, rec.score, rec.factors) for rec in recs]
    transaction.savepoint_rollback(sid)
    return out


@pytest.mark.parametrize("role", ["county_officer", "province_admin"])
def test_warm_and_per_request_indexes_store_the_same_rows(users: dict[str, Any], market: Market, role: str) -> None:
    user = users[role]
    Recommendation.objects.create(
        job=market.jinan_job, laborer=market.luxi[2], region_id=market.luxi[2].region_id, score=1
    )  # congestion on one job

    warm = [_stored_mode_one(user, market.luxi_job), _stored_mode_two(user, market.luxi[0])]
    with override_settings(MATCHING_WARM_INDEX=False):
        per_request = [_stored_mode_one(user, market.luxi_job), _stored_mode_two(user, market.luxi[0])]

    assert warm == per_request
    assert all(warm)
    assert warm_index_stats()["builds"] == 1


def test_enterprise_pool_on_the_warm_index_is_the_platform(users: dict[str, Any], market: Market) -> None:
    with override_settings(MATCHING_WARM_INDEX=False):
        per_request = _stored_mode_one(users["enterprise"], market.jinan_job)
    warm = _stored_mode_one(users["enterprise"], market.jinan_job)

    assert warm == per_request
    assert {laborer_id for laborer_id, _, _ in warm} == {lab.pk for lab in market.everyone}
