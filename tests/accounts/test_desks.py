"""Each desk's menu and home: the broker's menu holds only a broker's work and its home is "today"; the hotline's
home is the call console; officers keep the office menu (imports, comparison, batch matching)."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from laborcoop.accounts.desks import Desk, desk_of
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

OFFICE_ONLY = ("intake:index", "linkage:index", "matching:runs", "exports:index", "swagger-ui", "frontdesk:duplicates")


def _nav_hrefs(html: str) -> set[str]:
    nav = html[html.index('<nav class="nav">') : html.index("</nav>")]
    return set(re.findall(r'href="([^"]+)"', nav))


def _menu(client: Client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return _nav_hrefs(response.content.decode())


def test_the_broker_menu_holds_only_a_brokers_work(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users["broker"])
    hrefs = _menu(client, reverse("tracking:today"))
    for name in OFFICE_ONLY:
        assert reverse(name) not in hrefs, name
    for name in ("tracking:today", "tracking:phone", "registry:laborer_list", "registry:household_list"):
        assert reverse(name) in hrefs, name
    assert reverse("employers:market_list") in hrefs  # every open posting, the village's own included
    assert reverse("employers:job_list") not in hrefs
    assert len(hrefs) <= 10  # was 19 entries: the county officer's menu


def test_the_county_officer_keeps_the_office_menu(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users["county_officer"])
    hrefs = _menu(client, reverse("reports:home"))
    for name in ("intake:index", "linkage:index", "matching:runs", "exports:index", "frontdesk:contact_log"):
        assert reverse(name) in hrefs, name
    assert reverse("swagger-ui") not in hrefs  # admins only
    assert reverse("tracking:today") not in hrefs


def test_the_hotline_menu_is_calls_and_lookups(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users["hotline"])
    hrefs = _menu(client, reverse("frontdesk:index"))
    assert {reverse("frontdesk:index"), reverse("frontdesk:contact_log"), reverse("registry:laborer_list")} <= hrefs
    for name in (*OFFICE_ONLY, "tracking:state_list", "tracking:notice_list"):
        assert reverse(name) not in hrefs, name


@pytest.mark.parametrize(
    ("who", "home"),
    [
        ("broker", "tracking:today"),
        ("hotline", "frontdesk:index"),
    ],
)
def test_the_home_page_of_brokers_and_the_hotline_is_their_desk(users: dict[str, Any], who: str, home: str) -> None:
    client = Client()
    client.force_login(users[who])
    response = client.get(reverse("reports:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(home)
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("who", ["county_officer", "viewer", "province_admin"])
def test_office_roles_keep_the_statistics_home(users: dict[str, Any], who: str) -> None:
    client = Client()
    client.force_login(users[who])
    response = client.get(reverse("reports:home"))
    assert response.status_code == 200
    assert "数据概览" in response.content.decode()


def test_a_broker_who_is_also_an_officer_works_at_the_office(regions: Any) -> None:
    both = make_user("jjr_xiang", "433122107000", ["broker", "officer"])
    assert desk_of(both) == Desk.OFFICE
    assert desk_of(make_user("jjr_only", "433122107201", ["broker"])) == Desk.BROKER
