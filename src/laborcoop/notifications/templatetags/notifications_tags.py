from typing import Any

from django import template

from laborcoop.accounts.access import is_admin
from laborcoop.notifications.conf import notification_settings
from laborcoop.notifications.links import public_base_url
from laborcoop.notifications.selectors import inbox_unread_count

register = template.Library()

WARN_NO_SMS = "短信网关未配置：发给劳动者的短信（岗位推荐、面试通知）只保存在消息发送记录中，不会发出。"
WARN_NO_PUBLIC_URL = (
    "平台公网地址（LABORCOOP_PUBLIC_URL）未配置：短信和邮件中的个人链接只有路径，劳动者在手机上无法打开。"
)


@register.inclusion_tag("notifications/_nav_link.html", takes_context=True)
def notifications_nav_link(context: template.Context) -> dict[str, Any]:
    """The nav entry "消息" with the unread badge: `{% load notifications_tags %}{% notifications_nav_link %}`."""
    request = context.get("request")
    user: Any = getattr(request, "user", None) if request is not None else context.get("user")
    count = inbox_unread_count(user=user)
    return {"unread_count": count, "signed_in": bool(user is not None and user.is_authenticated)}


def delivery_warnings(user: Any) -> list[str]:
    """What admins must fix before messages reach people (empty for everyone else)."""
    if user is None or not user.is_authenticated or not is_admin(user):
        return []
    warnings = []
    if not notification_settings().sms_configured:
        warnings.append(WARN_NO_SMS)
    if not public_base_url():
        warnings.append(WARN_NO_PUBLIC_URL)
    return warnings


@register.inclusion_tag("notifications/_delivery_warning.html", takes_context=True)
def notifications_delivery_warning(context: template.Context) -> dict[str, Any]:
    """The admins' banner while SMS or the public address is not configured (base.html, every page)."""
    request = context.get("request")
    user: Any = getattr(request, "user", None) if request is not None else context.get("user")
    return {"warnings": delivery_warnings(user)}
