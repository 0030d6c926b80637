"""Modes 1 and 2 as services: stored rows, explanations, idempotent notifications, the poster's pool."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.matching.choices import RecSource, RecState
from laborcoop.matching.engine.index import MatchIndex
from laborcoop.matching.models import Recommendation, RecommendationEvent
from laborcoop.matching.selectors import job_rows, laborer_prefilter, laborer_rows
from laborcoop.matching.services import recommendations_for_job, recommendations_for_laborer
from laborcoop.matching.tasks import match_job_on_commit
from laborcoop.notifications.links import LINK_SHOWN
from laborcoop.notifications.models import Notification
from laborcoop.registry.identity import PHONE_COLUMN_NAMES
from laborcoop.registry.models import Laborer
from tests.matching.test_recommendations_setup import Market, build_market, make_laborer

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(users: dict[str, Any]) -> Market:
    return build_market(users)


def test_stored_explanations_add_up_to_the_score(users: dict[str, Any], market: Market) -> None:
    recommendations_for_job(acting_user=users["county_officer"], job=market.luxi_job)

    rows = list(Recommendation.objects.filter(job=market.luxi_job))
    assert len(rows) == 3
    for rec in rows:
        assert sum(Decimal(str(f["points"])) for f in rec.factors) == rec.score
        assert [set(f) for f in rec.factors] == [{"key", "label", "points", "explanation"}] * len(rec.factors)
        assert all(f["label"] and f["explanation"] for f in rec.factors)
        assert rec.factors[0]["label"] == "工种意向"


def test_ranking_is_stored_best_first(users: dict[str, Any], market: Market) -> None:
    stored = recommendations_for_job(acting_user=users["county_officer"], job=market.luxi_job)

    scores = [rec.score for rec in stored]
    assert scores == sorted(scores, reverse=True)
    assert {rec.source for rec in stored} == {RecSource.JOB}
    assert {rec.region_id for rec in stored} == {lab.region_id for lab in market.luxi}


def test_a_matched_job_notifies_each_laborer_exactly_once(users: dict[str, Any], market: Market) -> None:
    officer = users["county_officer"]

    recommendations_for_job(acting_user=officer, job=market.luxi_job)
    recommendations_for_job(acting_user=officer, job=market.luxi_job)

    sent = Notification.objects.filter(template="job_recommended")
    assert sent.count() == 3
    assert sorted(n.address_masked for n in sent) == sorted(f"138****{i:04d}" for i in range(3))
    assert Recommendation.objects.filter(job=market.luxi_job).count() == 3
    assert set(Recommendation.objects.values_list("state", flat=True)) == {RecState.NOTIFIED}
    assert RecommendationEvent.objects.count() == 6  # 推荐 and 已通知 for each of the three
    # The stored body shows where the link goes; the token is signed only when the SMS is sent.
    assert all(LINK_SHOWN in n.body and "/r/" not in n.body and "14天" in n.body for n in sent)


def test_rerun_keeps_states_and_updates_nothing_else(users: dict[str, Any], market: Market) -> None:
    officer = users["county_officer"]
    first = recommendations_for_job(acting_user=officer, job=market.luxi_job)
    Recommendation.objects.filter(pk=first[0].pk).update(state=RecState.INTERESTED)

    again = recommendations_for_job(acting_user=officer, job=market.luxi_job)

    assert [r.pk for r in again] == [r.pk for r in first]
    assert Recommendation.objects.get(pk=first[0].pk).state == RecState.INTERESTED


def test_a_laborer_without_phone_stays_recommended(users: dict[str, Any], market: Market) -> None:
    Recommendation.objects.all().delete()
    market.luxi[0].phone = ""
    market.luxi[0].save(update_fields=list(PHONE_COLUMN_NAMES))

    recommendations_for_job(acting_user=users["county_officer"], job=market.luxi_job)

    assert Recommendation.objects.get(laborer=market.luxi[0]).state == RecState.RECOMMENDED
    assert Notification.objects.count() == 2


def test_county_officer_pool_is_the_county(users: dict[str, Any], market: Market) -> None:
    stored = recommendations_for_job(acting_user=users["county_officer"], job=market.luxi_job)

    assert {rec.laborer_id for rec in stored} == {lab.pk for lab in market.luxi}
    assert all(rec.laborer.region_id.startswith("433122") for rec in stored)


def test_province_admin_pool_is_the_province(users: dict[str, Any], market: Market) -> None:
    stored = recommendations_for_job(acting_user=users["province_admin"], job=market.luxi_job)

    assert {rec.laborer_id for rec in stored} == {lab.pk for lab in market.everyone}


def test_enterprise_pool_is_the_platform_for_its_own_job(users: dict[str, Any], market: Market) -> None:
    stored = recommendations_for_job(acting_user=users["enterprise"], job=market.jinan_job)

    assert {rec.laborer_id for rec in stored} == {lab.pk for lab in market.everyone}


def test_enterprise_cannot_match_another_enterprises_job(users: dict[str, Any], market: Market) -> None:
    with pytest.raises(ObjectNotFound):
        recommendations_for_job(acting_user=users["enterprise"], job=market.luxi_job)
    assert Recommendation.objects.count() == 0


def test_other_county_officer_cannot_match_the_job(users: dict[str, Any], market: Market) -> None:
    with pytest.raises(ObjectNotFound):
        recommendations_for_job(acting_user=users["other_county_officer"], job=market.luxi_job)
    assert Recommendation.objects.count() == 0
    assert Notification.objects.count() == 0


def test_viewer_cannot_run_matching(users: dict[str, Any], market: Market) -> None:
    with pytest.raises(PermissionDeniedError):
        recommendations_for_job(acting_user=users["viewer"], job=market.luxi_job)
    assert Recommendation.objects.count() == 0


def test_hard_filters_hold_on_stored_rows(users: dict[str, Any], market: Market) -> None:
    market.luxi[1].student_status = "普通高中二年级"
    market.luxi[1].save(update_fields=["student_status"])
    market.luxi[2].work_region_willingness = ["01"]  # 县内 only: the job is in the county, still fine
    market.luxi[2].save(update_fields=["work_region_willingness"])

    stored = recommendations_for_job(acting_user=users["enterprise"], job=market.jinan_job)

    assert market.luxi[1].pk not in {rec.laborer_id for rec in stored}
    assert market.luxi[2].pk not in {rec.laborer_id for rec in stored}  # 济南 is 省外


def test_run_is_audited(users: dict[str, Any], market: Market) -> None:
    recommendations_for_job(acting_user=users["county_officer"], job=market.luxi_job)

    entry = AuditEntry.objects.get(object_type="employers.jobposting", object_id=str(market.luxi_job.pk))
    assert entry.actor == users["county_officer"]
    assert entry.changes == {"matching": ["", "岗位找人：推荐3人，新通知3人"]}


def test_mode_two_stores_jobs_and_sends_one_message(users: dict[str, Any], market: Market) -> None:
    laborer = market.luxi[0]

    first = recommendations_for_laborer(acting_user=users["county_officer"], laborer=laborer)
    recommendations_for_laborer(acting_user=users["county_officer"], laborer=laborer)

    assert {rec.job_id for rec in first} == {market.luxi_job.pk, market.jinan_job.pk, market.fenghuang_job.pk}
    assert {rec.source for rec in first} == {RecSource.LABORER}
    message = Notification.objects.get(template="job_recommended")
    assert message.context["job_count"] == 3
    assert set(Recommendation.objects.values_list("state", flat=True)) == {RecState.NOTIFIED}


def test_mode_two_needs_the_laborer_in_scope(users: dict[str, Any], market: Market) -> None:
    with pytest.raises(ObjectNotFound):
        recommendations_for_laborer(acting_user=users["other_county_officer"], laborer=market.luxi[0])
    with pytest.raises(PermissionDeniedError):
        recommendations_for_laborer(acting_user=users["enterprise"], laborer=market.luxi[0])
    assert Recommendation.objects.count() == 0


def test_mode_one_query_count(users: dict[str, Any], market: Market, django_assert_max_num_queries: Any) -> None:
    recommendations_for_job(acting_user=users["county_officer"], job=market.luxi_job)
    with django_assert_max_num_queries(25):
        recommendations_for_job(acting_user=users["county_officer"], job=market.luxi_job)


def test_sql_prefilter_keeps_everyone_the_engine_keeps(users: dict[str, Any], market: Market) -> None:
    today = date(2026, 3, 1)
    job = market.luxi_job
    job.age_min, job.age_max = 18, 45
    job.save(update_fields=["age_min", "age_max"])
    births = [
        date(2008, 3, 1),  # 18 today
        date(2008, 3, 2),  # 17
        date(1980, 3, 2),  # 45
        date(1980, 3, 1),  # 46 today
        date(1979, 12, 31),
        date(2008, 12, 31),
    ]
    for i, birth in enumerate(births):
        make_laborer("433122108201", name=f"孙{i}", birth_date=birth)
    make_laborer("433122108201", name="周在校", student_status="普通高中二年级")
    make_laborer("433122108201", name="吴就业", employment_status="employed")
    make_laborer("433122108201", name="郑丧失", labor_skill="丧失劳动力")
    make_laborer("433122108201", name="冯失联", unreachable=True, unreachable_since=today - timedelta(days=3))

    def ranked(rows: list[dict[str, Any]]) -> list[int]:
        index = MatchIndex.build(laborer_rows=rows, job_rows=job_rows(type(job).objects.filter(pk=job.pk)), today=today)
        return [item["id"] for item in index.candidates_for_job(job.pk, k=100).items()]

    everyone = ranked(laborer_rows(Laborer.objects.all()))
    narrowed = ranked(laborer_rows(laborer_prefilter(Laborer.objects.all(), job=job, today=today)))

    assert narrowed == everyone
    kept = set(Laborer.objects.filter(pk__in=everyone).values_list("name", flat=True))
    assert {"孙0", "孙2"} <= kept  # 18 today and 45: the edges are in
    assert kept.isdisjoint({"孙1", "孙3", "孙4", "孙5", "周在校", "吴就业", "郑丧失", "冯失联"})
    assert Laborer.objects.count() - laborer_prefilter(Laborer.objects.all(), job=job, today=today).count() >= 4


def test_background_run_after_posting_notifies_once(
    users: dict[str, Any], market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        match_job_on_commit(job=market.luxi_job, acting_user=users["county_officer"])
    with django_capture_on_commit_callbacks(execute=True):
        match_job_on_commit(job=market.luxi_job, acting_user=users["county_officer"])

    assert Recommendation.objects.filter(job=market.luxi_job).count() == 3
    assert Notification.objects.filter(template="job_recommended").count() == 3
