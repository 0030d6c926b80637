"""Import jobs are rows: one uploaded file, its status and progress, its counters and its issues.

The task (`intake.tasks.run_import`) takes only the job id and calls `intake.services.import_run`, which is
idempotent and resumable: counters and `rows_done` are committed together with each chunk of rows written.
"""

from django.conf import settings
from django.db import models

from laborcoop.core.models import BaseModel
from laborcoop.core.uploads import RetainedUpload
from laborcoop.intake.columns import ImportKind


class ImportJob(RetainedUpload, BaseModel):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"  # stored and enqueued; no worker has picked it up yet
        RUNNING = "running", "导入中"  # a worker is reading and writing chunks; rows_done grows with each chunk
        SUCCEEDED = "succeeded", "已完成"  # every row was saved or reported (rejected rows do not fail a job)
        FAILED = "failed", "失败"  # the file could not be read or lacks required columns; `error` says why

    kind = models.CharField("导入类型", max_length=16, choices=ImportKind.choices)
    original_name = models.CharField("文件名", max_length=255)
    file = models.FileField("文件", upload_to="imports/%Y/%m/", max_length=255)
    sha256 = models.CharField("文件摘要（SHA-256）", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
        db_index=False,  # covered by importjob_uploader_idx
    )
    # The uploader's home region at upload time: admins of the enclosing regions see the job.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="上传人所属区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
        db_index=False,  # covered by importjob_region_idx
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    sheet = models.CharField("工作表", max_length=100, blank=True)
    header_row = models.PositiveIntegerField("表头所在行", null=True, blank=True)
    rows_total = models.PositiveIntegerField("数据行数", default=0)
    rows_done = models.PositiveIntegerField("已处理行数", default=0)  # data rows committed; resuming skips them
    rows_created = models.PositiveIntegerField("新增", default=0)
    rows_updated = models.PositiveIntegerField("更新", default=0)
    rows_unchanged = models.PositiveIntegerField("无变化", default=0)
    rows_rejected = models.PositiveIntegerField("拒绝", default=0)
    rows_warned = models.PositiveIntegerField("有提示", default=0)
    error = models.TextField("错误信息", blank=True)
    report = models.FileField("问题报告", upload_to="imports/reports/%Y/%m/", blank=True, max_length=255)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["uploaded_by", "-created_at"], name="importjob_uploader_idx"),
            models.Index(fields=["region", "-created_at"], name="importjob_region_idx"),
            models.Index(fields=["status", "created_at"], name="importjob_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


class ImportIssue(models.Model):
    """One problem found in one row: an error (the row was rejected) or a warning (the row was saved)."""

    class Severity(models.TextChoices):
        ERROR = "error", "错误"
        WARNING = "warning", "提示"

    job = models.ForeignKey(
        ImportJob,
        verbose_name="导入任务",
        on_delete=models.CASCADE,
        related_name="issues",
        db_index=False,  # covered by importissue_job_row_idx
    )
    row = models.PositiveIntegerField("行号")
    column = models.CharField("列", max_length=100, blank=True)
    value = models.CharField("值（脱敏）", max_length=200, blank=True)
    severity = models.CharField("级别", max_length=8, choices=Severity.choices)
    reason = models.CharField("原因", max_length=500)

    class Meta:
        verbose_name = "导入问题"
        verbose_name_plural = "导入问题"
        ordering = ["job", "row", "id"]
        indexes = [
            models.Index(fields=["job", "row", "id"], name="importissue_job_row_idx"),
            models.Index(fields=["job", "severity"], name="importissue_job_sev_idx"),
        ]

    def __str__(self) -> str:
        return f"第 {self.row} 行：{self.reason}"
