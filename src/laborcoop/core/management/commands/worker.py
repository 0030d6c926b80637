"""The background worker: django-tasks' database worker plus job recovery.

On start, and every RECOVER_SECONDS while it runs, it re-queues the jobs whose worker died (core.jobs) and runs
the registered sweepers. Use it instead of `db_worker`: `manage.py worker --queue-name '*' --no-reload`.
"""

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from laborcoop.core.jobs import RECOVER_SECONDS, PeriodicThread, jobs_recover, worker_id


class Command(DbWorkerCommand):
    help = "Run the background worker (django-tasks database worker) with recovery of crashed jobs."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--recover-every", type=float, default=RECOVER_SECONDS, help="Seconds between recovery rounds."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        options["worker_id"] = worker_id()  # the id our job leases carry, so recovery can match task rows
        report = jobs_recover()
        self.stdout.write(f"job recovery on start: {report}")
        recoverer = PeriodicThread("job-recovery", options.pop("recover_every"), jobs_recover)
        recoverer.start()
        try:
            super().handle(*args, **options)
        finally:
            recoverer.stopped.set()
