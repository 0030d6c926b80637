"""The nightly run of the derived employment status (employment.status), and its benchmark (--bench N)."""

import json
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laborcoop.employment.status import DEFAULT_BATCH, employment_states_refresh_all
from laborcoop.employment.status_bench import bench_dataset, bench_refresh

BAD_DATE = "日期格式应为 YYYY-MM-DD。"
BAD_PREFIX = "--region 应为区划代码的前若干位数字，如 43、4331、433122。"
BAD_BATCH = "--batch-size 必须是正整数。"
BAD_BENCH = "--bench 必须是正整数（人员数）。"


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(BAD_DATE) from exc


class Command(BaseCommand):
    help = (
        "重新计算人员的就业状态（稳定就业、在岗、失业、返乡、无就业记录）：每晚运行一次，"
        "使随时间变化的状态（如连续就业满 3 个月转为稳定就业）保持最新。--bench N 生成 N 名人员的测试数据并计时。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default="", help="只计算该区划（代码前缀，如 4331）下的人员；默认全部")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help=f"每批人数（默认 {DEFAULT_BATCH}）")
        parser.add_argument("--today", type=_date, help="按该日期计算（默认今天）")
        parser.add_argument("--bench", type=int, help="基准测试：确保有 N 名人员和约 0.6N 条就业记录，然后计时")
        parser.add_argument("--json", action="store_true", help="--bench 的结果以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        prefix: str = options["region"].strip()
        if prefix and not (prefix.isdigit() and len(prefix) <= 12):
            raise CommandError(BAD_PREFIX)
        if options["batch_size"] <= 0:
            raise CommandError(BAD_BATCH)
        today = options["today"] or date.today()
        if options["bench"] is not None:
            self._bench(options["bench"], today, options["batch_size"], as_json=options["json"])
            return
        started = time.perf_counter()
        written = employment_states_refresh_all(today=today, region_prefix=prefix, batch_size=options["batch_size"])
        self.stdout.write(f"就业状态计算完成：写入 {written} 条，用时 {time.perf_counter() - started:.1f} 秒。")

    def _bench(self, laborers: int, today: date, batch_size: int, *, as_json: bool) -> None:
        if laborers <= 0:
            raise CommandError(BAD_BENCH)

        def log(message: str) -> None:
            self.stderr.write(message)

        counts = bench_dataset(laborers=laborers, today=today, log=log)
        log(f"dataset: {counts}")
        result = {"dataset": counts, **bench_refresh(today=today, batch_size=batch_size, log=log)}
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            first, steady, later = result["first_run"], result["steady_run"], result["later_run"]
            self.stdout.write(
                f"{counts['laborers']:,} 名人员，{counts['records']:,} 条就业记录：基线 GROUP BY "
                f"{result['baseline']['seconds']} 秒；首次 {first['seconds']} 秒（写入 {first['written']:,}）；"
                f"当日再次 {steady['seconds']} 秒（写入 {steady['written']:,}）；三个月后 {later['seconds']} 秒"
                f"（写入 {later['written']:,}）；最大内存 {later['max_rss_mb']} MB。"
            )
