"""`manage.py bench_warnings`: the nightly warning run on PostgreSQL, time and peak memory (bench.warnings)."""

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import override_settings

from laborcoop.bench.warnings import NOT_POSTGRES, bench, measure, prepare
from laborcoop.demo.generator import DEFAULT_SEED


class Command(BaseCommand):
    help = "测量每晚预警运行（100 万人员、60 万条就业记录）的用时和内存峰值；须在专用 PostgreSQL 库上运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--laborers", type=int, default=1_000_000, help="人员数（不足时追加生成）")
        parser.add_argument("--records", type=int, default=600_000, help="就业记录数（约数）")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="生成人员的随机种子")
        parser.add_argument("--date", type=date.fromisoformat, help="运行日期（默认今天）")
        parser.add_argument("--reset", action="store_true", help="清空就业、跟踪和预警数据后重新生成")
        parser.add_argument("--reuse", action="store_true", help="沿用库中现有的就业和跟踪数据")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument("--measure", action="store_true", help="（内部）在子进程中运行一次并输出 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(NOT_POSTGRES)
        today = options["date"] or date.today()
        if options["measure"]:
            self.stdout.write(json.dumps(measure(today), ensure_ascii=False))
            return
        log = self.stderr if options["json"] else self.stdout
        with override_settings(DEBUG=False):
            build = prepare(
                laborers=options["laborers"],
                records=options["records"],
                reset=options["reset"],
                reuse=options["reuse"],
                today=today,
                log=log,
            )
            result = bench(today, build, log)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
