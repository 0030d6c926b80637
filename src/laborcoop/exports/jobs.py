"""Export jobs as a background job kind (core.jobs): recovery after a worker crash and the user's retry.

An export writes its file at the end, so a recovered or retried one starts over with the requester's current
rights.
"""

from typing import Any

from laborcoop.core.jobs import RowJob, register_row_job, row_job_retry
from laborcoop.exports.access import access_export_job
from laborcoop.exports.models import ExportJob

JOB_KIND = "exports.export"
EXPORT_JOB = RowJob(
    name=JOB_KIND,
    label="数据导出",
    model=ExportJob,
    task="laborcoop.exports.tasks.run_export",
    reset=(("progress", 0), ("rows_written", 0), ("error_detail", "")),
)


def register() -> None:
    register_row_job(EXPORT_JOB)


def export_retry(*, acting_user: Any, job_id: Any) -> ExportJob:
    """Queue a failed background export again (only its requester sees it)."""
    job = access_export_job(user=acting_user, job_id=job_id)
    retried: ExportJob = row_job_retry(EXPORT_JOB, acting_user=acting_user, row=job, region_code=job.region_code)
    return retried
