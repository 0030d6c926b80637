"""Cron entry for the outbox: `manage.py send_notifications` every minute sends what is due."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laborcoop.notifications.choices import Status
from laborcoop.notifications.dispatch import notifications_dispatch_due


class Command(BaseCommand):
    help = "发送到期的待发送消息（含失败后到期重试的消息）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="本次最多处理的消息数")

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = notifications_dispatch_due(limit=options["limit"])
        labels = dict(Status.choices)
        total = sum(outcome.values())
        summary = "，".join(f"{labels[s]} {n}" for s, n in sorted(outcome.items())) or "无到期消息"
        self.stdout.write(f"处理 {total} 条：{summary}")
