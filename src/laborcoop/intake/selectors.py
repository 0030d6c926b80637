"""Reads of the intake app: job lists and a job's issues, always through intake.access."""

from typing import Any

from django.db.models import QuerySet

from laborcoop.intake.access import import_jobs_for
from laborcoop.intake.models import ImportIssue, ImportJob


def import_job_list(*, user: Any) -> QuerySet[ImportJob]:
    """The jobs the user may see, newest first."""
    return import_jobs_for(user).select_related("uploaded_by").order_by("-created_at", "-id")


def import_issue_list(*, job: ImportJob) -> QuerySet[ImportIssue]:
    """Issues of a job the caller obtained through access_import_job, in row order."""
    return ImportIssue.objects.filter(job=job).order_by("row", "id")
