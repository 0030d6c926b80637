"""The nightly run of the derived employment status (tracking.status.services); its benchmark is
`bench_employment_states`."""

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laborcoop.tracking.status.services import DEFAULT_BATCH, employment_states_refresh_all

BAD_DATE = "日期格式应为 YYYY-MM-DD。"
BAD_PREFIX = "--region 应为区划代码的前若干位数字，如 43、4331、433122。"
BAD_BATCH = "--batch-size 必须是正整数。"


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(BAD_DATE) from exc


class Command(BaseCommand):
    help = (
        "重新计算人员的就业状态（稳定就业、在岗、失业、返乡、无就业记录）：每晚运行一次，"
        "使随时间变化的状态（如连续就业满 3 个月转为稳定就业）保持最新。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default="", help="只计算该区划（代码前缀，如 4331）下的人员；默认全部")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help=f"每批人数（默认 {DEFAULT_BATCH}）")
        parser.add_argument("--today", type=_date, help="按该日期计算（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        prefix: str = options["region"].strip()
        if prefix and not (prefix.isdigit() and len(prefix) <= 12):
            raise CommandError(BAD_PREFIX)
        if options["batch_size"] <= 0:
            raise CommandError(BAD_BATCH)
        today = options["today"] or date.today()
        started = time.perf_counter()
        written = employment_states_refresh_all(today=today, region_prefix=prefix, batch_size=options["batch_size"])
        self.stdout.write(f"就业状态计算完成：写入 {written} 条，用时 {time.perf_counter() - started:.1f} 秒。")
