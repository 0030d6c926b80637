"""`manage.py bench_matching_service`: mode 1 through the service, warm index vs per request
(bench.matching_service)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laborcoop.bench.matching_service import format_report, run


class Command(BaseCommand):
    help = "人岗匹配服务层基准：岗位找人（全省范围）常驻索引与每次重建索引的耗时对比（数据库不变）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queries", type=int, default=30, help="测量的岗位数")
        parser.add_argument("--limit", type=int, default=50, help="每个岗位推荐人数")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        result = run(queries=opts["queries"], limit=opts["limit"])
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(format_report(result))
