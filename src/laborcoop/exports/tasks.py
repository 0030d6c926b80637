"""Background export jobs: the task takes only the job id and calls the runner (idempotent)."""

from django_tasks import task

from laborcoop.core.jobs import job_lease
from laborcoop.exports.jobs import JOB_KIND
from laborcoop.exports.runner import export_job_run


@task()
def run_export(job_id: int) -> None:
    with job_lease(JOB_KIND, job_id):
        export_job_run(job_id=job_id)
