"""The transition table, who may move a recommendation, versions, events, audit rows and messages."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from laborcoop.core.errors import ConflictError, ObjectNotFound, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.matching.choices import TRANSITIONS, RecState, RecVia
from laborcoop.matching.models import Recommendation, RecommendationEvent
from laborcoop.matching.services import Interview, recommendation_transition, recommendations_for_job
from laborcoop.matching.services.transitions import (
    ERR_ENTERPRISE_ONLY_RESULTS,
    ERR_REASON_REQUIRED,
    ERR_TRANSITION,
)
from laborcoop.notifications.models import Notification
from tests.factories import UserFactory
from tests.matching.test_recommendations_setup import Market, build_market

pytestmark = pytest.mark.django_db

ALL_PAIRS = [(a, b) for a in RecState.values for b in RecState.values if a != b]
ALLOWED = [(a, b) for a, b in ALL_PAIRS if b in TRANSITIONS[a]]
FORBIDDEN = [(a, b) for a, b in ALL_PAIRS if b not in TRANSITIONS[a]]


@pytest.fixture
def market(users: dict[str, Any]) -> Market:
    return build_market(users)


@pytest.fixture
def luxi_rec(users: dict[str, Any], market: Market) -> Recommendation:
    return recommendations_for_job(acting_user=users["county_officer"], job=market.luxi_job)[0]


@pytest.fixture
def jinan_rec(users: dict[str, Any], market: Market) -> Recommendation:
    recs = recommendations_for_job(acting_user=users["enterprise"], job=market.jinan_job)
    return next(r for r in recs if r.laborer_id == market.luxi[0].pk)


def put_in(rec: Recommendation, state: str) -> Recommendation:
    Recommendation.objects.filter(pk=rec.pk).update(state=state)
    return Recommendation.objects.get(pk=rec.pk)


def test_the_table_is_the_documented_pipeline() -> None:
    expected = {
        "recommended": {"notified", "interested", "declined"},
        "notified": {"interested", "declined"},
        "interested": {"interview", "declined"},
        "declined": {"interested"},
        "interview": {"hired", "rejected", "declined"},
        "hired": {"started"},
        "rejected": set(),
        "started": set(),
    }
    assert expected == TRANSITIONS


@pytest.mark.parametrize(("from_state", "to_state"), ALLOWED)
def test_allowed_transitions(users: dict[str, Any], luxi_rec: Recommendation, from_state: str, to_state: str) -> None:
    rec = put_in(luxi_rec, from_state)

    saved = recommendation_transition(
        acting_user=users["county_officer"],
        recommendation=rec,
        to_state=to_state,
        expected_version=rec.version,
        reason="离家太远",
        interview=Interview(at=timezone.now() + timedelta(days=1), mode="onsite", place="泸溪县人社局三楼"),
    )

    assert saved.state == to_state
    assert saved.version == rec.version + 1
    event = RecommendationEvent.objects.filter(recommendation=rec).latest("id")
    assert (event.from_state, event.to_state, event.via, event.actor) == (
        from_state,
        to_state,
        RecVia.STAFF,
        users["county_officer"],
    )


@pytest.mark.parametrize(("from_state", "to_state"), FORBIDDEN)
def test_forbidden_transitions(users: dict[str, Any], luxi_rec: Recommendation, from_state: str, to_state: str) -> None:
    rec = put_in(luxi_rec, from_state)
    events = RecommendationEvent.objects.count()

    with pytest.raises(ValidationError) as caught:
        recommendation_transition(
            acting_user=users["county_officer"],
            recommendation=rec,
            to_state=to_state,
            expected_version=rec.version,
            reason="离家太远",
        )

    assert caught.value.code == "invalid_transition"
    assert caught.value.messages == [
        ERR_TRANSITION % {"from": RecState(from_state).label, "to": RecState(to_state).label}
    ]
    assert Recommendation.objects.get(pk=rec.pk).state == from_state
    assert RecommendationEvent.objects.count() == events


def test_decline_needs_a_reason(users: dict[str, Any], luxi_rec: Recommendation) -> None:
    with pytest.raises(ValidationError) as caught:
        recommendation_transition(
            acting_user=users["county_officer"],
            recommendation=luxi_rec,
            to_state=RecState.DECLINED,
            expected_version=luxi_rec.version,
        )
    assert caught.value.message_dict == {"reason": [ERR_REASON_REQUIRED]}


def test_stale_version_is_a_conflict(users: dict[str, Any], luxi_rec: Recommendation) -> None:
    with pytest.raises(ConflictError):
        recommendation_transition(
            acting_user=users["county_officer"],
            recommendation=luxi_rec,
            to_state=RecState.INTERESTED,
            expected_version=luxi_rec.version - 1,
        )
    assert Recommendation.objects.get(pk=luxi_rec.pk).state == RecState.NOTIFIED


def test_transition_is_audited(users: dict[str, Any], luxi_rec: Recommendation) -> None:
    recommendation_transition(
        acting_user=users["county_officer"],
        recommendation=luxi_rec,
        to_state=RecState.DECLINED,
        expected_version=luxi_rec.version,
        reason="家里有老人要照顾",
    )

    entry = AuditEntry.objects.get(object_type="matching.recommendation", object_id=str(luxi_rec.pk))
    assert entry.actor == users["county_officer"]
    assert entry.region_code == luxi_rec.region_id
    assert entry.changes == {
        "state": ["notified", "declined"],
        "decline_reason": ["", "家里有老人要照顾"],
    }
    assert entry.reason == "家里有老人要照顾"


def test_interest_tells_the_enterprise_users(users: dict[str, Any], jinan_rec: Recommendation) -> None:
    colleague = UserFactory(roles=["enterprise"], enterprise=users["enterprise"].enterprise)
    UserFactory(roles=["enterprise"], enterprise=users["enterprise"].enterprise, is_active=False)

    recommendation_transition(
        acting_user=users["county_officer"],
        recommendation=jinan_rec,
        to_state=RecState.INTERESTED,
        expected_version=jinan_rec.version,
    )

    sent = Notification.objects.filter(template="candidate_interested").order_by("recipient_user_id")
    assert [n.recipient_user for n in sent] == [users["enterprise"], colleague]
    assert all("张三丰" in n.body and "电子厂操作工" in n.body for n in sent)


def test_enterprise_marks_interview_results_of_its_own_job(users: dict[str, Any], jinan_rec: Recommendation) -> None:
    rec = put_in(jinan_rec, RecState.INTERVIEW)

    saved = recommendation_transition(
        acting_user=users["enterprise"],
        recommendation=rec,
        to_state=RecState.HIRED,
        expected_version=rec.version,
        note="下周一报到",
    )

    assert saved.state == RecState.HIRED
    assert saved.hire_date is not None
    assert saved.result_note == "下周一报到"
    assert RecommendationEvent.objects.filter(recommendation=rec).latest("id").via == RecVia.ENTERPRISE
    result = Notification.objects.get(template="interview_result")
    assert "录用" in result.body
    assert "下周一报到" in result.body


@pytest.mark.parametrize("to_state", [RecState.DECLINED, RecState.INTERESTED])
def test_enterprise_may_only_mark_results(users: dict[str, Any], jinan_rec: Recommendation, to_state: str) -> None:
    with pytest.raises(PermissionDeniedError) as caught:
        recommendation_transition(
            acting_user=users["enterprise"],
            recommendation=jinan_rec,
            to_state=to_state,
            expected_version=jinan_rec.version,
            reason="x",
        )
    assert caught.value.message == ERR_ENTERPRISE_ONLY_RESULTS
    assert Recommendation.objects.get(pk=jinan_rec.pk).state == RecState.NOTIFIED


def test_enterprise_cannot_touch_other_jobs(users: dict[str, Any], luxi_rec: Recommendation) -> None:
    rec = put_in(luxi_rec, RecState.INTERVIEW)
    with pytest.raises(ObjectNotFound):
        recommendation_transition(
            acting_user=users["enterprise"], recommendation=rec, to_state=RecState.HIRED, expected_version=rec.version
        )
    assert Recommendation.objects.get(pk=rec.pk).state == RecState.INTERVIEW


def test_staff_outside_the_laborers_region_cannot_move_it(users: dict[str, Any], luxi_rec: Recommendation) -> None:
    with pytest.raises(ObjectNotFound):
        recommendation_transition(
            acting_user=users["other_county_officer"],
            recommendation=luxi_rec,
            to_state=RecState.INTERESTED,
            expected_version=luxi_rec.version,
        )
    with pytest.raises(PermissionDeniedError):
        recommendation_transition(
            acting_user=users["viewer"],
            recommendation=luxi_rec,
            to_state=RecState.INTERESTED,
            expected_version=luxi_rec.version,
        )
    assert Recommendation.objects.get(pk=luxi_rec.pk).state == RecState.NOTIFIED
