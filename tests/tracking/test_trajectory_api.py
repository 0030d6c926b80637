"""GET /api/v1/laborers/{id}/trajectory/: the scope matrix, the content and the schema."""

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import LaborerFactory
from tests.tracking.test_trajectory import History, build_history

pytestmark = pytest.mark.django_db


def api(user: Any | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def history(users: dict[str, Any]) -> History:
    return build_history(users["broker"])


def url(pk: int) -> str:
    return reverse("api:laborer_trajectory", args=[pk])


def test_url() -> None:
    assert url(7) == "/api/v1/laborers/7/trajectory/"


def test_matrix(users: dict[str, Any], history: History) -> None:
    target = url(history.laborer.pk)
    anonymous = api(None).get(target)
    assert anonymous.status_code == 401
    forbidden = api(users["enterprise"]).get(target)
    assert forbidden.status_code == 403
    assert "向金花" not in forbidden.content.decode()
    other = api(users["other_county_officer"]).get(target)
    assert other.status_code == 404
    assert "深圳" not in other.content.decode()
    assert api(users["county_officer"]).get(url(999_999)).status_code == 404
    for who in ("county_officer", "township_officer", "broker", "viewer", "prefecture_admin", "hotline"):
        assert api(users[who]).get(target).status_code == 200, who


def test_content(users: dict[str, Any], history: History) -> None:
    body = api(users["county_officer"]).get(url(history.laborer.pk)).json()
    assert body["laborer_id"] == history.laborer.pk
    assert body["home_county_code"] == "433122000000"
    assert body["status"]["status"] == "employed"
    assert body["status"]["since"] == "2025-01-01"
    assert body["status"]["stable_months_required"] == 3
    assert [(s["record_id"], s["start"], s["end"], s["clipped"]) for s in body["segments"]] == [
        (history.r1.pk, "2023-01-10", "2023-05-31", True),
        (history.r2.pk, "2023-06-01", "2023-12-31", False),
        (history.r3.pk, "2024-01-15", "2024-08-31", False),
        (history.r4.pk, "2025-01-01", None, False),
    ]
    assert [(s["start"], s["end"]) for s in body["spells"]] == [("2023-01-10", "2024-08-31"), ("2025-01-01", None)]
    assert body["gaps"] == [{"start": "2024-09-01", "end": "2024-12-31", "days": 122}]
    assert [(m["to_code"], m["work_area"]) for m in body["moves"]] == [
        ("433123000000", "02"),
        ("440306000000", "03"),
        ("433122000000", "01"),
    ]
    reported = [i for i in body["income"] if i["kind"] == "reported"]
    assert [(i["month"], i["amount"]) for i in reported] == [("2025-02-01", 2600), ("2025-03-01", 2700)]
    assert body["insurance"][0] == {"month": "2025-02-01", "insurance_types": ["城镇职工养老", "职工医疗"]}
    assert [(f["contacted_on"], f["method"], f["outcome"]) for f in body["followups"]] == [
        ("2024-10-01", "phone", "not_working")
    ]
    assert [(r["job_title"], r["state"]) for r in body["recommendations"]] == [("包装工", "recommended")]
    assert "id_number" not in str(body)


def test_a_laborer_without_records(users: dict[str, Any]) -> None:
    laborer = LaborerFactory()
    body = api(users["county_officer"]).get(url(laborer.pk)).json()
    assert body["status"]["status"] == "never"
    assert (body["segments"], body["gaps"], body["income"]) == ([], [], [])
    assert body["today"] == date.today().isoformat()


def test_schema_documents_the_endpoint(users: dict[str, Any]) -> None:
    response = api(users["county_officer"]).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    operation = schema["paths"]["/api/v1/laborers/{id}/trajectory/"]["get"]
    assert set(operation["responses"]) == {"200", "401", "403", "404"}
    component = schema["components"]["schemas"]["Trajectory"]
    assert {"status", "segments", "spells", "gaps", "moves", "income", "insurance", "followups"} <= set(
        component["properties"]
    )
