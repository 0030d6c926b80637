"""Background work of the intake app. Tasks take only ids and call a service (jobs are rows)."""

from django_tasks import task

from laborcoop.core.jobs import job_lease
from laborcoop.intake.jobs import JOB_KIND
from laborcoop.intake.services import import_run


@task()
def run_import(job_id: int) -> str:
    """Run or resume an import job; returns its final status."""
    with job_lease(JOB_KIND, job_id):
        return import_run(job_id=job_id).status
