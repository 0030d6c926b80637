"""Shared fixtures: a real slice of the region tree and one user per role and level."""

from collections.abc import Iterator
from typing import Any

import pytest

from laborcoop.accounts.models import User
from laborcoop.regions.selectors import address_code_cache_clear
from tests.factories import EnterpriseFactory, UserFactory
from tests.regions_fixture import load_sample_regions


@pytest.fixture(autouse=True)
def _fresh_address_code_table() -> Iterator[None]:
    """ID checks use an in-process table of county codes; fixtures write regions with bulk_create."""
    address_code_cache_clear()
    yield
    address_code_cache_clear()


@pytest.fixture
def regions(db: Any) -> dict[str, Any]:
    return load_sample_regions()


def make_user(username: str, region_code: str | None, roles: list[str], **extra: Any) -> User:
    return UserFactory(username=username, home_region_id=region_code, roles=roles, **extra)


@pytest.fixture
def users(regions: dict[str, Any]) -> dict[str, User]:
    """Users named by role and place: county officer of 泸溪县, one of 凤凰县 (the 'other region'), ..."""
    jinan_enterprise = EnterpriseFactory(region_id="370102000000", name="济南测试制造有限公司")
    return {
        "province_admin": make_user("sheng_t", "430000000000", ["admin"]),
        "prefecture_admin": make_user("zhou_t", "433100000000", ["admin"]),
        "county_officer": make_user("xian_t", "433122000000", ["officer"]),
        "other_county_officer": make_user("fenghuang_t", "433123000000", ["officer"]),
        "township_officer": make_user("xiang_t", "433122107000", ["officer"]),
        "broker": make_user("jjr_t", "433122107201", ["broker"]),
        "viewer": make_user("viewer_t", "433122000000", ["viewer"]),
        "hotline": make_user("rexian_t", "430000000000", ["hotline"]),
        "enterprise": make_user("qiye_t", "370102000000", ["enterprise"], enterprise=jinan_enterprise),
    }
