"""Enqueueing: one row per logical message, personal data encrypted and masked, sending after the commit."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from laborcoop.core.crypto import decrypt
from laborcoop.notifications.choices import Channel, Status
from laborcoop.notifications.models import Notification
from tests.notifications.conftest import PHONE, Gateway, enqueue, recommended_context

pytestmark = pytest.mark.django_db


def test_same_dedupe_key_twice_gives_one_row_and_one_send(
    people: Any, gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue("rec:42:notified")
        second = enqueue("rec:42:notified", context=recommended_context(name="另一个名字"))
    with django_capture_on_commit_callbacks(execute=True):
        third = enqueue("rec:42:notified")

    assert first.pk == second.pk == third.pk
    assert Notification.objects.count() == 1
    assert len(gateway.requests) == 1
    row = Notification.objects.get()
    assert row.status == Status.SENT
    assert row.body.startswith("张三您好")


def test_sms_address_is_encrypted_and_masked(people: Any, no_gateway: None) -> None:
    row = enqueue("rec:1:notified", address="+86 138-1234-5678")
    row.refresh_from_db()
    assert row.address_masked == "138****5678"
    assert PHONE not in row.address_enc
    assert decrypt(row.address_enc) == PHONE
    assert (row.status, row.attempts) == (Status.PENDING, 0)
    assert row.next_attempt_at is not None
    assert row.region_id == "433122107201"


def test_address_falls_back_to_the_recipient_account(people: Any) -> None:
    sms = enqueue("a:sms", address="", recipient_user=people["alice"])
    email = enqueue("a:email", channel=Channel.EMAIL, address="", recipient_user=people["alice"])
    assert decrypt(sms.address_enc) == PHONE
    assert (decrypt(email.address_enc), email.address_masked) == ("alice@example.com", "al***@example.com")


def test_missing_and_bad_addresses_are_rejected(people: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        enqueue("b:1", address="", recipient_user=people["bob"])
    assert exc.value.code == "missing_address"
    with pytest.raises(ValidationError) as exc:
        enqueue("b:2", address="12345")
    assert exc.value.code == "invalid_phone"
    with pytest.raises(ValidationError) as exc:
        enqueue("b:3", channel=Channel.EMAIL, address="not-an-address")
    assert exc.value.code == "invalid_email"
    assert Notification.objects.count() == 0


def test_in_app_is_delivered_by_being_stored(people: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        row = enqueue("in:1", channel=Channel.IN_APP, address="", recipient_user=people["bob"])
    assert callbacks == []
    assert (row.status, row.address_enc, row.address_masked) == (Status.SENT, "", "")
    assert row.sent_at is not None


def test_in_app_needs_a_user(people: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        enqueue("in:2", channel=Channel.IN_APP, address="")
    assert exc.value.code == "in_app_needs_user"


def test_id_numbers_never_enter_the_context(people: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        enqueue("id:1", context=recommended_context(name="张三 433122199001011234"))
    assert exc.value.code == "id_number_in_context"
    assert exc.value.messages == ["消息参数中不能含有身份证号码（参数：name）。"]
    assert Notification.objects.count() == 0


def test_unknown_channel_and_region_are_rejected(people: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        enqueue("c:1", channel="pigeon")
    assert exc.value.code == "unknown_channel"
    with pytest.raises(ValidationError):
        enqueue("c:2", region_code="999999999999")
    assert Notification.objects.count() == 0


def test_a_rolled_back_caller_sends_nothing(
    people: Any, gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                enqueue("rb:1")
                raise RuntimeError("caller failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert gateway.requests == []
