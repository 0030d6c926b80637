from typing import Any

from django.http import HttpRequest

from laborcoop.notifications.selectors import inbox_unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """`unread_notification_count` for the nav badge: one indexed COUNT for signed-in users, none otherwise."""
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": inbox_unread_count(user=user)}
