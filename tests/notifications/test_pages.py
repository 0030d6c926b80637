"""The inbox (own messages only) and the outbox status page (admins, scoped by region), as permission
matrices: anonymous, wrong role, admin of another region, admin of the region. Denied requests change nothing
and leak nothing; phone numbers are shown masked only."""

from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.notifications.choices import Channel, Status
from laborcoop.notifications.dispatch import notification_dispatch
from laborcoop.notifications.models import Notification
from tests.notifications.conftest import FENGHUANG_VILLAGE, PHONE, Gateway, enqueue

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def notification_audits() -> Any:
    return AuditEntry.objects.filter(object_type="notifications.notification")


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def in_app(key: str, user: Any, **kw: Any) -> Notification:
    context = {"job_title": f"岗位{key}", "candidate": "李**"}
    return enqueue(
        key,
        channel=Channel.IN_APP,
        address="",
        recipient_user=user,
        template="candidate_interested",
        context=context,
        **kw,
    )


# --- inbox ----------------------------------------------------------------------------------------------------


def test_inbox_anonymous_is_sent_to_login(db: Any) -> None:
    response = Client().get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_inbox_shows_only_own_messages(people: Any, no_gateway: None) -> None:
    in_app("mine:1", people["alice"])
    in_app("mine:2", people["alice"])
    in_app("bobs:1", people["bob"])
    enqueue("sms:alice", recipient_user=people["alice"], address="")  # SMS to her phone is not an inbox message

    response = client_for(people["alice"]).get(reverse("notifications:inbox"))
    assert response.status_code == 200
    rows = response.context["page"].rows
    assert [r.dedupe_key for r in rows] == ["mine:2", "mine:1"]
    assert response.context["unread_count"] == 2
    html = response.content.decode()
    assert "岗位mine:1" in html
    assert "岗位bobs:1" not in html
    assert "推荐了" not in html


def test_mark_read_with_htmx(people: Any) -> None:
    row = in_app("mine:1", people["alice"])
    in_app("mine:2", people["alice"])
    response = client_for(people["alice"]).post(reverse("notifications:mark_read", args=[row.pk]), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{row.pk}"' in html
    assert '<strong id="unread-count" hx-swap-oob="true">1</strong>' in html
    row.refresh_from_db()
    assert row.status == Status.READ
    assert row.read_at is not None


def test_cannot_mark_someone_elses_message(people: Any) -> None:
    row = in_app("bobs:1", people["bob"])
    response = client_for(people["alice"]).post(reverse("notifications:mark_read", args=[row.pk]))
    assert response.status_code == 404
    row.refresh_from_db()
    assert (row.status, row.read_at) == (Status.SENT, None)


def test_mark_all_read_touches_own_messages_only(people: Any) -> None:
    in_app("mine:1", people["alice"])
    in_app("mine:2", people["alice"])
    bobs = in_app("bobs:1", people["bob"])
    response = client_for(people["alice"]).post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert set(Notification.objects.filter(recipient_user=people["alice"]).values_list("status", flat=True)) == {
        Status.READ
    }
    bobs.refresh_from_db()
    assert bobs.status == Status.SENT


def test_nav_link_tag(people: Any) -> None:
    in_app("mine:1", people["alice"])
    request = RequestFactory().get("/")
    request.user = people["alice"]
    html = Template("{% load notifications_tags %}{% notifications_nav_link %}").render(Context({"request": request}))
    assert 'href="/notifications/"' in html
    assert '<span class="badge err" title="未读消息">1</span>' in html
    request.user = people["bob"]
    html = Template("{% load notifications_tags %}{% notifications_nav_link %}").render(Context({"request": request}))
    assert "消息" in html
    assert "badge" not in html


# --- outbox ---------------------------------------------------------------------------------------------------


@pytest.fixture
def outbox_rows(people: Any, no_gateway: None) -> dict[str, Notification]:
    luxi = enqueue("luxi:sms")
    notification_dispatch(notification_id=luxi.pk)  # held: no gateway
    fenghuang = enqueue("fenghuang:sms", region_code=FENGHUANG_VILLAGE, address="13912345678")
    Notification.objects.filter(pk=fenghuang.pk).update(status=Status.DEAD, attempts=5, last_error="短信网关超时")
    enqueue("luxi:mail", channel=Channel.EMAIL, address="zhangsan@example.com")
    return {r.dedupe_key: r for r in Notification.objects.all()}


def test_outbox_anonymous_is_sent_to_login(outbox_rows: Any) -> None:
    response = Client().get(reverse("notifications:outbox"))
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["luxi_officer", "alice"])
def test_outbox_wrong_role_is_forbidden(people: Any, outbox_rows: Any, who: str) -> None:
    client = client_for(people[who])
    assert client.get(reverse("notifications:outbox")).status_code == 403
    row = outbox_rows["luxi:sms"]
    assert client.post(reverse("notifications:retry", args=[row.pk])).status_code == 403
    row.refresh_from_db()
    assert row.status == Status.NO_GATEWAY
    assert notification_audits().count() == 0


def test_outbox_admin_of_another_region_sees_only_their_rows(people: Any, outbox_rows: Any) -> None:
    client = client_for(people["fenghuang_admin"])
    response = client.get(reverse("notifications:outbox"))
    assert response.status_code == 200
    assert [r.dedupe_key for r in response.context["page"].rows] == ["fenghuang:sms"]
    html = response.content.decode()
    assert "138****5678" not in html
    assert "139****5678" in html

    luxi = outbox_rows["luxi:sms"]
    assert client.post(reverse("notifications:retry", args=[luxi.pk])).status_code == 404
    luxi.refresh_from_db()
    assert (luxi.status, luxi.last_error) == (Status.NO_GATEWAY, "未配置短信网关")
    assert notification_audits().count() == 0


def test_outbox_admin_of_the_region(people: Any, outbox_rows: Any) -> None:
    client = client_for(people["luxi_admin"])
    response = client.get(reverse("notifications:outbox"))
    assert response.status_code == 200
    assert [r.dedupe_key for r in response.context["page"].rows] == ["luxi:mail", "luxi:sms"]
    html = response.content.decode()
    assert "138****5678" in html
    assert "zh***@example.com" in html
    assert PHONE not in html
    assert "zhangsan@example.com" not in html
    assert "未配置短信网关" in html
    cards = {status: n for status, _label, n in response.context["status_cards"]}
    assert (cards[Status.NO_GATEWAY], cards[Status.PENDING], cards[Status.DEAD]) == (1, 1, 0)


def test_outbox_filters(people: Any, outbox_rows: Any) -> None:
    client = client_for(people["luxi_admin"])
    response = client.get(reverse("notifications:outbox"), {"channel": "email"})
    assert [r.dedupe_key for r in response.context["page"].rows] == ["luxi:mail"]
    response = client.get(reverse("notifications:outbox"), {"status": "no_gateway"})
    assert [r.dedupe_key for r in response.context["page"].rows] == ["luxi:sms"]
    response = client.get(reverse("notifications:outbox"), {"status": "bogus"})
    assert response.status_code == 200
    assert len(response.context["page"].rows) == 2


def test_outbox_prefecture_admin_sees_the_subtree(users: Any, outbox_rows: Any) -> None:
    response = client_for(users["prefecture_admin"]).get(reverse("notifications:outbox"))
    assert {r.dedupe_key for r in response.context["page"].rows} == {"luxi:sms", "luxi:mail", "fenghuang:sms"}


def test_retry_a_dead_row(
    users: Any, outbox_rows: Any, gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    row = outbox_rows["fenghuang:sms"]
    admin = users["prefecture_admin"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(reverse("notifications:retry", args=[row.pk]), **HTMX)
    assert response.status_code == 200
    assert f'id="outbox-{row.pk}"' in response.content.decode()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 1, "")
    assert [r["body"]["to"] for r in gateway.requests] == ["13912345678"]
    entry = notification_audits().get()
    assert (entry.actor, entry.object_id, entry.region_code, entry.reason) == (
        admin,
        str(row.pk),
        FENGHUANG_VILLAGE,
        "管理员重新发送",
    )
    assert entry.changes["status"] == ["dead", "pending"]
    assert entry.changes["attempts"] == [5, 0]


def test_retry_of_a_pending_row_is_refused(people: Any, outbox_rows: Any) -> None:
    row = outbox_rows["luxi:mail"]
    client = client_for(people["luxi_admin"])
    response = client.post(reverse("notifications:retry", args=[row.pk]), follow=True)
    assert response.status_code == 200
    assert "只有发送失败、已放弃或未配置网关的消息可以重新发送。" in response.content.decode()
    row.refresh_from_db()
    assert row.status == Status.PENDING
    assert notification_audits().count() == 0


def test_outbox_query_count_does_not_grow_with_rows(people: Any, no_gateway: None) -> None:
    client = client_for(people["luxi_admin"])
    counts = []
    for batch in range(2):
        for n in range(5):
            enqueue(f"q:{batch}:{n}")
            in_app(f"qa:{batch}:{n}", people["bob"])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("notifications:outbox")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
