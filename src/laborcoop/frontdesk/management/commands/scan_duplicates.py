"""Scan the registry for likely duplicate laborers (see frontdesk.scan and frontdesk.tasks)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laborcoop.frontdesk.scan import duplicate_scan
from laborcoop.frontdesk.tasks import run_duplicate_scan


class Command(BaseCommand):
    help = "查找疑似重复人员（同出生日期、同性别、姓名相同/同音/相近），更新待核实列表。可由 cron 每晚运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--prefix", default="", help="区划代码前缀，只扫描该地区（默认全部）")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务执行，而不是立即执行")

    def handle(self, *args: Any, **options: Any) -> None:
        prefix = str(options["prefix"]).strip()
        if options["enqueue"]:
            result = run_duplicate_scan.enqueue(region_prefix=prefix)
            self.stdout.write(f"已提交后台任务 {result.id}。")
            return
        s = duplicate_scan(region_prefix=prefix)
        self.stdout.write(
            f"扫描 {s.laborers} 人、{s.groups} 组、比较 {s.comparisons} 次：发现 {s.found} 对，"
            f"新增 {s.created}，更新 {s.updated}，已核实未改动 {s.kept_reviewed}，移除 {s.removed_stale}；"
            f"用时 {s.seconds:.2f} 秒。"
        )
