"""The village broker's home on a 390 px phone: after signing in, "今日工作" lists the due follow-up, the villager
who just turned 16 and the job to pass on, fits the screen with big tap targets, and its rows lead to the phone
task and to the person's page, where 拨打电话 reveals the number as a tel: link."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from laborcoop.matching.models import Recommendation
from laborcoop.registry.models import Laborer
from laborcoop.tracking.choices import TaskKind
from laborcoop.tracking.models import FollowUpTask
from tests.factories import JobPostingFactory, LaborerFactory, UserFactory, fresh_id_number
from tests.regions_fixture import load_sample_regions


def sixteenth_birthday_ago(day: date) -> date:
    """The birth date of someone whose 16th birthday is `day`."""
    try:
        return day.replace(year=day.year - 16)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 16, day=28)


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_broker_home_is_today_at_390px(live_server: Any, page: Any) -> None:
    load_sample_regions()
    UserFactory(username="jjr", home_region_id="433122107201", roles=["broker"], first_name="黑塘村经纪人")
    today = timezone.localdate()
    laborer = LaborerFactory(name="向金花", id_number=fresh_id_number("433122"), phone="13812345678")
    task = FollowUpTask.objects.create(
        laborer=laborer, region_id=laborer.region_id, kind=TaskKind.CONTACT, due_date=today - timedelta(days=1)
    )
    birth = sixteenth_birthday_ago(today - timedelta(days=30))
    teen = LaborerFactory(name="向小军", id_number=fresh_id_number("433122"), birth_date=birth)
    Laborer.objects.filter(pk=teen.pk).update(updated_at=timezone.now() - timedelta(days=400))
    job = JobPostingFactory(title="电子厂普工（长白班，包吃住）")
    Recommendation.objects.create(job=job, laborer=laborer, region_id=laborer.region_id, score=88)
    base = live_server.url
    page.set_default_timeout(60000)  # the shared 2-core machine can be slow to serve the first page

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "jjr")
    page.fill("#id_password", "demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/tracking/today/")

    assert page.inner_text("h1").startswith("今日工作")
    assert page.inner_text("#count-due") == "1"
    assert page.inner_text("#count-register") == "1"
    assert page.inner_text("#count-jobs") == "1"
    assert "向金花" in page.inner_text("#today-followups")
    assert "已逾期" in page.inner_text("#today-followups")
    assert "向小军" in page.inner_text("#today-register")
    assert "电子厂普工" in page.inner_text("#today-jobs")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    row = page.locator("#today-followups .ptask-open").bounding_box()
    assert row is not None
    assert row["height"] >= 48
    # The menu holds a broker's work only.
    page.click("label.nav-toggle-label")
    menu = page.inner_text("nav.nav")
    assert "导入" not in menu
    assert "数据比对" not in menu
    assert "批量匹配" not in menu
    assert "接口文档" not in menu

    page.goto(f"{base}/tracking/today/")
    page.click("#today-followups .ptask-open")
    page.wait_for_url(f"{base}/tracking/m/tasks/{task.pk}/")

    page.goto(f"{base}/registry/laborers/{laborer.pk}/")
    assert "13812345678" not in page.content()
    page.click("[data-call-button=laborer]")
    link = page.locator("a.tel[data-call=laborer]")
    link.wait_for()
    assert link.get_attribute("href") == "tel:13812345678"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
