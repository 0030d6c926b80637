"""`manage.py repair_employment_summaries`: bring every laborer's employment summary (就业状态, 务工单位,
务工地域) in line with their employment records (employment.records.summary). Idempotent: a second run changes
nothing. Run once after upgrading; the nightly run keeps rows written by bulk paths in step."""

from typing import Any

from django.core.management.base import BaseCommand

from laborcoop.employment.records.summary import laborer_summaries_sync


class Command(BaseCommand):
    help = "按就业记录校正人员的就业状态、务工单位和务工地域（可重复执行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        changed = laborer_summaries_sync()
        self.stdout.write(f"就业状态校正完成：按就业记录更新 {changed} 人。")
