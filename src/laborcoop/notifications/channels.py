"""Channel backends: deliver one rendered message to one address, or raise DeliveryError.

DeliveryError messages are our own short Chinese texts: they end up in `Notification.last_error` and in logs,
so they never quote the address, the message body or the gateway's reply.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.core.mail import send_mail

from laborcoop.notifications.conf import NotificationSettings

SMS_NOT_CONFIGURED = "未配置短信网关"
SMS_HTTP_ERROR = "短信网关返回 HTTP %s"
SMS_TIMEOUT = "短信网关超时"
SMS_NETWORK_ERROR = "无法连接短信网关（%s）"
EMAIL_ERROR = "邮件发送失败（%s）"

# Client errors mean the request itself is wrong (bad number, bad token): retrying cannot help.
_RETRYABLE_CLIENT_STATUSES = frozenset({408, 425, 429})


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    notification_id: int
    dedupe_key: str
    template: str
    address: str
    subject: str
    body: str


def send_sms(message: Outgoing, conf: NotificationSettings) -> str:
    """POST JSON to the gateway; returns the gateway's message id when it gives one.

    `request_id` is stable per message, so a gateway that deduplicates will not send a retry twice.
    """
    if not conf.sms_configured:
        raise DeliveryError(SMS_NOT_CONFIGURED)
    payload = {
        "request_id": f"laborcoop-{message.notification_id}",
        "to": message.address,
        "template": message.template,
        "content": message.body,
    }
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's configured gateway
        conf.sms_gateway_url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"},
    )
    if conf.sms_token:
        request.add_header("Authorization", f"Bearer {conf.sms_token}")
    try:
        with urllib.request.urlopen(request, timeout=conf.sms_timeout) as response:  # noqa: S310
            raw = response.read(4096)
    except urllib.error.HTTPError as exc:
        status = exc.code
        permanent = 400 <= status < 500 and status not in _RETRYABLE_CLIENT_STATUSES
        raise DeliveryError(SMS_HTTP_ERROR % status, permanent=permanent) from None
    except TimeoutError:
        raise DeliveryError(SMS_TIMEOUT) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise DeliveryError(SMS_TIMEOUT) from None
        raise DeliveryError(SMS_NETWORK_ERROR % type(exc.reason).__name__) from None
    except OSError as exc:
        raise DeliveryError(SMS_NETWORK_ERROR % type(exc).__name__) from None
    return _gateway_message_id(raw)


def _gateway_message_id(raw: bytes) -> str:
    try:
        data = json.loads(raw.decode() or "{}")
    except (UnicodeDecodeError, ValueError):
        return ""
    if isinstance(data, dict):
        value = data.get("id") or data.get("message_id") or ""
        return str(value)[:100]
    return ""


def send_email(message: Outgoing, conf: NotificationSettings) -> str:
    try:
        send_mail(message.subject, message.body, conf.email_from, [message.address], fail_silently=False)
    except Exception as exc:  # SMTP and socket errors of every kind; the text may quote the address
        raise DeliveryError(EMAIL_ERROR % type(exc).__name__) from None
    return ""
