"""Signal receivers of the accounts app; each one only hands over to a service."""

from typing import Any

from laborcoop.accounts.services import user_login_record


def record_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """`user_logged_in`: every successful sign-in leaves an audit row."""
    user_login_record(user=user)
