"""Employment rows follow a merged laborer (registry.merge): records, wage and insurance months, the derived
status rows (EmploymentState); then the employment summary of the people concerned follows their records
(employment.records.summary): the kept person may have received the ongoing job. Computing the derived status
of both people again after the merge or its undo commits is tracking's (tracking.status.receivers)."""

from typing import Any

from laborcoop.employment.models import EmploymentRecord, EmploymentState, InsuranceMonth, WageMonth
from laborcoop.employment.records.summary import laborer_summaries_sync
from laborcoop.registry.merge import connect_merge_relation, laborers_merged, laborers_unmerged
from laborcoop.registry.models import Laborer

MERGE_REASON = "合并重复人员后按就业记录校正就业状态"
UNMERGE_REASON = "撤销合并后按就业记录校正就业状态"


def _summary_after_merge(sender: Any, *, kept: Any, acting_user: Any = None, **kwargs: Any) -> None:
    laborer_summaries_sync(acting_user=acting_user, laborer_ids=[kept.pk], reason=MERGE_REASON)


def _summary_after_unmerge(sender: Any, *, kept: Any, restored: Any, acting_user: Any = None, **kwargs: Any) -> None:
    laborer_summaries_sync(acting_user=acting_user, laborer_ids=[kept.pk, restored.pk], reason=UNMERGE_REASON)


def connect_merge_receivers() -> None:
    for model in (EmploymentRecord, WageMonth, InsuranceMonth, EmploymentState):
        connect_merge_relation(model, "laborer", target=Laborer)
    # Connected after the rows' receivers: they run once the records have moved.
    laborers_merged.connect(_summary_after_merge, sender=Laborer, weak=False, dispatch_uid="employment.summary_merge")
    laborers_unmerged.connect(
        _summary_after_unmerge, sender=Laborer, weak=False, dispatch_uid="employment.summary_unmerge"
    )
