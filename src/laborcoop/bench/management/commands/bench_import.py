"""`manage.py bench_import --rows 100000 [--json] [--phases] [--cleanup]`: the persons import (bench.persons_import)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laborcoop.bench.persons_import import format_report, run


class Command(BaseCommand):
    help = "测量导入性能：生成 N 行防返贫格式 xlsx，分别计时 calamine 读取、首次导入与重复导入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--villages", type=int, default=400)
        parser.add_argument("--seed", type=int, default=20260101, help="随机种子（不同种子生成不同的人）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument(
            "--phases", action="store_true", help="分阶段计时（读取、解析校验、查询、规划、写入…；略有额外开销）"
        )
        parser.add_argument("--cleanup", action="store_true", help="结束后删除本次导入新增的家庭、人员与审计记录")

    def handle(self, *args: Any, **options: Any) -> None:
        result = run(
            rows=options["rows"],
            villages=options["villages"],
            seed=options["seed"],
            phases=options["phases"],
            cleanup=options["cleanup"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(format_report(result))
