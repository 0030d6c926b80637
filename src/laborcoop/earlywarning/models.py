"""Early warnings (预警): one row per (rule, subject) while the rule's condition holds.

`region` is the responsible region: the home village of the laborer or household concerned, so warning lists
are a code-range filter like every other scoped list. `subject_key` names the subject ("L<laborer id>",
"H<household id>", "R<employment record id>"); at most one live (not 已消除) warning per rule and subject."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from laborcoop.core.models import BaseModel
from laborcoop.earlywarning.choices import Severity, WarningStatus


class EarlyWarning(BaseModel):
    rule = models.CharField("预警规则", max_length=40)
    severity = models.CharField("严重程度", max_length=8, choices=Severity.choices)
    status = models.CharField("状态", max_length=10, choices=WarningStatus.choices, default=WarningStatus.OPEN)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="责任地区",
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
        db_index=False,  # covered by warning_region_idx
    )
    subject_key = models.CharField("对象", max_length=24)
    laborer = models.ForeignKey(
        "registry.Laborer", verbose_name="人员", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name="家庭", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    detail = models.CharField("预警内容", max_length=300)
    data: models.JSONField[dict[str, Any]] = models.JSONField("数据", default=dict, blank=True)
    last_seen_at = models.DateTimeField("最近检出时间")
    due_date = models.DateField("处理时限", null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="负责人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    resolution = models.CharField("处理说明", max_length=300, blank=True)
    resolved_at = models.DateTimeField("消除时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = "预警"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_key"],
                condition=~Q(status=WarningStatus.RESOLVED),
                name="warning_one_live_per_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status", "rule"], name="warning_region_idx"),
            models.Index(fields=["laborer", "status"], name="warning_laborer_idx"),
            models.Index(fields=["household", "status"], name="warning_household_idx"),
            models.Index(fields=["rule", "status"], name="warning_rule_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.subject_key}"


class WarningSettings(BaseModel):
    """The warning rules of one province as its admin set them: per rule enabled, severity and thresholds
    (`values` = {rule code: {"enabled": bool, "severity": str, <threshold name>: number}}; a missing entry
    takes the rule's defaults in earlywarning.rules)."""

    province = models.OneToOneField(
        "regions.Region",
        verbose_name="省份",
        on_delete=models.PROTECT,
        db_column="province_code",
        related_name="+",
    )
    values: models.JSONField[dict[str, dict[str, Any]]] = models.JSONField("规则参数", default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "预警规则设置"
        verbose_name_plural = "预警规则设置"

    def __str__(self) -> str:
        return f"预警规则设置 {self.province_id}"


class WarningRun(BaseModel):
    """One evaluation of the rules (nightly, or over one subtree on demand): counts and timings."""

    class Status(models.TextChoices):
        RUNNING = "running", "运行中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "失败"

    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RUNNING)
    scope_code = models.CharField("范围", max_length=12, blank=True)  # "" = whole platform
    raised = models.PositiveIntegerField("新增预警", default=0)
    resolved = models.PositiveIntegerField("消除预警", default=0)
    live = models.PositiveIntegerField("现有预警", default=0)
    seconds = models.FloatField("用时（秒）", default=0)
    error = models.TextField("错误", blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "预警运行"
        verbose_name_plural = "预警运行"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"预警运行 {self.pk}"
