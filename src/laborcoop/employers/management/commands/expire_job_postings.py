"""Nightly cron entry: `manage.py expire_job_postings` marks the postings past their end date (有效期止) that are
still 招聘中 or 暂停 as 已过期 (employers.services.job_postings_expire). Pages and matching treat them as expired
from the day after the end date anyway; this writes it down (filters, exports, the audit trail). Idempotent."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laborcoop.employers.services import job_postings_expire

DATE_INVALID = "日期格式应为 YYYY-MM-DD：{value}"


class Command(BaseCommand):
    help = "将已过有效期止、仍为招聘中或暂停的岗位标记为已过期（可重复执行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="按该日期计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(DATE_INVALID.format(value=options["today"])) from exc
        expired = job_postings_expire(today=today)
        self.stdout.write(f"岗位有效期检查完成：{expired} 个岗位已标记为已过期。")
