"""Enterprises and job postings in the Django admin: read-only and scoped like the pages.

Writes go through employers.services (reached through the enterprise and job pages and the API): they check
region levels, the fields an enterprise user may not change, wage and age ranges and the optimistic version,
and write the audit row. A ModelAdmin save would skip all of that, so the admin only browses.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from laborcoop.accounts.access import scoped_queryset
from laborcoop.accounts.capabilities import Cap
from laborcoop.accounts.scoped_admin import ScopedModelAdmin
from laborcoop.employers.models import Enterprise, JobPosting


@admin.register(Enterprise)
class EnterpriseAdmin(ScopedModelAdmin):
    view_cap = Cap.EMPLOYERS_VIEW
    list_display = ["name", "uscc", "region", "industry", "size", "is_assist_workshop", "is_assist_base"]
    list_filter = ["industry", "size", "is_assist_workshop", "is_assist_base"]
    search_fields = ["^name", "=uscc"]
    list_select_related = ["region"]
    fields = readonly_fields = (
        "name",
        "uscc",
        "region",
        "industry",
        "size",
        "contact_name",
        "contact_phone",
        "address",
        "is_assist_workshop",
        "is_assist_base",
        "description",
        "version",
        "created_at",
        "updated_at",
    )

    def scope(self, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return scoped_queryset(user, queryset, Cap.EMPLOYERS_VIEW, enterprise_field="pk")


@admin.register(JobPosting)
class JobPostingAdmin(ScopedModelAdmin):
    view_cap = Cap.JOBS_VIEW
    list_display = ["title", "enterprise", "region", "work_region", "openings", "status", "valid_until"]
    list_filter = ["status"]
    search_fields = ["^title", "^occupation"]
    list_select_related = ["enterprise", "region", "work_region"]
    fields = readonly_fields = (
        "enterprise",
        "region",
        "title",
        "occupation",
        "openings",
        "wage_min",
        "wage_max",
        "work_region",
        "age_min",
        "age_max",
        "sex_requirement",
        "education_min",
        "provides_accommodation",
        "provides_meals",
        "is_low_threshold",
        "valid_from",
        "valid_until",
        "status",
        "description",
        "version",
        "created_at",
        "updated_at",
    )

    def scope(self, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return scoped_queryset(user, queryset, Cap.JOBS_VIEW, enterprise_field="enterprise")
