"""Re-queue (or fail) the background jobs whose worker died, once (cron, or by hand after a crash)."""

from typing import Any

from django.core.management.base import BaseCommand

from laborcoop.core.jobs import jobs_recover


class Command(BaseCommand):
    help = "Re-queue background jobs whose worker died (lease ran out); fail those past the attempt limit."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(jobs_recover()))
