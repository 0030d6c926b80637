"""Who may see an export job: its requester, and nobody else (not even an administrator of the region, since
an unmasked file holds clear ID numbers the requester was granted to see). Others get the same 404 as for a
missing job."""

from typing import Any

from django.db.models import QuerySet

from laborcoop.accounts.access import can_unmask, is_admin, region_prefix
from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.exports.choices import ExportStatus
from laborcoop.exports.models import ExportJob

UNMASK_DENIED = "您没有导出完整证件号和电话的权限。"


def require_unmask(user: Any) -> None:
    if not can_unmask(user):
        raise PermissionDeniedError(UNMASK_DENIED)


def export_jobs_for(user: Any) -> QuerySet[ExportJob]:
    if user is None or not user.is_authenticated:
        raise PermissionDeniedError("请先登录。")
    return ExportJob.objects.filter(requested_by=user)


def access_export_job(*, user: Any, job_id: Any) -> ExportJob:
    try:
        return export_jobs_for(user).get(pk=job_id)
    except (ExportJob.DoesNotExist, ValueError, TypeError) as exc:
        raise ObjectNotFound from exc


def failed_export_jobs_for_admin(user: Any) -> QuerySet[ExportJob]:
    """Failed background exports of the users in an admin's region, so that an admin learns why an export failed
    for someone else (the cause, never the file or the filters: those stay the requester's). Nothing for
    others."""
    if user is None or not user.is_authenticated or not is_admin(user):
        return ExportJob.objects.none()
    prefix = region_prefix(user)
    if prefix is None:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(status=ExportStatus.FAILED, region_code__startswith=prefix)
