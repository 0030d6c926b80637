"""Import an official region code list (CSV in UTF-8/GBK, or xlsx) with columns 代码, 名称."""

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laborcoop.regions.services import RegionImportError, region_import_official_list

DATE_INVALID = "日期格式应为 YYYY-MM-DD，例如 2024-01-01。"
FILE_MISSING = "文件不存在：{path}"


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(DATE_INVALID) from exc


class Command(BaseCommand):
    help = "导入官方行政区划代码表：新增、更名、停用（不删除）、重新启用区划，并写入审计记录。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="代码表文件（.csv 或 .xlsx），包含“代码”“名称”两列")
        parser.add_argument("--date", type=_parse_date, help="生效日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(FILE_MISSING.format(path=path))
        try:
            summary = region_import_official_list(path=path, effective_date=options["date"])
        except RegionImportError as exc:
            raise CommandError(exc.message) from exc
        for message in summary.errors:
            self.stderr.write(message)
        self.stdout.write(
            f"导入完成：新增 {summary.created} 个，更名 {summary.renamed} 个，停用 {summary.abolished} 个，"
            f"重新启用 {summary.reactivated} 个，未变 {summary.unchanged} 个，"
            f"跳过无效行 {len(summary.errors)} 行。"
        )
