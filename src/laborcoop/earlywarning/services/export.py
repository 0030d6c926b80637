"""Exporting the filtered warning list as csv or xlsx, masked, with an audit row.

The rows are the list page's (earlywarning.selectors.warning_list: capability and region scope from the access
layer); the writing reuses the exports app's streaming csv and constant-memory xlsx writers and its per-chunk
region names. Identity is always masked (证件号码 masked, phone numbers inside details were masked when the
warning was raised): a warning list never needs the clear number. The export is written in the request
(csv streamed; xlsx up to the exports app's direct limit, beyond which the caller is asked to narrow the
filters or take csv) and recorded as an EXPORT audit entry with the filters and the row count.
"""

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from laborcoop.core.models import AuditEntry
from laborcoop.earlywarning.models import EarlyWarning
from laborcoop.earlywarning.rules import rule_title
from laborcoop.earlywarning.selectors import WarningFilters, age_days, warning_list
from laborcoop.exports import conf, writers
from laborcoop.exports.choices import ExportKind
from laborcoop.exports.columns import Column, ExportContext, day
from laborcoop.exports.models import ExportJob
from laborcoop.exports.selectors import ListSource
from laborcoop.exports.services import export_start

FORMATS = ("csv", "xlsx")
ERR_FORMAT = "不支持的文件格式。"
SUBJECT_KIND_LABELS = {"L": "人员", "H": "家庭", "R": "就业记录"}


def _subject_kind(w: EarlyWarning, ctx: ExportContext) -> str:
    return SUBJECT_KIND_LABELS.get(w.subject_key[:1], "")


def _minute(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _columns(today: date) -> list[Column]:
    return [
        Column("预警规则", lambda w, ctx: rule_title(w.rule), 18),
        Column("严重程度", lambda w, ctx: w.get_severity_display(), 8),
        Column("状态", lambda w, ctx: w.get_status_display(), 8),
        Column("对象类型", _subject_kind, 8),
        Column("姓名", lambda w, ctx: w.laborer.name if w.laborer_id else "", 10),
        Column("证件号码", lambda w, ctx: w.laborer.id_masked if w.laborer_id else "", 22),
        Column("户编号", lambda w, ctx: w.household.household_no if w.household_id else "", 20),
        Column("责任地区", lambda w, ctx: ctx.regions.path(w.region_id), 40),
        Column("预警内容", lambda w, ctx: w.detail, 50),
        Column("首次预警日期", lambda w, ctx: day(timezone.localdate(w.created_at)), 12),
        Column("预警天数", lambda w, ctx: age_days(w, today), 8),
        Column("处理时限", lambda w, ctx: day(w.due_date), 12),
        Column("是否逾期", lambda w, ctx: "是" if w.status == "open" and w.due_date and w.due_date < today else "", 8),
        Column("负责人", lambda w, ctx: str(w.owner) if w.owner_id else "", 12),
        Column("处理人", lambda w, ctx: str(w.handled_by) if w.handled_by_id else "", 12),
        Column("处理时间", lambda w, ctx: _minute(w.handled_at), 16),
        Column("处理说明", lambda w, ctx: w.resolution, 30),
        Column("消除时间", lambda w, ctx: _minute(w.resolved_at), 16),
    ]  # fmt: skip


@dataclass
class WarningExport:
    filename: str
    content_type: str
    chunks: Iterator[bytes]
    rows: int


def _audit_filters(f: WarningFilters) -> dict[str, Any]:
    values = {
        "rule": f.rule,
        "severity": f.severity,
        "status": f.status,
        "region": f.region,
        "min_age": f.min_age,
        "overdue": f.overdue,
    }
    return {key: value for key, value in values.items() if value not in ("", None, False)}


def warning_list_source(user: Any, filters: WarningFilters) -> ListSource:
    """The rows and columns of a warning export (earlywarning.export_source builds it for the background job)."""
    queryset = warning_list(user=user, filters=filters).select_related("handled_by")
    return ListSource("预警", queryset, _columns(timezone.localdate()))


def warning_export(
    *, acting_user: Any, filters: WarningFilters, fmt: str, query: Mapping[str, Any] | None = None
) -> WarningExport | ExportJob:
    """The export of the list `filters` select for `acting_user` (PermissionDeniedError for a role that may
    not see warnings). ValidationError for an unknown format; nothing is recorded then. An export too large to
    write in about a second becomes a background export job of the list page's `query` (exports app: progress
    bar, download, retry), returned instead of the file."""
    if fmt not in FORMATS:
        raise ValidationError({"format": ERR_FORMAT})
    queryset = warning_list(user=acting_user, filters=filters).select_related("handled_by")
    rows = queryset.count()
    if rows > conf.direct_max_rows() or (fmt == "xlsx" and rows > conf.xlsx_direct_max_rows()):
        started = export_start(acting_user=acting_user, kind=ExportKind.WARNINGS, fmt=fmt, filters=dict(query or {}))
        if isinstance(started, ExportJob):
            return started
        # Rows went away since the count: the exports app wrote it in the request (and audited it).
        return WarningExport(started.filename, started.content_type, started.chunks, started.job.rows_total)
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        AuditEntry.objects.create(
            actor=acting_user,
            action=AuditEntry.Action.EXPORT,
            object_type=EarlyWarning._meta.label_lower,
            object_id="list",
            object_repr="预警列表",
            region_code=acting_user.home_region_id or "",
            changes={"format": fmt, "rows": rows, "filters": _audit_filters(filters), "masked": True},
        )
    source = ListSource("预警", queryset, _columns(today))
    ctx = ExportContext(masked=True)
    name = f"预警-{timezone.localtime(now):%Y%m%d-%H%M}.{fmt}"
    if fmt == "csv":
        return WarningExport(name, writers.CSV_CONTENT_TYPE, writers.csv_stream(source.header, source.rows(ctx)), rows)
    out = io.BytesIO()
    writers.write_list_xlsx(source, ctx, out)
    return WarningExport(name, writers.XLSX_CONTENT_TYPE, iter([out.getvalue()]), rows)
