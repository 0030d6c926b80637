"""/api/v1/warnings/ and the actions: scope matrix, fields, filters, errors, the OpenAPI schema."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from laborcoop.earlywarning.choices import WarningStatus
from laborcoop.earlywarning.models import EarlyWarning
from laborcoop.registry.models import Laborer
from tests.earlywarning.conftest import live, run
from tests.factories import HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:warning_list")


def api(user: Any | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def laborer(regions: Any) -> Laborer:
    person = LaborerFactory(name="向金花", unreachable=True)
    run(today=timezone.localdate())
    return person


def test_anonymous_gets_401(laborer: Laborer) -> None:
    response = api(None).get(LIST)
    assert response.status_code == 401
    assert "results" not in response.json()


@pytest.mark.parametrize("role", ["enterprise", "hotline"])
def test_wrong_role_gets_403(users: dict[str, Any], laborer: Laborer, role: str) -> None:
    response = api(users[role]).get(LIST)
    assert response.status_code == 403
    assert "向金花" not in response.content.decode()


def test_other_region_gets_an_empty_list(users: dict[str, Any], laborer: Laborer) -> None:
    response = api(users["other_county_officer"]).get(LIST)
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("role", ["county_officer", "broker", "viewer", "province_admin"])
def test_right_region_lists_the_warnings(users: dict[str, Any], laborer: Laborer, role: str) -> None:
    response = api(users[role]).get(LIST, {"rule": "unreachable"})
    assert response.status_code == 200
    [item] = response.json()["results"]
    warning = live("unreachable")[f"L{laborer.pk}"]
    assert item["id"] == warning.pk
    assert item["rule"] == "unreachable"
    assert item["rule_title"] == "无法联系"
    assert item["severity"] == "medium"
    assert item["status"] == "open"
    assert item["region_code"] == "433122107201"
    assert item["subject_type"] == "laborer"
    assert item["laborer"] == laborer.pk
    assert item["laborer_label"] == f"向**（{laborer.id_masked}）"
    assert item["household"] == laborer.household_id
    assert item["household_label"] == laborer.household.household_no
    assert item["age_days"] == 0
    assert item["version"] == 1
    assert "向金花" not in response.content.decode()
    assert laborer.reveal_id_number() not in response.content.decode()


def test_household_warning_names_the_household(users: dict[str, Any], laborer: Laborer) -> None:
    [item] = api(users["county_officer"]).get(LIST, {"rule": "zero_employment"}).json()["results"]
    assert item["subject_type"] == "household"
    assert item["laborer"] is None
    assert item["laborer_label"] is None
    assert item["household"] == laborer.household_id


def test_filters(users: dict[str, Any], laborer: Laborer) -> None:
    client = api(users["county_officer"])
    LaborerFactory(unreachable=True, household=HouseholdFactory(region_id="433122108201"))
    run(today=timezone.localdate())
    assert len(client.get(LIST, {"rule": "unreachable"}).json()["results"]) == 2
    narrowed = client.get(LIST, {"rule": "unreachable", "region": "433122107000"}).json()["results"]
    assert [i["laborer"] for i in narrowed] == [laborer.pk]
    assert (
        client.get(LIST, {"laborer": laborer.pk, "rule": "unreachable"}).json()["results"][0]["laborer"] == laborer.pk
    )
    assert client.get(LIST, {"severity": "low", "rule": "unreachable"}).json()["results"] == []
    assert client.get(LIST, {"min_age": 5}).json()["results"] == []
    EarlyWarning.objects.filter(rule="unreachable").update(status=WarningStatus.RESOLVED)
    assert client.get(LIST, {"rule": "unreachable"}).json()["results"] == []
    assert len(client.get(LIST, {"rule": "unreachable", "status": "all"}).json()["results"]) == 2
    bad = client.get(LIST, {"region": "4331", "severity": "urgent"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"region", "severity"}


def test_handle_and_dismiss(users: dict[str, Any], laborer: Laborer) -> None:
    warning = live("unreachable")[f"L{laborer.pk}"]
    client = api(users["township_officer"])
    handled = client.post(
        reverse("api:warning_handle", args=[warning.pk]), {"version": 1, "note": "已联系"}, format="json"
    )
    assert handled.status_code == 200
    assert handled.json()["status"] == "handled"
    assert handled.json()["resolution"] == "已联系"
    dismissed = client.post(
        reverse("api:warning_dismiss", args=[warning.pk]), {"version": 2, "reason": "核实为误报"}, format="json"
    )
    assert dismissed.status_code == 200
    assert dismissed.json()["status"] == "dismissed"
    assert dismissed.json()["version"] == 3


def test_dismiss_without_reason_is_400_in_chinese_and_changes_nothing(users: dict[str, Any], laborer: Laborer) -> None:
    warning = live("unreachable")[f"L{laborer.pk}"]
    response = api(users["county_officer"]).post(
        reverse("api:warning_dismiss", args=[warning.pk]), {"version": 1}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"reason": ["请填写忽略原因。"]}
    warning.refresh_from_db()
    assert (warning.status, warning.version) == (WarningStatus.OPEN, 1)


def test_stale_version_is_409(users: dict[str, Any], laborer: Laborer) -> None:
    warning = live("unreachable")[f"L{laborer.pk}"]
    client = api(users["county_officer"])
    client.post(reverse("api:warning_handle", args=[warning.pk]), {"version": 1}, format="json")
    response = client.post(
        reverse("api:warning_dismiss", args=[warning.pk]), {"version": 1, "reason": "x"}, format="json"
    )
    assert response.status_code == 409


def test_assign(users: dict[str, Any], laborer: Laborer) -> None:
    warning = live("unreachable")[f"L{laborer.pk}"]
    response = api(users["county_officer"]).post(
        reverse("api:warning_assign", args=[warning.pk]), {"version": 1, "owner": users["broker"].pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["owner"] == users["broker"].pk


@pytest.mark.parametrize(
    ("role", "status"), [(None, 401), ("viewer", 403), ("enterprise", 403), ("other_county_officer", 404)]
)
def test_actions_denied(users: dict[str, Any], laborer: Laborer, role: str | None, status: int) -> None:
    warning = live("unreachable")[f"L{laborer.pk}"]
    client = api(users[role] if role else None)
    for name in ("warning_handle", "warning_dismiss", "warning_assign"):
        response = client.post(reverse(f"api:{name}", args=[warning.pk]), {"version": 1, "reason": "x"}, format="json")
        assert response.status_code == status
    warning.refresh_from_db()
    assert (warning.status, warning.version, warning.owner_id) == (WarningStatus.OPEN, 1, None)


def test_schema_documents_the_warning_endpoints(users: dict[str, Any]) -> None:
    response = api(users["county_officer"]).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "get" in paths["/api/v1/warnings/"]
    assert "post" in paths["/api/v1/warnings/{id}/dismiss/"]
    assert "post" in paths["/api/v1/warnings/{id}/handle/"]
    listed = paths["/api/v1/warnings/"]["get"]
    assert {p["name"] for p in listed["parameters"]} >= {"rule", "severity", "status", "region", "page"}
