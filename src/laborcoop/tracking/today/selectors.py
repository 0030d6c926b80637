"""Reads of the broker's "today" page. Every list is scoped through the access layer (tracking.access for tasks,
registry.access for people, matching.access for recommendations): a broker sees only their villages.

- Due follow-ups: open tasks due today or earlier (overdue first), the broker's phone work.
- People to register: household members who came of working age (16) in the last `NEW_WORKER_DAYS` days and whose
  record has not been touched since their 16th birthday: their labor ability, intentions and phone are to be
  collected (登记劳动力信息).
- Jobs to pass on: recommendations nobody has told the laborer about yet (推荐) on open postings, best first.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from laborcoop.accounts.capabilities import Cap
from laborcoop.employers.choices import JobStatus
from laborcoop.matching.access import recommendations_for
from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation
from laborcoop.registry.access import laborers_for
from laborcoop.registry.choices import Relation
from laborcoop.registry.models import Laborer, VitalStatus
from laborcoop.tracking.access import tasks_for
from laborcoop.tracking.choices import TaskStatus
from laborcoop.tracking.models import FollowUpTask

SHOWN = 10
WORKING_AGE = 16
NEW_WORKER_DAYS = 180
UPCOMING_DAYS = 7


def sixteenth_birthday(birth: date) -> date:
    try:
        return birth.replace(year=birth.year + WORKING_AGE)
    except ValueError:  # 29 February
        return birth.replace(year=birth.year + WORKING_AGE, day=28)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Today:
    day: date
    due_tasks: list[FollowUpTask]
    due_count: int
    overdue_count: int
    upcoming_count: int  # due in the next UPCOMING_DAYS days
    new_workers: list[Laborer]
    new_worker_count: int
    jobs_to_pass: list[Recommendation]
    jobs_to_pass_count: int


def due_tasks(*, user: Any, today: date) -> QuerySet[FollowUpTask]:
    return (
        tasks_for(user, write=True)
        .filter(status=TaskStatus.OPEN, due_date__lte=today)
        .select_related("laborer", "region")
        .order_by("due_date", "id")
    )


# The householder's name (a scalar subquery in the same statement): the family is named by its head, not its number.
_head_name = (
    Laborer.objects.filter(household=OuterRef("household_id"), relation=Relation.HEAD).order_by("id").values("name")[:1]
)


def new_workers(*, user: Any, today: date) -> list[Laborer]:
    """Members who turned 16 in the last NEW_WORKER_DAYS days and whose record predates that birthday (a few
    per village: filtered in Python on the birthday, the date range is on the query)."""
    latest_birth = _years_before(today, WORKING_AGE)
    earliest_birth = _years_before(today - timedelta(days=NEW_WORKER_DAYS), WORKING_AGE)
    candidates = (
        laborers_for(user, Cap.REGISTRY_EDIT)
        .filter(birth_date__gt=earliest_birth, birth_date__lte=latest_birth, vital_status=VitalStatus.NORMAL)
        .select_related("region", "household")
        .annotate(head_name=Subquery(_head_name))
        .order_by("birth_date", "id")
    )
    return [p for p in candidates if timezone.localdate(p.updated_at) < sixteenth_birthday(p.birth_date)]


def jobs_to_pass(*, user: Any) -> QuerySet[Recommendation]:
    return (
        recommendations_for(user, edit=True)
        .filter(state=RecState.RECOMMENDED, job__status=JobStatus.OPEN)
        .select_related("job__work_region", "laborer__region")
        .order_by("-score", "id")
    )


def broker_today(*, user: Any, today: date) -> Today:
    """Everything the broker's home shows (a fixed number of queries whatever the size of the villages)."""
    tasks = due_tasks(user=user, today=today)
    open_tasks = tasks_for(user, write=True).filter(status=TaskStatus.OPEN)
    workers = new_workers(user=user, today=today)
    recs = jobs_to_pass(user=user)
    return Today(
        day=today,
        due_tasks=list(tasks[:SHOWN]),
        due_count=tasks.count(),
        overdue_count=open_tasks.filter(due_date__lt=today).count(),
        upcoming_count=open_tasks.filter(
            due_date__gt=today, due_date__lte=today + timedelta(days=UPCOMING_DAYS)
        ).count(),
        new_workers=workers[:SHOWN],
        new_worker_count=len(workers),
        jobs_to_pass=list(recs[:SHOWN]),
        jobs_to_pass_count=recs.count(),
    )
