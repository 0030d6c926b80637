"""Building real spreadsheet files for import tests (openpyxl, xlwt, GBK csv) and running import jobs."""

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from laborcoop.intake.models import ImportJob
from laborcoop.intake.services import import_create, import_run
from tests.factories import fresh_id_number

HEADERS = [
    "县（市、区）",
    "乡（镇、街道）",
    "行政村",
    "户编号",
    "人口编号",
    "证件号码",
    "姓名",
    "与户主关系",
    "文化程度",
    "在校生状况",
    "健康状况",
    "劳动技能",
    "户类型",
    "成员联系电话",
]

VILLAGES = {
    "黑塘村": ("泸溪县", "武溪镇", "黑塘村"),
    "天门溪村": ("泸溪县", "武溪镇", "天门溪村"),
    "黄家桥村": ("泸溪县", "浦市镇", "黄家桥村"),
    "棉寨村": ("凤凰县", "沱江镇", "棉寨村"),
}


def person(
    household_no: str,
    *,
    relation: str = "户主",
    name: str = "张三",
    id_number: str | None = None,
    village: str = "黑塘村",
    male: bool = True,
    birth: date = date(1985, 3, 15),
    **extra: str,
) -> dict[str, str]:
    """One row keyed by header; the ID is a fresh valid number of 泸溪县 (433122) unless given."""
    county, township, village_name = VILLAGES[village]
    row = {
        "县（市、区）": county,
        "乡（镇、街道）": township,
        "行政村": village_name,
        "户编号": household_no,
        "人口编号": "",
        "证件号码": id_number or fresh_id_number("433122", birth=birth, male=male),
        "姓名": name,
        "与户主关系": relation,
        "文化程度": "初中",
        "在校生状况": "",
        "健康状况": "健康",
        "劳动技能": "普通劳动力",
        "户类型": "脱贫户",
        "成员联系电话": "",
    }
    row.update(extra)
    return row


def family(household_no: str, *, village: str = "黑塘村", surname: str = "张") -> list[dict[str, str]]:
    """A head, a spouse and a son."""
    return [
        person(household_no, relation="户主", name=f"{surname}建国", village=village, male=True),
        person(household_no, relation="配偶", name="李秀英", village=village, male=False),
        person(
            household_no, relation="之子", name=f"{surname}小明", village=village, male=True, birth=date(2004, 6, 1)
        ),
    ]


def xlsx_bytes(rows: list[dict[str, str]], headers: list[str] | None = None, *, title_rows: int = 0) -> bytes:
    headers = headers or HEADERS
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "人员"
    for i in range(title_rows):
        sheet.append([f"标题行 {i + 1}"])
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(path: Path, rows: list[dict[str, str]], headers: list[str] | None = None, **kw: Any) -> Path:
    path.write_bytes(xlsx_bytes(rows, headers, **kw))
    return path


def write_xls(path: Path, rows: list[dict[str, str]], headers: list[str] | None = None) -> Path:
    import xlwt

    headers = headers or HEADERS
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("人员")
    for col, header in enumerate(headers):
        sheet.write(0, col, header)
    for r, row in enumerate(rows, start=1):
        for col, header in enumerate(headers):
            sheet.write(r, col, row.get(header, ""))
    book.save(str(path))
    return path


def write_gbk_csv(path: Path, rows: list[dict[str, str]], headers: list[str] | None = None) -> Path:
    headers = headers or HEADERS
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    path.write_bytes(text.getvalue().encode("gbk"))
    return path


def run_file(user: Any, path: Path, kind: str = "persons") -> ImportJob:
    """Create a job for the file as `user` and run it synchronously."""
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    job = import_create(acting_user=user, uploaded_file=upload, kind=kind, enqueue=False)
    return import_run(job_id=job.pk)


def counts(job: ImportJob) -> dict[str, int]:
    return {
        "created": job.rows_created,
        "updated": job.rows_updated,
        "unchanged": job.rows_unchanged,
        "rejected": job.rows_rejected,
        "warned": job.rows_warned,
    }


def issues(job: ImportJob) -> list[tuple[int, str, str, str, str]]:
    return list(job.issues.order_by("row", "id").values_list("row", "column", "value", "severity", "reason"))


def errors(job: ImportJob) -> list[tuple[int, str]]:
    return list(job.issues.filter(severity="error").order_by("row", "id").values_list("row", "reason"))
