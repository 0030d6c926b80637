"""Dispatch through the channels against a real local HTTP gateway and Django's locmem mail backend."""

import logging
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from laborcoop.notifications.choices import Channel, Status
from laborcoop.notifications.dispatch import notification_dispatch
from laborcoop.notifications.models import Notification
from tests.notifications.conftest import PHONE, Gateway, enqueue

pytestmark = pytest.mark.django_db


def make_due(row: Notification) -> None:
    """Time passes: the row's next attempt has come."""
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def dispatch(row: Notification) -> Notification:
    result = notification_dispatch(notification_id=row.pk)
    assert result is not None
    return result


def assert_next_attempt_in(row: Notification, seconds: int) -> None:
    assert row.next_attempt_at is not None
    delta = (row.next_attempt_at - timezone.now()).total_seconds()
    assert seconds - 5 < delta <= seconds


def test_sms_success(people: Any, gateway: Gateway) -> None:
    row = dispatch(enqueue("rec:1:notified"))

    assert (row.status, row.attempts, row.last_error, row.external_id) == (Status.SENT, 1, "", "gw-1")
    assert row.sent_at is not None
    assert row.next_attempt_at is None
    [request] = gateway.requests
    assert request["authorization"] == "Bearer gw-token"
    assert request["body"] == {
        "request_id": f"laborcoop-{row.pk}",
        "to": PHONE,
        "template": "job_recommended",
        "content": row.body,
    }


def test_a_sent_row_is_never_sent_again(people: Any, gateway: Gateway) -> None:
    row = dispatch(enqueue("rec:1:notified"))
    make_due(row)
    again = dispatch(row)
    assert (again.status, again.attempts) == (Status.SENT, 1)
    assert len(gateway.requests) == 1


def test_http_500_is_retried_with_backoff(people: Any, gateway: Gateway) -> None:
    gateway.script = [500, 500]
    row = dispatch(enqueue("rec:1:notified"))
    assert (row.status, row.attempts, row.last_error) == (Status.FAILED, 1, "短信网关返回 HTTP 500")
    assert_next_attempt_in(row, 60)

    not_yet = dispatch(row)  # before the backoff has passed: nothing happens
    assert (not_yet.status, not_yet.attempts) == (Status.FAILED, 1)
    assert len(gateway.requests) == 1

    make_due(row)
    row = dispatch(row)
    assert (row.status, row.attempts) == (Status.FAILED, 2)
    assert_next_attempt_in(row, 300)

    make_due(row)
    row = dispatch(row)
    assert (row.status, row.attempts, row.last_error, row.external_id) == (Status.SENT, 3, "", "gw-3")
    assert len(gateway.requests) == 3


def test_timeout_is_retried(people: Any, gateway: Gateway) -> None:
    gateway.script = ["slow"]
    row = dispatch(enqueue("rec:1:notified"))
    assert (row.status, row.attempts, row.last_error) == (Status.FAILED, 1, "短信网关超时")
    assert_next_attempt_in(row, 60)
    make_due(row)
    assert dispatch(row).status == Status.SENT


def test_dead_after_max_attempts(people: Any, gateway: Gateway) -> None:
    gateway.script = [500] * 5
    row = enqueue("rec:1:notified")
    waits = []
    for _ in range(5):
        make_due(row)
        row = dispatch(row)
        if row.next_attempt_at is not None:
            waits.append(round((row.next_attempt_at - timezone.now()).total_seconds() / 60))
    assert (row.status, row.attempts, row.next_attempt_at) == (Status.DEAD, 5, None)
    assert waits == [1, 5, 30, 120]
    make_due(row)
    assert dispatch(row).status == Status.DEAD
    assert len(gateway.requests) == 5


def test_client_error_gives_up_at_once(people: Any, gateway: Gateway) -> None:
    gateway.script = [400]
    row = dispatch(enqueue("rec:1:notified"))
    assert (row.status, row.attempts, row.last_error) == (Status.DEAD, 1, "短信网关返回 HTTP 400")


def test_unreachable_gateway_is_retried(people: Any, settings: Any) -> None:
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "SMS_GATEWAY_URL": "http://127.0.0.1:9/nothing"}
    row = dispatch(enqueue("rec:1:notified"))
    assert row.status == Status.FAILED
    assert row.last_error.startswith("无法连接短信网关")


def test_without_gateway_the_row_stays_in_the_outbox(people: Any, no_gateway: None) -> None:
    row = dispatch(enqueue("rec:1:notified"))
    assert (row.status, row.attempts, row.last_error) == (Status.NO_GATEWAY, 0, "未配置短信网关")
    assert row.get_status_display() == "未配置短信网关"


def test_email_through_the_mail_backend(people: Any) -> None:
    row = dispatch(enqueue("mail:1", channel=Channel.EMAIL, address="zhangsan@example.com"))
    assert (row.status, row.attempts) == (Status.SENT, 1)
    [message] = mail.outbox
    assert message.to == ["zhangsan@example.com"]
    assert message.subject == "为您推荐了3个新岗位"
    assert message.body == row.body
    assert message.from_email == "noreply@laborcoop.local"


def test_missing_row_is_none(db: Any) -> None:
    assert notification_dispatch(notification_id=999999) is None


def test_no_phone_number_in_logs(people: Any, gateway: Gateway, caplog: pytest.LogCaptureFixture) -> None:
    gateway.script = [500, "slow"]
    caplog.set_level(logging.DEBUG)
    row = enqueue("rec:1:notified")
    for _ in range(3):
        make_due(row)
        row = dispatch(row)
    assert row.status == Status.SENT
    assert caplog.records, "the dispatcher logs its attempts"
    logged = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    assert PHONE not in logged
    assert PHONE not in row.last_error
