"""The outbox: enqueue a message once, let admins retry it, and the inbox of in-app messages.

Sending (claim, channel, outcome, retries) is in notifications.dispatch.
"""

import json
import logging
import re
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from laborcoop.core.audit import audit_record, diff, snapshot
from laborcoop.core.crypto import encrypt
from laborcoop.core.models import AuditEntry
from laborcoop.notifications.access import access_inbox_notification, access_outbox_notification, inbox_queryset
from laborcoop.notifications.addresses import MISSING_ADDRESS, mask_address, normalize_address
from laborcoop.notifications.choices import RETRYABLE, Channel, Status
from laborcoop.notifications.dispatch import queue_dispatch
from laborcoop.notifications.links import stored_context
from laborcoop.notifications.message_templates import render_message
from laborcoop.notifications.models import Notification

logger = logging.getLogger(__name__)

UNKNOWN_CHANNEL = "未知的消息渠道：%(channel)s。"
IN_APP_NEEDS_USER = "站内消息需要接收账号。"
EMPTY_DEDUPE_KEY = "去重键不能为空。"
ID_NUMBER_IN_CONTEXT = "消息参数中不能含有身份证号码（参数：%(key)s）。"
NOT_RETRYABLE = "只有发送失败、已放弃或未配置网关的消息可以重新发送。"
RETRY_REASON = "管理员重新发送"

_ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")


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
    url: str = "",
) -> Notification:
    """Put one message into the outbox, once: a repeated `dedupe_key` returns the existing row unchanged.

    Call it inside the caller's transaction; sending is queued for after the commit (a rolled-back caller
    sends nothing). In-app messages are delivered by being stored. An SMS or e-mail goes to `address`, or to
    the phone / e-mail of `recipient_user` when no address is given. Raises ValidationError for an unknown
    channel or template, a context that lacks a template variable or holds an ID number, or a bad address.
    `url` is the site path of the page the message is about: the inbox links to it (every message names one).
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
        url=url[:300],
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
        transaction.on_commit(partial(queue_dispatch, row.pk), robust=True)
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
        transaction.on_commit(partial(queue_dispatch, row.pk), robust=True)
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
