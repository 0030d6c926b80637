"""Employment's panels on the registry's laborer page (registry.panels), registered in EmploymentConfig.ready()."""

from django.http import HttpRequest
from django.template.context_processors import csrf
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from laborcoop.accounts.access import user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.employment.records.forms import EmploymentRecordForm, EndForm
from laborcoop.employment.records.selectors import laborer_employment_records
from laborcoop.registry.models import Laborer


def laborer_records_panel(request: HttpRequest, laborer: Laborer) -> SafeString:
    """The "就业记录" block: the laborer's records (the page fetched the laborer through access_laborer), with the
    add and end forms for users who may edit."""
    user = request.user
    can_edit = user_can(user, Cap.REGISTRY_EDIT)
    return render_to_string(
        "employment/_laborer_records.html",
        {
            "laborer": laborer,
            "records": list(laborer_employment_records(user=user, laborer=laborer)),
            "can_edit": can_edit,
            "add_form": EmploymentRecordForm(auto_id="add_%s") if can_edit else None,
            "end_form": EndForm(auto_id=False) if can_edit else None,
            **csrf(request),
        },
    )
