"""A village broker works a follow-up task on a phone-sized screen (390x844): logs in, opens 我的寻访任务, taps a
task, sees the person's key facts (masked ID and phone; 拨打电话 reveals a tel: link, audited), records a failed
phone call; the task leaves the list and the follow-up shows on the laborer's page."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from laborcoop.core.models import AuditEntry
from laborcoop.tracking.choices import TaskKind, TaskStatus
from laborcoop.tracking.models import FollowUp, FollowUpTask
from tests.factories import LaborerFactory, UserFactory, fresh_id_number
from tests.regions_fixture import load_sample_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_broker_logs_a_failed_call_on_the_phone_page(live_server: Any, page: Any) -> None:
    load_sample_regions()
    UserFactory(username="jjr", home_region_id="433122107201", roles=["broker"], first_name="黑塘村经纪人")
    id_number = fresh_id_number("433122")
    laborer = LaborerFactory(name="向金花", id_number=id_number, phone="13812345678", phone_last4="5678")
    task = FollowUpTask.objects.create(
        laborer=laborer,
        region_id=laborer.region_id,
        kind=TaskKind.CONTACT,
        due_date=timezone.localdate() - timedelta(days=1),
    )
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "jjr")
    page.fill("#id_password", "demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)  # home: a desk for brokers and the hotline

    page.goto(f"{base}/tracking/")
    assert page.inner_text("h1") == "我的寻访任务"
    item = page.locator(f"#ptask-{task.pk}")
    assert "向金花" in item.inner_text()
    assert "离岗联系" in item.inner_text()
    assert "已逾期" in item.inner_text()
    # Readable at 390 px: nothing wider than the screen, rows big enough to tap.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator(f"#ptask-{task.pk} .ptask-open").bounding_box()
    assert box is not None
    assert box["height"] >= 48
    assert box["width"] >= 300

    # Tapping the task opens the facts and the form in place (htmx), without leaving the page.
    page.click(f"#ptask-{task.pk} .ptask-open")
    panel = page.locator(f"#ptask-body-{task.pk}")
    panel.locator("form[action$='/log/']").wait_for()
    assert page.url == f"{base}/tracking/"
    facts = panel.inner_text()
    assert id_number[:4] + "*" * 10 + id_number[-4:] in facts
    assert id_number not in page.content()
    assert "13812345678" not in page.content()  # the number is revealed (and audited) only on 拨打电话
    panel.locator("[data-call-button=laborer]").click()
    assert panel.locator("a.tel").get_attribute("href") == "tel:13812345678"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CALL, object_id=str(laborer.pk)).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # A failed phone call: 电话 is preselected, tap 未联系上, add a note, save.
    assert panel.locator("input[name=method][value=phone]").is_checked()
    panel.locator("label.choice", has_text="未联系上").click()
    panel.locator("textarea[name=note]").fill("电话无人接听")
    panel.locator("form[action$='/log/'] button[type=submit]").click()

    page.locator(f"#ptask-{task.pk}").wait_for(state="detached")
    assert "已登记向金花的寻访：未联系上。" in page.inner_text("#phone-tasks")
    assert "暂无待办的寻访任务" in page.inner_text("#phone-tasks")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    followup = FollowUp.objects.get()
    assert (followup.method, followup.outcome, followup.note, followup.failed_streak) == (
        "phone",
        "not_reached",
        "电话无人接听",
        1,
    )

    # The follow-up is on the laborer's page.
    page.goto(f"{base}/registry/laborers/{laborer.pk}/")
    table = page.inner_text("#laborer-followup-table")
    assert timezone.localdate().isoformat() in table
    assert "电话" in table
    assert "未联系上" in table
    assert "电话无人接听" in table
