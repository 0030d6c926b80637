"""Signal receivers of the accounts app; each one only hands over to a service."""

from typing import Any

from django.conf import settings

from laborcoop.accounts.lockout import lockout_record
from laborcoop.accounts.services import user_login_record


def record_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """`user_logged_in`: every successful sign-in leaves an audit row."""
    user_login_record(user=user)


def record_lockout(sender: Any, request: Any, username: str | None, ip_address: str | None, **kwargs: Any) -> None:
    """axes' `user_locked_out`: sent on every refused attempt while locked; audited once, when the lock starts
    (the failure that reaches the limit)."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures != settings.AXES_FAILURE_LIMIT:
        return
    lockout_record(username=username or "", ip_address=ip_address or "", failures=failures)
