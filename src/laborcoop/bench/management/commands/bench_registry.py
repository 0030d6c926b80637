"""`manage.py bench_registry`: the scoped laborer list and search on PostgreSQL (bench.registry)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import override_settings

from laborcoop.bench.registry import NOT_POSTGRES, bench, ensure_laborers
from laborcoop.demo.generator import DEFAULT_SEED


class Command(BaseCommand):
    help = (
        "在 PostgreSQL 上测量按区划范围的人员列表和检索（首页 20 条、总数、封顶计数）的 p50/p95，"
        "并与同一条 SQL 的直接执行比较。人员不足 --laborers 时先追加生成。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--laborers", type=int, default=1_000_000, help="测量所需的人员数（默认 100 万）")
        parser.add_argument("--runs", type=int, default=50, help="每项测量次数（默认 50）")
        parser.add_argument("--warmup", type=int, default=3, help="每项预热次数（默认 3，不计入）")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="生成数据的随机种子")
        parser.add_argument("--skip-seed", action="store_true", help="不生成数据，按库中现有人员测量")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument("--name", default="", help="姓名前缀检索词（默认取泸溪县最常见的姓加名首字）")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(NOT_POSTGRES)
        log = self.stderr if options["json"] else self.stdout
        ensure_laborers(laborers=0 if options["skip_seed"] else options["laborers"], seed=options["seed"], log=log)
        with override_settings(DEBUG=False):  # no query log: it would slow both sides
            result = bench(runs=options["runs"], warmup=options["warmup"], name=options["name"], log=log)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
