"""The derived status follows every employment write (connected by TrackingConfig.ready()).

`employment_changed` and `employment_states_stale` are sent inside the writing transaction with the laborers'
rows locked (see employment.signals), so the states are recomputed from what that transaction sees: one
set-based refresh per service call or import chunk. After a merge of two laborers (registry.merge) or its
undo, the states of both are recomputed once the merge has committed."""

from collections.abc import Sequence
from functools import partial
from typing import Any

from django.db import transaction
from django.dispatch import receiver

from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.signals import employment_changed, employment_states_stale
from laborcoop.registry.merge import laborers_merged, laborers_unmerged
from laborcoop.registry.models import Laborer
from laborcoop.tracking.status.services import employment_states_refresh


@receiver(employment_changed, dispatch_uid="tracking.derived_status")
def employment_states_on_employment_changed(sender: Any, *, records: Sequence[EmploymentRecord], **kwargs: Any) -> None:
    employment_states_refresh({record.laborer_id for record in records})


@receiver(employment_states_stale, dispatch_uid="tracking.employment_states_stale")
def employment_states_on_stale(sender: Any, *, laborer_ids: Sequence[int], **kwargs: Any) -> None:
    employment_states_refresh(laborer_ids)


def _refresh_after_commit(sender: Any, *, kept: Any, **kwargs: Any) -> dict[str, Any]:
    ids = [kept.pk] + ([kwargs["restored"].pk] if "restored" in kwargs else [])
    transaction.on_commit(partial(employment_states_refresh, ids), robust=True)
    return {}


laborers_merged.connect(_refresh_after_commit, sender=Laborer, dispatch_uid="tracking:merge-status")
laborers_unmerged.connect(_refresh_after_commit, sender=Laborer, dispatch_uid="tracking:unmerge-status")
