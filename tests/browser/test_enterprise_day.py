"""qiye's day on a phone (390 px): the home is a to-do list, a candidate who showed interest is one tap away,
and the interview is arranged there (time, on site, place, note); the laborer then sees it on the personal page.
No page of the walk overflows the screen."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation
from laborcoop.matching.tokens import personal_link_token
from tests.factories import EnterpriseFactory, JobPostingFactory, UserFactory
from tests.matching.test_recommendations_setup import make_laborer
from tests.regions_fixture import load_sample_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLACE = "济南市历下区经十路 100 号 3 楼人事部"


def assert_fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide"


def test_qiye_home_candidate_interview_on_a_phone(live_server: Any, page: Any) -> None:
    load_sample_regions()
    enterprise = EnterpriseFactory(name="济南鑫源电子有限公司", region_id="370102000000", address=PLACE)
    UserFactory(username="qiye", home_region_id="370102000000", roles=["enterprise"], enterprise=enterprise)
    job = JobPostingFactory(
        enterprise=enterprise,
        title="电子厂操作工",
        occupation="操作工",
        valid_until=timezone.localdate() + timedelta(days=4),
    )
    zhang = make_laborer("433122108201", name="张三丰", phone="13812340001")
    rec = Recommendation.objects.create(
        job=job,
        laborer=zhang,
        region_id=zhang.region_id,
        score=72,
        factors=[{"key": "occupation", "label": "工种", "points": 72, "explanation": "意向工种与岗位一致"}],
        state=RecState.INTERESTED,
    )
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "qiye")
    page.fill("#id_password", "demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    # Home: the to-do list, with the interested candidate named and the job about to expire
    assert "今日待办" in page.inner_text("h1")
    assert page.inner_text("#count-interested .num") == "1"
    assert page.inner_text("#count-expiring .num") == "1"
    assert "张三丰" in page.inner_text("#todo-interested + ul")
    assert_fits(page)

    # The candidate, then the interview
    page.click("#todo-interested + ul a:has-text('安排面试')")
    page.wait_for_url(f"{base}/matching/recommendations/{rec.pk}/")
    assert "张三丰" in page.inner_text("#candidate-facts")
    assert_fits(page)
    day = timezone.localdate() + timedelta(days=2)
    page.fill("#id_interview_at", f"{day:%Y-%m-%d}T09:30")
    page.check("input[name=interview_mode][value=onsite]")
    assert page.input_value("#id_interview_place") == PLACE  # the employer's address is offered
    page.fill("#id_interview_note", "请携带身份证")
    with page.expect_navigation():
        page.click("#interview-form button[type=submit]")
    assert "已安排面试" in page.inner_text("main")
    assert PLACE in page.inner_text("#interview-place")
    assert_fits(page)
    rec.refresh_from_db()
    assert rec.state == RecState.INTERVIEW
    assert rec.interview_place == PLACE

    # Back home: the interview is listed; the laborer sees it on the personal page
    page.goto(f"{base}/")
    assert page.inner_text("#count-interviews .num") == "1"
    assert "张三丰" in page.inner_text("#todo-interviews + ul")
    laborer_page = page.context.new_page()
    laborer_page.goto(f"{base}/matching/r/{personal_link_token(laborer_id=zhang.pk)}/")
    text = laborer_page.inner_text("main")
    assert "面试安排" in text
    assert PLACE in text
    assert "请携带身份证" in text
    assert_fits(laborer_page)
