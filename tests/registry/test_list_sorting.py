"""The laborer and household lists: sortable columns (whitelisted), totals, and the householder's name."""

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laborcoop.core.sorting import SORT_UNKNOWN
from laborcoop.registry import choices as rc
from tests.factories import HouseholdFactory, LaborerFactory, fresh_id_number

pytestmark = pytest.mark.django_db

VILLAGE_A = "433122107201"  # 泸溪县, township 107
VILLAGE_B = "433122108201"  # 泸溪县, township 108


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(users: dict[str, Any]) -> dict[str, Any]:
    """Four laborers in two villages of 泸溪县 with distinct names and birthdays, one in 凤凰县 (out of scope)."""
    a, b = HouseholdFactory(region_id=VILLAGE_A), HouseholdFactory(region_id=VILLAGE_B)
    rows = {
        "丁": LaborerFactory(household=b, name="丁一", id_number=fresh_id_number(birth=date(1991, 3, 1))),
        "王": LaborerFactory(household=a, name="王二", id_number=fresh_id_number(birth=date(1985, 7, 9))),
        "李": LaborerFactory(household=b, name="李三", id_number=fresh_id_number(birth=date(2000, 1, 2))),
        "张": LaborerFactory(household=a, name="张四", id_number=fresh_id_number(birth=date(1979, 12, 30))),
    }
    LaborerFactory(household=HouseholdFactory(region_id="433123109201"), name="阿外")
    return rows


def listed(client: Client, query: str) -> list[str]:
    response = client.get(reverse("registry:laborer_list") + query)
    assert response.status_code == 200
    return [p.name for p in response.context["page"].rows]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["丁一", "张四", "李三", "王二"]),  # code point order of the names
        ("-name", ["王二", "李三", "张四", "丁一"]),
        ("birth_date", ["张四", "王二", "丁一", "李三"]),
        ("-birth_date", ["李三", "丁一", "王二", "张四"]),
    ],
)
def test_laborers_sort_by_each_column_both_ways(users: dict[str, Any], people: dict[str, Any], sort: str,
                                                 expected: list[str]) -> None:  # fmt: skip
    client = client_for(users["county_officer"])
    assert listed(client, f"?sort={sort}") == expected


def test_laborers_sort_by_village_both_ways_and_by_id_within_a_village(
    users: dict[str, Any], people: dict[str, Any]
) -> None:
    client = client_for(users["county_officer"])
    assert listed(client, "?sort=village") == ["王二", "张四", "丁一", "李三"]
    assert listed(client, "?sort=-village") == ["李三", "丁一", "张四", "王二"]
    assert listed(client, "") == ["王二", "张四", "丁一", "李三"]  # the default order is the village's


def test_an_unknown_sort_key_shows_the_default_order_with_a_chinese_notice(
    users: dict[str, Any], people: dict[str, Any]
) -> None:
    client = client_for(users["county_officer"])
    response = client.get(reverse("registry:laborer_list") + "?sort=id_number_enc")
    assert response.status_code == 200
    assert [p.name for p in response.context["page"].rows] == ["王二", "张四", "丁一", "李三"]
    assert SORT_UNKNOWN in response.content.decode()


def test_sorting_keeps_the_filters_and_the_scope(users: dict[str, Any], people: dict[str, Any]) -> None:
    client = client_for(users["county_officer"])
    assert listed(client, f"?region={VILLAGE_B}&sort=-name") == ["李三", "丁一"]
    html = client.get(reverse("registry:laborer_list") + f"?region={VILLAGE_B}&sort=-name").content.decode()
    # The header of the current column links to the other direction, with the filter kept.
    assert f'href="?region={VILLAGE_B}&amp;sort=name"' in html
    assert 'aria-sort="descending"' in html
    assert "阿外" not in html


def test_the_list_shows_its_total_counted_in_the_users_scope(users: dict[str, Any], people: dict[str, Any]) -> None:
    for i in range(21):
        LaborerFactory(household=HouseholdFactory(region_id=VILLAGE_A), name=f"向{i:02d}")
    for i in range(3):  # in 凤凰县: never counted for 泸溪县's officer
        LaborerFactory(household=HouseholdFactory(region_id="433123109201"), name=f"外{i}")
    client = client_for(users["county_officer"])
    response = client.get(reverse("registry:laborer_list") + "?sort=name")
    html = response.content.decode()
    assert response.context["page"].total == 25
    assert "共 25 条" in html
    assert client.get(reverse("registry:laborer_list") + "?q=向0").context["page"].total == 10


@pytest.fixture
def households(users: dict[str, Any]) -> list[Any]:
    rows = []
    for i, (village, head) in enumerate([(VILLAGE_B, "黄大"), (VILLAGE_A, "石二"), (VILLAGE_A, "")]):
        household = HouseholdFactory(region_id=village, household_no=f"43312210{i}2010000{i:02d}")
        if head:
            LaborerFactory(household=household, name=head, relation=rc.Relation.HEAD)
        LaborerFactory(household=household, name=f"成员{i}", relation=rc.Relation.SPOUSE)
        rows.append(household)
    return rows


def test_households_show_the_householders_name_not_another_members(
    users: dict[str, Any], households: list[Any]
) -> None:
    response = client_for(users["county_officer"]).get(reverse("registry:household_list"))
    heads = {h.household_no: h.head_name for h in response.context["page"].rows}
    assert heads == {households[0].household_no: "黄大", households[1].household_no: "石二",
                     households[2].household_no: None}  # fmt: skip
    html = response.content.decode()
    for shown in ("黄大", "石二", "（未登记户主）"):
        assert shown in html
    assert "成员0" not in html


def test_the_householders_name_costs_no_query_per_row(
    users: dict[str, Any], households: list[Any], django_assert_num_queries: Any
) -> None:
    client = client_for(users["county_officer"])
    client.get(reverse("registry:household_list"))  # session, user and regions warmed up
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("registry:household_list"))
    for i in range(12):
        household = HouseholdFactory(region_id=VILLAGE_A)
        LaborerFactory(household=household, name=f"户主{i}", relation=rc.Relation.HEAD)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("registry:household_list"))
    assert len(response.context["page"].rows) == 15
    assert "户主11" in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("village", [1, 2, 0]), ("-village", [0, 2, 1]), ("", [1, 2, 0])],
)
def test_households_sort_by_each_column_both_ways(
    users: dict[str, Any], households: list[Any], sort: str, expected: list[int]
) -> None:
    response = client_for(users["county_officer"]).get(reverse("registry:household_list") + f"?sort={sort}")
    assert [h.pk for h in response.context["page"].rows] == [households[i].pk for i in expected]
    assert "共 3 条" in response.content.decode()


@pytest.mark.parametrize("key", ["phone_enc", "household_no"])  # the number alone is not offered (see selectors)
def test_households_ignore_an_unknown_sort_key(users: dict[str, Any], households: list[Any], key: str) -> None:
    response = client_for(users["county_officer"]).get(reverse("registry:household_list") + f"?sort={key}")
    assert response.status_code == 200
    assert [h.pk for h in response.context["page"].rows] == [households[i].pk for i in (1, 2, 0)]
    assert SORT_UNKNOWN in response.content.decode()
