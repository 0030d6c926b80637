"""Sign-in lockouts (django-axes): the lockout answer, the audit rows, an account's lock state, the unlock.

django-axes counts failed sign-ins per account and per client address (settings AXES_*) on every path that
calls `authenticate(request=...)`: the login page, the API token endpoint and the Django admin. This module
is the project's side of it: what a locked-out client is told (Chinese, 429; JSON for the API), the audit row
written when a lock starts, and the audited unlock an admin of the account's region performs.
"""

import math
from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from laborcoop.accounts.access import require_cap
from laborcoop.accounts.access_users import managed_users_for
from laborcoop.accounts.capabilities import Cap
from laborcoop.accounts.models import User
from laborcoop.core.audit import audit_record
from laborcoop.core.errors import ObjectNotFound
from laborcoop.core.models import AuditEntry

LOCKED_OUT = "登录失败次数过多，账号已暂时锁定，请于{minutes}分钟后再试或联系管理员解锁。"
LOCKOUT_REASON = "登录失败次数过多，已暂时锁定（失败{failures}次，来源地址 {ip}）"
UNLOCK_REASON = "管理员解除登录锁定"
NOT_LOCKED = "该账号当前没有登录失败记录，无需解锁。"


def cooloff() -> timedelta:
    value: Any = settings.AXES_COOLOFF_TIME
    return value if isinstance(value, timedelta) else timedelta(hours=float(value or 0))


def lockout_minutes() -> int:
    return max(1, math.ceil(cooloff().total_seconds() / 60))


def lockout_message() -> str:
    return LOCKED_OUT.format(minutes=lockout_minutes())


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the API's error shape under /api/, the lockout page elsewhere; always 429."""
    message = lockout_message()
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429, json_dumps_params={"ensure_ascii": False})
    else:
        response = render(request, "accounts/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(int(cooloff().total_seconds()))
    response["Cache-Control"] = "no-store"
    return response


# --- selectors -------------------------------------------------------------------------------------------------


def login_failures(*, username: str) -> int:
    """Failed sign-ins counted against `username` within the cool-off (what the lock is decided on)."""
    since = timezone.now() - cooloff()
    total = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return int(total or 0)


def is_locked_out(*, username: str) -> bool:
    return login_failures(username=username) >= int(settings.AXES_FAILURE_LIMIT)


# --- services --------------------------------------------------------------------------------------------------


def lockout_record(*, username: str, ip_address: str, failures: int) -> AuditEntry | None:
    """The audit row of a lock that has just started (called from axes' `user_locked_out` signal).

    The row is about the account when it exists (so the admins of its region see it), otherwise about the
    attempts row of the guessed name. Nobody is signed in: the actor is empty.
    """
    reason = LOCKOUT_REASON.format(failures=failures, ip=ip_address or "未知")
    user = User.objects.filter(username=username).first() if username else None
    if user is not None:
        return audit_record(
            actor=None,
            action=AuditEntry.Action.LOGIN,
            instance=user,
            region_code=user.home_region_id or "",
            reason=reason,
        )
    attempt = AccessAttempt.objects.filter(ip_address=ip_address).order_by("-attempt_time").first()
    if attempt is None:
        return None
    return audit_record(actor=None, action=AuditEntry.Action.LOGIN, instance=attempt, reason=reason)


@transaction.atomic
def user_unlock(*, acting_user: Any, target: User) -> int:
    """An admin clears the failed sign-ins counted against an account they manage (any address), so it can
    sign in again at once. Returns how many failures were cleared. Addresses locked by guesses at other
    accounts stay locked until their cool-off ends."""
    require_cap(acting_user, Cap.USERS_MANAGE)
    locked = managed_users_for(acting_user).select_for_update(of=("self",)).filter(pk=target.pk).first()
    if locked is None:
        raise ObjectNotFound
    failures = login_failures(username=locked.username)
    deleted, _ = AccessAttempt.objects.filter(username=locked.username).delete()
    if not deleted:
        return 0
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.PERMISSION,
        instance=locked,
        region_code=locked.home_region_id or "",
        changes={"login_failures": [failures, 0]},
        reason=UNLOCK_REASON,
    )
    return failures
