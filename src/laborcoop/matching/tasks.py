"""Background runs of modes 1 and 2 ("on posting", "on registration", "on leaving a job").

The tasks take only ids and are idempotent (a re-run keeps states and sends nothing twice). They act as the
user who triggered them, so the same pool and access rules apply as on the page. Callers queue them after
their own commit with `match_job_on_commit` / `match_laborer_on_commit`.
"""

from collections.abc import Sequence
from functools import partial
from typing import Any

from django.db import transaction
from django_tasks import task

from laborcoop.accounts.models import User
from laborcoop.core.jobs import job_lease
from laborcoop.employers.models import JobPosting
from laborcoop.matching.jobs import BATCH_JOB_KIND
from laborcoop.matching.services import (
    matching_run_execute,
    recommendations_for_job,
    recommendations_for_laborer,
    recommendations_for_laborers,
)
from laborcoop.registry.choices import EmploymentStatus
from laborcoop.registry.models import Laborer, VitalStatus


@task()
def match_job(job_id: int, user_id: int) -> int:
    """Mode 1 for a job, as the user who posted it; returns the number of stored recommendations."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    job = JobPosting.objects.filter(pk=job_id).first()
    if user is None or job is None:
        return 0
    return len(recommendations_for_job(acting_user=user, job=job))


@task()
def match_laborer(laborer_id: int, user_id: int) -> int:
    """Mode 2 for a laborer, as the user who registered or changed them."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    laborer = Laborer.objects.filter(pk=laborer_id).first()
    if user is None or laborer is None:
        return 0
    return len(recommendations_for_laborer(acting_user=user, laborer=laborer))


@task()
def match_laborers(laborer_ids: list[int], user_id: int) -> int:
    """Mode 2 for the out-of-work laborers among `laborer_ids` (an import chunk), as the importer; a laborer the
    importer may no longer edit is skipped. Returns the number of stored recommendations."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    out_of_work = Laborer.objects.filter(
        pk__in=laborer_ids, employment_status=EmploymentStatus.UNEMPLOYED, vital_status=VitalStatus.NORMAL
    ).values_list("pk", flat=True)
    return recommendations_for_laborers(acting_user=user, laborer_ids=list(out_of_work))


def match_laborers_on_commit(*, laborer_ids: Sequence[int], acting_user: Any) -> None:
    ids = sorted(set(laborer_ids))
    transaction.on_commit(partial(match_laborers.enqueue, ids, acting_user.pk), robust=True)


def match_job_on_commit(*, job: JobPosting, acting_user: Any) -> None:
    transaction.on_commit(partial(match_job.enqueue, job.pk, acting_user.pk), robust=True)


def match_laborer_on_commit(*, laborer: Laborer, acting_user: Any) -> None:
    transaction.on_commit(partial(match_laborer.enqueue, laborer.pk, acting_user.pk), robust=True)


@task()
def run_matching_batch(run_id: int) -> str:
    """Mode 3: execute a queued batch run (idempotent: a finished run is left as it is); returns its status."""
    with job_lease(BATCH_JOB_KIND, run_id):
        return str(matching_run_execute(run_id=run_id).status)
