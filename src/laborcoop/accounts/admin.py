"""Accounts in the Django admin: listed through access_users, changed only through accounts.services.

Accounts are created, edited, reset and disabled on the account pages, where the hierarchy rules apply.
Here an admin only browses the accounts they manage; a platform operator (superuser) may additionally grant
or withdraw admin access (`is_staff`), which goes through `user_set_staff` and is audited. Accounts are never
deleted: audit rows point at them.
"""

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from laborcoop.accounts import region_admin  # noqa: F401  (registers the region tree, scoped by user)
from laborcoop.accounts.access_users import managed_users_q
from laborcoop.accounts.capabilities import Cap
from laborcoop.accounts.models import User
from laborcoop.accounts.scoped_admin import ScopedModelAdmin
from laborcoop.accounts.services import user_set_staff

USER_ADMIN_FIELDS = (
    "username",
    "first_name",
    "phone",
    "home_region",
    "roles",
    "enterprise",
    "can_unmask_id",
    "is_active",
    "is_staff",
    "is_superuser",
    "last_login",
    "date_joined",
)


@admin.register(User)
class UserAdmin(ScopedModelAdmin):
    view_cap = Cap.USERS_MANAGE
    list_display = ["username", "first_name", "home_region", "role_list", "enterprise", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff"]
    search_fields = ["^username", "^first_name"]
    list_select_related = ["home_region", "enterprise"]
    fields = USER_ADMIN_FIELDS

    @admin.display(description="角色")
    def role_list(self, obj: User) -> str:
        return "、".join(obj.role_labels)

    def scope(self, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(managed_users_q(user))

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Only the staff flag is editable here, and only by platform operators.
        user: Any = request.user
        return bool(user.is_active and user.is_superuser)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [name for name in USER_ADMIN_FIELDS if name != "is_staff"]

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm[Any], change: bool) -> None:
        user_set_staff(acting_user=request.user, target=obj, is_staff=obj.is_staff)
