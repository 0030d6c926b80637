"""The interview step (issue 13 item 2): the enterprise arranges it (time, on site or online, place, note) on
its own candidates once they showed interest; staff, the laborer's personal page and the enterprise see it."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation, RecommendationEvent
from laborcoop.matching.services import recommendations_for_job
from laborcoop.matching.services.transitions import (
    ERR_INTERVIEW_MODE,
    ERR_INTERVIEW_PAST,
    ERR_INTERVIEW_PLACE,
)
from laborcoop.matching.tokens import personal_link_token
from laborcoop.notifications.models import Notification
from tests.factories import EnterpriseFactory, UserFactory
from tests.matching.test_recommendations_setup import Market, api_client, build_market, page_client

pytestmark = pytest.mark.django_db

PLACE = "济南市历下区经十路 100 号 3 楼人事部"


@pytest.fixture
def market(users: dict[str, Any]) -> Market:
    build = build_market(users)
    recommendations_for_job(acting_user=users["province_admin"], job=build.luxi_job)
    recommendations_for_job(acting_user=users["enterprise"], job=build.jinan_job)
    return build


def interested(market: Market) -> Recommendation:
    rec = Recommendation.objects.get(job=market.jinan_job, laborer=market.luxi[0])
    Recommendation.objects.filter(pk=rec.pk).update(state=RecState.INTERESTED)
    return Recommendation.objects.get(pk=rec.pk)


def when(days: int = 2) -> str:
    return (timezone.localtime() + timedelta(days=days)).replace(hour=9, minute=30).strftime("%Y-%m-%dT%H:%M")


def arrange(user: Any, rec: Recommendation, **fields: str) -> Any:
    data = {"version": rec.version, "interview_at": when(), "interview_mode": "onsite", "interview_place": PLACE}
    data.update(fields)
    return page_client(user).post(f"/matching/recommendations/{rec.pk}/", data)


def test_enterprise_arranges_the_interview_and_everyone_sees_it(users: dict[str, Any], market: Market) -> None:
    rec = interested(market)

    page = page_client(users["enterprise"]).get(f"/matching/recommendations/{rec.pk}/").content.decode()
    response = arrange(users["enterprise"], rec, interview_note="请携带身份证")

    assert "安排面试" in page
    assert "张三丰" in page
    assert response.status_code == 302
    saved = Recommendation.objects.get(pk=rec.pk)
    assert (saved.state, saved.interview_mode, saved.interview_place, saved.interview_note) == (
        RecState.INTERVIEW,
        "onsite",
        PLACE,
        "请携带身份证",
    )
    assert timezone.localtime(saved.interview_at).strftime("%Y-%m-%dT%H:%M") == when()
    event = RecommendationEvent.objects.filter(recommendation=rec).latest("id")
    assert (event.via, event.to_state) == ("enterprise", RecState.INTERVIEW)
    sms = Notification.objects.get(template="interview_arranged")
    assert PLACE in sms.body
    assert "请携带身份证" in sms.body
    assert "电子厂操作工" in sms.body
    # the enterprise's pipeline, the staff's pipeline of the laborer, the laborer's own page
    pipeline = page_client(users["enterprise"]).get(f"/matching/jobs/{market.jinan_job.pk}/").content.decode()
    staff = page_client(users["county_officer"]).get(f"/matching/laborers/{market.luxi[0].pk}/").content.decode()
    token = personal_link_token(laborer_id=market.luxi[0].pk)
    personal = page_client(None).get(f"/matching/r/{token}/").content.decode()
    for text in (pipeline, staff, personal):
        assert PLACE in text
    assert "请携带身份证" in personal
    assert "面试安排" in personal
    assert "我有意向" not in personal.split("面试安排")[1].split("</div>")[0]


def test_online_interview_needs_no_address_and_can_be_moved(users: dict[str, Any], market: Market) -> None:
    rec = interested(market)
    first = arrange(users["enterprise"], rec, interview_mode="online", interview_place="")
    rec.refresh_from_db()
    moved = arrange(users["enterprise"], rec, interview_at=when(3), interview_mode="online", interview_place="微信视频")

    assert (first.status_code, moved.status_code) == (302, 302)
    rec.refresh_from_db()
    assert (rec.state, rec.interview_mode, rec.interview_place) == (RecState.INTERVIEW, "online", "微信视频")
    assert timezone.localtime(rec.interview_at).strftime("%Y-%m-%dT%H:%M") == when(3)
    assert Notification.objects.filter(template="interview_arranged").count() == 2  # told again when moved
    assert "线上面试（微信视频）" in Notification.objects.filter(template="interview_arranged").latest("id").body


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"interview_place": ""}, ERR_INTERVIEW_PLACE),
        ({"interview_mode": ""}, ERR_INTERVIEW_MODE),
        ({"interview_at": ""}, "请填写面试时间。"),
        ({"interview_at": "2020-01-01T09:00"}, ERR_INTERVIEW_PAST),
        ({"interview_at": "明天上午"}, "请填写正确的面试时间，如 2026-12-10 09:30"),
    ],
)
def test_bad_interview_input_gets_a_chinese_message_and_saves_nothing(
    users: dict[str, Any], market: Market, fields: dict[str, str], message: str
) -> None:
    rec = interested(market)

    response = arrange(users["enterprise"], rec, **fields)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Recommendation.objects.get(pk=rec.pk).state == RecState.INTERESTED
    assert not Notification.objects.filter(template="interview_arranged").exists()


def test_no_interview_before_interest(users: dict[str, Any], market: Market) -> None:
    rec = Recommendation.objects.get(job=market.jinan_job, laborer=market.luxi[0])  # 已通知

    page = page_client(users["enterprise"]).get(f"/matching/recommendations/{rec.pk}/").content.decode()
    response = arrange(users["enterprise"], rec)

    assert 'id="interview-form"' not in page
    assert "张**" in page
    assert "张三丰" not in page
    assert response.status_code == 400
    assert "求职者表示有意向后才能安排" in response.content.decode()
    assert Recommendation.objects.get(pk=rec.pk).state == rec.state


@pytest.mark.parametrize(("who", "status"), [(None, 302), ("other_enterprise", 404), ("hotline", 403)])
def test_who_may_not_arrange(users: dict[str, Any], market: Market, who: str | None, status: int) -> None:
    rec = interested(market)
    if who == "other_enterprise":
        user: Any = UserFactory(roles=["enterprise"], enterprise=EnterpriseFactory(region_id="370102000000"))
    else:
        user = users[who] if who else None

    response = arrange(user, rec)

    assert response.status_code == status
    assert Recommendation.objects.get(pk=rec.pk).state == RecState.INTERESTED


def test_staff_arrange_by_api_with_the_details(users: dict[str, Any], market: Market) -> None:
    rec = Recommendation.objects.get(job=market.luxi_job, laborer=market.luxi[0])
    Recommendation.objects.filter(pk=rec.pk).update(state=RecState.INTERESTED)
    url = f"/api/v1/recommendations/{rec.pk}/transition/"
    client = api_client(users["county_officer"])

    missing = client.post(url, {"state": "interview", "version": rec.version}, format="json")
    done = client.post(
        url,
        {
            "state": "interview",
            "version": rec.version,
            "interview_at": (timezone.now() + timedelta(days=1)).isoformat(),
            "interview_mode": "onsite",
            "interview_place": "泸溪县武溪镇白沙工业园",
        },
        format="json",
    )

    assert missing.status_code == 400
    assert missing.json()["interview_at"] == ["请填写面试时间。"]
    assert done.status_code == 200
    assert done.json()["interview_place"] == "泸溪县武溪镇白沙工业园"
    assert done.json()["state"] == "interview"
