"""Batch matching runs as a background job kind (core.jobs): recovery after a worker crash and the user's retry.

A run stores its recommendations in one transaction at the end, so a recovered or retried run starts over.
"""

from typing import Any

from laborcoop.core.jobs import RowJob, register_row_job, row_job_retry
from laborcoop.matching.models import MatchingRun
from laborcoop.matching.services.batch import access_matching_run, require_start_matching_run

BATCH_JOB_KIND = "matching.batch_run"
BATCH_RUN_JOB = RowJob(
    name=BATCH_JOB_KIND,
    label="批量匹配",
    model=MatchingRun,
    task="laborcoop.matching.tasks.run_matching_batch",
    reset=(("progress", 0), ("error_detail", "")),
)


def register() -> None:
    register_row_job(BATCH_RUN_JOB)


def matching_run_retry(*, acting_user: Any, run_id: Any) -> MatchingRun:
    """Run a failed batch again (who may start runs and sees this one)."""
    run = access_matching_run(user=acting_user, run_id=run_id)
    require_start_matching_run(acting_user)
    retried: MatchingRun = row_job_retry(BATCH_RUN_JOB, acting_user=acting_user, row=run, region_code=run.region_id)
    return retried
