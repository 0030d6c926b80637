from typing import Any

from django import template

from laborcoop.accounts.access import user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.employment.records.forms import EmploymentRecordForm, EndForm
from laborcoop.employment.records.selectors import laborer_employment_records

register = template.Library()


@register.inclusion_tag("employment/_laborer_records.html", takes_context=True)
def laborer_employment(context: dict[str, Any], laborer: Any) -> dict[str, Any]:
    """The "就业记录" block of the laborer detail page: the laborer's records (the user already passed
    access_laborer for this laborer), with the add and end forms for users who may edit."""
    user = context["user"]
    can_edit = user_can(user, Cap.REGISTRY_EDIT)
    return {
        "laborer": laborer,
        "records": list(laborer_employment_records(user=user, laborer=laborer)),
        "can_edit": can_edit,
        "add_form": EmploymentRecordForm(auto_id="add_%s") if can_edit else None,
        "end_form": EndForm(auto_id=False) if can_edit else None,
        "csrf_token": context.get("csrf_token"),
    }
