"""The laborer's personal page speaks to the laborer (issue 13 item 11), staff can show and copy a laborer's
personal link, audited (item 9), and a province admin sets the send limits on a page (item 8)."""

from typing import Any

import pytest
from django.test import Client

from laborcoop.core.models import AuditEntry
from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation
from laborcoop.matching.services import recommendation_respond_by_link, recommendations_for_laborer
from laborcoop.matching.services.personal_link import REVEAL_REASON
from laborcoop.matching.tokens import laborer_id_from_token, personal_link_token
from laborcoop.notifications.models import SendLimits
from tests.matching.test_recommendations_setup import Market, build_market, page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(users: dict[str, Any]) -> Market:
    return build_market(users)


def _page(laborer_id: int) -> str:
    response = Client().get(f"/matching/r/{personal_link_token(laborer_id=laborer_id)}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_is_written_for_the_laborer(users: dict[str, Any], market: Market) -> None:
    broker = users["broker"]  # 黑塘村's broker
    broker.phone = "13907430001"
    broker.save(update_fields=["phone"])
    laborer = market.luxi[2]  # lives in 黑塘村
    recommendations_for_laborer(acting_user=users["county_officer"], laborer=laborer)
    assert Recommendation.objects.filter(laborer=laborer, state=RecState.NOTIFIED).exists()

    text = _page(laborer.pk)

    # No staff or engine words
    for word in ("相似度", "留岗率", "已通知", "推荐理由", "得分", "您的意向"):
        assert word not in text, word
    # The place in full, pay, board and lodging, requirements
    assert "湖南省 湘西土家族苗族自治州 泸溪县 武溪镇" in text
    assert "每月" in text
    assert "包吃" in text or "不包吃" in text
    assert "年龄 16–60 岁" in text
    # Whom to call: the village broker and the employer
    assert 'href="tel:13907430001"' in text
    assert "村劳务经纪人" in text
    assert 'href="tel:13900001111"' in text
    assert 'href="tel:12333"' in text


def test_an_answer_is_said_in_the_laborers_words(users: dict[str, Any], market: Market) -> None:
    laborer = market.luxi[0]
    recommendations_for_laborer(acting_user=users["county_officer"], laborer=laborer)
    rec = Recommendation.objects.filter(laborer=laborer).order_by("pk").first()
    assert rec is not None
    recommendation_respond_by_link(
        laborer_id=laborer.pk, recommendation_id=rec.pk, to_state=RecState.DECLINED, reason="离家太远"
    )
    text = _page(laborer.pk)
    assert "您已表示没有意向（离家太远）。" in text
    assert "无意向" not in text


# --- the personal link for staff -------------------------------------------------------------------------------


def test_staff_see_and_copy_the_personal_link_audited(users: dict[str, Any], market: Market) -> None:
    laborer = market.luxi[2]
    client = page_client(users["broker"])
    # The laborer's page offers the action
    detail = client.get(f"/registry/laborers/{laborer.pk}/").content.decode()
    assert f"/matching/laborers/{laborer.pk}/personal-link/" in detail

    response = client.post(f"/matching/laborers/{laborer.pk}/personal-link/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "复制链接" in text
    assert "data-copy-from" in text
    token = text.split("/matching/r/", 1)[1].split("/", 1)[0]
    assert laborer_id_from_token(token) == laborer.pk
    entry = AuditEntry.objects.get(object_type="registry.laborer", object_id=str(laborer.pk), reason=REVEAL_REASON)
    assert (entry.actor, entry.action) == (users["broker"], AuditEntry.Action.PERSONAL_LINK)
    assert token not in str(entry.changes)
    assert response["Referrer-Policy"] == "no-referrer"


def test_showing_the_link_is_a_post_in_scope_for_editors(users: dict[str, Any], market: Market) -> None:
    laborer = market.luxi[0]
    url = f"/matching/laborers/{laborer.pk}/personal-link/"
    assert page_client(users["county_officer"]).get(url).status_code == 405
    assert page_client(users["other_county_officer"]).post(url).status_code == 404
    assert page_client(users["viewer"]).post(url).status_code == 403
    assert page_client(None).post(url).status_code == 302
    assert not AuditEntry.objects.filter(reason=REVEAL_REASON).exists()


# --- the province's limits page -----------------------------------------------------------------------------


def test_the_province_admin_sets_the_limits_on_a_page(users: dict[str, Any]) -> None:
    client = page_client(users["province_admin"])
    page = client.get("/notifications/limits/")
    assert page.status_code == 200
    assert "每位劳动者每周最多通知岗位数" in page.content.decode()

    bad = client.post(
        "/notifications/limits/", {"version": 0, "laborer_jobs_per_week": "30", "candidates_per_opening": "2"}
    )
    assert bad.status_code == 400
    assert "请输入0到20之间的整数。" in bad.content.decode()
    assert not SendLimits.objects.exists()

    ok = client.post(
        "/notifications/limits/", {"version": 0, "laborer_jobs_per_week": "2", "candidates_per_opening": "3"}
    )
    assert ok.status_code == 302
    row = SendLimits.objects.get(province_id="430000000000")
    assert row.values == {"laborer_jobs_per_week": 2, "candidates_per_opening": 3}
    assert AuditEntry.objects.filter(object_type="notifications.sendlimits").count() == 1


def test_only_province_admins_open_the_limits_page(users: dict[str, Any]) -> None:
    assert page_client(users["county_officer"]).get("/notifications/limits/").status_code == 403
    assert page_client(users["prefecture_admin"]).get("/notifications/limits/").status_code == 403
