"""API test fixtures: clients per user (token or anonymous) and a few rows in 泸溪县 and 凤凰县."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from laborcoop.accounts.tokens import api_token_issue
from laborcoop.regions.selectors import address_code_cache_clear
from tests.factories import EnterpriseFactory, HouseholdFactory, JobPostingFactory, LaborerFactory, fresh_id_number

NOT_FOUND_BODY = {"detail": "未找到该记录，或您无权查看。"}


@pytest.fixture(autouse=True)
def _fresh_process_state() -> Iterator[None]:
    """The token endpoint's throttle counts in the cache; ID checks use the cached address-code table."""
    cache.clear()
    address_code_cache_clear()
    yield
    cache.clear()
    address_code_cache_clear()


def token_client(user: Any | None) -> APIClient:
    """A client that authenticates the way API clients do: `Authorization: Token <key>`."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user).key}")
    return client


@pytest.fixture
def api(users: dict[str, Any]) -> Callable[[str | None], APIClient]:
    """`api("county_officer")` is a token client for that user of the `users` fixture; `api(None)` is anonymous."""

    def make(name: str | None) -> APIClient:
        return token_client(users[name] if name is not None else None)

    return make


@pytest.fixture
def rows(users: dict[str, Any]) -> dict[str, Any]:
    """One household with a head in 泸溪县 (黄家桥村), one in 凤凰县 (棉寨村); an enterprise with a job in each
    county, and the enterprise user's own (济南) enterprise with a job."""
    luxi_household = HouseholdFactory(region_id="433122108201", household_no="433122108201000777", phone="13612345678")
    luxi_head = LaborerFactory(household=luxi_household, name="向金花", phone="13712340001", phone_last4="0001")
    fh_household = HouseholdFactory(region_id="433123109201", household_no="433123109201000888")
    fh_head = LaborerFactory(household=fh_household, name="龙凤英", id_number=fresh_id_number("433123"))
    luxi_enterprise = EnterpriseFactory(region_id="433122000000", name="泸溪县帮扶车间", contact_phone="13900002222")
    fh_enterprise = EnterpriseFactory(region_id="433123000000", name="凤凰县民族工艺厂")
    own_enterprise = users["enterprise"].enterprise
    return {
        "luxi_household": luxi_household,
        "luxi_head": luxi_head,
        "fh_household": fh_household,
        "fh_head": fh_head,
        "luxi_enterprise": luxi_enterprise,
        "fh_enterprise": fh_enterprise,
        "own_enterprise": own_enterprise,
        "luxi_job": JobPostingFactory(enterprise=luxi_enterprise, title="竹编工"),
        "fh_job": JobPostingFactory(enterprise=fh_enterprise, title="银饰学徒"),
        "own_job": JobPostingFactory(enterprise=own_enterprise, title="装配工"),
    }
