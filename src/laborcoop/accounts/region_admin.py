"""The region tree in the Django admin: read-only reference data, listed within the user's subtree."""

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from laborcoop.accounts.access import region_prefix
from laborcoop.accounts.scoped_admin import ScopedModelAdmin
from laborcoop.regions.models import Region
from laborcoop.regions.scope import in_subtree_q


def _has_region_scope(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and region_prefix(user) is not None)


@admin.register(Region)
class RegionAdmin(ScopedModelAdmin):
    """Regions are loaded from the official code lists (regions.services), never edited by hand."""

    list_display = ["code", "name", "level", "parent", "valid_to"]
    list_filter = ["level"]
    search_fields = ["^code", "^name"]  # also serves autocomplete (enterprise region)
    fields = readonly_fields = (
        "code",
        "name",
        "level",
        "parent",
        "prefix",
        "valid_from",
        "valid_to",
        "successor",
        "note",
    )
    list_select_related = ["parent"]

    def scope(self, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
        prefix = region_prefix(user)
        if prefix is None:
            return queryset.none()
        return queryset.filter(in_subtree_q(prefix, "code"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _has_region_scope(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _has_region_scope(request.user)
