"""Automatic statistics for a user's subtree, broken down by the child regions (the home page).

One grouped query per table: rows are grouped by the first digits of their region code (the child's
significant prefix), so the cost is one index range scan whatever the number of children.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from laborcoop.accounts.access import region_prefix, scope_q, user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.employers.choices import JobStatus
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.regions.models import PREFIX_LENGTH, Region
from laborcoop.registry.choices import EmploymentStatus, LaborSkill
from laborcoop.registry.models import Household, Laborer

HAS_LABOR_VALUES = [LaborSkill.ORDINARY, LaborSkill.SKILLED, LaborSkill.WEAK]


@dataclass
class RegionCounts:
    code: str
    name: str
    households: int = 0
    laborers: int = 0  # members with labor ability
    persons: int = 0  # all registered members
    employed: int = 0
    unemployed: int = 0
    by_skill: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    enterprises: int = 0
    open_jobs: int = 0
    openings: int = 0

    @property
    def employment_rate(self) -> float:
        return self.employed / self.laborers if self.laborers else 0.0


@dataclass
class SubtreeStats:
    region: Region | None
    total: RegionCounts
    children: list[RegionCounts]


def _open_jobs(qs: QuerySet[JobPosting], today: date) -> QuerySet[JobPosting]:
    return qs.filter(status=JobStatus.OPEN, valid_from__lte=today, valid_until__gte=today)


def subtree_stats(*, user: Any) -> SubtreeStats:
    """Counts for the user's subtree and each child region. Uses the access layer's scope filter."""
    today = timezone.localdate()
    prefix = region_prefix(user)
    region = user.home_region if prefix else None
    level = region.level if region is not None else 0
    child_len = PREFIX_LENGTH.get(level + 1)
    children: list[Region] = []
    if child_len is not None:
        parent_filter = Q(parent=region) if region is not None else Q(level=1)
        children = list(Region.objects.filter(parent_filter, valid_to__isnull=True).order_by("code"))
    rows: dict[str, RegionCounts] = {
        r.prefix if child_len else r.code: RegionCounts(code=r.code, name=r.name) for r in children
    }
    total = RegionCounts(code=region.code if region else "", name=region.name if region else "全国")

    def bucket(key: str | None) -> list[RegionCounts]:
        found = rows.get(key or "")
        return [total, found] if found is not None else [total]

    def allowed(cap: str) -> bool:
        return user_can(user, cap)

    scope = scope_q(user)
    group = Substr("region", 1, child_len) if child_len else Substr("region", 1, 12)

    households = Household.objects.filter(scope) if allowed(Cap.REGISTRY_VIEW) else Household.objects.none()
    for item in households.annotate(g=group).values("g").annotate(n=Count("id")):
        for target in bucket(item["g"]):
            target.households += item["n"]

    laborers = Laborer.objects.filter(scope) if allowed(Cap.REGISTRY_VIEW) else Laborer.objects.none()
    laborer_rows = laborers.annotate(g=group).values("g", "labor_skill", "employment_status").annotate(n=Count("id"))
    for item in laborer_rows:
        for target in bucket(item["g"]):
            n = item["n"]
            target.persons += n
            target.by_skill[item["labor_skill"]] = target.by_skill.get(item["labor_skill"], 0) + n
            if item["labor_skill"] in HAS_LABOR_VALUES:
                target.laborers += n
                status = item["employment_status"]
                target.by_status[status] = target.by_status.get(status, 0) + n
                if status == EmploymentStatus.EMPLOYED:
                    target.employed += n
                elif status == EmploymentStatus.UNEMPLOYED:
                    target.unemployed += n

    enterprises = Enterprise.objects.filter(scope_q(user, enterprise_field="pk"))
    if not allowed(Cap.EMPLOYERS_VIEW):
        enterprises = enterprises.none()
    for item in enterprises.annotate(g=group).values("g").annotate(n=Count("id")):
        for target in bucket(item["g"]):
            target.enterprises += item["n"]

    jobs = JobPosting.objects.filter(scope_q(user, enterprise_field="enterprise"))
    if not allowed(Cap.JOBS_VIEW):
        jobs = jobs.none()
    job_rows = _open_jobs(jobs, today).annotate(g=group).values("g").annotate(n=Count("id"), openings=Sum("openings"))
    for item in job_rows:
        for target in bucket(item["g"]):
            target.open_jobs += item["n"]
            target.openings += item["openings"] or 0

    return SubtreeStats(region=region, total=total, children=list(rows.values()))
