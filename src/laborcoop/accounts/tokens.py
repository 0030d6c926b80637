"""API tokens: issue, check, list and revoke (`accounts.models.ApiToken`).

A key is 32 random bytes (urlsafe base64). The database keeps its SHA-256 only, so a copy of the table opens
nothing; the clear key is returned once, by `api_token_issue`. A token is refused when it is expired, when the
account is inactive, or when the account's password changed after it was issued (the stored password
fingerprint no longer matches: this holds for every path that changes a password, the admin pages, the own
password page, `manage.py changepassword`). The account services also delete the tokens on a password change
and a deactivation, so the lists show what still works.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from laborcoop.accounts.models import ApiToken, User
from laborcoop.core.audit import audit_record
from laborcoop.core.errors import ObjectNotFound
from laborcoop.core.models import AuditEntry

TOKEN_INVALID = "API 令牌无效或已被撤销，请重新获取。"
TOKEN_EXPIRED = "API 令牌已过期，请重新获取。"
TOKEN_ISSUED_REASON = "API 登录，签发令牌 {prefix}…"
TOKEN_REVOKED_REASON = "本人撤销 API 令牌"
TOKENS_REVOKED_REASON = "{why}，撤销全部 API 令牌（{count} 个）"
LAST_USED_RESOLUTION = timedelta(minutes=1)
PREFIX_LENGTH = 4


class TokenInvalid(Exception):
    message = TOKEN_INVALID


class TokenExpired(Exception):
    message = TOKEN_EXPIRED


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # the clear key: hand it to the client once, never store or log it


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(user: User) -> str:
    """Changes whenever the password changes (the stored hash is salted anew on every set_password)."""
    return hashlib.sha256(f"laborcoop.api_token:{user.password}".encode()).hexdigest()


def token_ttl() -> timedelta:
    return timedelta(days=int(settings.LABORCOOP_API_TOKEN_TTL_DAYS))


def _region(user: User) -> str:
    return user.home_region_id or ""


# --- services --------------------------------------------------------------------------------------------------


@transaction.atomic
def api_token_obtain(*, user: User) -> IssuedToken:
    """The API sign-in: a new token for an account whose password was just checked, with its LOGIN audit row
    (the API's counterpart of the login page's row)."""
    issued = api_token_issue(user=user)
    audit_record(
        actor=user,
        action=AuditEntry.Action.LOGIN,
        instance=user,
        region_code=_region(user),
        reason=TOKEN_ISSUED_REASON.format(prefix=issued.token.key_prefix),
    )
    return issued


@transaction.atomic
def api_token_issue(*, user: User) -> IssuedToken:
    """A new token for `user` (no audit row: callers that sign someone in use `api_token_obtain`). Expired
    tokens of the account are dropped; past LABORCOOP_API_TOKENS_PER_USER live tokens the oldest go."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    now = timezone.now()
    locked.api_tokens.filter(expires_at__lte=now).delete()
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=locked,
        key_hash=key_digest(key),
        key_prefix=key[:PREFIX_LENGTH],
        password_fingerprint=password_fingerprint(locked),
        expires_at=now + token_ttl(),
    )
    keep = max(1, int(settings.LABORCOOP_API_TOKENS_PER_USER))
    surplus = list(locked.api_tokens.order_by("-created_at", "-id").values_list("pk", flat=True)[keep:])
    if surplus:
        ApiToken.objects.filter(pk__in=surplus).delete()
    return IssuedToken(token=token, key=key)


def api_token_authenticate(*, key: str) -> ApiToken:
    """The token of `key` with its user; raises TokenInvalid or TokenExpired. Records the use at most once a
    minute per token (one small UPDATE, not one per request)."""
    token = ApiToken.objects.select_related("user").filter(key_hash=key_digest(key)).first()
    if token is None:
        raise TokenInvalid
    user = token.user
    if not user.is_active:
        raise TokenInvalid
    if not secrets.compare_digest(token.password_fingerprint, password_fingerprint(user)):
        raise TokenInvalid
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenExpired
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def api_token_revoke(*, acting_user: Any, token_id: Any) -> None:
    """The owner revokes one of their tokens; another account's token is ObjectNotFound."""
    try:
        token = ApiToken.objects.select_for_update().get(pk=token_id, user_id=acting_user.pk)
    except (ApiToken.DoesNotExist, ValueError, TypeError) as exc:
        raise ObjectNotFound from exc
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.DELETE,
        instance=token,
        region_code=_region(acting_user),
        reason=TOKEN_REVOKED_REASON,
    )
    token.delete()


def api_tokens_revoke_all(*, acting_user: Any, user: User, why: str) -> int:
    """Delete every token of `user` (password changed, account deactivated); call inside the caller's
    transaction. One audit row when there was anything to revoke."""
    count, _ = ApiToken.objects.filter(user=user).delete()
    if count:
        audit_record(
            actor=acting_user,
            action=AuditEntry.Action.UPDATE,
            instance=user,
            region_code=_region(user),
            reason=TOKENS_REVOKED_REASON.format(why=why, count=count),
        )
    return count


# --- selectors -------------------------------------------------------------------------------------------------


def api_token_list(*, user: Any) -> QuerySet[ApiToken]:
    """The account's own tokens, newest first (expired ones until the next issue drops them)."""
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")
