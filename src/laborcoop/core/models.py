from typing import Any

from django.conf import settings
from django.db import models


class BaseModel(models.Model):
    """Every table records when a row was created and last changed."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One change made through a service: who, when, what, old -> new, why.

    `region_code` is the region of the changed object, so that audit search is scoped like the data itself.
    Personal values in `changes` are stored masked (see core.audit).
    """

    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        UNMASK = "unmask", "查看完整证件号"
        CALL = "call", "拨打电话（查看号码）"
        PERSONAL_LINK = "personal_link", "查看个人链接"
        EXPORT = "export", "导出"
        LOGIN = "login", "登录"
        PERMISSION = "permission", "权限变更"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    object_type = models.CharField("对象类型", max_length=40)
    object_id = models.CharField("对象编号", max_length=40)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    region_code = models.CharField("所属区划", max_length=12, blank=True)
    changes: models.JSONField[dict[str, Any]] = models.JSONField("变更内容", default=dict, blank=True)
    reason = models.CharField("原因", max_length=500, blank=True)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx"),
            models.Index(fields=["region_code", "at"], name="audit_region_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type}#{self.object_id}"


class JobLease(models.Model):
    """The lease of one running background job (see core.jobs): which worker process runs it and when that
    worker last showed it was alive. Deleted when the job's task ends; a row left behind with an old heartbeat
    is a job whose worker died. `worker` is empty while recovery has re-queued the job and no worker has taken it
    again; `attempts` counts the starts since the last success or user retry."""

    kind = models.CharField("任务类型", max_length=40)
    object_id = models.BigIntegerField("任务编号")
    worker = models.CharField("处理进程", max_length=100, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳")
    attempts = models.PositiveSmallIntegerField("启动次数", default=1)

    class Meta:
        verbose_name = "后台任务租约"
        verbose_name_plural = "后台任务租约"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="joblease_kind_object_uniq")]
        indexes = [models.Index(fields=["heartbeat_at"], name="joblease_heartbeat_idx")]

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_id}"
