"""`manage.py bench_lists`: sorted list pages against the unsorted list, on PostgreSQL (bench.lists)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import override_settings

from laborcoop.bench.lists import bench
from laborcoop.bench.registry import ensure_laborers
from laborcoop.demo.generator import DEFAULT_SEED

NOT_POSTGRES = (
    "bench_lists 只在 PostgreSQL 上运行（性能预算针对生产数据库）。"
    "请设置 DATABASE_URL=postgres://…，先运行 manage.py migrate。"
)


class Command(BaseCommand):
    help = (
        "在 PostgreSQL 上测量人员列表和家庭列表按各可排序列排序时的首页、首页+总数和整页 p50/p95，"
        "与默认顺序和同一条 SQL 的直接执行比较。人员不足 --laborers 时先追加生成。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--laborers", type=int, default=0, help="测量所需的人员数（默认 0：按库中现有人员）")
        parser.add_argument("--runs", type=int, default=30, help="每项测量次数（默认 30）")
        parser.add_argument("--warmup", type=int, default=3, help="每项预热次数（默认 3，不计入）")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="生成数据的随机种子")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(NOT_POSTGRES)
        log = self.stderr if options["json"] else self.stdout
        ensure_laborers(laborers=options["laborers"], seed=options["seed"], log=log)
        # No query log (it would slow both sides); the test client's page needs a host the settings allow.
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver", "localhost"]):
            result = bench(runs=options["runs"], warmup=options["warmup"], log=log)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
