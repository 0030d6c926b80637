"""/api/v1/laborers/{id}/followups/ and /api/v1/followup-tasks/: the scope matrix, logging with its answers
(201, 400 with Chinese messages, task closed, unreachable, hint), filters, query counts, the schema."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from laborcoop.registry.models import Laborer
from laborcoop.tracking.choices import ContactOutcome, TaskKind, TaskStatus
from laborcoop.tracking.followups import services as s
from laborcoop.tracking.followups.apis import TASK_UNKNOWN
from laborcoop.tracking.models import FollowUp, FollowUpTask
from tests.factories import HouseholdFactory, LaborerFactory
from tests.tracking.followup_helpers import api

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def laborer(users: dict[str, Any]) -> Laborer:
    return LaborerFactory(name="向金花")


@pytest.fixture
def task(laborer: Laborer) -> FollowUpTask:
    return FollowUpTask.objects.create(
        laborer=laborer, region_id=laborer.region_id, kind=TaskKind.CONTACT, due_date=TODAY()
    )


def followups_url(laborer: Laborer) -> str:
    return f"/api/v1/laborers/{laborer.pk}/followups/"


def body(**kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"contacted_on": TODAY().isoformat(), "method": "wechat", "outcome": "not_reached"}
    data.update(kw)
    return data


# --- scope matrix ----------------------------------------------------------------------------------------------


def test_anonymous_gets_401(laborer: Laborer, task: FollowUpTask) -> None:
    assert api(None).get(followups_url(laborer)).status_code == 401
    assert api(None).post(followups_url(laborer), body(), format="json").status_code == 401
    assert api(None).get("/api/v1/followup-tasks/").status_code == 401


@pytest.mark.parametrize("role", ["hotline", "enterprise"])
def test_wrong_role_gets_403(users: dict[str, Any], laborer: Laborer, task: FollowUpTask, role: str) -> None:
    client = api(users[role])
    for response in (
        client.get(followups_url(laborer)),
        client.post(followups_url(laborer), body(), format="json"),
        client.get("/api/v1/followup-tasks/"),
    ):
        assert response.status_code == 403
        assert "向金花" not in response.content.decode()
    assert FollowUp.objects.count() == 0


def test_viewer_reads_but_cannot_log(users: dict[str, Any], laborer: Laborer, task: FollowUpTask) -> None:
    client = api(users["viewer"])
    assert client.get(followups_url(laborer)).status_code == 200
    assert client.get("/api/v1/followup-tasks/").json()["results"][0]["id"] == task.pk
    assert client.post(followups_url(laborer), body(), format="json").status_code == 403
    assert FollowUp.objects.count() == 0


def test_right_role_wrong_region(users: dict[str, Any], laborer: Laborer, task: FollowUpTask) -> None:
    client = api(users["other_county_officer"])
    assert client.get(followups_url(laborer)).status_code == 404
    response = client.post(followups_url(laborer), body(task=task.pk), format="json")
    assert response.status_code == 404
    tasks = client.get("/api/v1/followup-tasks/")
    assert tasks.status_code == 200
    assert tasks.json()["results"] == []
    assert FollowUp.objects.count() == 0
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_right_role_right_region_logs_and_lists(users: dict[str, Any], laborer: Laborer, task: FollowUpTask) -> None:
    client = api(users["broker"])
    response = client.post(followups_url(laborer), body(note="微信未回复", task=task.pk), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert {k: data[k] for k in ("laborer", "method", "outcome", "note", "task", "failed_streak", "created_by")} == {
        "laborer": laborer.pk,
        "method": "wechat",
        "outcome": "not_reached",
        "note": "微信未回复",
        "task": task.pk,
        "failed_streak": 1,
        "created_by": "jjr_t",
    }
    assert data["tasks_done"] == [task.pk]
    assert data["laborer_unreachable"] is False
    assert data["hint"] is None
    listed = client.get(followups_url(laborer)).json()
    assert [row["id"] for row in listed["results"]] == [data["id"]]
    assert client.get("/api/v1/followup-tasks/").json()["results"] == []  # the task is done
    done = client.get("/api/v1/followup-tasks/", {"status": "done"}).json()["results"]
    assert [(row["id"], row["status"]) for row in done] == [(task.pk, "done")]


# --- logging -------------------------------------------------------------------------------------------------------


def test_bad_input_gets_400_with_chinese_messages(users: dict[str, Any], laborer: Laborer) -> None:
    client = api(users["broker"])
    tomorrow = (TODAY() + timedelta(days=1)).isoformat()
    response = client.post(followups_url(laborer), {"contacted_on": tomorrow, "method": "fax"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"method": ["联系方式“fax”不在代码表中，应为电话、微信或入户走访。"]}
    response = client.post(followups_url(laborer), {"contacted_on": tomorrow}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "contacted_on": [s.CONTACTED_ON_FUTURE],
        "method": [s.METHOD_REQUIRED],
        "outcome": [s.OUTCOME_REQUIRED],
    }
    response = client.post(followups_url(laborer), body(contacted_on="2025-02-30"), format="json")
    assert response.status_code == 400
    assert "联系日期格式不正确" in response.json()["contacted_on"][0]
    response = client.post(followups_url(laborer), body(task=999999), format="json")
    assert response.status_code == 400
    assert response.json() == {"task": [TASK_UNKNOWN]}
    assert FollowUp.objects.count() == 0


def test_third_failure_marks_unreachable_and_success_clears(users: dict[str, Any], laborer: Laborer) -> None:
    client = api(users["township_officer"])
    for days in (20, 10, 1):
        data = client.post(
            followups_url(laborer), body(contacted_on=(TODAY() - timedelta(days=days)).isoformat()), format="json"
        ).json()
    assert data["failed_streak"] == 3
    assert data["laborer_unreachable"] is True
    data = client.post(followups_url(laborer), body(outcome="working"), format="json").json()
    assert data["laborer_unreachable"] is False
    assert data["hint"] == {"message": s.HINT_ADD_RECORD, "action": "add", "record": None}
    laborer.refresh_from_db()
    assert laborer.unreachable is False


# --- the task list ---------------------------------------------------------------------------------------------------


def test_task_list_filters_and_query_count(
    users: dict[str, Any], task: FollowUpTask, django_assert_max_num_queries: Any
) -> None:
    for i in range(8):
        person = LaborerFactory(household=HouseholdFactory(region_id="433122107202"))
        FollowUpTask.objects.create(
            laborer=person, region_id=person.region_id, kind=TaskKind.ROUTINE, due_date=TODAY() - timedelta(days=i)
        )
    client = api(users["county_officer"])
    with django_assert_max_num_queries(3):
        rows = client.get("/api/v1/followup-tasks/").json()["results"]
    assert len(rows) == 9
    assert rows[0]["due_date"] == (TODAY() - timedelta(days=7)).isoformat()
    assert rows[0]["overdue"] is True
    assert rows[7]["id"] == task.pk
    assert rows[7]["overdue"] is False  # due today, created first
    contact = client.get("/api/v1/followup-tasks/", {"kind": TaskKind.CONTACT}).json()["results"]
    assert [(r["id"], r["laborer_name"], r["laborer_id_masked"]) for r in contact] == [
        (task.pk, "向金花", task.laborer.id_masked)
    ]
    village = client.get("/api/v1/followup-tasks/", {"region": "433122107201"}).json()["results"]
    assert [r["id"] for r in village] == [task.pk]
    assert len(client.get("/api/v1/followup-tasks/", {"overdue": "true"}).json()["results"]) == 7
    bad = client.get("/api/v1/followup-tasks/", {"region": "4331"})
    assert bad.status_code == 400
    assert bad.json() == {"region": ["区划代码应为 12 位数字。"]}


def test_schema_documents_the_endpoints(users: dict[str, Any]) -> None:
    schema = api(users["county_officer"]).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/laborers/{id}/followups/"])
    assert "get" in paths["/api/v1/followup-tasks/"]
    assert paths["/api/v1/laborers/{id}/followups/"]["post"]["tags"] == ["跟踪寻访"]


def test_outcome_choices_are_documented(users: dict[str, Any]) -> None:
    schema = api(users["county_officer"]).get("/api/schema/", {"format": "json"}).json()
    text = str(schema["components"]["schemas"])
    assert all(value in text for value in ContactOutcome.values)
