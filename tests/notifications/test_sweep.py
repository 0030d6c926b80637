"""The periodic sweep (`send_notifications`): it sends what is due and nothing else."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from laborcoop.notifications.choices import Channel, Status
from laborcoop.notifications.dispatch import notification_dispatch, notifications_dispatch_due
from laborcoop.notifications.models import Notification
from tests.notifications.conftest import Gateway, enqueue

pytestmark = pytest.mark.django_db


def set_row(row: Notification, **fields: Any) -> None:
    Notification.objects.filter(pk=row.pk).update(**fields)


def test_sweep_picks_due_rows_only(people: Any, gateway: Gateway) -> None:
    now = timezone.now()
    due_pending = enqueue("due:pending")
    due_failed = enqueue("due:failed")
    set_row(due_failed, status=Status.FAILED, attempts=1, next_attempt_at=now - timedelta(seconds=5))
    later_failed = enqueue("later:failed")
    set_row(later_failed, status=Status.FAILED, attempts=1, next_attempt_at=now + timedelta(minutes=5))
    stale_sending = enqueue("stale:sending")  # a worker died mid-send; its lease ran out
    set_row(stale_sending, status=Status.SENDING, attempts=1, next_attempt_at=now - timedelta(seconds=1))
    live_sending = enqueue("live:sending")
    set_row(live_sending, status=Status.SENDING, attempts=1, next_attempt_at=now + timedelta(minutes=4))
    already_sent = enqueue("sent")
    notification_dispatch(notification_id=already_sent.pk)
    dead = enqueue("dead")
    set_row(dead, status=Status.DEAD, attempts=5, next_attempt_at=None)
    gateway.requests.clear()

    outcome = notifications_dispatch_due()

    assert outcome == {Status.SENT: 3}
    sent_to = sorted(r["body"]["request_id"] for r in gateway.requests)
    assert sent_to == sorted(f"laborcoop-{r.pk}" for r in (due_pending, due_failed, stale_sending))
    statuses = dict(Notification.objects.values_list("dedupe_key", "status"))
    assert statuses == {
        "due:pending": Status.SENT,
        "due:failed": Status.SENT,
        "later:failed": Status.FAILED,
        "stale:sending": Status.SENT,
        "live:sending": Status.SENDING,
        "sent": Status.SENT,
        "dead": Status.DEAD,
    }
    assert notifications_dispatch_due() == {}


def test_held_rows_go_out_once_a_gateway_is_configured(people: Any, settings: Any, gateway: Gateway) -> None:
    url = settings.NOTIFICATIONS["SMS_GATEWAY_URL"]
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "SMS_GATEWAY_URL": ""}
    row = enqueue("held:1")
    assert notifications_dispatch_due() == {Status.NO_GATEWAY: 1}
    assert notifications_dispatch_due() == {}  # held rows are not churned while there is no gateway

    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "SMS_GATEWAY_URL": url}
    assert notifications_dispatch_due() == {Status.SENT: 1}
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 1)
    assert len(gateway.requests) == 1


def test_sweep_respects_the_limit(people: Any, gateway: Gateway) -> None:
    for n in range(3):
        enqueue(f"lim:{n}")
    assert notifications_dispatch_due(limit=2) == {Status.SENT: 2}
    assert Notification.objects.filter(status=Status.PENDING).count() == 1


def test_command(people: Any, gateway: Gateway) -> None:
    enqueue("cmd:1")
    enqueue("cmd:2", channel=Channel.EMAIL, address="a@example.com")
    out = StringIO()
    call_command("send_notifications", stdout=out)
    assert out.getvalue().strip() == "处理 2 条：已发送 2"
    out = StringIO()
    call_command("send_notifications", stdout=out)
    assert out.getvalue().strip() == "处理 0 条：无到期消息"
