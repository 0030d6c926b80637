"""The nightly warning run: every rule over everything (or one subtree), recorded as a WarningRun row."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laborcoop.earlywarning.engine import warnings_run
from laborcoop.regions.models import Region

BAD_DATE = "日期格式应为 YYYY-MM-DD。"
BAD_REGION = "区划代码 {code} 不存在（应为 12 位统计用区划代码）。"


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(BAD_DATE) from exc


class Command(BaseCommand):
    help = "运行预警规则：新增符合条件的预警，更新仍存在的预警，消除条件已不成立的预警（每晚运行一次）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default="", help="只运行该地区（12 位区划代码）及其下级")
        parser.add_argument("--date", type=_date, help="按该日期计算（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["region"]
        if code and not Region.objects.filter(pk=code).exists():
            raise CommandError(BAD_REGION.format(code=code))
        run = warnings_run(region_code=code, today=options["date"])
        self.stdout.write(
            f"预警运行 #{run.pk} 完成：新增 {run.raised} 条，消除 {run.resolved} 条，现有 {run.live} 条，"
            f"用时 {run.seconds:.1f} 秒。"
        )
