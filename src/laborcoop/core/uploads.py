"""Retention of stored uploads (import files, comparison lists): encrypted while kept, deleted after
`LABORCOOP_UPLOAD_RETENTION_DAYS` (default 30) days by `manage.py purge_uploads` (nightly). The job rows, their
counters, issues and reports (masked values only) are kept; the row records when its file went.

A model takes part by mixing in `RetainedUpload` (a `file` FileField, `created_at`, `status`); the command
finds such models through the app registry, so core imports none of them.
"""

from datetime import date, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

DEFAULT_RETENTION_DAYS = 30
# Shown on the job pages and given as the reason a run cannot start.
UPLOAD_PURGED = "原始文件已按保留期限（{days}天）删除"
UPLOAD_WILL_BE_PURGED = "原始文件加密保存，将于 {day} 按保留期限（{days}天）删除"
UPLOAD_UNREADABLE = "原始文件无法读取（文件缺失、已损坏或加密密钥不符），请重新上传文件。"
UPLOAD_PURGED_CANNOT_RUN = "原始文件已按保留期限（{days}天）删除，无法重新运行；如需重新处理，请重新上传文件。"


def retention_days() -> int:
    return int(getattr(settings, "LABORCOOP_UPLOAD_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


class RetainedUpload(models.Model):
    """An uploaded file kept for a limited time (mixed into a job model that has `file` and `created_at`)."""

    # Statuses during which the file is being read: a purge waits for the next night.
    UPLOAD_BUSY_STATUSES: ClassVar[tuple[str, ...]] = ("running",)

    file_purged_at = models.DateTimeField("原始文件删除时间", null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    created_at: Any
    file: Any
    objects: ClassVar[models.Manager[Any]]

    @property
    def file_purge_on(self) -> date:
        """The day the file is (or was due to be) deleted."""
        if self.file_purged_at is not None:
            return timezone.localdate(self.file_purged_at)
        return timezone.localdate(self.created_at) + timedelta(days=retention_days())

    @property
    def retention_note(self) -> str:
        if self.file_purged_at is not None:
            return f"{UPLOAD_PURGED.format(days=retention_days())}（{self.file_purge_on.isoformat()}）"
        return UPLOAD_WILL_BE_PURGED.format(day=self.file_purge_on.isoformat(), days=retention_days())

    @property
    def file_purged(self) -> bool:
        return self.file_purged_at is not None


def purged_cannot_run_message() -> str:
    return UPLOAD_PURGED_CANNOT_RUN.format(days=retention_days())


def purge_expired(model: type[RetainedUpload], *, now: Any = None, days: int | None = None) -> int:
    """Delete the stored files of `model` rows older than the retention; returns how many. The file goes
    first, then the row records it (a crash in between leaves a row whose missing file the next run
    records). Idempotent."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days() if days is None else days)
    due = (
        model.objects.filter(created_at__lt=cutoff, file_purged_at__isnull=True)
        .exclude(status__in=model.UPLOAD_BUSY_STATUSES)
        .order_by("pk")
    )
    purged = 0
    for row in due.iterator(chunk_size=500):
        if row.file:
            row.file.storage.delete(row.file.name)
        model.objects.filter(pk=row.pk, file_purged_at__isnull=True).update(file="", file_purged_at=now)
        purged += 1
    return purged


def retained_upload_models() -> list[type[RetainedUpload]]:
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, RetainedUpload)]
