"""/api/v1/employment-records/, /input/ and /laborers/{id}/employment-records/: the scope matrix."""

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from laborcoop.employment.models import EmploymentRecord
from tests.conftest import make_user
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import LaborerFactory

pytestmark = pytest.mark.django_db


def api(user: Any | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def record(users: dict[str, Any]) -> EmploymentRecord:
    return EmploymentRecordFactory(laborer=LaborerFactory(name="向金花"), work_region_id="370102000000")


LIST = reverse("api:employment_record_list")


def test_list_matrix(users: dict[str, Any], record: EmploymentRecord) -> None:
    assert api(None).get(LIST).status_code == 401
    forbidden = api(users["enterprise"]).get(LIST)
    assert forbidden.status_code == 403
    assert "向金花" not in forbidden.content.decode()
    other = api(users["other_county_officer"]).get(LIST)
    assert other.status_code == 200
    assert other.json()["results"] == []
    mine = api(users["county_officer"]).get(LIST)
    assert mine.status_code == 200
    [row] = mine.json()["results"]
    assert (row["id"], row["laborer_name"], row["work_area"], row["work_region_code"]) == (
        record.pk,
        "向金花",
        "03",
        "370102000000",
    )
    assert row["laborer_id_masked"] == record.laborer.id_masked


def test_list_filters_validate(users: dict[str, Any], record: EmploymentRecord) -> None:
    client = api(users["county_officer"])
    assert client.get(LIST, {"status": "ended"}).json()["results"] == []
    assert len(client.get(LIST, {"status": "ongoing", "work_area": "03"}).json()["results"]) == 1
    bad = client.get(LIST, {"status": "maybe"})
    assert bad.status_code == 400
    assert "status" in bad.json()


def test_laborer_records_matrix(users: dict[str, Any], record: EmploymentRecord) -> None:
    url = reverse("api:laborer_employment_records", args=[record.laborer_id])
    assert api(None).get(url).status_code == 401
    assert api(users["enterprise"]).get(url).status_code == 403
    assert api(users["other_county_officer"]).get(url).status_code == 404
    missing = api(users["county_officer"]).get(reverse("api:laborer_employment_records", args=[999999]))
    assert missing.status_code == 404
    response = api(users["broker"]).get(url)
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [record.pk]


def test_input_side_is_masked(users: dict[str, Any], record: EmploymentRecord) -> None:
    url = reverse("api:employment_record_input_list")
    jinan = make_user("jinan_t", "370102000000", ["officer"])
    [row] = api(jinan).get(url).json()["results"]
    assert row["masked_name"] == "向**"
    assert row["id_masked"] == record.laborer.id_masked
    assert "向金花" not in str(row)
    assert "laborer_name" not in row
    assert api(users["other_county_officer"]).get(url).json()["results"] == []
    assert api(users["broker"]).get(url).status_code == 403
    assert api(None).get(url).status_code == 401
