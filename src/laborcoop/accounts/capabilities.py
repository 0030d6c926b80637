"""What a user may do (capabilities). Views and services name the capability they need and ask the access
layer (`accounts.access.user_can`, `require_cap`); which roles grant which capability is in accounts.roles."""

from django.db import models


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
    # Dial a laborer's or household's phone from their page (the clear number in a tel: link, audited): the staff
    # who call people (officers, brokers, the hotline); not read-only accounts or enterprises.
    PHONE_CALL = "registry.call", "拨打人员电话"
