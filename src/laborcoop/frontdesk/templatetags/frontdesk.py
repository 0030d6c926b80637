from typing import Any

from django import template

from laborcoop.frontdesk.selectors import open_pairs_of_laborer

register = template.Library()


@register.inclusion_tag("frontdesk/_laborer_duplicates.html", takes_context=True)
def open_duplicates(context: dict[str, Any], laborer: Any) -> dict[str, Any]:
    """The "可能重复" block of the laborer detail page: open pairs of this laborer within the user's scope."""
    user = context["user"]
    return {"laborer": laborer, "pairs": open_pairs_of_laborer(user=user, laborer=laborer)}
