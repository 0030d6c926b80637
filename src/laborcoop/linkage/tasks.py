"""Background work of the comparison feature. The task takes only the id and calls the service."""

from django_tasks import task

from laborcoop.core.jobs import job_lease
from laborcoop.linkage.jobs import JOB_KIND
from laborcoop.linkage.services.run import comparison_run


@task()
def run_comparison(comparison_id: int) -> str:
    """Run (or re-run after a crash) a comparison; returns its final status."""
    with job_lease(JOB_KIND, comparison_id):
        return comparison_run(comparison_id=comparison_id).status
