"""Reads of follow-up work: task lists (per region, and the phone page's), a laborer's follow-ups and open tasks,
the facts shown beside a task, and the unreachable list. Scope comes from tracking.access."""

from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from laborcoop.accounts.access import region_code_in_scope
from laborcoop.accounts.desks import can_call
from laborcoop.employers.choices import JobStatus
from laborcoop.employment.models import EmploymentRecord
from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation
from laborcoop.matching.selectors import recommendation_list_for_laborer
from laborcoop.regions.models import prefix_of_code
from laborcoop.regions.scope import in_subtree_q, is_region_code
from laborcoop.registry.access import laborers_for
from laborcoop.registry.models import Laborer
from laborcoop.tracking.access import followups_for, require_tracking, tasks_for
from laborcoop.tracking.choices import TaskStatus
from laborcoop.tracking.models import FollowUp, FollowUpTask

RECENT_FOLLOWUPS = 5
RECOMMENDATIONS_SHOWN = 5
# Recommendations still in progress: what a 再就业推荐 task follows up (declined and closed ones are left out).
CURRENT_REC_STATES = (RecState.RECOMMENDED, RecState.NOTIFIED, RecState.INTERESTED, RecState.INTERVIEW)


@dataclass(frozen=True)
class TaskFilters:
    status: str = TaskStatus.OPEN  # "" for every status
    kind: str = ""
    region: str = ""  # a 12-digit code inside the user's scope narrows the list to its subtree
    overdue: bool = False


def effective_region(user: Any, region: str) -> str:
    """`region` when it is a region code inside the user's scope, else "" (the whole scope)."""
    return region if region and is_region_code(region) and region_code_in_scope(user, region) else ""


def _narrow_region(queryset: QuerySet[Any], user: Any, region: str) -> QuerySet[Any]:
    region = effective_region(user, region)
    return queryset.filter(in_subtree_q(prefix_of_code(region))) if region else queryset


def task_list(*, user: Any, filters: TaskFilters = TaskFilters(), write: bool = False) -> QuerySet[FollowUpTask]:
    """Tasks of the user's subtree. Open tasks by due date (overdue ones come first); closed ones, latest
    closed first."""
    queryset = tasks_for(user, write=write).select_related("laborer", "region")
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.overdue:
        queryset = queryset.filter(status=TaskStatus.OPEN, due_date__lt=timezone.localdate())
    queryset = _narrow_region(queryset, user, filters.region)
    if filters.status == TaskStatus.OPEN:
        return queryset.order_by("due_date", "id")
    return queryset.order_by(F("done_at").desc(nulls_first=True), "due_date", "id")


def laborer_open_tasks(*, user: Any, laborer: Laborer) -> QuerySet[FollowUpTask]:
    return tasks_for(user).filter(laborer=laborer, status=TaskStatus.OPEN).order_by("due_date", "id")


def laborer_followups(*, user: Any, laborer: Laborer) -> QuerySet[FollowUp]:
    """The laborer's follow-ups, latest first."""
    return (
        followups_for(user)
        .filter(laborer=laborer)
        .select_related("created_by", "task")
        .order_by("-contacted_on", "-id")
    )


def laborer_current_record(laborer: Laborer) -> EmploymentRecord | None:
    return (
        EmploymentRecord.objects.filter(laborer_id=laborer.pk, end_date__isnull=True)
        .select_related("work_region")
        .first()
    )


def task_recommendations(*, user: Any, task: FollowUpTask) -> list[Recommendation]:
    """The laborer's current (open) recommendations, best first: what a 再就业推荐 task refers."""
    return list(
        recommendation_list_for_laborer(user=user, laborer=task.laborer)
        .filter(state__in=CURRENT_REC_STATES, job__status=JobStatus.OPEN)
        .select_related("job__work_region")[:RECOMMENDATIONS_SHOWN]
    )


@dataclass(frozen=True)
class TaskFacts:
    """What the task page and the phone page show beside a task."""

    task: FollowUpTask
    laborer: Laborer
    current: EmploymentRecord | None
    followups: list[FollowUp]
    recommendations: list[Recommendation]
    can_call: bool = False  # the phone is offered as an audited tel: link (registry.calls)


def task_facts(*, user: Any, task: FollowUpTask) -> TaskFacts:
    laborer = task.laborer
    return TaskFacts(
        task=task,
        laborer=laborer,
        current=laborer_current_record(laborer),
        followups=list(laborer_followups(user=user, laborer=laborer)[:RECENT_FOLLOWUPS]),
        recommendations=task_recommendations(user=user, task=task),
        can_call=can_call(user, region_code=laborer.region_id),
    )


def unreachable_list(*, user: Any, region: str = "") -> QuerySet[Laborer]:
    """The unreachable laborers of the user's subtree (无法联系人员), by village, with `attempts` (the failed
    streak of their latest follow-up; None when they were marked by hand) and `last_contacted_on`."""
    require_tracking(user)
    latest = FollowUp.objects.filter(laborer_id=OuterRef("pk")).order_by("-contacted_on", "-id")
    queryset = (
        laborers_for(user)
        .filter(unreachable=True)
        .select_related("region", "household")
        .annotate(
            attempts=Subquery(latest.values("failed_streak")[:1]),
            last_contacted_on=Subquery(latest.values("contacted_on")[:1]),
        )
    )
    return _narrow_region(queryset, user, region).order_by("region_id", "id")
