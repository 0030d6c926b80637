"""Helpers for front-desk tests: people with chosen names, birth dates and villages."""

import itertools
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from laborcoop.core.validation.checksums import make_id_number
from laborcoop.registry.models import Laborer
from tests.factories import HouseholdFactory, LaborerFactory

_seq = itertools.count(101)

HEITANG = "433122107201"  # 黑塘村, 武溪镇, 泸溪县
TIANMENXI = "433122107202"  # 天门溪村, 武溪镇
HUANGJIAQIAO = "433122108201"  # 黄家桥村, 浦市镇, 泸溪县
MIANZHAI = "433123109201"  # 棉寨村, 凤凰县


def id_for(birth: date, *, county: str = "433122", male: bool = True) -> str:
    n = next(_seq) % 500
    return make_id_number(county, birth, n * 2 + (1 if male else 0))


@pytest.fixture
def person(regions: dict[str, Any]) -> Callable[..., Laborer]:
    def make(name: str, birth: date, village: str = HEITANG, *, male: bool = True, **extra: Any) -> Laborer:
        household = HouseholdFactory(region_id=village, household_no=f"{village}{next(_seq):06d}")
        id_number = extra.pop("id_number", None) or id_for(birth, county=village[:6], male=male)
        laborer: Laborer = LaborerFactory.create(household=household, name=name, id_number=id_number, **extra)
        return laborer

    return make


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
