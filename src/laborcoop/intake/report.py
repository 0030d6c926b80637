"""The problem report of an import job: every rejected or warned row as an xlsx (values already masked)."""

import io

import xlsxwriter

from laborcoop.intake.models import ImportIssue, ImportJob

REPORT_HEADERS = ["行号", "列", "值", "级别", "原因"]
REPORT_SHEET = "问题清单"
_WIDTHS = [8, 18, 24, 8, 70]


def report_build(job: ImportJob) -> bytes:
    """The report as xlsx bytes: a summary row, then one line per issue in row order."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet(REPORT_SHEET)
    bold = workbook.add_format({"bold": True})
    error = workbook.add_format({"font_color": "#B42318"})
    warning = workbook.add_format({"font_color": "#B54708"})
    sheet.write_string(
        0,
        0,
        f"{job.original_name}：新增 {job.rows_created} 行，更新 {job.rows_updated} 行，无变化 {job.rows_unchanged} 行，"
        f"拒绝 {job.rows_rejected} 行，有提示 {job.rows_warned} 行",
        bold,
    )
    for col, (title, width) in enumerate(zip(REPORT_HEADERS, _WIDTHS, strict=True)):
        sheet.write_string(1, col, title, bold)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(2, 0)
    labels = dict(ImportIssue.Severity.choices)
    issues = job.issues.order_by("row", "id").values_list("row", "column", "value", "severity", "reason")
    for r, (row, column, value, severity, reason) in enumerate(issues.iterator(chunk_size=2000), start=2):
        style = error if severity == ImportIssue.Severity.ERROR else warning
        sheet.write_number(r, 0, row)
        sheet.write_string(r, 1, column)
        sheet.write_string(r, 2, value)  # text: masked IDs must not become numbers
        sheet.write_string(r, 3, str(labels.get(severity, severity)), style)
        sheet.write_string(r, 4, reason)
    workbook.close()
    return buffer.getvalue()
