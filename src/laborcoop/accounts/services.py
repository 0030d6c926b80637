"""Writes to accounts: an admin creates and changes the accounts of their subtree.

Every service checks `Cap.USERS_MANAGE`, re-reads the target through `access_users` (so a target outside the
admin's subtree is ObjectNotFound), validates, saves inside one transaction and writes an audit row. Changes to
what an account may do (roles, region, enterprise, unmask grant, active, staff) are audited as PERMISSION;
passwords never reach the audit trail.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from laborcoop.accounts.access import region_code_in_scope, require_cap
from laborcoop.accounts.access_users import managed_users_for
from laborcoop.accounts.capabilities import Cap
from laborcoop.accounts.models import User
from laborcoop.accounts.roles import Role
from laborcoop.accounts.tokens import api_tokens_revoke_all
from laborcoop.core.audit import audit_record, diff, snapshot
from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.issues import Issues
from laborcoop.core.validation.phone import validate_mobile
from laborcoop.regions.models import Region, RegionLevel

USERNAME_REQUIRED = "请填写账号。"
USERNAME_TAKEN = "该账号已存在。"
PASSWORD_REQUIRED = "请填写密码。"
REGION_REQUIRED = "请填写所属区划代码。"
REGION_UNKNOWN = "区划代码不存在。"
REGION_ABOLISHED = "该区划已撤销，请填写现行区划代码。"
REGION_OUT_OF_SCOPE = "该地区不在您的管辖范围内。"
ROLES_REQUIRED = "请至少选择一个角色。"
ROLE_UNKNOWN = "未知角色：{role}。"
ENTERPRISE_REQUIRED = "企业用户必须绑定一个企业，请填写企业的统一社会信用代码。"
ENTERPRISE_NOT_FOUND = "未找到该企业，或该企业不在您的管辖范围内。"
ENTERPRISE_ROLE_EXCLUSIVE = "企业用户角色不能与其他角色同时授予。"
ENTERPRISE_ONLY_FOR_ENTERPRISE_ROLE = "只有企业用户角色才能绑定企业。"
ENTERPRISE_REGION_MISMATCH = "企业用户的所属区划必须与所绑定企业的所在地区一致。"
BROKER_REGION_LEVEL = "劳务经纪人的所属区划必须是乡镇（街道）或村（社区）。"
OWN_ROLES_UNCHANGEABLE = "不能修改自己的角色。"
OWN_ACCOUNT_UNDEACTIVATABLE = "不能停用自己的账号。"
UNMASK_GRANT_DENIED = "您本人没有查看完整证件号的权限，不能授予他人。"
STAFF_GRANT_DENIED = "只有平台运维人员可以授予后台管理权限。"
PASSWORD_RESET_REASON = "管理员重置密码"
OWN_PASSWORD_REASON = "本人修改密码"
OLD_PASSWORD_WRONG = "当前密码不正确。"
DEACTIVATED_REASON = "账号停用"
LOGIN_REASON = "登录系统"

# Fields shown in audit rows (phone is masked by core.audit).
PROFILE_FIELDS = ["username", "first_name", "phone"]
PERMISSION_FIELDS = ["home_region", "roles", "enterprise", "can_unmask_id", "is_active"]
USER_AUDIT_FIELDS = PROFILE_FIELDS + PERMISSION_FIELDS

_BROKER_LEVELS = (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)


@dataclass(frozen=True)
class _Assignment:
    """What an account is given: its roles, its home region and (enterprise users) its enterprise."""

    roles: list[str]
    region: Region | None
    enterprise: Any  # employers.Enterprise | None


def _normalized_roles(roles: Sequence[str], errors: Issues) -> list[str]:
    chosen = set(roles)
    for role in sorted(chosen - set(Role.values)):
        errors.error("roles", ROLE_UNKNOWN.format(role=role))
    ordered = [r for r in Role.values if r in chosen]  # stored in Role order, without duplicates
    if not ordered and not (chosen - set(Role.values)):
        errors.error("roles", ROLES_REQUIRED)
    return ordered


def _region(acting_user: Any, code: str, errors: Issues) -> Region | None:
    if not code:
        errors.error("home_region_code", REGION_REQUIRED)
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        errors.error("home_region_code", REGION_UNKNOWN)
        return None
    if not region.is_active:
        errors.error("home_region_code", REGION_ABOLISHED)
        return None
    if not region_code_in_scope(acting_user, region.code):
        errors.error("home_region_code", REGION_OUT_OF_SCOPE)
        return None
    return region


def _enterprise(acting_user: Any, uscc: str, errors: Issues) -> Any:
    """The enterprise (employers.Enterprise) with this USCC in the admin's subtree. employers sits above
    accounts in the layers; User.enterprise names it by string, and the enterprise is reached through that
    relation, never by an import."""
    enterprises: Any = User._meta.get_field("enterprise").related_model._default_manager
    enterprise = enterprises.select_related("region").filter(uscc=uscc.strip().upper()).first()
    if enterprise is None or not region_code_in_scope(acting_user, enterprise.region_id):
        errors.error("enterprise_uscc", ENTERPRISE_NOT_FOUND)
        return None
    return enterprise


def _assignment(
    acting_user: Any, *, roles: Sequence[str], region_code: str, enterprise_uscc: str, errors: Issues
) -> _Assignment:
    """Check roles, region and enterprise against each other and against the admin's subtree."""
    ordered = _normalized_roles(roles, errors)
    region_code = region_code.strip()
    enterprise_uscc = enterprise_uscc.strip()
    if Role.ENTERPRISE not in ordered:
        if enterprise_uscc:
            errors.error("enterprise_uscc", ENTERPRISE_ONLY_FOR_ENTERPRISE_ROLE)
        region = _region(acting_user, region_code, errors)
        if region is not None and Role.BROKER in ordered and region.level not in _BROKER_LEVELS:
            errors.error("home_region_code", BROKER_REGION_LEVEL)
        return _Assignment(roles=ordered, region=region, enterprise=None)
    if len(ordered) > 1:
        errors.error("roles", ENTERPRISE_ROLE_EXCLUSIVE)
    if not enterprise_uscc:
        errors.error("enterprise_uscc", ENTERPRISE_REQUIRED)
        return _Assignment(roles=ordered, region=None, enterprise=None)
    enterprise = _enterprise(acting_user, enterprise_uscc, errors)
    if enterprise is None:
        return _Assignment(roles=ordered, region=None, enterprise=None)
    # An enterprise user lives where the enterprise is; the region code may be left blank.
    if region_code and region_code != enterprise.region_id:
        errors.error("home_region_code", ENTERPRISE_REGION_MISMATCH)
    return _Assignment(roles=ordered, region=enterprise.region, enterprise=enterprise)


def _may_grant_unmask(acting_user: Any) -> bool:
    return bool(acting_user.is_superuser or acting_user.can_unmask_id)


def _phone(phone: str, errors: Issues) -> str:
    number, issues = validate_mobile(phone, field="phone")
    errors.merge(issues)
    return number


def _check_password(password: str, user: User, errors: Issues) -> None:
    if not password:
        errors.error("password", PASSWORD_REQUIRED)
        return
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        for message in exc.messages:
            errors.error("password", message)


def _current_uscc(user: User) -> str:
    enterprise: Any = user.enterprise
    return enterprise.uscc if enterprise is not None else ""


def _lock_managed(acting_user: Any, target: User) -> User:
    """The target row, locked, read again through the admin's scope."""
    locked = managed_users_for(acting_user).select_for_update(of=("self",)).filter(pk=target.pk).first()
    if locked is None:
        raise ObjectNotFound
    return locked


def _audit_region(user: User) -> str:
    return user.home_region_id or ""


def _save_new(user: User) -> None:
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # a concurrent create with the same username
        raise ValidationError({"username": [USERNAME_TAKEN]}) from exc


@transaction.atomic
def user_create(
    *,
    acting_user: Any,
    username: str,
    password: str,
    roles: Sequence[str],
    home_region_code: str = "",
    enterprise_uscc: str = "",
    full_name: str = "",
    phone: str = "",
    can_unmask_id: bool = False,
) -> User:
    """Create an active account in the admin's subtree. Raises ValidationError (field -> messages)."""
    require_cap(acting_user, Cap.USERS_MANAGE)
    errors = Issues()
    username = User.normalize_username(username.strip())
    if not username:
        errors.error("username", USERNAME_REQUIRED)
    elif User.objects.filter(username__iexact=username).exists():
        errors.error("username", USERNAME_TAKEN)
    assignment = _assignment(
        acting_user, roles=roles, region_code=home_region_code, enterprise_uscc=enterprise_uscc, errors=errors
    )
    if can_unmask_id and not _may_grant_unmask(acting_user):
        errors.error("can_unmask_id", UNMASK_GRANT_DENIED)
    user = User(
        username=username,
        first_name=full_name.strip(),
        phone=_phone(phone, errors),
        roles=assignment.roles,
        home_region=assignment.region,
        enterprise=assignment.enterprise,
        can_unmask_id=can_unmask_id,
        is_active=True,
    )
    _check_password(password, user, errors)
    errors.raise_if_errors()
    user.set_password(password)
    user.full_clean(exclude=["username"])  # uniqueness is checked above, case-insensitively
    _save_new(user)
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.CREATE,
        instance=user,
        region_code=_audit_region(user),
        changes=diff({}, snapshot(user, USER_AUDIT_FIELDS)),
    )
    return user


@transaction.atomic
def user_update(
    *,
    acting_user: Any,
    target: User,
    full_name: str | None = None,
    phone: str | None = None,
    roles: Sequence[str] | None = None,
    home_region_code: str | None = None,
    enterprise_uscc: str | None = None,
    can_unmask_id: bool | None = None,
    is_active: bool | None = None,
) -> User:
    """Change an account the admin manages; an argument left as None keeps the stored value.

    The audit row is PERMISSION when anything in PERMISSION_FIELDS changed, UPDATE otherwise; nothing is
    written when nothing changed.
    """
    require_cap(acting_user, Cap.USERS_MANAGE)
    locked = _lock_managed(acting_user, target)
    errors = Issues()
    is_self = locked.pk == acting_user.pk
    new_roles = list(locked.roles) if roles is None else list(roles)
    if is_self and set(new_roles) != set(locked.roles):
        errors.error("roles", OWN_ROLES_UNCHANGEABLE)
    assignment = _assignment(
        acting_user,
        roles=new_roles,
        region_code=(locked.home_region_id or "") if home_region_code is None else home_region_code,
        enterprise_uscc=_current_uscc(locked) if enterprise_uscc is None else enterprise_uscc,
        errors=errors,
    )
    if can_unmask_id and not locked.can_unmask_id and not _may_grant_unmask(acting_user):
        errors.error("can_unmask_id", UNMASK_GRANT_DENIED)
    if is_self and is_active is False:
        errors.error("is_active", OWN_ACCOUNT_UNDEACTIVATABLE)
    new_phone = locked.phone if phone is None else _phone(phone, errors)
    errors.raise_if_errors()

    before = snapshot(locked, USER_AUDIT_FIELDS)
    if full_name is not None:
        locked.first_name = full_name.strip()
    locked.phone = new_phone
    locked.roles = assignment.roles
    locked.home_region = assignment.region
    locked.enterprise = assignment.enterprise
    if can_unmask_id is not None:
        locked.can_unmask_id = can_unmask_id
    if is_active is not None:
        locked.is_active = is_active
    locked.full_clean(exclude=["username", "password"])
    changes = diff(before, snapshot(locked, USER_AUDIT_FIELDS))
    if not changes:
        return locked
    locked.save(update_fields=["first_name", "phone", *PERMISSION_FIELDS])
    permission_changed = any(name in changes for name in PERMISSION_FIELDS)
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.PERMISSION if permission_changed else AuditEntry.Action.UPDATE,
        instance=locked,
        region_code=_audit_region(locked),
        changes=changes,
    )
    if "is_active" in changes and not locked.is_active:
        api_tokens_revoke_all(acting_user=acting_user, user=locked, why=DEACTIVATED_REASON)
    return locked


@transaction.atomic
def user_set_password(*, acting_user: Any, target: User, password: str) -> User:
    """An admin sets a new password for an account they manage (the target's other sessions end, because
    Django ties sessions to the password hash). The audit row records that it happened, never the value."""
    require_cap(acting_user, Cap.USERS_MANAGE)
    locked = _lock_managed(acting_user, target)
    errors = Issues()
    _check_password(password, locked, errors)
    errors.raise_if_errors()
    return _password_store(acting_user=acting_user, user=locked, password=password, why=PASSWORD_RESET_REASON)


@transaction.atomic
def user_change_own_password(*, user: Any, old_password: str, password: str) -> User:
    """A signed-in user changes their own password: the current one must be right. Like an admin's reset it
    ends the user's other sessions and revokes their API tokens; the audit row never holds a value."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    errors = Issues()
    if not locked.check_password(old_password):
        errors.error("old_password", OLD_PASSWORD_WRONG)
    _check_password(password, locked, errors)
    errors.raise_if_errors()
    return _password_store(acting_user=locked, user=locked, password=password, why=OWN_PASSWORD_REASON)


def _password_store(*, acting_user: Any, user: User, password: str, why: str) -> User:
    """Save a checked new password on a locked user, audit it (never the value) and revoke the API tokens."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE,
        instance=user,
        region_code=_audit_region(user),
        reason=why,
    )
    api_tokens_revoke_all(acting_user=acting_user, user=user, why=why)
    return user


@transaction.atomic
def user_set_active(*, acting_user: Any, target: User, is_active: bool) -> User:
    """Enable or disable an account (accounts are disabled, never deleted: audit rows point at them)."""
    require_cap(acting_user, Cap.USERS_MANAGE)
    locked = _lock_managed(acting_user, target)
    if locked.pk == acting_user.pk and not is_active:
        raise ValidationError({"is_active": [OWN_ACCOUNT_UNDEACTIVATABLE]})
    if locked.is_active == is_active:
        return locked
    locked.is_active = is_active
    locked.save(update_fields=["is_active"])
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.PERMISSION,
        instance=locked,
        region_code=_audit_region(locked),
        changes={"is_active": [not is_active, is_active]},
    )
    if not is_active:
        api_tokens_revoke_all(acting_user=acting_user, user=locked, why=DEACTIVATED_REASON)
    return locked


@transaction.atomic
def user_set_staff(*, acting_user: Any, target: User, is_staff: bool) -> User:
    """Grant or withdraw access to the Django admin. Only platform operators (superusers) may."""
    if acting_user is None or not acting_user.is_authenticated or not acting_user.is_superuser:
        raise PermissionDeniedError(STAFF_GRANT_DENIED)
    locked = User.objects.select_for_update().get(pk=target.pk)
    if locked.is_staff == is_staff:
        return locked
    locked.is_staff = is_staff
    locked.save(update_fields=["is_staff"])
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.PERMISSION,
        instance=locked,
        region_code=_audit_region(locked),
        changes={"is_staff": [not is_staff, is_staff]},
    )
    return locked


def user_login_record(*, user: User) -> AuditEntry:
    """The audit row of a successful sign-in (called from the user_logged_in signal)."""
    return audit_record(
        actor=user,
        action=AuditEntry.Action.LOGIN,
        instance=user,
        region_code=_audit_region(user),
        reason=LOGIN_REASON,
    )
