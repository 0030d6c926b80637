"""A broker sends a laborer's personal link by WeChat: shows it from the laborer's page (audited), copies it,
and the laborer opens it on a phone and reads the job in their own words (issue 13 items 9 and 11)."""

from typing import Any

import pytest

from laborcoop.core.models import AuditEntry
from laborcoop.matching.services import recommendations_for_laborer
from laborcoop.matching.services.personal_link import REVEAL_REASON
from tests.factories import EnterpriseFactory, JobPostingFactory, UserFactory
from tests.matching.test_recommendations_setup import make_laborer
from tests.regions_fixture import load_sample_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, base: str, username: str) -> None:
    """Sign in; each role lands on its own home page."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-2026")
    page.click("main button[type=submit]")
    page.wait_for_function("!location.pathname.startsWith('/accounts/login/')")


def test_broker_copies_the_link_and_the_laborer_reads_the_job_on_a_phone(live_server: Any, page: Any) -> None:
    load_sample_regions()
    broker = UserFactory(username="jjr", home_region_id="433122107201", roles=["broker"], phone="13907430001")
    officer = UserFactory(username="xian", home_region_id="433122000000", roles=["officer"])
    laborer = make_laborer("433122107201", name="李四光", phone="13812340002")
    enterprise = EnterpriseFactory(name="泸溪白沙制衣有限公司", region_id="433122107000", contact_phone="07434260000")
    JobPostingFactory(enterprise=enterprise, title="缝纫普工", occupation="普工", provides_meals=True)
    recommendations_for_laborer(acting_user=officer, laborer=laborer)
    base = live_server.url

    # The broker shows the link from the laborer's page and copies it
    login(page, base, broker.username)
    page.goto(f"{base}/registry/laborers/{laborer.pk}/")
    page.click("text=个人链接（发微信）")
    page.wait_for_url(f"{base}/matching/laborers/{laborer.pk}/personal-link/")
    link = page.input_value("#personal-link")
    assert "/matching/r/" in link
    page.click("text=复制链接")
    page.wait_for_selector("button[data-copy-from]:has-text('已复制')")
    assert AuditEntry.objects.filter(reason=REVEAL_REASON, actor=broker, object_id=str(laborer.pk)).count() == 1

    # The laborer opens it on a phone
    phone = page.context.browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(link if link.startswith("http") else base + link)
    text = phone.inner_text("main")
    assert "缝纫普工" in text
    assert "湖南省 湘西土家族苗族自治州 泸溪县 武溪镇" in text
    assert "包吃" in text
    for word in ("相似度", "留岗率", "已通知", "得分"):
        assert word not in text
    assert phone.locator("a[href='tel:13907430001']").count() == 1  # the village broker
    assert phone.locator("a[href='tel:07434260000']").count() == 1  # the employer
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    phone.close()
