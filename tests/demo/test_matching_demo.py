"""The demo builds recommendations in every state, once."""

from typing import Any

import pytest

from laborcoop.demo.matching_demo import demo_matching_ensure
from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation
from laborcoop.notifications.models import Notification
from laborcoop.reports.enterprise_home import enterprise_todo
from tests.factories import JobPostingFactory
from tests.matching.test_recommendations_setup import build_market, make_laborer

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_once(users: dict[str, Any]) -> None:
    market = build_market(users)
    JobPostingFactory(enterprise=market.jinan_job.enterprise, title="仓库装卸工", occupation="装卸工")
    for i in range(6):
        make_laborer("433122107202", name=f"陈{i}", phone=f"1371234{i:04d}")

    first = demo_matching_ensure(enterprise_username="qiye_t", officer_username="xian_t")
    messages = Notification.objects.count()
    second = demo_matching_ensure(enterprise_username="qiye_t", officer_username="xian_t")

    assert first.created is True
    assert second.created is False
    assert {state for state in RecState.values if Recommendation.objects.filter(state=state).exists()} == set(
        RecState.values
    )
    assert first.states == second.states
    assert all(first.states[str(label)] >= 1 for label in RecState.labels)
    assert Notification.objects.count() == messages
    assert Notification.objects.filter(template="job_recommended").exists()
    assert Notification.objects.filter(template="candidate_interested").exists()
    assert Notification.objects.filter(template="interview_result").exists()


def test_demo_without_its_users_does_nothing(users: dict[str, Any]) -> None:
    report = demo_matching_ensure(enterprise_username="nobody", officer_username="xian_t")

    assert report.created is False
    assert Recommendation.objects.count() == 0


def test_demo_gives_the_enterprise_a_day_of_work(users: dict[str, Any]) -> None:
    """qiye's home has content at once: candidates who said yes, interviews it arranged, a job ending soon."""
    market = build_market(users)
    JobPostingFactory(enterprise=market.jinan_job.enterprise, title="仓库装卸工", occupation="装卸工")
    for i in range(6):
        make_laborer("433122107202", name=f"陈{i}", phone=f"1371234{i:04d}")

    demo_matching_ensure(enterprise_username="qiye_t", officer_username="xian_t")
    todo = enterprise_todo(user=users["enterprise"])

    assert todo.interested_count >= 1
    assert todo.interviews_upcoming >= 1
    interview = Recommendation.objects.filter(
        job__enterprise=market.jinan_job.enterprise, state=RecState.INTERVIEW
    ).first()
    assert interview is not None
    assert interview.interview_place
    assert interview.events.latest("id").via == "enterprise"
    assert len(todo.expiring) == 1
    assert Notification.objects.filter(template="interview_arranged").exists()
