"""Nightly cron entry of the follow-up plan: `manage.py plan_followups` opens a routine follow-up task (定期寻访)
for every laborer whose follow-up is due (tracking.followups.plan). Safe to run more than once a day."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laborcoop.tracking.followups.plan import followup_plan_run

DATE_INVALID = "日期格式应为 YYYY-MM-DD：{value}"


class Command(BaseCommand):
    help = "按寻访计划为到期人员生成定期寻访任务（可重复执行，不会重复生成）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="按该日期计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(DATE_INVALID.format(value=options["today"])) from exc
        result = followup_plan_run(today=today)
        self.stdout.write(
            f"新生成定期寻访任务 {result.created} 条（{result.statements} 条语句，{result.seconds:.2f} 秒）"
        )
