"""The menu groups of the navigation bar on a desktop screen: a group opens on click, only one is open at a
time, a click elsewhere closes it, and its links lead to the pages."""

from typing import Any

import pytest

from tests.browser.console import watch_console
from tests.factories import UserFactory
from tests.regions_fixture import load_sample_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_opens_a_menu_group_and_follows_a_link(live_server: Any, browser: Any) -> None:
    load_sample_regions()
    UserFactory(username="xian", home_region_id="433122000000", roles=["officer"])
    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    problems = watch_console(context)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "xian")
        page.fill("#id_password", "demo-2026")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")

        warnings_link = page.locator(".nav-menu a", has_text="预警")
        assert not warnings_link.is_visible()  # closed until the group is opened
        page.click("summary:has-text('三线跟踪')")
        assert warnings_link.is_visible()
        page.click("summary:has-text('一库登记')")  # opening another group closes the first
        assert not warnings_link.is_visible()
        assert page.locator(".nav-menu a", has_text="数据比对").is_visible()
        page.click("h1")  # a click elsewhere closes it
        assert page.locator(".nav-group[open]").count() == 0

        page.click("summary:has-text('三线跟踪')")
        warnings_link.click()
        page.wait_for_url(f"{base}/warnings/")
        assert page.inner_text("h1").startswith("预警")
        assert not problems, "\n".join(problems)
    finally:
        context.close()
