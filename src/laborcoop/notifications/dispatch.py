"""Dispatch of the outbox: send one row through its channel, record the outcome, retry later.

Delivery is at-least-once towards the channel but never repeated for a row that is already sent: a row is
claimed (status "发送中" with a lease) in a short transaction, sent outside it, and the outcome is recorded in a
second short transaction. Holding a row lock during an HTTP call would block every writer on SQLite.

The django-tasks task lives here beside the service it runs, because a failed send queues its own retry:
services.py (enqueue, admin retry) imports this module, never the other way round.
"""

import logging
from collections import Counter
from datetime import datetime
from functools import partial

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from laborcoop.core.crypto import decrypt
from laborcoop.notifications import channels
from laborcoop.notifications.choices import DISPATCHABLE, Channel, Status
from laborcoop.notifications.conf import NotificationSettings, notification_settings
from laborcoop.notifications.links import has_signed_links, sending_context
from laborcoop.notifications.message_templates import render_message
from laborcoop.notifications.models import Notification

logger = logging.getLogger(__name__)

UNEXPECTED_ERROR = "发送异常（%s）"


_SENDERS = {Channel.SMS: channels.send_sms, Channel.EMAIL: channels.send_email}


@task()
def dispatch_notification(notification_id: int) -> str:
    """Send one outbox row if it is due; returns its status afterwards ("" when it is gone or locked). Takes
    only the row id and is idempotent (jobs are rows)."""
    row = notification_dispatch(notification_id=notification_id)
    return row.status if row is not None else ""


def queue_dispatch(notification_id: int, run_after: datetime | None = None) -> None:
    task = dispatch_notification
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the periodic sweep (send_notifications) picks the row up when it is due
        task = task.using(run_after=run_after)
    task.enqueue(notification_id)


# --- dispatch -------------------------------------------------------------------------------------------------


def notification_dispatch(*, notification_id: int) -> Notification | None:
    """Send one row if it is due; idempotent (a sent, read or dead row is left alone).

    Returns the row as it ends up, or None when it does not exist or another dispatcher holds its lock.
    """
    conf = notification_settings()
    row, outgoing = _claim(notification_id, conf)
    if row is None or outgoing is None:
        return row
    try:
        external_id = _SENDERS[Channel(row.channel)](outgoing, conf)
    except channels.DeliveryError as exc:
        return _record_failure(row, exc.message, permanent=exc.permanent, conf=conf)
    except Exception as exc:  # a bug in a backend must not leave the row "sending" until the lease ends
        return _record_failure(row, UNEXPECTED_ERROR % type(exc).__name__, permanent=False, conf=conf)
    return _record_success(row, external_id)


def _lock(notification_id: int) -> Notification | None:
    queryset = Notification.objects.filter(pk=notification_id)
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True).first()
    return queryset.select_for_update().first()


def _claim(notification_id: int, conf: NotificationSettings) -> tuple[Notification | None, channels.Outgoing | None]:
    with transaction.atomic():
        row = _lock(notification_id)
        if row is None:
            return None, None
        now = timezone.now()
        if row.status not in DISPATCHABLE:
            return row, None
        if row.next_attempt_at is not None and row.next_attempt_at > now:
            return row, None
        if row.channel == Channel.IN_APP:
            row.status, row.sent_at, row.next_attempt_at = Status.SENT, now, None
            row.save(update_fields=["status", "sent_at", "next_attempt_at", "updated_at"])
            return row, None
        if row.channel == Channel.SMS and not conf.sms_configured:
            row.status, row.next_attempt_at, row.last_error = Status.NO_GATEWAY, None, channels.SMS_NOT_CONFIGURED
            row.save(update_fields=["status", "next_attempt_at", "last_error", "updated_at"])
            logger.info("notification %s kept in the outbox: no SMS gateway", row.pk)
            return row, None
        row.status = Status.SENDING
        row.attempts += 1
        row.next_attempt_at = now + conf.sending_lease
        row.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
        outgoing = channels.Outgoing(
            notification_id=row.pk,
            dedupe_key=row.dedupe_key,
            template=row.template,
            address=decrypt(row.address_enc),
            subject=row.subject,
            body=_sending_body(row),
        )
        return row, outgoing


def _sending_body(row: Notification) -> str:
    """The body as sent: the stored one, or rendered again when it carries a signed link (notifications.links),
    whose token the outbox never stores."""
    if not has_signed_links(row.context):
        return row.body
    return render_message(row.template, sending_context(row.context)).body


def _relock_claimed(claimed: Notification) -> Notification | None:
    """The row again under lock, or None if our claim is stale (the lease ran out and someone else took it)."""
    row = Notification.objects.select_for_update().get(pk=claimed.pk)
    if row.status != Status.SENDING or row.attempts != claimed.attempts:
        return None
    return row


def _record_success(claimed: Notification, external_id: str) -> Notification:
    with transaction.atomic():
        row = _relock_claimed(claimed)
        if row is None:
            return Notification.objects.get(pk=claimed.pk)
        row.status, row.sent_at, row.next_attempt_at = Status.SENT, timezone.now(), None
        row.last_error, row.external_id = "", external_id
        row.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error", "external_id", "updated_at"])
    logger.info("notification %s sent via %s (attempt %s)", row.pk, row.channel, row.attempts)
    return row


def _record_failure(
    claimed: Notification, message: str, *, permanent: bool, conf: NotificationSettings
) -> Notification:
    with transaction.atomic():
        row = _relock_claimed(claimed)
        if row is None:
            return Notification.objects.get(pk=claimed.pk)
        row.last_error = message[:200]
        if permanent or row.attempts >= conf.max_attempts:
            row.status, row.next_attempt_at = Status.DEAD, None
        else:
            row.status, row.next_attempt_at = Status.FAILED, timezone.now() + conf.backoff_after(row.attempts)
            transaction.on_commit(partial(queue_dispatch, row.pk, row.next_attempt_at), robust=True)
        row.save(update_fields=["status", "next_attempt_at", "last_error", "updated_at"])
    logger.warning(
        "notification %s attempt %s via %s failed (%s): %s", row.pk, row.attempts, row.channel, row.status, message
    )
    return row


def notifications_dispatch_due(*, limit: int = 500) -> dict[str, int]:
    """The periodic sweep (cron: `manage.py send_notifications`): dispatch every row that is due now.

    Due: pending or failed rows whose next attempt has come, and "sending" rows whose lease ran out. Rows held
    for want of an SMS gateway are released once one is configured. Returns how many rows ended in each status.
    """
    conf = notification_settings()
    now = timezone.now()
    if conf.sms_configured:
        Notification.objects.filter(status=Status.NO_GATEWAY).update(
            status=Status.PENDING, next_attempt_at=now, last_error="", updated_at=now
        )
    due = (
        Notification.objects.filter(status__in=DISPATCHABLE, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    outcome: Counter[str] = Counter()
    for notification_id in list(due):
        row = notification_dispatch(notification_id=notification_id)
        if row is not None:
            outcome[row.status] += 1
    return dict(outcome)
