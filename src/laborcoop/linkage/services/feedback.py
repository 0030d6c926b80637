"""The feedback file for the department (反馈名单): our people not on their list or marked unreachable, and
the people on their list that our registry lacks. xlsx; ID numbers masked unless the user may unmask and
gives a reason (the exports app's rule); every export is audited. The list's clear ID numbers were never
stored, so the second sheet is always masked."""

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from laborcoop.core.audit import audit_record
from laborcoop.core.models import AuditEntry
from laborcoop.exports import conf
from laborcoop.exports.access import require_unmask
from laborcoop.exports.choices import ExportKind
from laborcoop.exports.columns import ExportContext
from laborcoop.exports.models import ExportJob
from laborcoop.exports.services import export_start
from laborcoop.exports.writers import XLSX_CONTENT_TYPE, new_workbook
from laborcoop.linkage.access import require_compare
from laborcoop.linkage.models import Comparison, ComparisonEntry
from laborcoop.linkage.selectors import comparison_feedback_laborers, comparison_only_theirs
from laborcoop.regions.selectors import region_path_name
from laborcoop.registry import choices as rc

REASON_REQUIRED = "导出完整证件号时，请填写导出原因。"
REASON_TOO_LONG = "导出原因不能超过 200 字。"
NOT_FINISHED = "比对尚未完成，没有可导出的反馈名单。"

OURS_HEADER = ["序号", "姓名", "性别", "出生日期", "证件号码", "所在地", "就业状态", "户籍状态", "反馈情况"]
THEIRS_HEADER = ["序号", "原表行号", "姓名", "性别", "出生日期", "证件号码（脱敏）", "村", "证件号码问题"]
UNREACHABLE = "无法联系"
NOT_ON_LIST = "对方名单中未找到"
SEX = dict(rc.Sex.choices)
EMPLOYMENT = dict(rc.EmploymentStatus.choices)


@dataclass
class FeedbackFile:
    filename: str
    content_type: str
    content: bytes
    rows: int


def _ours_rows(comparison: Comparison, *, masked: bool) -> list[list[Any]]:
    rows: list[list[Any]] = []
    names: dict[str, str] = {}
    for entry in comparison_feedback_laborers(comparison=comparison):
        laborer = entry.laborer
        assert laborer is not None
        reasons = []
        if entry.kind == ComparisonEntry.Kind.ONLY_OURS:
            reasons.append(NOT_ON_LIST)
        if laborer.unreachable:
            reasons.append(UNREACHABLE)
        if laborer.region_id not in names:
            names[laborer.region_id] = region_path_name(laborer.region_id) or laborer.region_id
        rows.append(
            [
                len(rows) + 1,
                laborer.name,
                SEX.get(laborer.sex, ""),
                laborer.birth_date.isoformat(),
                laborer.id_masked if masked else laborer.reveal_id_number(),
                names[laborer.region_id],
                EMPLOYMENT.get(laborer.employment_status, ""),
                laborer.get_vital_status_display(),
                "、".join(reasons),
            ]
        )
    return rows


def _theirs_rows(comparison: Comparison) -> list[list[Any]]:
    return [
        [
            i,
            record.row,
            record.name,
            SEX.get(record.sex, ""),
            record.birth_date.isoformat() if record.birth_date else "",
            record.id_masked,
            record.village_name or record.village_code,
            record.id_problem,
        ]
        for i, record in enumerate(comparison_only_theirs(comparison=comparison), start=1)
    ]


def _workbook(ours: list[list[Any]], theirs: list[list[Any]], *, title: str, masked: bool) -> bytes:
    out = io.BytesIO()
    workbook = new_workbook(out)
    bold = workbook.add_format({"bold": True, "bg_color": "#EEF2F6", "border": 1})
    note = "证件号码已脱敏" if masked else "含完整证件号码，请妥善保管"
    for name, header, rows, widths in (
        ("本库未匹配或无法联系", OURS_HEADER, ours, [6, 10, 6, 12, 22, 36, 10, 10, 22]),
        ("对方有本库无", THEIRS_HEADER, theirs, [6, 8, 10, 6, 12, 22, 16, 30]),
    ):
        sheet = workbook.add_worksheet(name)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        sheet.write_row(0, 0, [f"{title}（{note}）"])
        sheet.write_row(1, 0, header, bold)
        for r, row in enumerate(rows, start=2):
            sheet.write_row(r, 0, [None if v == "" else v for v in row])
        sheet.freeze_panes(2, 0)
    workbook.close()
    return out.getvalue()


def _title(comparison: Comparison) -> str:
    return f"数据比对反馈名单：{comparison.get_department_display()}（比对 #{comparison.pk}）"


@dataclass
class FeedbackSource:
    """The feedback file as a background export (exports.sources, kind 数据比对反馈名单): the export job counts
    its rows and has it write its own two-sheet workbook with the requester's current rights."""

    comparison: Comparison
    title: str = "数据比对反馈名单"

    def count(self) -> int:
        return (
            comparison_feedback_laborers(comparison=self.comparison).count()
            + comparison_only_theirs(comparison=self.comparison).count()
        )

    def write_xlsx(self, ctx: ExportContext, out: IO[bytes], on_chunk: Callable[[int], None] | None = None) -> None:
        ours = _ours_rows(self.comparison, masked=ctx.masked)
        theirs = _theirs_rows(self.comparison)
        out.write(_workbook(ours, theirs, title=_title(self.comparison), masked=ctx.masked))
        if on_chunk is not None:
            on_chunk(len(ours) + len(theirs))


def feedback_source(*, acting_user: Any, comparison: Comparison) -> FeedbackSource:
    """For a comparison fetched through access_comparison (PermissionDeniedError, ValidationError if unfinished)."""
    require_compare(acting_user)
    if comparison.status != Comparison.Status.SUCCEEDED:
        raise ValidationError({"comparison": [NOT_FINISHED]})
    return FeedbackSource(comparison)


@transaction.atomic
def comparison_feedback_export(
    *, acting_user: Any, comparison: Comparison, unmasked: bool = False, reason: str = ""
) -> FeedbackFile | ExportJob:
    """The feedback workbook of a comparison the caller fetched through access_comparison. Unmasked needs
    `can_unmask_id` (PermissionDeniedError) and a reason (ValidationError). A file too long to write in about a
    second becomes a background export job (exports app: progress, download, retry), returned instead."""
    source = feedback_source(acting_user=acting_user, comparison=comparison)
    if unmasked:
        require_unmask(acting_user)
        if not reason.strip():
            raise ValidationError({"reason": [REASON_REQUIRED]})
        if len(reason.strip()) > 200:
            raise ValidationError({"reason": [REASON_TOO_LONG]})
    if source.count() > conf.xlsx_direct_max_rows():
        job = export_start(
            acting_user=acting_user,
            kind=ExportKind.LINKAGE_FEEDBACK,
            fmt="xlsx",
            filters={"comparison": comparison.pk},
            unmasked=unmasked,
            reason=reason,
        )
        if isinstance(job, ExportJob):
            return job
    ours = _ours_rows(comparison, masked=not unmasked)
    theirs = _theirs_rows(comparison)
    content = _workbook(ours, theirs, title=_title(comparison), masked=not unmasked)
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.EXPORT,
        instance=comparison,
        region_code=comparison.region_id or "",
        changes={"kind": "comparison_feedback", "rows": len(ours) + len(theirs), "masked": not unmasked},
        reason=reason.strip() if unmasked else "",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FeedbackFile(
        filename=f"数据比对反馈名单-{comparison.pk}-{stamp}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
        content=content,
        rows=len(ours) + len(theirs),
    )
