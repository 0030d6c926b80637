from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from laborcoop.accounts.capabilities import Cap
from laborcoop.accounts.scoped_admin import ScopedModelAdmin
from laborcoop.audit.selectors import audit_search
from laborcoop.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedModelAdmin):
    """Read-only: the audit trail is written by services and never edited or deleted."""

    view_cap = Cap.AUDIT_VIEW
    list_display = ["at", "actor", "action", "object_type", "object_repr", "region_code"]
    list_filter = ["action", "object_type"]
    search_fields = ["=object_id", "=actor__username"]
    fields = readonly_fields = (
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "region_code",
        "changes",
        "reason",
    )
    list_select_related = ["actor"]

    def scope(self, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # The same selector as the audit search page: entries about objects in the user's subtree.
        return audit_search(user=user)
