"""The employment record lists (output side, input side): sortable by start date (and village), with totals."""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from laborcoop.core.sorting import SORT_UNKNOWN
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def records(users: dict[str, Any]) -> dict[str, Any]:
    """Three records of 泸溪县 laborers in two villages, all working in 泸溪县; one of a 凤凰县 laborer (working
    elsewhere too: outside the county officer's both lists)."""
    rows = {}
    for name, village, start in [
        ("甲", "433122108201", date(2024, 5, 1)),
        ("乙", "433122107201", date(2023, 1, 15)),
        ("丙", "433122107201", date(2025, 2, 1)),
    ]:
        laborer = LaborerFactory(household=HouseholdFactory(region_id=village), name=name)
        rows[name] = EmploymentRecordFactory(laborer=laborer, start_date=start)
    outside = LaborerFactory(household=HouseholdFactory(region_id="433123109201"), name="外")
    EmploymentRecordFactory(laborer=outside, start_date=date(2024, 6, 1), work_region_id="433123000000")
    return rows


def names(client: Client, query: str) -> list[str]:
    response = client.get(reverse("employment:record_list") + query)
    assert response.status_code == 200
    return [r.laborer.name for r in response.context["page"].rows]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-start_date", ["丙", "甲", "乙"]),
        ("start_date", ["乙", "甲", "丙"]),
        ("village", ["丙", "乙", "甲"]),  # village 107201 (newest first), then 108201
        ("-village", ["甲", "乙", "丙"]),
    ],
)
def test_records_sort_by_each_column_both_ways(
    users: dict[str, Any], records: dict[str, Any], sort: str, expected: list[str]
) -> None:
    assert names(client_for(users["county_officer"]), f"?sort={sort}") == expected


def test_records_show_a_total_and_ignore_an_unknown_sort_key(users: dict[str, Any], records: dict[str, Any]) -> None:
    client = client_for(users["county_officer"])
    response = client.get(reverse("employment:record_list") + "?sort=monthly_wage")
    html = response.content.decode()
    assert [r.laborer.name for r in response.context["page"].rows] == ["丙", "乙", "甲"]  # the default order
    assert SORT_UNKNOWN in html
    assert "共 3 条" in html
    rows = client.get(reverse("employment:record_list") + "?sort=start_date", HTTP_HX_REQUEST="true")
    assert 'data-sort-key="start_date" aria-sort="ascending"' in rows.content.decode()


def test_the_input_side_sorts_by_start_date_with_its_total(users: dict[str, Any], records: dict[str, Any]) -> None:
    client = client_for(users["county_officer"])
    url = reverse("employment:input_list")
    newest = client.get(url + "?sort=-start_date")
    assert [r["start_date"] for r in newest.context["page"].rows] == [
        date(2025, 2, 1),
        date(2024, 5, 1),
        date(2023, 1, 15),
    ]
    oldest = client.get(url + "?sort=start_date")
    assert [r["start_date"] for r in oldest.context["page"].rows] == [
        date(2023, 1, 15),
        date(2024, 5, 1),
        date(2025, 2, 1),
    ]
    assert "共 3 条" in oldest.content.decode()
