from typing import Any

from django import template
from django.forms import BoundField

from laborcoop.core.sorting import header_context

register = template.Library()


@register.filter
def dictget(mapping: Any, key: Any) -> Any:
    if not mapping:
        return 0
    return mapping.get(key, 0)


@register.inclusion_tag("core/field.html")
def form_field(field: BoundField, warnings: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """A form field with its label, help text, errors and (non-blocking) warnings next to it."""
    return {"field": field, "warnings": (warnings or {}).get(field.name, [])}


@register.filter
def choice_labels(values: Any, choices: Any) -> str:
    labels = dict(choices)
    return "、".join(str(labels.get(v, v)) for v in values or [])


@register.inclusion_tag("core/_sort_th.html")
def sort_th(sort: Any, key: str, cls: str = "") -> dict[str, Any]:
    """A sortable column header: `{% sort_th sort "name" %}` links to the list ordered by that column (the
    other direction when it already is) and marks the current order with aria-sort."""
    return {**header_context(sort, key), "cls": cls}
