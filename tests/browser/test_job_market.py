"""The job market on a phone (390 px): the 泸溪县 officer finds a 济南 job in 岗位市场, puts a laborer of the county
forward, and the 济南 enterprise sees the (masked) candidate on its job's pipeline."""

from typing import Any

import pytest

from laborcoop.matching.models import Recommendation
from tests.factories import EnterpriseFactory, JobPostingFactory, UserFactory
from tests.matching.test_recommendations_setup import make_laborer
from tests.regions_fixture import load_sample_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide"


def test_county_officer_puts_a_laborer_forward_for_a_jinan_job(live_server: Any, page: Any) -> None:
    load_sample_regions()
    enterprise = EnterpriseFactory(
        name="济南鑫源电子有限公司", region_id="370102000000", contact_name="王经理", contact_phone="0531-88881234"
    )
    job = JobPostingFactory(enterprise=enterprise, title="电子厂操作工", occupation="普工", provides_accommodation=True)
    UserFactory(username="qiye", home_region_id="370102000000", roles=["enterprise"], enterprise=enterprise)
    UserFactory(username="xian", home_region_id="433122000000", roles=["officer"])
    laborer = make_laborer("433122108201", name="张三丰", phone="13812340001")
    base = live_server.url

    login(page, base, "xian")
    assert page.locator("a[href='/employers/market/']").count() >= 1  # 岗位市场 in the menu
    page.goto(f"{base}/employers/market/")
    page.fill("#id_q", "电子厂")
    page.select_option("#id_distance", "outside")
    page.click("#market-filters button[type=submit]")
    page.wait_for_load_state()
    fits(page)
    page.click("text=电子厂操作工")
    page.wait_for_url(f"{base}/employers/market/{job.pk}/")
    fits(page)
    main = page.inner_text("main")
    assert "济南鑫源电子有限公司" in main
    assert "0531-88881234" not in main
    assert "管理此岗位" not in main

    page.click("text=推荐本辖区人员")
    page.wait_for_url(f"{base}/matching/market/{job.pk}/put-forward/")
    page.fill("#id_q", "张三丰")
    page.click("main form.filters button[type=submit]")
    page.wait_for_selector("#put-forward-table")
    fits(page)
    with page.expect_navigation():
        page.click("#put-forward-table button:has-text('推荐')")
    assert "已推荐 张三丰" in page.inner_text("main")
    assert "已推荐" in page.inner_text("#put-forward-table")
    fits(page)
    assert Recommendation.objects.filter(job=job, laborer=laborer).count() == 1

    # The enterprise sees the candidate on its job's pipeline, masked until the laborer states interest
    page.context.clear_cookies()
    login(page, base, "qiye")
    page.goto(f"{base}/matching/jobs/{job.pk}/")
    table = page.inner_text("table")
    assert "张**" in table
    assert "张三丰" not in table
    fits(page)
