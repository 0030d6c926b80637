"""The outbox: enqueue a message once, dispatch it through its channel with retries, let admins retry.

Delivery is at-least-once towards the channel but never repeated for a row that is already sent: a row is
claimed (status "发送中" with a lease) in a short transaction, sent outside it, and the outcome is recorded in a
second short transaction. Holding a row lock during an HTTP call would block every writer on SQLite.
"""

import json
import logging
import re
from collections import Counter
from datetime import datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from laborcoop.core.audit import audit_record, diff, snapshot
from laborcoop.core.crypto import decrypt, encrypt
from laborcoop.core.models import AuditEntry
from laborcoop.notifications import channels
from laborcoop.notifications.access import access_inbox_notification, access_outbox_notification, inbox_queryset
from laborcoop.notifications.addresses import MISSING_ADDRESS, mask_address, normalize_address
from laborcoop.notifications.choices import DISPATCHABLE, RETRYABLE, Channel, Status
from laborcoop.notifications.conf import NotificationSettings, notification_settings
from laborcoop.notifications.links import has_signed_links, sending_context, stored_context
from laborcoop.notifications.message_templates import render_message
from laborcoop.notifications.models import Notification

logger = logging.getLogger(__name__)

UNKNOWN_CHANNEL = "未知的消息渠道：%(channel)s。"
IN_APP_NEEDS_USER = "站内消息需要接收账号。"
EMPTY_DEDUPE_KEY = "去重键不能为空。"
ID_NUMBER_IN_CONTEXT = "消息参数中不能含有身份证号码（参数：%(key)s）。"
NOT_RETRYABLE = "只有发送失败、已放弃或未配置网关的消息可以重新发送。"
UNEXPECTED_ERROR = "发送异常（%s）"
RETRY_REASON = "管理员重新发送"

_ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")

_SENDERS = {Channel.SMS: channels.send_sms, Channel.EMAIL: channels.send_email}


# --- enqueue --------------------------------------------------------------------------------------------------


def notification_enqueue(
    *,
    channel: str,
    recipient_user: Any = None,
    address: str = "",
    template: str,
    context: dict[str, Any],
    dedupe_key: str,
    region_code: str,
) -> Notification:
    """Put one message into the outbox, once: a repeated `dedupe_key` returns the existing row unchanged.

    Call it inside the caller's transaction; sending is queued for after the commit (a rolled-back caller
    sends nothing). In-app messages are delivered by being stored. An SMS or e-mail goes to `address`, or to
    the phone / e-mail of `recipient_user` when no address is given. Raises ValidationError for an unknown
    channel or template, a context that lacks a template variable or holds an ID number, or a bad address.
    """
    existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    if channel not in Channel.values:
        raise ValidationError(UNKNOWN_CHANNEL, code="unknown_channel", params={"channel": channel})
    if not dedupe_key.strip():
        raise ValidationError(EMPTY_DEDUPE_KEY, code="empty_dedupe_key")
    plain_context = _plain_context(context)
    rendered = render_message(template, stored_context(plain_context))
    row = Notification(
        channel=channel,
        recipient_user=recipient_user,
        template=template,
        context=plain_context,
        subject=rendered.subject[:200],
        body=rendered.body,
        dedupe_key=dedupe_key,
        region_id=region_code,
    )
    now = timezone.now()
    if channel == Channel.IN_APP:
        if recipient_user is None:
            raise ValidationError(IN_APP_NEEDS_USER, code="in_app_needs_user")
        row.status, row.sent_at = Status.SENT, now
    else:
        clear = _outbound_address(channel, address, recipient_user)
        row.address_enc, row.address_masked = encrypt(clear), mask_address(channel, clear)
        row.status, row.next_attempt_at = Status.PENDING, now
    row.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: losing the race must not break the caller's transaction
            row.save()
    except IntegrityError:
        winner = Notification.objects.filter(dedupe_key=dedupe_key).first()
        if winner is None:
            raise
        return winner
    logger.debug("notification %s enqueued: %s %s", row.pk, channel, template)
    if channel != Channel.IN_APP:
        transaction.on_commit(partial(_queue_dispatch, row.pk), robust=True)
    return row


def _plain_context(context: dict[str, Any]) -> dict[str, Any]:
    """The context as stored (JSON types; dates as ISO text), refusing anything that looks like an ID number."""
    plain: dict[str, Any] = json.loads(json.dumps(context, cls=DjangoJSONEncoder, ensure_ascii=False))
    for key, value in plain.items():
        if _ID_NUMBER_RE.search(json.dumps(value, ensure_ascii=False)):
            raise ValidationError(ID_NUMBER_IN_CONTEXT, code="id_number_in_context", params={"key": key})
    return plain


def _outbound_address(channel: str, address: str, recipient_user: Any) -> str:
    value = address
    if not value and recipient_user is not None:
        value = (recipient_user.phone if channel == Channel.SMS else recipient_user.email) or ""
    if not value:
        label = Channel(channel).label
        raise ValidationError(MISSING_ADDRESS, code="missing_address", params={"channel": label})
    return normalize_address(channel, value)


def _queue_dispatch(notification_id: int, run_after: datetime | None = None) -> None:
    from laborcoop.notifications.tasks import dispatch_notification

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
            transaction.on_commit(partial(_queue_dispatch, row.pk, row.next_attempt_at), robust=True)
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


# --- admin retry and the inbox ---------------------------------------------------------------------------------


def notification_retry(*, acting_user: Any, notification_id: Any) -> Notification:
    """Send a failed, dead or held row again with a fresh set of attempts (outbox page, admins in scope)."""
    with transaction.atomic():
        row = access_outbox_notification(user=acting_user, notification_id=notification_id, for_update=True)
        if row.status not in RETRYABLE:
            raise ValidationError(NOT_RETRYABLE, code="not_retryable")
        fields = ["status", "attempts", "next_attempt_at", "last_error"]
        before = snapshot(row, fields)
        row.status, row.attempts, row.next_attempt_at, row.last_error = Status.PENDING, 0, timezone.now(), ""
        row.save(update_fields=[*fields, "updated_at"])
        audit_record(
            actor=acting_user,
            action=AuditEntry.Action.UPDATE,
            instance=row,
            region_code=row.region_id,
            changes=diff(before, snapshot(row, fields)),
            reason=RETRY_REASON,
        )
        transaction.on_commit(partial(_queue_dispatch, row.pk), robust=True)
    return row


def notification_mark_read(*, user: Any, notification_id: Any) -> Notification:
    """Mark one of the user's own in-app messages read (someone else's is "not found")."""
    row = access_inbox_notification(user=user, notification_id=notification_id)
    if row.status == Status.SENT:
        row.status, row.read_at = Status.READ, timezone.now()
        row.save(update_fields=["status", "read_at", "updated_at"])
    return row


def notifications_mark_all_read(*, user: Any) -> int:
    now = timezone.now()
    return inbox_queryset(user).filter(status=Status.SENT).update(status=Status.READ, read_at=now, updated_at=now)
