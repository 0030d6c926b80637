"""Posting a job on a phone: the work place is found by typing its name and chosen from a list that shows
the full path (issue 13 items 4 and 5), or picked level by level; no region code is typed anywhere."""

from datetime import date, timedelta
from typing import Any

import pytest

from laborcoop.employers.models import JobPosting
from laborcoop.regions.models import Region
from tests.factories import EnterpriseFactory, UserFactory
from tests.regions_fixture import load_sample_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_job(page: Any) -> None:
    today = date.today()
    page.fill("#id_title", "电子装配工")
    page.fill("#id_occupation", "普工")
    page.fill("#id_openings", "5")
    page.fill("#id_wage_min", "4500")
    page.fill("#id_wage_max", "6000")
    page.fill("#id_valid_from", today.isoformat())
    page.fill("#id_valid_until", (today + timedelta(days=60)).isoformat())


def test_a_work_place_is_picked_by_typing_its_name(live_server: Any, page: Any) -> None:
    load_sample_regions()
    Region.objects.create(code="370115000000", name="济阳区", level=3, prefix="370115", parent_id="370100000000")
    UserFactory(username="xian", home_region_id="433122000000", roles=["officer"])
    enterprise = EnterpriseFactory(region_id="433122108000", name="泸溪浦市食品有限公司")

    page.goto(f"{live_server.url}/accounts/login/", timeout=60000)  # the first page of a busy machine
    page.fill("#id_username", "xian")
    page.fill("#id_password", "demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/employers/enterprises/{enterprise.pk}/jobs/new/")
    box = page.locator("#id_work_region_code")
    assert box.get_attribute("inputmode") is None  # a name box, not a code box
    assert box.input_value() == "湖南省 湘西土家族苗族自治州 泸溪县 浦市镇"  # the enterprise's place, in words
    _fill_job(page)
    box.fill("")
    box.type("济阳")
    option = page.locator(".region-picker-results button", has_text="山东省 济南市 济阳区")
    option.wait_for()
    option.click()
    assert box.input_value() == "山东省 济南市 济阳区"
    assert page.locator('input[name="work_region_code__code"]').input_value() == "370115000000"
    # Nothing overflows a 390 px phone with the list open or closed.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("form.card button:has-text('保存')")
    page.wait_for_url(f"{live_server.url}/employers/jobs/**")
    assert JobPosting.objects.get().work_region_id == "370115000000"


def test_a_work_place_is_picked_level_by_level(live_server: Any, page: Any) -> None:
    load_sample_regions()
    UserFactory(username="xian", home_region_id="433122000000", roles=["officer"])
    enterprise = EnterpriseFactory(region_id="433122108000", name="泸溪浦市食品有限公司")

    page.goto(f"{live_server.url}/accounts/login/", timeout=60000)  # the first page of a busy machine
    page.fill("#id_username", "xian")
    page.fill("#id_password", "demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/employers/enterprises/{enterprise.pk}/jobs/new/")
    _fill_job(page)
    cascade = page.locator("#field-work_region_code .region-cascade")
    assert not cascade.is_visible()  # the lists open on demand only
    page.click("#field-work_region_code .region-picker-toggle")
    levels = page.locator("#field-work_region_code .region-cascade select")
    levels.nth(0).wait_for()
    levels.nth(0).select_option(label="广东省")
    levels.nth(1).wait_for()
    levels.nth(1).select_option(label="深圳市")
    levels.nth(2).wait_for()
    levels.nth(2).select_option(label="宝安区")
    page.click("#field-work_region_code .region-cascade button")
    assert page.locator("#id_work_region_code").input_value() == "广东省 深圳市 宝安区"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("form.card button:has-text('保存')")
    page.wait_for_url(f"{live_server.url}/employers/jobs/**")
    assert JobPosting.objects.get().work_region_id == "440306000000"


def test_a_list_is_narrowed_by_searching_a_region_name(live_server: Any, page: Any) -> None:
    load_sample_regions()
    UserFactory(username="xian", home_region_id="433122000000", roles=["officer"])

    page.goto(f"{live_server.url}/accounts/login/", timeout=60000)
    page.fill("#id_username", "xian")
    page.fill("#id_password", "demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/registry/laborers/")
    search = page.locator(".region-jump input[type=search]")
    search.type("浦市")
    # Only regions inside the officer's county are offered: 浦市镇 of 泸溪县 (and its villages).
    option = page.locator(".region-jump .region-picker-results button", has_text="泸溪县 浦市镇")
    option.first.wait_for()
    assert page.locator(".region-jump .region-picker-results button", has_text="凤凰县").count() == 0
    option.first.click()
    page.wait_for_url("**/registry/laborers/?*region=433122108000*")
    assert "浦市镇" in page.inner_text(".picker")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
