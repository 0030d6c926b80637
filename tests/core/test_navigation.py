"""The navigation bar: every role sees the links of what it may do, and every link it sees opens."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

TRACKING_LINKS = {
    "tracking:state_list": "就业状态",
    "tracking:task_list": "跟踪任务",
    "tracking:phone": "手机寻访",
    "tracking:notice_list": "去向通报",
    "tracking:reconcile": "两地对账",
    "earlywarning:list": "预警",
    "employment:enterprise_report": "用工报送",
    "employment:enterprise_payroll": "工资社保",
    "tracking:notice_input_list": "到岗确认",
}

EXPECTED = {
    "county_officer": {"tracking:state_list", "tracking:task_list", "tracking:phone", "tracking:notice_list",
                       "tracking:reconcile", "earlywarning:list"},
    # the broker's menu is a broker's day (accounts.desks): no two-sided lists, no derived-status list
    "broker": {"tracking:task_list", "tracking:phone", "earlywarning:list"},
    "viewer": {"tracking:state_list", "tracking:task_list", "tracking:notice_list", "tracking:reconcile",
               "earlywarning:list"},
    "hotline": set(),  # calls and lookups only (accounts.desks)
    "enterprise": {"employment:enterprise_report", "employment:enterprise_payroll", "tracking:notice_input_list"},
}  # fmt: skip


def _nav_hrefs(html: str) -> set[str]:
    nav = html[html.index('<nav class="nav">') : html.index("</nav>")]
    return set(re.findall(r'href="([^"]+)"', nav))


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_role_sees_its_tracking_links_and_each_opens(users: dict[str, Any], who: str) -> None:
    client = Client()
    client.force_login(users[who])
    home = client.get(reverse("reports:home"), follow=True)  # brokers and the hotline land on their desk
    assert home.status_code == 200
    hrefs = _nav_hrefs(home.content.decode())
    shown = {name for name in TRACKING_LINKS if reverse(name) in hrefs}
    assert shown == EXPECTED[who]
    for href in sorted(hrefs):
        if href.startswith("/") and "logout" not in href:
            assert client.get(href, follow=True).status_code == 200, href  # a redirect must land


SETTINGS_LINKS = ("matching:weights", "tracking:tracking_settings", "earlywarning:settings")


@pytest.mark.parametrize(("who", "shown"), [("province_admin", True), ("prefecture_admin", False)])
def test_province_settings_pages_are_in_the_menu_of_the_province_admins_only(
    users: dict[str, Any], who: str, shown: bool
) -> None:
    client = Client()
    client.force_login(users[who])
    hrefs = _nav_hrefs(client.get(reverse("reports:home"), follow=True).content.decode())
    for name in SETTINGS_LINKS:
        assert (reverse(name) in hrefs) is shown, name
        assert client.get(reverse(name)).status_code == (200 if shown else 403), name


LIST_PAGES = ("employment:record_list", "tracking:notice_list", "tracking:notice_input_list", "tracking:state_list")


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_every_link_on_the_tracking_list_pages_opens_for_the_role_that_sees_it(users: dict[str, Any], who: str) -> None:
    """A page offers a role only the links it may follow (a broker was offered the input-side record list, the
    hotline the two-sided reconciliation: both answered 403)."""
    client = Client()
    client.force_login(users[who])
    for name in LIST_PAGES:
        page = client.get(reverse(name))
        if page.status_code != 200:
            continue
        html = page.content.decode()
        main = html[html.index("</nav>") :]
        for href in sorted(set(re.findall(r'href="(/[^"?#]*)', main))):
            if "logout" in href or href.startswith("/static/"):
                continue
            assert client.get(href).status_code in (200, 302), f"{who} on {name}: {href}"


@pytest.mark.parametrize(("who", "shown"), [("province_admin", True), ("county_officer", False), ("broker", False)])
def test_api_documentation_is_in_the_menu_of_admins_only(users: dict[str, Any], who: str, shown: bool) -> None:
    client = Client()
    client.force_login(users[who])
    hrefs = _nav_hrefs(client.get(reverse("reports:home"), follow=True).content.decode())
    assert (reverse("swagger-ui") in hrefs) is shown
