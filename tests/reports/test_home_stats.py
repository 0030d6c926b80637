"""Home-page statistics: counts for the user's subtree, broken down by child region, within the access layer."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from laborcoop.reports.selectors import subtree_stats
from tests.factories import EnterpriseFactory, HouseholdFactory, JobPostingFactory, LaborerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(users: dict[str, Any]) -> None:
    luxi_a = HouseholdFactory(region_id="433122107201")
    luxi_b = HouseholdFactory(region_id="433122108201")
    fenghuang = HouseholdFactory(region_id="433123109201")
    LaborerFactory(household=luxi_a, employment_status="employed")
    LaborerFactory(household=luxi_a, relation="配偶", employment_status="unemployed")
    LaborerFactory(household=luxi_a, relation="之子", labor_skill="无劳动力", employment_status="not_applicable")
    LaborerFactory(household=luxi_b, employment_status="employed")
    LaborerFactory(household=fenghuang, employment_status="farming")
    workshop = EnterpriseFactory(region_id="433122000000", is_assist_workshop=True)
    JobPostingFactory(enterprise=workshop, openings=12)
    JobPostingFactory(enterprise=workshop, openings=5, status="closed")
    JobPostingFactory(enterprise=workshop, openings=7, valid_until=date.today() - timedelta(days=1))


def test_county_stats_by_township(users: dict[str, Any], data: None, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(6):
        stats = subtree_stats(user=users["county_officer"])
    assert stats.total.name == "泸溪县"
    assert (stats.total.households, stats.total.persons, stats.total.laborers) == (2, 4, 3)
    assert (stats.total.employed, stats.total.unemployed) == (2, 1)
    assert stats.total.by_skill == {"普通劳动力": 3, "无劳动力": 1}
    assert (stats.total.enterprises, stats.total.open_jobs, stats.total.openings) == (1, 1, 12)
    by_name = {row.name: row for row in stats.children}
    assert by_name["武溪镇"].laborers == 2
    assert by_name["浦市镇"].laborers == 1
    assert sum(row.laborers for row in stats.children) == stats.total.laborers


def test_prefecture_stats_by_county(users: dict[str, Any], data: None) -> None:
    stats = subtree_stats(user=users["prefecture_admin"])
    by_name = {row.name: row for row in stats.children}
    assert by_name["泸溪县"].households == 2
    assert by_name["凤凰县"].households == 1
    assert by_name["吉首市"].households == 0
    assert stats.total.persons == 5


def test_enterprise_user_sees_no_registry_counts(users: dict[str, Any], data: None) -> None:
    stats = subtree_stats(user=users["enterprise"])
    assert stats.total.persons == 0
    assert stats.total.households == 0
    assert stats.total.enterprises == 1  # only its own


def test_home_page_renders_chart_and_table(users: dict[str, Any], data: None) -> None:
    client = Client()
    client.force_login(users["prefecture_admin"])
    response = client.get(reverse("reports:home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<svg" in content
    assert "泸溪县" in content
    assert "凤凰县" in content
    assert 'id="children-table"' in content


def test_home_requires_login() -> None:
    response = Client().get(reverse("reports:home"))
    assert response.status_code == 302
