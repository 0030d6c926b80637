"""Building department lists as real files (openpyxl xlsx, GBK csv) and running comparisons on them."""

import csv
import io
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from laborcoop.linkage.models import Comparison
from laborcoop.linkage.services import comparison_create, comparison_mapping_confirm, comparison_run

HOUSEHOLD_HEADERS = ["序号", "姓名", "公民身份号码", "性别", "出生日期", "户籍地村", "户籍状态", "死亡日期", "迁出日期"]


def xlsx_bytes(headers: list[str], rows: list[list[Any]], *, title: str | None = "公安户籍比对名单") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def gbk_csv_bytes(headers: list[str], rows: list[list[Any]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return text.getvalue().encode("gbk")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def run_comparison(user: Any, name: str, data: bytes, department: str) -> Comparison:
    """Upload, confirm the automatic mapping and run synchronously, as `user`."""
    comparison = comparison_create(acting_user=user, uploaded_file=upload(name, data), department=department)
    comparison_mapping_confirm(acting_user=user, comparison=comparison, mapping=comparison.mapping, enqueue=False)
    return comparison_run(comparison_id=comparison.pk)
