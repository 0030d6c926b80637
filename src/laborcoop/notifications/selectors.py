"""Reads for the inbox and the outbox page. Every read goes through notifications.access."""

from typing import Any

from django.db.models import Count, QuerySet

from laborcoop.notifications.access import inbox_queryset, outbox_queryset
from laborcoop.notifications.choices import Channel, Status
from laborcoop.notifications.models import Notification


def inbox_list(*, user: Any) -> QuerySet[Notification]:
    return inbox_queryset(user).order_by("-created_at", "-id")


def inbox_unread_count(*, user: Any) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return inbox_queryset(user).filter(status=Status.SENT).count()


def outbox_list(*, user: Any, status: str = "", channel: str = "") -> QuerySet[Notification]:
    queryset = outbox_queryset(user).select_related("region", "recipient_user")
    if status in Status.values:
        queryset = queryset.filter(status=status)
    if channel in Channel.values:
        queryset = queryset.filter(channel=channel)
    return queryset.order_by("-created_at", "-id")


def outbox_status_counts(*, user: Any) -> dict[str, int]:
    """How many rows in the user's scope are in each status (every status present, zero when none)."""
    rows = outbox_queryset(user).order_by().values("status").annotate(n=Count("id"))
    counts = {status: 0 for status in Status.values}
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts
