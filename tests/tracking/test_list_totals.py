"""Tracking's lists show their totals, counted in the user's scope (issue 13 item 17)."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from laborcoop.core.pagination import PAGE_SIZE
from tests.factories import HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db


def test_the_unreachable_list_counts_its_rows_in_the_users_scope(users: dict[str, Any]) -> None:
    for i in range(PAGE_SIZE + 3):  # more than a page: the total is counted, not the page's rows
        LaborerFactory(household=HouseholdFactory(region_id="433122107201"), name=f"失联{i}", unreachable=True)
    LaborerFactory(household=HouseholdFactory(region_id="433122107201"), name="可联系")
    for i in range(4):  # 凤凰县: outside 泸溪县's officer's scope
        LaborerFactory(household=HouseholdFactory(region_id="433123109201"), name=f"外县{i}", unreachable=True)
    client = Client()
    client.force_login(users["county_officer"])
    response = client.get(reverse("tracking:unreachable_list"))
    assert response.status_code == 200
    assert response.context["page"].total == PAGE_SIZE + 3
    assert f"共 {PAGE_SIZE + 3} 条" in response.content.decode()
    assert "下一页" in response.content.decode()


def test_the_task_list_shows_a_total_even_when_empty(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users["county_officer"])
    response = client.get(reverse("tracking:task_list"))
    assert response.status_code == 200
    assert response.context["page"].total == 0
