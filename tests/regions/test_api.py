"""/api/v1/regions/: public reference data for every signed-in user; children, search, detail."""

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from laborcoop.regions.serializers import QUERY_CODE_INVALID
from tests.api.conftest import (
    NOT_FOUND_BODY,
    _fresh_process_state,  # noqa: F401 (autouse: a fresh cache for each test)
    token_client,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Api = Callable[[str | None], APIClient]
LIST = "/api/v1/regions/"


def codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_anonymous_is_401(api: Api) -> None:
    assert api(None).get(LIST).status_code == 401
    assert api(None).get(f"{LIST}433122000000/").status_code == 401


def test_default_is_the_home_regions_children(api: Api) -> None:
    assert codes(api("county_officer").get(LIST)) == ["433122107000", "433122108000"]
    assert codes(api("other_county_officer").get(LIST)) == ["433123109000"]
    assert codes(api("broker").get(LIST)) == []  # a village has no children


def test_any_role_reads_any_part_of_the_tree(api: Api) -> None:
    # reference data: the 凤凰县 officer and the enterprise user may browse 泸溪县 too
    assert codes(api("other_county_officer").get(LIST, {"parent": "433122"})) == ["433122107000", "433122108000"]
    assert codes(api("enterprise").get(LIST, {"parent": "433122108000"})) == ["433122108201", "433122108202"]


def test_row_shape(api: Api) -> None:
    [row] = api("county_officer").get(LIST, {"parent": "433123000000"}).json()["results"]
    assert row == {
        "code": "433123109000",
        "name": "沱江镇",
        "level": 4,
        "parent_code": "433123000000",
        "prefix": "433123109",
        "valid_from": None,
        "valid_to": None,
        "is_active": True,
    }


def test_search_by_name(api: Api) -> None:
    client = api("county_officer")
    assert codes(client.get(LIST, {"q": "浦"})) == ["433122108000", "433122108202"]
    assert codes(client.get(LIST, {"q": "村", "parent": "433123"})) == ["433123109201"]
    assert codes(client.get(LIST, {"q": "4331221082"})) == ["433122108201", "433122108202"]


def test_account_without_region_starts_at_the_roots(users: dict[str, Any]) -> None:
    operator = UserFactory(username="platform", is_superuser=True, roles=[])
    assert codes(token_client(operator).get(LIST)) == ["370000000000", "430000000000", "440000000000"]


def test_bad_and_unknown_parent(api: Api) -> None:
    client = api("county_officer")
    bad = client.get(LIST, {"parent": "43312"})
    assert bad.status_code == 400
    assert bad.json() == {"parent": [QUERY_CODE_INVALID]}
    unknown = client.get(LIST, {"parent": "439900"})
    assert unknown.status_code == 404
    assert unknown.json() == NOT_FOUND_BODY


def test_detail_with_ancestors(api: Api) -> None:
    response = api("enterprise").get(f"{LIST}433122108201/")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["name"], body["level"], body["parent_code"]) == (
        "433122108201",
        "黄家桥村",
        5,
        "433122108000",
    )
    assert [a["name"] for a in body["ancestors"]] == ["湖南省", "湘西土家族苗族自治州", "泸溪县", "浦市镇"]
    assert api("county_officer").get(f"{LIST}433122/").json()["code"] == "433122000000"


def test_detail_unknown_is_404(api: Api) -> None:
    for code in ["433199000000", "abc"]:
        response = api("county_officer").get(f"{LIST}{code}/")
        assert response.status_code == 404
        assert response.json() == NOT_FOUND_BODY
