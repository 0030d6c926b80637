"""Roles and the capabilities each grants. Only the accounts app (the access layer, user management) and the
demo and benchmark data read roles: every other module asks accounts.access (`user_can(user, Cap.X)`,
`is_enterprise_user`, ...). An import-linter contract in pyproject.toml keeps it so. Scope (which rows) is
separate: see accounts.access."""

from django.db import models

from laborcoop.accounts.capabilities import Cap


class Role(models.TextChoices):
    ADMIN = "admin", "管理员"  # manages users below their region, sees the audit trail, edits everything
    OFFICER = "officer", "经办人"  # HR staff: registry, enterprises and jobs in their subtree
    VIEWER = "viewer", "只读"  # reads everything in their subtree, changes nothing
    BROKER = "broker", "劳务经纪人"  # village broker: collects and updates laborer data in their village(s)
    ENTERPRISE = "enterprise", "企业用户"  # bound to one enterprise: its profile and its jobs only
    HOTLINE = "hotline", "12333 热线"  # looks people and jobs up for callers; changes nothing


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
            Cap.PHONE_CALL,
        }
    ),
    Role.VIEWER: frozenset(
        {Cap.REGISTRY_VIEW, Cap.EMPLOYERS_VIEW, Cap.JOBS_VIEW, Cap.STATS_VIEW, Cap.COMPARISON_VIEW, Cap.WARNINGS_VIEW}
    ),
    Role.BROKER: frozenset(
        {
            Cap.REGISTRY_VIEW,
            Cap.REGISTRY_EDIT,
            Cap.JOBS_VIEW,
            Cap.STATS_VIEW,
            Cap.COMPARISON_VIEW,
            Cap.WARNINGS_VIEW,
            Cap.PHONE_CALL,
        }
    ),
    Role.ENTERPRISE: frozenset({Cap.EMPLOYERS_VIEW, Cap.EMPLOYERS_EDIT, Cap.JOBS_VIEW, Cap.JOBS_EDIT}),
    Role.HOTLINE: frozenset({Cap.REGISTRY_VIEW, Cap.EMPLOYERS_VIEW, Cap.JOBS_VIEW, Cap.PHONE_CALL}),
}


def caps_for_roles(roles: list[str]) -> frozenset[str]:
    caps: set[str] = set()
    for role in roles:
        caps |= ROLE_CAPS.get(role, frozenset())
    return frozenset(caps)
