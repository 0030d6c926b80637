"""The broker's "today" page (the broker's home): due follow-ups, people to register and jobs to pass on, each
scoped to the broker's villages. Access matrix: anonymous, wrong role, right role in the wrong region, right
region."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from laborcoop.matching.models import Recommendation
from laborcoop.registry.choices import Relation
from laborcoop.registry.models import Laborer
from laborcoop.tracking.choices import TaskKind, TaskStatus
from laborcoop.tracking.models import FollowUpTask
from tests.conftest import make_user
from tests.factories import HouseholdFactory, JobPostingFactory, LaborerFactory, fresh_id_number

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
URL = "/tracking/today/"


def _task(laborer: Laborer, due: date, status: str = TaskStatus.OPEN) -> FollowUpTask:
    return FollowUpTask.objects.create(
        laborer=laborer, region_id=laborer.region_id, kind=TaskKind.CONTACT, due_date=due, status=status
    )


def _sixteen_days_ago(days: int) -> date:
    day = TODAY() - timedelta(days=days)
    return day.replace(year=day.year - 16)


@pytest.fixture
def village(users: dict[str, Any]) -> dict[str, Any]:
    """黑塘村 (the broker's) and 天门溪村 (another village of the same township)."""
    here = LaborerFactory(name="向金花", id_number=fresh_id_number())
    there = LaborerFactory(
        name="田春华", id_number=fresh_id_number(), household=HouseholdFactory(region_id="433122107202")
    )
    teen = LaborerFactory(
        name="向小军",
        id_number=fresh_id_number(),
        birth_date=_sixteen_days_ago(20),
        household=here.household,
        relation=Relation.SON,
    )
    Laborer.objects.filter(pk=teen.pk).update(updated_at=timezone.now() - timedelta(days=60))
    job = JobPostingFactory(title="电子厂普工")
    rec = Recommendation.objects.create(job=job, laborer=here, region_id=here.region_id, score=80)
    Recommendation.objects.create(job=job, laborer=there, region_id=there.region_id, score=90)
    return {
        "due": _task(here, TODAY() - timedelta(days=3)),
        "today": _task(here, TODAY()),
        "later": _task(here, TODAY() + timedelta(days=10)),
        "done": _task(here, TODAY() - timedelta(days=5), TaskStatus.DONE),
        "other": _task(there, TODAY() - timedelta(days=1)),
        "teen": teen,
        "rec": rec,
        "job": job,
    }


def test_anonymous_is_sent_to_sign_in(village: dict[str, Any]) -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


@pytest.mark.parametrize("who", ["hotline", "enterprise", "viewer"])
def test_roles_without_follow_up_work_get_403(users: dict[str, Any], village: dict[str, Any], who: str) -> None:
    client = Client()
    client.force_login(users[who])
    response = client.get(URL)
    assert response.status_code == 403
    assert "向金花" not in response.content.decode()


def test_a_broker_of_another_village_sees_only_their_village(users: dict[str, Any], village: dict[str, Any]) -> None:
    other_broker = make_user("jjr_tmx", "433122107202", ["broker"])
    client = Client()
    client.force_login(other_broker)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "田春华" in html
    assert "向金花" not in html
    assert "向小军" not in html
    assert [t.pk for t in response.context["t"].due_tasks] == [village["other"].pk]


def test_the_broker_sees_due_follow_ups_people_to_register_and_jobs_to_pass_on(
    users: dict[str, Any], village: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(users["broker"])
    response = client.get(URL)
    assert response.status_code == 200
    t = response.context["t"]
    assert [task.pk for task in t.due_tasks] == [village["due"].pk, village["today"].pk]  # overdue first
    assert (t.due_count, t.overdue_count, t.upcoming_count) == (2, 1, 0)
    assert [p.pk for p in t.new_workers] == [village["teen"].pk]
    assert [r.pk for r in t.jobs_to_pass] == [village["rec"].pk]
    html = response.content.decode()
    assert "户主 向金花 家" in html  # the family by its head's name, not its 18-digit number
    assert village["teen"].household.household_no not in html
    assert reverse("tracking:phone_task", args=[village["due"].pk]) in html
    assert reverse("tracking:phone_task", args=[village["later"].pk]) not in html
    assert reverse("tracking:phone_task", args=[village["other"].pk]) not in html
    assert reverse("registry:laborer_edit", args=[village["teen"].pk]) in html
    assert "电子厂普工" in html
    assert "田春华" not in html


def test_a_member_updated_after_turning_sixteen_is_not_to_register(
    users: dict[str, Any], village: dict[str, Any]
) -> None:
    Laborer.objects.filter(pk=village["teen"].pk).update(updated_at=timezone.now())
    client = Client()
    client.force_login(users["broker"])
    assert client.get(URL).context["t"].new_workers == []


def test_the_page_costs_a_fixed_number_of_queries(users: dict[str, Any], village: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users["broker"])
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for i in range(5):
        here = LaborerFactory(name=f"向{i}", id_number=fresh_id_number())
        _task(here, TODAY())
        Recommendation.objects.create(job=village["job"], laborer=here, region_id=here.region_id, score=50 + i)
    with CaptureQueriesContext(connection) as more:
        client.get(URL)
    assert len(more) == len(few)
