"""Employment rows follow a merged laborer (registry.merge): records, wage and insurance months, the derived
status; the derived status of both people is computed again after the merge or its undo commits."""

from functools import partial
from typing import Any

from django.db import transaction

from laborcoop.employment.models import EmploymentRecord, EmploymentState, InsuranceMonth, WageMonth
from laborcoop.employment.status import employment_states_refresh
from laborcoop.registry.merge import connect_merge_relation, laborers_merged, laborers_unmerged
from laborcoop.registry.models import Laborer


def _refresh_after_commit(sender: Any, *, kept: Any, **kwargs: Any) -> dict[str, Any]:
    ids = [kept.pk] + ([kwargs["restored"].pk] if "restored" in kwargs else [])
    transaction.on_commit(partial(employment_states_refresh, ids), robust=True)
    return {}


def connect_merge_receivers() -> None:
    for model in (EmploymentRecord, WageMonth, InsuranceMonth, EmploymentState):
        connect_merge_relation(model, "laborer", target=Laborer)
    laborers_merged.connect(_refresh_after_commit, sender=Laborer, dispatch_uid="employment:merge-status")
    laborers_unmerged.connect(_refresh_after_commit, sender=Laborer, dispatch_uid="employment:unmerge-status")
