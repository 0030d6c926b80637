"""The two ends meet in a browser: the enterprise user posts a job and sees ranked, masked candidates; a
laborer opens the personal link from the notification and states interest, which the enterprise then sees."""

import re
from datetime import date, timedelta
from typing import Any

import pytest

from laborcoop.employers.models import JobPosting
from laborcoop.matching.models import Recommendation
from laborcoop.matching.tokens import personal_link_token
from laborcoop.notifications.models import Notification
from tests.factories import EnterpriseFactory, UserFactory
from tests.matching.test_recommendations_setup import make_laborer
from tests.regions_fixture import load_sample_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_enterprise_posts_job_and_laborer_answers_by_link(live_server: Any, page: Any) -> None:
    load_sample_regions()
    enterprise = EnterpriseFactory(name="济南鑫源电子有限公司", region_id="370102000000")
    UserFactory(username="qiye", home_region_id="370102000000", roles=["enterprise"], enterprise=enterprise)
    zhang = make_laborer("433122108201", name="张三丰", phone="13812340001")
    make_laborer("433122107201", name="李四光", phone="13812340002")
    base = live_server.url

    # The enterprise user posts a job on the form
    login(page, base, "qiye")
    page.goto(f"{base}/employers/enterprises/{enterprise.pk}/jobs/new/")
    today = date.today()
    page.fill("#id_title", "电子厂操作工")
    page.fill("#id_occupation", "普工")
    page.fill("#id_openings", "10")
    page.fill("#id_wage_min", "4500")
    page.fill("#id_wage_max", "6500")
    page.fill("#id_work_region_code", "370102000000")
    page.fill("#id_valid_from", today.isoformat())
    page.fill("#id_valid_until", (today + timedelta(days=60)).isoformat())
    page.check("#id_provides_accommodation")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/employers/jobs/\d+/$"))
    job = JobPosting.objects.get(title="电子厂操作工")

    # Matching ran after the commit: the pipeline lists both laborers, masked, with reasons
    page.click("text=推荐人选")
    page.wait_for_url(f"{base}/matching/jobs/{job.pk}/")
    table = page.inner_text("table")
    assert "张**" in table
    assert "李**" in table
    assert "张三丰" not in table
    assert "13812340001" not in table
    page.locator("main details summary").first.click()  # the reasons behind the first score
    reasons = page.locator("details ul.factors").first.inner_text()
    assert "工种" in reasons
    assert Notification.objects.filter(template="job_recommended").count() == 2

    # The laborer opens the personal link from the SMS and states interest
    laborer_page = page.context.new_page()
    laborer_page.goto(f"{base}/matching/r/{personal_link_token(laborer_id=zhang.pk)}/")
    assert "电子厂操作工" in laborer_page.inner_text("main")
    with laborer_page.expect_navigation():  # the button, not the page's hint that names it
        laborer_page.click("button:has-text('我有意向')")
    rec = Recommendation.objects.get(job=job, laborer=zhang)
    assert rec.state == "interested"

    # Now the enterprise sees the interested laborer's name
    page.reload()
    assert "张三丰" in page.inner_text("table")
    assert "李四光" not in page.inner_text("table")
