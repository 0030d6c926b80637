"""Who sees which import jobs.

A job holds personal data of its region (the uploaded file, the report), so it is scoped like the data: the
uploader sees their own jobs; admins also see the jobs uploaded by users whose home region lies in their
subtree; the platform operator (superuser) sees all. Missing and out-of-scope jobs are the same 404.
"""

from typing import Any

from django.db.models import QuerySet

from laborcoop.accounts.access import own_or_administered_q
from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.intake.models import ImportJob


def import_jobs_for(user: Any) -> QuerySet[ImportJob]:
    if user is None or not user.is_authenticated:
        raise PermissionDeniedError("请先登录。")
    return ImportJob.objects.filter(own_or_administered_q(user, owner_field="uploaded_by"))


def access_import_job(*, user: Any, job_id: Any) -> ImportJob:
    try:
        return import_jobs_for(user).select_related("uploaded_by").get(pk=job_id)
    except (ImportJob.DoesNotExist, ValueError, TypeError) as exc:
        raise ObjectNotFound from exc
