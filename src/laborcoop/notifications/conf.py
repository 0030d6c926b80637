"""The NOTIFICATIONS settings block, read at call time (so tests and deployments can change it) with defaults."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings

_DEFAULT_BACKOFF = (60, 300, 1800, 7200, 43200)


@dataclass(frozen=True)
class NotificationSettings:
    sms_gateway_url: str
    sms_token: str
    sms_timeout: float
    email_from: str
    max_attempts: int
    backoff_seconds: tuple[int, ...]
    sending_lease: timedelta

    @property
    def sms_configured(self) -> bool:
        return bool(self.sms_gateway_url)

    def backoff_after(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failed attempt (1 -> first entry; the last entry repeats)."""
        index = min(max(attempts, 1), len(self.backoff_seconds)) - 1
        return timedelta(seconds=self.backoff_seconds[index])


def notification_settings() -> NotificationSettings:
    raw: dict[str, Any] = getattr(settings, "NOTIFICATIONS", {})
    email: dict[str, Any] = raw.get("EMAIL") or {}
    return NotificationSettings(
        sms_gateway_url=str(raw.get("SMS_GATEWAY_URL") or ""),
        sms_token=str(raw.get("SMS_TOKEN") or ""),
        sms_timeout=float(raw.get("SMS_TIMEOUT_SECONDS", 10)),
        email_from=str(email.get("FROM") or settings.DEFAULT_FROM_EMAIL),
        max_attempts=int(raw.get("MAX_ATTEMPTS", 5)),
        backoff_seconds=tuple(int(s) for s in raw.get("BACKOFF_SECONDS") or _DEFAULT_BACKOFF),
        sending_lease=timedelta(seconds=int(raw.get("SENDING_LEASE_SECONDS", 300))),
    )
