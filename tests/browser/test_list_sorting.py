"""A county officer on a desktop screen sorts the laborer list by clicking the 姓名 header, then again for the
other direction; on a phone (headers hidden) the 排序 select does the same."""

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tests.browser.console import watch_console
from tests.factories import HouseholdFactory, LaborerFactory, UserFactory, fresh_id_number
from tests.regions_fixture import load_sample_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = ["王二", "丁一", "张四", "李三"]  # registered in this order, in two villages


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    problems = watch_console(context)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
    assert not problems, "CSP violations or script errors in the browser:\n" + "\n".join(problems)


def login(page: Any, live_server: Any) -> None:
    load_sample_regions()
    UserFactory(username="xian", home_region_id="433122000000", roles=["officer"])
    for i, name in enumerate(NAMES):
        village = "433122108201" if i % 2 else "433122107201"
        LaborerFactory(household=HouseholdFactory(region_id=village), name=name,
                       id_number=fresh_id_number(birth=date(1980 + i, 1, 1)))  # fmt: skip
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "xian")
    page.fill("#id_password", "demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def shown_names(page: Any) -> list[str]:
    cells = page.locator("#laborer-table tbody tr td[data-label='姓名'] a")
    return [text.strip() for text in cells.all_inner_texts()]


def test_clicking_a_column_header_sorts_the_list_both_ways(live_server: Any, desktop: Any) -> None:
    page = desktop
    login(page, live_server)
    page.goto(f"{live_server.url}/registry/laborers/")
    assert page.inner_text("#list-total") == "共 4 条"
    assert shown_names(page) == ["王二", "张四", "丁一", "李三"]  # by village, then as registered

    page.click("th[data-sort-key=name] a")
    page.wait_for_url("**/registry/laborers/?sort=name")
    assert shown_names(page) == ["丁一", "张四", "李三", "王二"]
    assert page.get_attribute("th[data-sort-key=name]", "aria-sort") == "ascending"

    page.click("th[data-sort-key=name] a")
    page.wait_for_url("**/registry/laborers/?sort=-name")
    assert shown_names(page) == ["王二", "李三", "张四", "丁一"]
    assert page.get_attribute("th[data-sort-key=name]", "aria-sort") == "descending"
    assert page.inner_text("#list-total") == "共 4 条"


def test_on_a_phone_the_sort_select_orders_the_list(live_server: Any, page: Any) -> None:
    login(page, live_server)
    page.goto(f"{live_server.url}/registry/laborers/")
    assert not page.is_visible("th[data-sort-key=name]")  # table headers are hidden at 390 px
    page.select_option("select[name=sort]", "-birth_date")
    page.click("#laborer-filters button[type=submit]")
    page.wait_for_url("**sort=-birth_date**")
    assert shown_names(page) == ["李三", "张四", "丁一", "王二"]  # youngest first
