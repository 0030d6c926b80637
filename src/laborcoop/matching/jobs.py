"""Batch matching runs as a background job kind (core.jobs): recovery after a worker crash and the user's retry.

A run stores its recommendations in one transaction at the end, so a recovered or retried run starts over.
The services queue runs and retry them through BATCH_RUN_JOB (by its task path: the task module imports the
services, never the other way round).
"""

from laborcoop.core.jobs import RowJob, register_row_job
from laborcoop.matching.models import MatchingRun

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
