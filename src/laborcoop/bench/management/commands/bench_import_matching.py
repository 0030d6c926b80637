"""`manage.py bench_import_matching --user xian --size 200 [--json]`: the matching after an import, one by one
against one pass (bench.import_matching), on the current database."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laborcoop.accounts.models import User
from laborcoop.bench.import_matching import bench_import_matching

NO_USER = "找不到该用户（--user 填登录名，如演示环境的 xian）。"
BAD_SIZE = "--size 必须是正整数（人数）。"


class Command(BaseCommand):
    help = "导入后人找岗位的基准测试：同一批未就业人员逐人匹配与一次批量匹配的用时（结果回滚，不留数据）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", default="xian", help="以该账号（登录名）的范围和权限匹配，默认 xian")
        parser.add_argument("--size", type=int, default=200, help="人数（默认 200）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["size"] <= 0:
            raise CommandError(BAD_SIZE)
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(NO_USER)
        r = bench_import_matching(user=user, size=options["size"])
        figures = {
            "laborers": r.laborers,
            "one_by_one_s": round(r.one_by_one_s, 3),
            "batched_s": round(r.batched_s, 3),
            "one_by_one_ms_per_laborer": round(1000 * r.one_by_one_s / max(r.laborers, 1), 1),
            "batched_ms_per_laborer": round(1000 * r.batched_s / max(r.laborers, 1), 1),
            "ratio": round(r.ratio, 2),
            "stored": [r.one_by_one_stored, r.batched_stored],
        }
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        self.stdout.write(
            f"{r.laborers} 人：逐人 {figures['one_by_one_ms_per_laborer']} 毫秒/人，"
            f"批量 {figures['batched_ms_per_laborer']} 毫秒/人，快 {figures['ratio']} 倍"
            f"（推荐 {r.one_by_one_stored} / {r.batched_stored} 条）"
        )
