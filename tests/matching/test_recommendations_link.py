"""The laborer's personal link: signed, expiring, bound to one person; the phone page and its answers."""

import time
from typing import Any

import pytest
from django.core import signing
from django.test import Client

from laborcoop.matching.choices import RecState, RecVia
from laborcoop.matching.models import Recommendation, RecommendationEvent
from laborcoop.matching.services import recommendations_for_job
from laborcoop.matching.tokens import (
    LINK_EXPIRED,
    LINK_INVALID,
    LINK_SALT,
    LinkExpired,
    laborer_id_from_token,
    personal_link_token,
)
from laborcoop.notifications.links import sending_context
from laborcoop.notifications.models import Notification
from tests.matching.test_recommendations_setup import Market, build_market, page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(users: dict[str, Any]) -> Market:
    build = build_market(users)
    recommendations_for_job(acting_user=users["county_officer"], job=build.luxi_job)
    recommendations_for_job(acting_user=users["enterprise"], job=build.jinan_job)
    return build


def old_token(laborer_id: int, *, days_ago: int) -> str:
    """A correctly signed token whose timestamp lies `days_ago` days in the past."""
    signer = signing.TimestampSigner(salt=LINK_SALT)
    stamp = signing.b62_encode(int(time.time()) - days_ago * 86400)
    return signing.Signer.sign(signer, f"{laborer_id}{signer.sep}{stamp}")


def link(laborer_id: int) -> str:
    return f"/matching/r/{personal_link_token(laborer_id=laborer_id)}/"


def test_token_round_trip() -> None:
    assert laborer_id_from_token(personal_link_token(laborer_id=42)) == 42


def test_token_is_valid_for_fourteen_days() -> None:
    assert laborer_id_from_token(old_token(7, days_ago=13)) == 7
    with pytest.raises(LinkExpired):
        laborer_id_from_token(old_token(7, days_ago=15))


def test_sent_message_carries_a_working_link(market: Market) -> None:
    laborer = market.luxi[0]
    message = Notification.objects.filter(template="job_recommended", region_id=laborer.region_id).first()
    assert message is not None
    assert "/r/" not in message.body  # the outbox keeps a reference; the link is signed when sent
    path = sending_context(message.context)["link"]

    assert laborer_id_from_token(path.rsplit("/", 2)[-2]) in {lab.pk for lab in market.luxi}


def test_page_lists_the_laborers_own_jobs(market: Market) -> None:
    laborer = market.luxi[0]

    response = page_client(None).get(link(laborer.pk))

    assert response.status_code == 200
    text = response.content.decode()
    assert "缝纫普工" in text
    assert "电子厂操作工" in text
    assert "我有意向" in text
    assert laborer.name not in text  # no identity on an unauthenticated page
    assert response["Referrer-Policy"] == "strict-origin"  # the token never in a Referer; form posts keep Origin
    assert "no-store" in response["Cache-Control"]


def test_expired_link_is_410_in_chinese(market: Market) -> None:
    response = page_client(None).get(f"/matching/r/{old_token(market.luxi[0].pk, days_ago=15)}/")

    assert response.status_code == 410
    assert LINK_EXPIRED in response.content.decode()


TAMPERED = {
    "garbage": lambda: "abc",
    "bad-signature": lambda: "1:1a2b3c:bad-signature",
    # signed at run time, not at collection: xdist workers must collect identical test ids
    "other-salt": lambda: signing.TimestampSigner(salt="another.salt").sign("1"),
}


@pytest.mark.parametrize("kind", sorted(TAMPERED))
def test_tampered_link_is_403_in_chinese(market: Market, kind: str) -> None:
    token = TAMPERED[kind]()
    response = page_client(None).get(f"/matching/r/{token}/")

    assert response.status_code == 403
    assert LINK_INVALID in response.content.decode()


def test_changed_laborer_id_breaks_the_signature(market: Market) -> None:
    a, b = market.luxi[0], market.luxi[1]
    token = personal_link_token(laborer_id=a.pk)
    forged = token.replace(f"{a.pk}:", f"{b.pk}:", 1)

    response = page_client(None).get(f"/matching/r/{forged}/")

    assert response.status_code == 403


def test_interest_through_the_link(users: dict[str, Any], market: Market) -> None:
    laborer = market.luxi[0]
    rec = Recommendation.objects.get(laborer=laborer, job=market.jinan_job)

    response = page_client(None).post(f"{link(laborer.pk)}{rec.pk}/", {"state": "interested"})

    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.state == RecState.INTERESTED
    event = RecommendationEvent.objects.filter(recommendation=rec).latest("id")
    assert (event.via, event.actor) == (RecVia.LINK, None)
    assert Notification.objects.filter(template="candidate_interested", recipient_user=users["enterprise"]).count() == 1


def test_decline_through_the_link_needs_a_reason(market: Market) -> None:
    laborer = market.luxi[0]
    rec = Recommendation.objects.get(laborer=laborer, job=market.luxi_job)
    client = page_client(None)

    client.post(f"{link(laborer.pk)}{rec.pk}/", {"state": "declined", "reason": ""})
    rec.refresh_from_db()
    assert rec.state == RecState.NOTIFIED

    response = client.post(f"{link(laborer.pk)}{rec.pk}/", {"state": "declined", "reason": "工资太低"}, follow=True)
    rec.refresh_from_db()
    assert (rec.state, rec.decline_reason) == (RecState.DECLINED, "工资太低")
    assert "已记录：您对该岗位无意向。" in response.content.decode()


def test_a_link_cannot_act_for_another_person(market: Market) -> None:
    a, b = market.luxi[0], market.luxi[1]
    b_rec = Recommendation.objects.get(laborer=b, job=market.luxi_job)

    response = page_client(None).post(f"{link(a.pk)}{b_rec.pk}/", {"state": "interested"})

    assert response.status_code == 404
    b_rec.refresh_from_db()
    assert b_rec.state == RecState.NOTIFIED
    assert RecommendationEvent.objects.filter(recommendation=b_rec, to_state=RecState.INTERESTED).count() == 0


def test_an_expired_link_cannot_act(market: Market) -> None:
    laborer = market.luxi[0]
    rec = Recommendation.objects.get(laborer=laborer, job=market.luxi_job)
    token = old_token(laborer.pk, days_ago=15)

    response = page_client(None).post(f"/matching/r/{token}/{rec.pk}/", {"state": "interested"})

    assert response.status_code == 410
    rec.refresh_from_db()
    assert rec.state == RecState.NOTIFIED


def test_link_post_needs_csrf(market: Market) -> None:
    laborer = market.luxi[0]
    rec = Recommendation.objects.get(laborer=laborer, job=market.luxi_job)

    response = Client(enforce_csrf_checks=True).post(f"{link(laborer.pk)}{rec.pk}/", {"state": "interested"})

    assert response.status_code == 403
    rec.refresh_from_db()
    assert rec.state == RecState.NOTIFIED
