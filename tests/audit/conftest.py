"""Audit tests: laborers in two counties, and a client signed in as a given user."""

from typing import Any

import pytest
from django.test import Client

from laborcoop.registry.models import Laborer
from tests.factories import HouseholdFactory, LaborerFactory, fresh_id_number


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def luxi_laborer(regions: dict[str, Any]) -> Laborer:
    """A laborer in 黑塘村 (泸溪县 武溪镇)."""
    return LaborerFactory(household=HouseholdFactory(region_id="433122107201"))


@pytest.fixture
def fenghuang_laborer(regions: dict[str, Any]) -> Laborer:
    """A laborer in 棉寨村 (凤凰县)."""
    return LaborerFactory(household=HouseholdFactory(region_id="433123109201"), id_number=fresh_id_number("433123"))
