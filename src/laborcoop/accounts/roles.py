"""Roles and what each may do. Scope (which rows) is separate: see accounts.access."""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "管理员"  # manages users below their region, sees the audit trail, edits everything
    OFFICER = "officer", "经办人"  # HR staff: registry, enterprises and jobs in their subtree
    VIEWER = "viewer", "只读"  # reads everything in their subtree, changes nothing
    BROKER = "broker", "劳务经纪人"  # village broker: collects and updates laborer data in their village(s)
    ENTERPRISE = "enterprise", "企业用户"  # bound to one enterprise: its profile and its jobs only
    HOTLINE = "hotline", "12333 热线"  # looks people and jobs up for callers; changes nothing


class Cap(models.TextChoices):
    REGISTRY_VIEW = "registry.view", "查看人员与家庭"
    REGISTRY_EDIT = "registry.edit", "登记和修改人员与家庭"
    EMPLOYERS_VIEW = "employers.view", "查看企业"
    EMPLOYERS_EDIT = "employers.edit", "登记和修改企业"
    JOBS_VIEW = "jobs.view", "查看岗位"
    JOBS_EDIT = "jobs.edit", "发布和修改岗位"
    USERS_MANAGE = "users.manage", "管理下级账号"
    AUDIT_VIEW = "audit.view", "查看审计记录"
    STATS_VIEW = "stats.view", "查看统计"
    COMPARISON_VIEW = "comparison.view", "查看和参与数据比对"  # staff and brokers; not the hotline or enterprises
    WARNINGS_VIEW = "warnings.view", "查看预警"  # staff and brokers; not the hotline or enterprises


ROLE_CAPS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(Cap.values),
    Role.OFFICER: frozenset(
        {
            Cap.REGISTRY_VIEW,
            Cap.REGISTRY_EDIT,
            Cap.EMPLOYERS_VIEW,
            Cap.EMPLOYERS_EDIT,
            Cap.JOBS_VIEW,
            Cap.JOBS_EDIT,
            Cap.STATS_VIEW,
            Cap.COMPARISON_VIEW,
            Cap.WARNINGS_VIEW,
        }
    ),
    Role.VIEWER: frozenset(
        {Cap.REGISTRY_VIEW, Cap.EMPLOYERS_VIEW, Cap.JOBS_VIEW, Cap.STATS_VIEW, Cap.COMPARISON_VIEW, Cap.WARNINGS_VIEW}
    ),
    Role.BROKER: frozenset(
        {Cap.REGISTRY_VIEW, Cap.REGISTRY_EDIT, Cap.JOBS_VIEW, Cap.STATS_VIEW, Cap.COMPARISON_VIEW, Cap.WARNINGS_VIEW}
    ),
    Role.ENTERPRISE: frozenset({Cap.EMPLOYERS_VIEW, Cap.EMPLOYERS_EDIT, Cap.JOBS_VIEW, Cap.JOBS_EDIT}),
    Role.HOTLINE: frozenset({Cap.REGISTRY_VIEW, Cap.EMPLOYERS_VIEW, Cap.JOBS_VIEW}),
}


def caps_for_roles(roles: list[str]) -> frozenset[str]:
    caps: set[str] = set()
    for role in roles:
        caps |= ROLE_CAPS.get(role, frozenset())
    return frozenset(caps)
