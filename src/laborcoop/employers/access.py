"""Scoped access to enterprises and job postings: region subtree for staff, own enterprise for enterprise users."""

from typing import Any

from django.db.models import QuerySet

from laborcoop.accounts.access import get_scoped, scoped_queryset
from laborcoop.accounts.capabilities import Cap
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
