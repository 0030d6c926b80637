"""Leaving a job returns the laborer to the matching pool (imported by MatchingConfig.ready()).

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

from laborcoop.accounts.access import region_code_in_scope, user_can
from laborcoop.accounts.models import User
from laborcoop.accounts.roles import Cap, Role
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.signals import employment_changed
from laborcoop.matching import tasks
from laborcoop.matching.access import is_enterprise_user
from laborcoop.registry.models import Laborer


def home_region_officer(laborer: Laborer) -> User | None:
    """The staff member closest to the laborer's home village who may edit the registry there: matching for
    the laborer runs on their behalf when the one who ended the job may not (an enterprise reporting a leaving
    cannot see the registry)."""
    code = laborer.region_id
    ancestors = [code[:n].ljust(12, "0") for n in (12, 9, 6, 4, 2)]
    candidates = User.objects.filter(is_active=True, home_region_id__in=ancestors)
    best: tuple[int, User] | None = None
    for user in candidates.order_by("pk"):
        if Role.ENTERPRISE in (user.roles or []) or not user.has_cap(Cap.REGISTRY_EDIT):
            continue
        depth = ancestors.index(user.home_region_id)  # type: ignore[arg-type]
        if best is None or depth < best[0]:
            best = (depth, user)
    return best[1] if best else None


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
