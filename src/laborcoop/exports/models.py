from typing import Any

from django.conf import settings
from django.db import models

from laborcoop.core.models import BaseModel
from laborcoop.exports.choices import ExportFormat, ExportKind, ExportStatus


class ExportJob(BaseModel):
    """One export a user asked for: what (kind + filters), how (format, masked), and how far it got.

    Small exports are written in the request (`is_direct`, no file kept); large ones run as a background task
    that writes `file`. Only the requester can see the row or download its file (exports.access).
    `filters` holds the list page's filter values as given, so the task can rebuild the same scoped query.
    """

    kind = models.CharField("导出内容", max_length=20, choices=ExportKind.choices)
    format = models.CharField("文件格式", max_length=4, choices=ExportFormat.choices)
    filters: models.JSONField[dict[str, Any]] = models.JSONField("筛选条件", default=dict, blank=True)
    masked = models.BooleanField("脱敏", default=True)
    reason = models.CharField("导出完整信息的原因", max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="export_jobs"
    )
    region_code = models.CharField("申请人所属区划", max_length=12, blank=True)
    is_direct = models.BooleanField("直接下载", default=False)
    status = models.CharField("状态", max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    rows_total = models.PositiveIntegerField("总行数", default=0)
    rows_written = models.PositiveIntegerField("已写入行数", default=0)
    file = models.FileField("文件", upload_to="exports/%Y/%m/", blank=True)
    error = models.CharField("错误信息", max_length=500, blank=True)
    # The cause of a failure for admins ("导出文件写入失败：OSError: …"), redacted like the log: no ID or phone numbers.
    error_detail = models.TextField("错误详情（管理员）", blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "created_at"], name="exportjob_user_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="exportjob_progress_max_100"),
            # An unmasked export always says why.
            models.CheckConstraint(
                condition=models.Q(masked=True) | ~models.Q(reason=""), name="exportjob_unmasked_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_format_display()}）#{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.SUCCEEDED, ExportStatus.FAILED)
