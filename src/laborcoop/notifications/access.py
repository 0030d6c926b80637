"""Who may see which notifications.

- The inbox: a signed-in user sees the in-app messages addressed to their own account, nothing else.
- The outbox (delivery status of every channel): admins, scoped to their region subtree through the access layer.
  There is no notifications capability yet; `audit.view` is held by admins only and the outbox is an operations
  record of the same kind as the audit trail.
"""

from typing import Any

from django.db.models import QuerySet

from laborcoop.accounts.access import get_scoped, scoped_queryset
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.notifications.choices import Channel, Status
from laborcoop.notifications.models import Notification

OUTBOX_CAP = Cap.AUDIT_VIEW
INBOX_STATUSES = (Status.SENT, Status.READ)


def outbox_queryset(user: Any) -> QuerySet[Notification]:
    return scoped_queryset(user, Notification.objects.all(), OUTBOX_CAP)


def access_outbox_notification(*, user: Any, notification_id: Any, for_update: bool = False) -> Notification:
    queryset = Notification.objects.all()
    if for_update:
        queryset = queryset.select_for_update()
    return get_scoped(user, queryset, OUTBOX_CAP, notification_id)


def inbox_queryset(user: Any) -> QuerySet[Notification]:
    if user is None or not user.is_authenticated:
        raise PermissionDeniedError("请先登录。")
    return Notification.objects.filter(recipient_user=user, channel=Channel.IN_APP, status__in=INBOX_STATUSES)


def access_inbox_notification(*, user: Any, notification_id: Any) -> Notification:
    try:
        return inbox_queryset(user).get(pk=notification_id)
    except (Notification.DoesNotExist, ValueError, TypeError) as exc:
        raise ObjectNotFound from exc
