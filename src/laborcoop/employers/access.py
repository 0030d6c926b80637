"""Scoped access to enterprises and job postings: region subtree for staff, own enterprise for enterprise users."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from laborcoop.accounts.access import get_market, get_scoped, market_queryset, scoped_queryset, user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.employers.choices import JobStatus
from laborcoop.employers.models import Enterprise, JobPosting


def enterprises_for(user: Any, cap: str = Cap.EMPLOYERS_VIEW) -> QuerySet[Enterprise]:
    return scoped_queryset(user, Enterprise.objects.all(), cap, enterprise_field="pk")


def jobs_for(user: Any, cap: str = Cap.JOBS_VIEW) -> QuerySet[JobPosting]:
    return scoped_queryset(user, JobPosting.objects.all(), cap, enterprise_field="enterprise")


def access_enterprise(*, user: Any, enterprise_id: Any, cap: str = Cap.EMPLOYERS_VIEW) -> Enterprise:
    return get_scoped(user, Enterprise.objects.select_related("region"), cap, enterprise_id, enterprise_field="pk")


def access_job(*, user: Any, job_id: Any, cap: str = Cap.JOBS_VIEW) -> JobPosting:
    return get_scoped(
        user,
        JobPosting.objects.select_related("enterprise", "region", "work_region"),
        cap,
        job_id,
        enterprise_field="enterprise",
    )


# --- The job market: open postings of the whole platform, read-only -------------------------------------------


def market_open_q() -> Q:
    """THE predicate of a posting on the job market: open and not past its end date (有效期止). The one place to
    add more conditions (a later 岗位审核 adds `reviewed`)."""
    return Q(status=JobStatus.OPEN, valid_until__gte=timezone.localdate())


def market_jobs_for(user: Any) -> QuerySet[JobPosting]:
    """The open postings of every region, for any signed-in user with the jobs capability (403 otherwise)."""
    return market_queryset(user, JobPosting.objects.all(), Cap.JOBS_VIEW, open_q=market_open_q())


def access_market_job(*, user: Any, job_id: Any) -> JobPosting:
    """One open posting for reading (the market detail page, putting a laborer forward); anything not open is
    404, whoever asks (a user who manages it reaches it through access_job)."""
    return get_market(
        user,
        JobPosting.objects.select_related("enterprise", "region", "work_region"),
        Cap.JOBS_VIEW,
        job_id,
        open_q=market_open_q(),
    )


def manages_job(user: Any, job: JobPosting) -> bool:
    """Whether the user may change the posting: the enterprise itself and the staff of its region's subtree
    (with the jobs editing capability); they also see its internal fields (the contact person and phone)."""
    if not user_can(user, Cap.JOBS_EDIT):
        return False
    return jobs_for(user, Cap.JOBS_EDIT).filter(pk=job.pk).exists()


def sees_job_internals(user: Any, job: JobPosting) -> bool:
    """Whether the user may read the posting's internal fields: anyone who reaches it through the subtree rule."""
    return jobs_for(user, Cap.JOBS_VIEW).filter(pk=job.pk).exists()
