"""The Django admin behind the same access layer as the pages: the base class of every ModelAdmin.

Only active staff users reach the admin at all (Django's AdminSite.has_permission). Inside it, Django's
model permissions are not used: what a staff user may see and do follows their roles' capabilities, and
every list and object goes through `laborcoop.accounts.access` (or an app's access functions), so the admin
shows exactly the rows the pages show. Every domain write has a service (validation, version counter,
audit row in the same transaction) that a ModelAdmin save would skip, so domain models are read-only here
and nothing is ever deleted through the admin.
"""

from typing import Any, ClassVar

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from laborcoop.accounts.access import user_can
from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError


class ScopedModelAdmin(admin.ModelAdmin):
    """Capability-checked, scope-filtered ModelAdmin.

    `view_cap` gates the model (index, list, detail); adding, changing and deleting are refused (see the
    module docstring); a subclass may open a narrow, service-backed change. Subclasses implement
    `scope(user, queryset)` with the access layer; it may raise PermissionDeniedError / ObjectNotFound,
    which mean "no rows".
    """

    view_cap: ClassVar[str]
    list_per_page = 50
    show_full_result_count = False  # a COUNT over a province's rows costs more than the page

    def scope(self, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        try:
            return self.scope(request.user, queryset)
        except (PermissionDeniedError, ObjectNotFound):
            return queryset.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return user_can(request.user, self.view_cap)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return user_can(request.user, self.view_cap)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # accounts are disabled, registry rows and audit entries are kept
