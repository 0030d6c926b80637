from typing import Any

from django import template

from laborcoop.audit.presenting import ChangeRow, actor_name, change_rows

register = template.Library()


@register.filter
def audit_changes(entry: Any) -> list[ChangeRow]:
    return change_rows(entry)


@register.filter
def audit_actor(entry: Any) -> str:
    return actor_name(entry)
