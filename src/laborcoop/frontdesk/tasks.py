"""Background tasks of the front desk (django-tasks)."""

from dataclasses import asdict
from typing import Any

from django_tasks import task

from laborcoop.frontdesk.scan import duplicate_scan


@task()
def run_duplicate_scan(region_prefix: str = "") -> dict[str, Any]:
    """Scheduled duplicate scan of a subtree ('' = everything); returns the ScanSummary as a dict.

    Idempotent, so a nightly run is safe to repeat. To schedule it nightly, run the management command from
    cron (or a systemd timer) on one host, e.g. at 02:30:

        30 2 * * *  cd /srv/laborcoop && .venv/bin/python manage.py scan_duplicates

    (`--prefix 4331` limits the run to a subtree; `--enqueue` hands the run to the task workers of
    django_tasks_db instead of running it inline.)
    """
    return asdict(duplicate_scan(region_prefix=region_prefix))
