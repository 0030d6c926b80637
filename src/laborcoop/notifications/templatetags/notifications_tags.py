from typing import Any

from django import template

from laborcoop.notifications.selectors import inbox_unread_count

register = template.Library()


@register.inclusion_tag("notifications/_nav_link.html", takes_context=True)
def notifications_nav_link(context: template.Context) -> dict[str, Any]:
    """The nav entry "消息" with the unread badge: `{% load notifications_tags %}{% notifications_nav_link %}`."""
    request = context.get("request")
    user: Any = getattr(request, "user", None) if request is not None else context.get("user")
    count = inbox_unread_count(user=user)
    return {"unread_count": count, "signed_in": bool(user is not None and user.is_authenticated)}
