"""Running a background export job: rebuild the requester's scoped rows, write the file, record progress."""

import logging
import tempfile

from django.core.files import File
from django.utils import timezone

from laborcoop.core.errors import PermissionDeniedError
from laborcoop.core.logging import redact
from laborcoop.exports import writers
from laborcoop.exports.access import require_unmask
from laborcoop.exports.choices import LEDGER_KINDS, ExportFormat, ExportStatus
from laborcoop.exports.columns import ExportContext
from laborcoop.exports.filters import open_filters
from laborcoop.exports.models import ExportJob
from laborcoop.exports.selectors import export_source

logger = logging.getLogger(__name__)

JOB_FAILED = "导出失败，请稍后重试或联系管理员。"
JOB_DENIED = "您的权限已变更，无法完成此导出。"
DETAIL_PREFIX = "导出文件写入失败："
DETAIL_MAX_MESSAGE = 1000


def _storage_name(job: ExportJob) -> str:
    return f"{job.kind}-{timezone.localtime(job.created_at):%Y%m%d-%H%M%S}-{job.pk}.{job.format}"


def export_job_run(*, job_id: int) -> None:
    """Write the job's file. Runs with the requester's current rights: rows come through the same scoped
    selectors, and an unmasked job fails if the requester lost `can_unmask_id` since asking.

    Idempotent: a finished job is left alone; a job found running (a worker died) starts over.
    """
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.is_finished:
        return
    job.status = ExportStatus.RUNNING
    job.started_at = timezone.now()
    job.progress = job.rows_written = 0
    job.save(update_fields=["status", "started_at", "progress", "rows_written", "updated_at"])
    try:
        _write(job)
    except PermissionDeniedError:
        _fail(job, JOB_DENIED)
    except Exception as exc:
        # The message and traceback go through the log redaction filter; the job row gets a plain message for
        # the requester and the cause for admins (redacted the same way).
        logger.exception("export job %s failed", job.pk)
        _fail(job, JOB_FAILED, detail=failure_detail(exc))


def _write(job: ExportJob) -> None:
    user = job.requested_by
    if not job.masked:
        require_unmask(user)
    source = export_source(user=user, kind=job.kind, filters=open_filters(job.filters))
    total = source.count()
    ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
    done = 0

    def on_chunk(rows: int) -> None:
        nonlocal done
        done = rows
        progress = min(99, rows * 100 // total) if total else 99
        ExportJob.objects.filter(pk=job.pk).update(rows_written=rows, progress=progress)

    ctx = ExportContext(masked=job.masked)
    with tempfile.TemporaryFile() as out:
        if hasattr(source, "write_xlsx"):  # a registered source with its own workbook (exports.sources)
            source.write_xlsx(ctx, out, on_chunk)
        elif job.format == ExportFormat.CSV:
            writers.write_csv(source, ctx, out, on_chunk)
        elif job.kind in LEDGER_KINDS:
            writers.write_ledger_xlsx(source, ctx, out, on_chunk, today=timezone.localdate())
        else:
            writers.write_list_xlsx(source, ctx, out, on_chunk)
        out.seek(0)
        job.file.save(_storage_name(job), File(out), save=False)
    job.rows_total = total
    job.rows_written = done
    job.progress = 100
    job.status = ExportStatus.SUCCEEDED
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "rows_total", "rows_written", "progress", "status", "finished_at", "updated_at"])


def failure_detail(exc: BaseException) -> str:
    """The cause of a failed export as admins see it: the exception's class and message, with ID and phone
    numbers (and personal links) removed, e.g. "导出文件写入失败：OSError: [Errno 28] No space left on device"."""
    message = redact(str(exc))[:DETAIL_MAX_MESSAGE]
    cause = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return f"{DETAIL_PREFIX}{cause}"


def _fail(job: ExportJob, message: str, *, detail: str = "") -> None:
    job.status = ExportStatus.FAILED
    job.error = message
    job.error_detail = detail
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "error_detail", "finished_at", "updated_at"])
