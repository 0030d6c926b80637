"""The help pages (issue 13 item 23): one guide per role, whose menu part is exactly the reader's own menu, and a
帮助 link in the header of every page."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from laborcoop.accounts.help.guides import GUIDE_TITLES, Guide, describe, guide_for, menu_help
from laborcoop.accounts.navigation import NavGroup, NavLink, navigation_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HELP_URL = "/accounts/help/"
HELP_LINK = f'<a class="help-link" id="help-link" href="{HELP_URL}">帮助</a>'
ENTRY = re.compile(r'<dt data-url-name="([^"]+)"><a href="([^"]+)">([^<]+)</a></dt>\s*<dd>([^<]*)</dd>')

EXPECTED_GUIDES = {
    "province_admin": Guide.ADMIN,
    "prefecture_admin": Guide.ADMIN,
    "county_officer": Guide.COUNTY,
    "other_county_officer": Guide.COUNTY,
    "township_officer": Guide.TOWNSHIP,
    "broker": Guide.BROKER,
    "viewer": Guide.COUNTY,
    "hotline": Guide.HOTLINE,
    "enterprise": Guide.ENTERPRISE,
}


def _client(user: Any | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _menu(user: Any) -> list[tuple[str, str]]:
    return [(link.url_name, link.label) for group in navigation_for(user) for link in group.links]


@pytest.mark.parametrize("who", sorted(EXPECTED_GUIDES))
def test_help_page_lists_exactly_the_roles_menu_each_entry_explained(users: dict[str, Any], who: str) -> None:
    user = users[who]
    response = _client(user).get(reverse("accounts:help"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>帮助：{GUIDE_TITLES[EXPECTED_GUIDES[who]]}</h1>" in html
    assert 'id="help-first"' in html
    entries = ENTRY.findall(html)
    assert [(url_name, label) for url_name, _href, label, _text in entries] == _menu(user)
    for url_name, href, label, text in entries:
        assert href == reverse(url_name)
        assert text == describe(label, url_name)
        assert text, f"{who}: menu entry {label} ({url_name}) has no description in accounts.help.guides"


def test_officers_get_the_guide_of_their_level(regions: Any) -> None:
    cases = {
        "430000000000": Guide.PROVINCE,
        "433100000000": Guide.PREFECTURE,
        "433122000000": Guide.COUNTY,
        "433122107000": Guide.TOWNSHIP,
    }
    for code, guide in cases.items():
        officer = UserFactory(username=f"o{code}", home_region_id=code, roles=["officer"])
        assert guide_for(officer) == guide
        html = _client(officer).get(HELP_URL).content.decode()
        assert f"<h1>帮助：{GUIDE_TITLES[guide]}</h1>" in html


def test_an_entry_the_role_does_not_have_is_never_listed(users: dict[str, Any]) -> None:
    broker_html = _client(users["broker"]).get(HELP_URL).content.decode()
    hotline_html = _client(users["hotline"]).get(HELP_URL).content.decode()
    for url_name in ("intake:index", "linkage:index", "matching:runs", "accounts:user_list", "swagger-ui"):
        assert f'data-url-name="{url_name}"' not in broker_html
        assert f'data-url-name="{url_name}"' not in hotline_html


def test_the_menu_part_follows_the_menu_definitions() -> None:
    sections = menu_help([NavGroup("测试", [NavLink("人员", "registry:laborer_list"), NavLink("新功能", "x:y")])])
    [section] = sections
    assert section.label == "测试"
    assert [(e.label, e.url_name) for e in section.entries] == [("人员", "registry:laborer_list"), ("新功能", "x:y")]
    assert section.entries[0].description.startswith("查找、登记和修改")
    assert section.entries[1].description == ""  # a new entry shows with its name until it is described


def test_a_visitor_gets_the_sign_in_guide() -> None:
    response = _client().get(HELP_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>帮助：{GUIDE_TITLES[Guide.GUEST]}</h1>" in html
    assert reverse("accounts:login") in html
    assert "data-url-name" not in html


@pytest.mark.parametrize("who", sorted(EXPECTED_GUIDES))
def test_every_page_of_the_menu_has_the_help_link_in_its_header(users: dict[str, Any], who: str) -> None:
    client = _client(users[who])
    pages = ["/", HELP_URL, *[reverse(url_name) for url_name, _label in _menu(users[who])]]
    for url in pages:
        if url.startswith("/api/docs"):
            continue  # Swagger UI is drf-spectacular's own page, not the platform's layout
        response = client.get(url, follow=True)  # a role's home may be another page (the broker's today)
        assert response.status_code == 200, (who, url, response.status_code)
        html = response.content.decode()
        header = html.split("</header>")[0]
        assert HELP_LINK in header, (who, url)


def test_login_and_error_pages_have_the_help_link() -> None:
    for url, status in ((reverse("accounts:login"), 200), ("/no-such-page/", 404)):
        response = _client().get(url)
        assert response.status_code == status
        assert HELP_LINK in response.content.decode().split("</header>")[0]
