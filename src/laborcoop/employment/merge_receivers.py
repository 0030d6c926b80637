"""Employment rows follow a merged laborer (registry.merge): records, wage and insurance months, the derived
status rows (EmploymentState). Computing the status of both people again after the merge or its undo commits
is tracking's (tracking.status.receivers)."""

from laborcoop.employment.models import EmploymentRecord, EmploymentState, InsuranceMonth, WageMonth
from laborcoop.registry.merge import connect_merge_relation
from laborcoop.registry.models import Laborer


def connect_merge_receivers() -> None:
    for model in (EmploymentRecord, WageMonth, InsuranceMonth, EmploymentState):
        connect_merge_relation(model, "laborer", target=Laborer)
