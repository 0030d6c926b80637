"""Tracking's answers to the registry's signals (registry.signals), connected by TrackingConfig.ready().

When laborers move home (`laborers_moved`), the output side of their destination notices (去向通报) and their
open follow-up tasks follow them: the new home township follows the person up; closed tasks stay where the
work was done. Both take the laborer's new home region, so this does not depend on the order in which the
employment records are re-pointed.
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import F, Q
from django.dispatch import receiver
from django.utils import timezone

from laborcoop.registry.signals import laborers_moved
from laborcoop.tracking.choices import TaskStatus
from laborcoop.tracking.models import DestinationNotice, FollowUpTask


@receiver(laborers_moved, dispatch_uid="tracking.follow_home")
def notices_and_tasks_follow_home(
    sender: Any, *, laborer_ids: Sequence[int] = (), household_ids: Sequence[int] = (), **kwargs: Any
) -> None:
    laborer_ids, household_ids = list(laborer_ids), list(household_ids)
    if not laborer_ids and not household_ids:
        return
    now = timezone.now()
    notices = list(
        DestinationNotice.objects.filter(Q(laborer_id__in=laborer_ids) | Q(laborer__household_id__in=household_ids))
        .exclude(region_id=F("laborer__region_id"))
        .select_related("laborer")
        .order_by("pk")
    )
    for notice in notices:
        notice.region_id = notice.laborer.region_id
        notice.updated_at = now
    DestinationNotice.objects.bulk_update(notices, ["region", "updated_at"], batch_size=500)
    tasks = list(
        FollowUpTask.objects.filter(
            Q(laborer_id__in=laborer_ids) | Q(laborer__household_id__in=household_ids), status=TaskStatus.OPEN
        )
        .exclude(region_id=F("laborer__region_id"))
        .select_related("laborer")
        .order_by("pk")
    )
    for task in tasks:
        task.region_id = task.laborer.region_id
        task.updated_at = now
    FollowUpTask.objects.bulk_update(tasks, ["region", "updated_at"], batch_size=500)
