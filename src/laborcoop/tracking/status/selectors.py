"""Reads of the derived employment status (tracking.status.services): counts per status for a region and the list of
laborers with a status. Scoped through accounts.access like every other read (output side: the laborers'
home regions, registry capabilities).

Deceased or moved laborers (registry vital_status) keep a computed status but are left out of the counts and
the lists here; the counts say how many were left out."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from laborcoop.accounts.access import region_code_in_scope, scoped_queryset
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.errors import ObjectNotFound
from laborcoop.employment.choices import TrackStatus
from laborcoop.employment.models import EmploymentState
from laborcoop.regions.models import prefix_of_code
from laborcoop.regions.scope import in_subtree_q, is_region_code
from laborcoop.registry.models import VitalStatus

_ACTIVE = Q(laborer__vital_status=VitalStatus.NORMAL)


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class StateCounts:
    """Laborers per derived status in a region (`region_code` '' = the user's whole scope)."""

    region_code: str
    counts: dict[str, int]  # every TrackStatus value, 0 when none
    flagged: int  # deceased or moved laborers, not counted above

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def items(self) -> list[StatusCount]:
        return [StatusCount(value, str(label), self.counts[value]) for value, label in TrackStatus.choices]


def employment_states_for(user: Any, cap: str = Cap.REGISTRY_VIEW) -> QuerySet[EmploymentState]:
    return scoped_queryset(user, EmploymentState.objects.all(), cap)


def _narrowed(user: Any, qs: QuerySet[EmploymentState], region_code: str | None) -> QuerySet[EmploymentState]:
    """`qs` within the subtree of `region_code` (a 12-digit code in the user's scope; 404 otherwise)."""
    if not region_code:
        return qs
    if not (is_region_code(region_code) and region_code_in_scope(user, region_code)):
        raise ObjectNotFound
    prefix = prefix_of_code(region_code)
    # The laborer's own region equals the copied one: stating it lets PostgreSQL read both tables by range.
    return qs.filter(in_subtree_q(prefix, "region"), in_subtree_q(prefix, "laborer__region"))


def employment_state_counts(user: Any, region_code: str | None = None) -> StateCounts:
    """Counts of each status among the laborers of the user's scope, or of the subtree of `region_code`
    (which must lie in it: ObjectNotFound otherwise). One query."""
    qs = _narrowed(user, employment_states_for(user), region_code)
    rows = (
        qs.order_by()
        .values("status")
        .annotate(active=Count("pk", filter=_ACTIVE), flagged=Count("pk", filter=~_ACTIVE))
        .values_list("status", "active", "flagged")
    )
    counts = dict.fromkeys(TrackStatus.values, 0)
    flagged = 0
    for status, active, flagged_here in rows:
        if status in counts:
            counts[status] = active
        flagged += flagged_here
    return StateCounts(region_code=region_code or "", counts=counts, flagged=flagged)


def employment_state_list(*, user: Any, status: str = "", region_code: str | None = None) -> QuerySet[EmploymentState]:
    """The laborers (not deceased or moved) with a status in the user's scope or a subtree of it, by village
    then laborer; rows carry their laborer (name, masked ID) and home village."""
    qs = _narrowed(user, employment_states_for(user), region_code).filter(_ACTIVE)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("laborer", "region").order_by("region_id", "laborer_id")
