"""Import jobs as a background job kind (core.jobs): recovery after a worker crash and the user's retry.

A recovered or retried import resumes after its last committed chunk (`rows_done`), so nothing is written twice.
"""

from typing import Any

from laborcoop.core.errors import ConflictError
from laborcoop.core.jobs import RowJob, register_row_job, row_job_retry
from laborcoop.core.uploads import purged_cannot_run_message
from laborcoop.intake.access import access_import_job
from laborcoop.intake.models import ImportJob

JOB_KIND = "intake.import"
IMPORT_JOB = RowJob(name=JOB_KIND, label="数据导入", model=ImportJob, task="laborcoop.intake.tasks.run_import")


def register() -> None:
    register_row_job(IMPORT_JOB)


def import_retry(*, acting_user: Any, job_id: Any) -> ImportJob:
    """Queue a failed import again (who may see the job may retry it); it resumes where it stopped."""
    job = access_import_job(user=acting_user, job_id=job_id)
    if job.file_purged:
        raise ConflictError(purged_cannot_run_message())
    retried: ImportJob = row_job_retry(IMPORT_JOB, acting_user=acting_user, row=job, region_code=job.region_id or "")
    return retried
