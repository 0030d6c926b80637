"""`manage.py bench_employment_states --laborers N [--json]`: the nightly derived-status run
(bench.employment_states; formerly `refresh_employment_states --bench N`)."""

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laborcoop.bench.employment_states import bench_dataset, bench_refresh
from laborcoop.tracking.status.services import DEFAULT_BATCH

BAD_DATE = "日期格式应为 YYYY-MM-DD。"
BAD_BATCH = "--batch-size 必须是正整数。"
BAD_LABORERS = "--laborers 必须是正整数（人员数）。"


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(BAD_DATE) from exc


class Command(BaseCommand):
    help = "就业状态每晚计算的基准测试：确保有 N 名人员和约 0.6N 条就业记录，然后计时（首次、当日再次、三个月后）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--laborers", type=int, default=1_000_000, help="人员数（默认 100 万；不足时追加生成）")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help=f"每批人数（默认 {DEFAULT_BATCH}）")
        parser.add_argument("--today", type=_date, help="按该日期计算（默认今天）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        laborers: int = options["laborers"]
        if laborers <= 0:
            raise CommandError(BAD_LABORERS)
        if options["batch_size"] <= 0:
            raise CommandError(BAD_BATCH)
        today = options["today"] or date.today()

        def log(message: str) -> None:
            self.stderr.write(message)

        counts = bench_dataset(laborers=laborers, today=today, log=log)
        log(f"dataset: {counts}")
        result = {"dataset": counts, **bench_refresh(today=today, batch_size=options["batch_size"], log=log)}
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        first, steady, later = result["first_run"], result["steady_run"], result["later_run"]
        self.stdout.write(
            f"{counts['laborers']:,} 名人员，{counts['records']:,} 条就业记录：基线 GROUP BY "
            f"{result['baseline']['seconds']} 秒；首次 {first['seconds']} 秒（写入 {first['written']:,}）；"
            f"当日再次 {steady['seconds']} 秒（写入 {steady['written']:,}）；三个月后 {later['seconds']} 秒"
            f"（写入 {later['written']:,}）；最大内存 {later['max_rss_mb']} MB。"
        )
