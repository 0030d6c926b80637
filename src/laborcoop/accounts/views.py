"""Sign-in and account management pages: thin views over accounts.access_users and accounts.services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from laborcoop.accounts import lockout, services, tokens
from laborcoop.accounts.access import region_prefix, require_cap
from laborcoop.accounts.access_users import access_managed_user, managed_user_list
from laborcoop.accounts.capabilities import Cap
from laborcoop.accounts.forms import (
    ActiveForm,
    OwnPasswordForm,
    PasswordResetForm,
    UserCreateForm,
    UserEditForm,
    UserSearchForm,
)
from laborcoop.accounts.models import User
from laborcoop.core.forms import attach_validation_errors
from laborcoop.core.pagination import page_of

# Service error keys that name a form field differently.
_FIELD_ALIASES = {"password": "password1", "first_name": "full_name"}
UNLOCKED = "已解除账号 {username} 的登录锁定。"
TOKEN_REVOKED = "已撤销 API 令牌 {prefix}…。"
OWN_PASSWORD_CHANGED = "密码已修改；您的 API 令牌已全部撤销，其他设备上的登录已失效。"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def _profile_initial(target: User) -> dict[str, Any]:
    enterprise: Any = target.enterprise
    return {
        "full_name": target.first_name,
        "phone": target.phone,
        "roles": list(target.roles or []),
        "home_region_code": target.home_region_id or "",
        "enterprise_uscc": enterprise.uscc if enterprise is not None else "",
        "can_unmask_id": target.can_unmask_id,
        "is_active": target.is_active,
    }


@login_required
def user_list_view(request: HttpRequest) -> HttpResponse:
    form = UserSearchForm(request.GET or None, region_scope=region_prefix(request.user))
    params: dict[str, str] = {}
    if form.is_valid():
        params = {"q": form.cleaned_data["q"], "region": form.cleaned_data["region"]}
    page = page_of(managed_user_list(user=request.user, **params), request)
    template = "accounts/_user_rows.html" if getattr(request, "htmx", False) else "accounts/user_list.html"
    return render(request, template, {"form": form, "page": page})


@login_required
def user_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    target = access_managed_user(user=request.user, target_id=pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "is_self": target.pk == request.user.pk,
            "login_failures": lockout.login_failures(username=target.username),
            "locked_out": lockout.is_locked_out(username=target.username),
        },
    )


@login_required
@require_POST
def user_unlock_view(request: HttpRequest, pk: int) -> HttpResponse:
    target = access_managed_user(user=request.user, target_id=pk)
    if lockout.user_unlock(acting_user=request.user, target=target):
        messages.success(request, UNLOCKED.format(username=target.username))
    else:
        messages.info(request, lockout.NOT_LOCKED)
    return redirect("accounts:user_detail", pk=target.pk)


@login_required
def my_account_view(request: HttpRequest) -> HttpResponse:
    """Every signed-in user's own page: profile, own password, API tokens (masked) with revoke buttons."""
    return render(
        request,
        "accounts/my_account.html",
        {"api_tokens": tokens.api_token_list(user=request.user), "now": timezone.now()},
    )


@login_required
@require_POST
def my_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = tokens.api_token_list(user=request.user).filter(pk=token_id).first()
    tokens.api_token_revoke(acting_user=request.user, token_id=token_id)
    messages.success(request, TOKEN_REVOKED.format(prefix=token.key_prefix if token else ""))
    return redirect("accounts:me")


@login_required
@sensitive_post_parameters("old_password", "password1", "password2")
def my_password_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "accounts/my_password.html", {"form": OwnPasswordForm()})
    form = OwnPasswordForm(request.POST)
    if form.is_valid():
        try:
            changed = services.user_change_own_password(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            attach_validation_errors(form, exc, _FIELD_ALIASES)
        else:
            update_session_auth_hash(request, changed)  # this session stays signed in
            messages.success(request, OWN_PASSWORD_CHANGED)
            return redirect("accounts:me")
    return render(request, "accounts/my_password.html", {"form": form}, status=400)


@login_required
@sensitive_post_parameters("password1", "password2")
def user_create_view(request: HttpRequest) -> HttpResponse:
    require_cap(request.user, Cap.USERS_MANAGE)
    if request.method != "POST":
        return render(
            request,
            "accounts/user_form.html",
            {"form": UserCreateForm(region_scope=region_prefix(request.user)), "target": None},
        )
    form = UserCreateForm(request.POST, region_scope=region_prefix(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = services.user_create(
                acting_user=request.user,
                username=data["username"],
                password=data["password1"],
                roles=data["roles"],
                home_region_code=data["home_region_code"],
                enterprise_uscc=data["enterprise_uscc"],
                full_name=data["full_name"],
                phone=data["phone"],
                can_unmask_id=data["can_unmask_id"],
            )
        except ValidationError as exc:
            attach_validation_errors(form, exc, _FIELD_ALIASES)
        else:
            messages.success(request, f"已创建账号 {created.username}。")
            return redirect("accounts:user_detail", pk=created.pk)
    return render(request, "accounts/user_form.html", {"form": form, "target": None}, status=400)


@login_required
def user_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    target = access_managed_user(user=request.user, target_id=pk)
    editing_self = target.pk == request.user.pk
    if request.method != "POST":
        form = UserEditForm(
            initial=_profile_initial(target), editing_self=editing_self, region_scope=region_prefix(request.user)
        )
        return render(request, "accounts/user_form.html", {"form": form, "target": target})
    form = UserEditForm(
        request.POST,
        initial=_profile_initial(target),
        editing_self=editing_self,
        region_scope=region_prefix(request.user),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                acting_user=request.user,
                target=target,
                full_name=data["full_name"],
                phone=data["phone"],
                roles=data["roles"],
                home_region_code=data["home_region_code"],
                enterprise_uscc=data["enterprise_uscc"],
                can_unmask_id=data["can_unmask_id"],
                is_active=data["is_active"],
            )
        except ValidationError as exc:
            attach_validation_errors(form, exc, _FIELD_ALIASES)
        else:
            messages.success(request, f"已保存账号 {target.username}。")
            return redirect("accounts:user_detail", pk=target.pk)
    return render(request, "accounts/user_form.html", {"form": form, "target": target}, status=400)


@login_required
@sensitive_post_parameters("password1", "password2")
def user_password_view(request: HttpRequest, pk: int) -> HttpResponse:
    target = access_managed_user(user=request.user, target_id=pk)
    if request.method != "POST":
        return render(request, "accounts/user_password.html", {"form": PasswordResetForm(), "target": target})
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            changed = services.user_set_password(
                acting_user=request.user, target=target, password=form.cleaned_data["password1"]
            )
        except ValidationError as exc:
            attach_validation_errors(form, exc, _FIELD_ALIASES)
        else:
            if changed.pk == request.user.pk:
                update_session_auth_hash(request, changed)  # keep the admin signed in
            messages.success(request, f"已重置账号 {target.username} 的密码。")
            return redirect("accounts:user_detail", pk=target.pk)
    return render(request, "accounts/user_password.html", {"form": form, "target": target}, status=400)


@login_required
@require_POST
def user_set_active_view(request: HttpRequest, pk: int) -> HttpResponse:
    target = access_managed_user(user=request.user, target_id=pk)
    form = ActiveForm(request.POST)
    is_active = form.is_valid() and form.cleaned_data["is_active"]
    try:
        services.user_set_active(acting_user=request.user, target=target, is_active=is_active)
    except ValidationError as exc:
        messages.error(request, "；".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(request, f"已{'启用' if is_active else '停用'}账号 {target.username}。")
    return redirect("accounts:user_detail", pk=target.pk)
