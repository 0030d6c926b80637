"""Reads of enterprises and job postings. Every function takes the acting user and goes through employers.access."""

from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from laborcoop.accounts.access import market_distance_q
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.sorting import SortColumn, Sorting
from laborcoop.core.validation.uscc import normalize_uscc
from laborcoop.employers import choices as c
from laborcoop.employers.access import enterprises_for, jobs_for, market_jobs_for
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.regions.models import prefix_of_code
from laborcoop.regions.scope import in_subtree_q

# The columns the enterprise and job lists may be ordered by (core.sorting). Enterprises are few per region
# (thousands in a province); the job list's default order (newest first) already sorts the scoped postings, and
# these orders cost the same (docs/benchmarks.md, "Sorted list pages").
ENTERPRISE_SORTING = Sorting(
    columns={
        "name": SortColumn("企业名称", ("name",)),
        "region": SortColumn("所在地区", ("region_id",)),
        "open_jobs": SortColumn("招聘中岗位", ("open_jobs",), descending_first=True),
    },
    default=("region_id", "id"),
)
JOB_SORTING = Sorting(
    columns={
        "openings": SortColumn("招聘人数", ("openings",), descending_first=True),
        "wage": SortColumn("月薪（元）", ("wage_max", "wage_min"), descending_first=True),
        "valid": SortColumn("有效期", ("valid_until",)),
    },
    default=("-valid_from", "-id"),
)


def _open_today(jobs: QuerySet[JobPosting]) -> QuerySet[JobPosting]:
    """Postings open and valid today: what callers and laborers can apply for."""
    today = timezone.localdate()
    return jobs.filter(status=c.JobStatus.OPEN, valid_from__lte=today, valid_until__gte=today)


def _status_today_q(status: str) -> Q:
    """The postings whose status as of today (JobPosting.shown_status) is `status`: one past its end date is
    已过期 even before the nightly expiry has written it."""
    today = timezone.localdate()
    if status == c.JobStatus.EXPIRED:
        return Q(status=status) | Q(status__in=c.EXPIRING_JOB_STATUSES, valid_until__lt=today)
    if status in c.EXPIRING_JOB_STATUSES:
        return Q(status=status, valid_until__gte=today)
    return Q(status=status)


def enterprise_list(
    *,
    user: Any,
    q: str = "",
    is_assist_workshop: bool | None = None,
    is_assist_base: bool | None = None,
    industry: str = "",
) -> QuerySet[Enterprise]:
    """The enterprises the user may see, ordered by region then id, each with `open_jobs`: its postings that
    are open and valid today (what job_list(open_only=True) shows).

    `q` is part of the name, or a full credit code (matched exactly).
    """
    qs = enterprises_for(user, Cap.EMPLOYERS_VIEW)
    text = q.strip()
    if text:
        code = normalize_uscc(text)
        match = Q(name__contains=text)
        if len(code) == 18:
            match |= Q(uscc=code)
        qs = qs.filter(match)
    if is_assist_workshop is not None:
        qs = qs.filter(is_assist_workshop=is_assist_workshop)
    if is_assist_base is not None:
        qs = qs.filter(is_assist_base=is_assist_base)
    if industry:
        qs = qs.filter(industry=industry)
    # A scalar subquery rather than JOIN + GROUP BY: it is evaluated only for the rows of the page shown.
    open_jobs = (
        _open_today(JobPosting.objects.filter(enterprise=OuterRef("pk")))
        .order_by()
        .values("enterprise")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        qs.select_related("region")
        .annotate(open_jobs=Coalesce(Subquery(open_jobs), 0))
        .order_by(*ENTERPRISE_SORTING.default)
    )


def job_list(
    *,
    user: Any,
    q: str = "",
    status: str = "",
    open_only: bool = False,
    enterprise_id: int | None = None,
) -> QuerySet[JobPosting]:
    """The postings the user may see, newest first (by start of validity, then id).

    `q` is part of the title, the occupation or the enterprise's name. `open_only` keeps postings that are
    open and valid today, which is what callers and laborers can apply for.
    """
    qs = jobs_for(user, Cap.JOBS_VIEW)
    text = q.strip()
    if text:
        qs = qs.filter(Q(title__contains=text) | Q(occupation__contains=text) | Q(enterprise__name__contains=text))
    if status:
        qs = qs.filter(_status_today_q(status))
    if open_only:
        qs = _open_today(qs)
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    return qs.select_related("enterprise", "region", "work_region").order_by("-valid_from", "-id")


def market_list(
    *,
    user: Any,
    q: str = "",
    region: str = "",
    occupation: str = "",
    wage_min: int | None = None,
    distance: str = "",
    accommodation: bool = False,
    order: str = "",
) -> QuerySet[JobPosting]:
    """The job market: open postings of every region (employers.access.market_jobs_for), newest first or by
    wage (`order="wage"`). `region` narrows to the subtree of a work region, `distance` to 县内 / 省内 / 省外
    of the user's home region, `wage_min` to postings paying at least that much at the top of their range.

    Partner regions first (labor-cooperation agreements) is not applied yet: the agreements are a later slice."""
    qs = market_jobs_for(user)
    text = q.strip()
    if text:
        qs = qs.filter(Q(title__contains=text) | Q(occupation__contains=text) | Q(enterprise__name__contains=text))
    if region:
        qs = qs.filter(in_subtree_q(prefix_of_code(region), "work_region"))
    if occupation.strip():
        qs = qs.filter(occupation__contains=occupation.strip())
    if wage_min is not None:
        qs = qs.filter(wage_max__gte=wage_min)
    if distance:
        qs = qs.filter(market_distance_q(user, distance, region_field="work_region"))
    if accommodation:
        qs = qs.filter(provides_accommodation=True)
    ordering = ("-wage_max", "-wage_min", "-id") if order == "wage" else ("-valid_from", "-id")
    return qs.select_related("enterprise", "region", "work_region").order_by(*ordering)
