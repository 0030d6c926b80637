"""Starting exports. Small exports are written in the request; large ones become an ExportJob run by
exports.tasks.run_export. Either way the export is recorded as an ExportJob row with an EXPORT audit entry."""

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from laborcoop.core.audit import audit_record
from laborcoop.core.logging import redact
from laborcoop.core.models import AuditEntry
from laborcoop.exports import conf, writers
from laborcoop.exports.access import require_unmask
from laborcoop.exports.choices import (
    LEDGER_KINDS,
    MASKED_ONLY_KINDS,
    PERSONAL_KINDS,
    XLSX_ONLY_KINDS,
    ExportFormat,
    ExportKind,
    ExportStatus,
)
from laborcoop.exports.columns import ExportContext
from laborcoop.exports.filters import seal_filters
from laborcoop.exports.models import ExportJob
from laborcoop.exports.selectors import export_source
from laborcoop.exports.tasks import run_export

KIND_INVALID = "不支持的导出内容。"
FORMAT_INVALID = "不支持的文件格式。"
LEDGER_XLSX_ONLY = "台账只能导出为 Excel（.xlsx）文件。"
XLSX_ONLY = "该内容只能导出为 Excel（.xlsx）文件。"
UNMASK_NOT_APPLICABLE = "该导出不含证件号码和电话，无需选择导出完整信息。"
UNMASK_MASKED_ONLY = "在本地务工人员只能导出脱敏的姓名和证件号码，不能导出完整信息。"
REASON_REQUIRED = "导出完整证件号和电话时，请填写导出原因。"
REASON_TOO_LONG = "导出原因不能超过 200 字。"
REASON_MAX_LENGTH = 200
# Shown on the job page when an export goes to the background (the pages starting exports say it).
BACKGROUND_STARTED = "导出的数据较多，已转入后台生成，完成后可在此页面下载。"


@dataclass
class DirectExport:
    """An export small enough to send in the response: `chunks` yields the file's bytes (lazily for csv)."""

    job: ExportJob
    filename: str
    content_type: str
    chunks: Iterator[bytes]


def download_name(job: ExportJob) -> str:
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    return f"{job.get_kind_display()}-{stamp}.{job.format}"


def audit_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    """Filters as the audit row keeps them: a search text that is an ID or mobile number is redacted."""
    return {key: redact(value) if isinstance(value, str) else value for key, value in filters.items()}


def _needs_background(fmt: str, rows: int) -> bool:
    if rows > conf.direct_max_rows():
        return True
    return fmt == ExportFormat.XLSX and rows > conf.xlsx_direct_max_rows()


def _validate_kind(*, kind: str, fmt: str) -> None:
    if kind not in ExportKind.values:
        raise ValidationError({"kind": KIND_INVALID})
    if fmt not in ExportFormat.values:
        raise ValidationError({"format": FORMAT_INVALID})
    if kind in LEDGER_KINDS and fmt != ExportFormat.XLSX:
        raise ValidationError({"format": LEDGER_XLSX_ONLY})
    if kind in XLSX_ONLY_KINDS and fmt != ExportFormat.XLSX:
        raise ValidationError({"format": XLSX_ONLY})


def _validate_unmask(*, acting_user: Any, kind: str, unmasked: bool, reason: str) -> None:
    if not unmasked:
        return
    require_unmask(acting_user)
    if kind in MASKED_ONLY_KINDS:
        raise ValidationError({"unmasked": UNMASK_MASKED_ONLY})
    if kind not in PERSONAL_KINDS:
        raise ValidationError({"unmasked": UNMASK_NOT_APPLICABLE})
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    if len(reason.strip()) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": REASON_TOO_LONG})


def export_start(
    *,
    acting_user: Any,
    kind: str,
    fmt: str,
    filters: Mapping[str, Any],
    unmasked: bool = False,
    reason: str = "",
) -> ExportJob | DirectExport:
    """Start an export of `kind` for `acting_user`, with the list page's `filters`.

    The rows come from the list pages' selectors (PermissionDeniedError for a role that may not see them;
    only rows in the user's scope). Unmasked exports need `can_unmask_id` (PermissionDeniedError) and a
    reason (ValidationError). Nothing is recorded when the request is refused.

    csv up to DIRECT_MAX_ROWS and xlsx up to XLSX_DIRECT_MAX_ROWS rows are returned as a DirectExport (csv
    streamed); larger exports return a queued ExportJob, run once the transaction commits.
    """
    _validate_kind(kind=kind, fmt=fmt)
    filters = {key: value for key, value in filters.items() if value not in ("", None, False, [])}
    source = export_source(user=acting_user, kind=kind, filters=filters)
    _validate_unmask(acting_user=acting_user, kind=kind, unmasked=unmasked, reason=reason)
    rows = source.count()
    background = _needs_background(fmt, rows)
    now = timezone.now()
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=kind,
            format=fmt,
            # A background job re-runs the search; a direct export keeps only what the audit row keeps.
            filters=seal_filters(filters) if background else audit_filters(filters),
            masked=not unmasked,
            reason=reason.strip() if unmasked else "",
            requested_by=acting_user,
            region_code=acting_user.home_region_id or "",
            is_direct=not background,
            status=ExportStatus.QUEUED if background else ExportStatus.SUCCEEDED,
            rows_total=rows,
            rows_written=0 if background else rows,
            progress=0 if background else 100,
            started_at=None if background else now,
            finished_at=None if background else now,
        )
        audit_record(
            actor=acting_user,
            action=AuditEntry.Action.EXPORT,
            instance=job,
            region_code=job.region_code,
            changes={
                "kind": kind,
                "format": fmt,
                "rows": rows,
                "filters": audit_filters(filters),
                "masked": job.masked,
                "background": background,
            },
            reason=job.reason,
        )
        if background:
            transaction.on_commit(partial(run_export.enqueue, job.pk))
    if background:
        return job
    return _direct(job, source)


def _direct(job: ExportJob, source: Any) -> DirectExport:
    ctx = ExportContext(masked=job.masked)
    name = download_name(job)
    if job.format == ExportFormat.CSV:
        return DirectExport(job, name, writers.CSV_CONTENT_TYPE, writers.csv_stream(source.header, source.rows(ctx)))
    out = io.BytesIO()
    if hasattr(source, "write_xlsx"):  # a registered source with its own workbook (exports.sources)
        source.write_xlsx(ctx, out)
    elif job.kind in LEDGER_KINDS:
        writers.write_ledger_xlsx(source, ctx, out, today=timezone.localdate())
    else:
        writers.write_list_xlsx(source, ctx, out)
    return DirectExport(job, name, writers.XLSX_CONTENT_TYPE, iter([out.getvalue()]))
