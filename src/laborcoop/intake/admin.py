"""Import jobs in the Django admin, for administrators: read-only, scoped by intake.access.

The file and the report hold personal data: the admin lists counts and status only and links nothing.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from laborcoop.accounts.capabilities import Cap
from laborcoop.accounts.scoped_admin import ScopedModelAdmin
from laborcoop.intake.access import import_jobs_for
from laborcoop.intake.models import ImportJob

_FIELDS = (
    "original_name",
    "kind",
    "status",
    "progress",
    "sheet",
    "header_row",
    "rows_total",
    "rows_done",
    "rows_created",
    "rows_updated",
    "rows_unchanged",
    "rows_rejected",
    "rows_warned",
    "error",
    "uploaded_by",
    "region",
    "sha256",
    "created_at",
    "started_at",
    "finished_at",
)


@admin.register(ImportJob)
class ImportJobAdmin(ScopedModelAdmin):
    view_cap = Cap.USERS_MANAGE  # an administrators' tool; officers follow their jobs on the import pages
    list_display = [
        "id",
        "original_name",
        "kind",
        "status",
        "progress",
        "rows_created",
        "rows_updated",
        "rows_unchanged",
        "rows_rejected",
        "uploaded_by",
        "created_at",
    ]
    list_filter = ["kind", "status"]
    fields = _FIELDS
    readonly_fields = _FIELDS

    def scope(self, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=import_jobs_for(user).values("pk"))
