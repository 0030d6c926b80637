"""Comparisons as a background job kind (core.jobs): recovery after a worker crash and the user's retry.

A comparison stores its results only at the end, so a recovered or retried one starts over.
"""

from typing import Any

from laborcoop.accounts.capabilities import Cap
from laborcoop.core.errors import ConflictError
from laborcoop.core.jobs import RowJob, register_row_job, row_job_retry
from laborcoop.core.uploads import purged_cannot_run_message
from laborcoop.linkage.access import access_comparison
from laborcoop.linkage.models import Comparison

JOB_KIND = "linkage.comparison"
COMPARISON_JOB = RowJob(
    name=JOB_KIND,
    label="数据比对",
    model=Comparison,
    task="laborcoop.linkage.tasks.run_comparison",
    reset=(("progress", 0),),
)


def register() -> None:
    register_row_job(COMPARISON_JOB)


def comparison_retry(*, acting_user: Any, comparison_id: Any) -> Comparison:
    """Run a failed comparison again (registry editors of its region, like uploading)."""
    comparison = access_comparison(user=acting_user, comparison_id=comparison_id, cap=Cap.REGISTRY_EDIT)
    if comparison.file_purged:
        raise ConflictError(purged_cannot_run_message())
    retried: Comparison = row_job_retry(
        COMPARISON_JOB, acting_user=acting_user, row=comparison, region_code=comparison.region_id or ""
    )
    return retried
