"""The derived-status summary card of the employment record list
(`{% load employment_status %}{% employment_state_summary region %}`): a placeholder that htmx fills after
the page has loaded (tracking:state_summary), because counting a province's states joins a million
laborers (to leave out the deceased and moved) and must not slow the list down. Without JavaScript: a link."""

from typing import Any

from django import template

from laborcoop.accounts.access import user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.regions.scope import is_region_code

register = template.Library()


@register.inclusion_tag("tracking/_state_summary_slot.html", takes_context=True)
def employment_state_summary(context: dict[str, Any], region_code: Any = "") -> dict[str, Any]:
    code = str(region_code or "")
    return {"shown": user_can(context["user"], Cap.REGISTRY_VIEW), "region_code": code if is_region_code(code) else ""}
