"""Matching reacts to the apps below it (imported by MatchingConfig.ready()): a registered laborer and a posted
job are matched after the commit (`laborer_registered`, `job_posted`), and so are the laborers and jobs of an
import (`laborers_imported` per chunk; the jobs import sends `job_posted` per new job); leaving a job returns
the laborer to the matching pool. What these automatic runs send is rationed (services/notify.py).

Every path that ends a record (staff and brokers on the page or the API, the work import, an enterprise's
leaving report, a 停保 proposal accepted from the 社保 comparison) sends `employment_changed` with the ended
records; for each laborer left without an ongoing record, mode 2 runs after the commit (the task queue), so
new jobs are recommended at once and the laborer is told. It runs as the user who ended the record when they
may edit that laborer, else as the staff member closest to the laborer's home village who may (an enterprise
user cannot see the registry); with nobody, the nightly batch and the follow-up tasks take over.
"""

from collections.abc import Sequence
from typing import Any

from django.dispatch import receiver

from laborcoop.accounts.access import is_enterprise_user, region_code_in_scope, user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.accounts.models import User
from laborcoop.accounts.recipients import nearest_registry_editor
from laborcoop.employers.models import JobPosting
from laborcoop.employers.signals import job_posted
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.signals import employment_changed
from laborcoop.matching import tasks
from laborcoop.registry.models import Laborer
from laborcoop.registry.signals import laborer_registered, laborers_imported


def home_region_officer(laborer: Laborer) -> User | None:
    """The staff member closest to the laborer's home village who may edit the registry there: matching for
    the laborer runs on their behalf when the one who ended the job may not (an enterprise reporting a leaving
    cannot see the registry)."""
    return nearest_registry_editor(laborer.region_id)


def _matcher(acting_user: Any, laborer: Laborer) -> Any:
    if (
        acting_user is not None
        and acting_user.is_authenticated
        and not is_enterprise_user(acting_user)
        and user_can(acting_user, Cap.REGISTRY_EDIT)
        and region_code_in_scope(acting_user, laborer.region_id)
    ):
        return acting_user
    return home_region_officer(laborer)


@receiver(employment_changed, dispatch_uid="matching.rematch_after_leaving")
def rematch_after_leaving(
    sender: Any,
    *,
    records: Sequence[EmploymentRecord],
    ended: set[int] | None = None,
    acting_user: Any = None,
    **kwargs: Any,
) -> None:
    ended = set(ended or ())
    laborer_ids = {record.laborer_id for record in records if record.pk in ended}
    if not laborer_ids:
        return
    still_working = set(
        EmploymentRecord.objects.filter(laborer_id__in=laborer_ids, end_date__isnull=True).values_list(
            "laborer_id", flat=True
        )
    )
    for laborer in Laborer.objects.filter(pk__in=laborer_ids - still_working).order_by("pk"):
        matcher = _matcher(acting_user, laborer)
        if matcher is not None:
            tasks.match_laborer_on_commit(laborer=laborer, acting_user=matcher)


@receiver(laborer_registered, dispatch_uid="matching.match_registered_laborer")
def match_registered_laborer(sender: Any, *, laborer: Laborer, acting_user: Any, **kwargs: Any) -> None:
    """Mode 2 for a newly registered laborer, after the commit, as the user who registered them."""
    tasks.match_laborer_on_commit(laborer=laborer, acting_user=acting_user)


@receiver(laborers_imported, dispatch_uid="matching.match_imported_laborers")
def match_imported_laborers(sender: Any, *, laborer_ids: Sequence[int], acting_user: Any, **kwargs: Any) -> None:
    """Mode 2 for the laborers an import chunk created (or made 未就业), after the commit, as the importer: one
    queued task per chunk, which matches those out of work (the engine's filters judge the rest)."""
    if laborer_ids:
        tasks.match_laborers_on_commit(laborer_ids=laborer_ids, acting_user=acting_user)


@receiver(job_posted, dispatch_uid="matching.match_posted_job")
def match_posted_job(sender: Any, *, job: JobPosting, acting_user: Any, **kwargs: Any) -> None:
    """Mode 1 for a newly posted job, after the commit, as the user who posted it."""
    tasks.match_job_on_commit(job=job, acting_user=acting_user)
