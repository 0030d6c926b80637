"""Households and laborers in the Django admin: read-only and scoped.

Registry writes validate ID numbers, household structure and warnings, keep the version counter and write
audit rows; that is registry.services, reached through the registry pages. The admin only browses, and never
shows the encrypted ID number or its hash (the masked form only) nor a full phone number.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from laborcoop.accounts.access import scoped_queryset
from laborcoop.accounts.capabilities import Cap
from laborcoop.accounts.scoped_admin import ScopedModelAdmin
from laborcoop.registry.models import Household, Laborer


class _RegistryAdmin(ScopedModelAdmin):
    view_cap = Cap.REGISTRY_VIEW

    def scope(self, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return scoped_queryset(user, queryset, Cap.REGISTRY_VIEW)

    @admin.display(description="联系电话")
    def phone_masked(self, obj: Any) -> str:
        return obj.phone_masked or "—"


@admin.register(Household)
class HouseholdAdmin(_RegistryAdmin):
    list_display = ["household_no", "region", "household_type", "poverty_attribute", "monitor_category"]
    search_fields = ["^household_no"]
    list_select_related = ["region"]
    fields = readonly_fields = (
        "household_no",
        "region",
        "household_type",
        "poverty_attribute",
        "monitor_category",
        "identified_on",
        "risk_eliminated",
        "poverty_causes",
        "phone_masked",
        "address",
        "warnings",
        "version",
        "created_at",
        "updated_at",
    )


@admin.register(Laborer)
class LaborerAdmin(_RegistryAdmin):
    list_display = ["name", "id_masked", "sex", "birth_date", "region", "labor_skill", "employment_status"]
    search_fields = ["^name", "=id_last4"]
    list_select_related = ["region"]
    fields = readonly_fields = (
        "household",
        "region",
        "person_no",
        "name",
        "id_type",
        "id_masked",
        "disability_cert_suffix",
        "sex",
        "birth_date",
        "ethnicity",
        "relation",
        "education",
        "student_status",
        "health",
        "disability_category",
        "labor_skill",
        "political_status",
        "marital_status",
        "phone_masked",
        "qualification",
        "skills",
        "employment_status",
        "employer_name",
        "work_area",
        "work_region_willingness",
        "intended_occupations",
        "intended_regions",
        "expected_wage",
        "training_needs",
        "unreachable",
        "unreachable_since",
        "warnings",
        "version",
        "created_at",
        "updated_at",
    )
