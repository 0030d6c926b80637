"""Early warning's panel on the registry's laborer page (registry.panels), registered in EarlyWarningConfig.ready()."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from laborcoop.earlywarning.selectors import laborer_warnings
from laborcoop.registry.models import Laborer


def laborer_warnings_panel(request: HttpRequest, laborer: Laborer) -> SafeString:
    """The "预警" block: the live warnings on the laborer and on their household (the page fetched the laborer
    through access_laborer; users who may not see warnings get nothing)."""
    warnings = laborer_warnings(user=request.user, laborer=laborer)
    return render_to_string(
        "earlywarning/_laborer_warning_list.html",
        {"laborer": laborer, "warnings": warnings, "today": timezone.localdate()},
    )
