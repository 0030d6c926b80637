"""Two transactions enqueue the same logical message at once: the unique dedupe_key decides, the loser gets the
winner's row back and its own transaction carries on. Needs a server database (SQLite serialises writers, so
the race cannot happen there and the fast path covers it)."""

import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction

from laborcoop.notifications.choices import Channel
from laborcoop.notifications.models import Notification
from tests.notifications.conftest import enqueue


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite allows one writer at a time")
def test_concurrent_enqueue_gives_one_row(people: Any) -> None:
    inserted, loser_started = threading.Event(), threading.Event()
    results: dict[str, Any] = {}

    def winner() -> None:
        try:
            with transaction.atomic():
                results["winner"] = enqueue(
                    "race:1", channel=Channel.IN_APP, address="", recipient_user=people["alice"]
                ).pk
                inserted.set()
                loser_started.wait(5)
                time.sleep(0.3)  # the loser is now blocked on the unique index
        finally:
            connection.close()

    def loser() -> None:
        try:
            inserted.wait(5)
            with transaction.atomic():
                loser_started.set()
                results["loser"] = enqueue(
                    "race:1", channel=Channel.IN_APP, address="", recipient_user=people["alice"]
                ).pk
                results["loser_tx_usable"] = Notification.objects.count()
        finally:
            connection.close()

    threads = [threading.Thread(target=winner), threading.Thread(target=loser)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)

    assert results["winner"] == results["loser"]
    assert results["loser_tx_usable"] == 1
    assert Notification.objects.filter(dedupe_key="race:1").count() == 1
