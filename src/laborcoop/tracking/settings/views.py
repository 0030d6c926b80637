"""The tracking settings page (/employment/settings/) of a provincial admin: thin over
tracking.settings.services (which checks permissions, ranges and the version again)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from laborcoop.accounts.access import administered_province
from laborcoop.core.forms import attach_validation_errors
from laborcoop.employment.models import TrackingSettings
from laborcoop.regions.models import Region
from laborcoop.tracking.settings.defaults import TRACKING_DEFAULTS
from laborcoop.tracking.settings.services import (
    ERR_NOT_ADMIN,
    SETTING_NAMES,
    stored_tracking_settings,
    tracking_settings_set,
)

SETTINGS_SAVED = "跟踪参数已保存。"


class TrackingSettingsForm(forms.Form):
    """One text input per threshold (checked by the service, so the messages are the service's); a blank
    input keeps the current value. `version` is the row's version when the page was loaded (0: none)."""

    version = forms.IntegerField(label="版本", min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (default, low, high, label) in TRACKING_DEFAULTS.items():
            self.fields[name] = forms.CharField(
                label=label, max_length=10, required=False, help_text=f"默认 {default}，可设 {low}–{high}"
            )

    def setting_values(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version" and value != ""}


def _province(request: HttpRequest) -> str:
    return administered_province(
        user=request.user, requested=request.GET.get("province", ""), denied_message=ERR_NOT_ADMIN
    )


@login_required
@require_http_methods(["GET", "POST"])
def tracking_settings(request: HttpRequest) -> HttpResponse:
    province_code = _province(request)
    row = TrackingSettings.objects.select_related("updated_by").filter(province_id=province_code).first()
    current = stored_tracking_settings(row)
    status = 200
    if request.method == "POST":
        form = TrackingSettingsForm(request.POST)
        if form.is_valid():
            try:
                tracking_settings_set(
                    acting_user=request.user,
                    province_code=province_code,
                    values=form.setting_values(),
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                attach_validation_errors(form, exc)
            else:
                messages.success(request, SETTINGS_SAVED)
                return redirect(request.get_full_path())
        status = 400
    else:
        form = TrackingSettingsForm(initial={"version": row.version if row is not None else 0, **current})
    rows = [
        {"field": form[name], "current": current[name], "default": TRACKING_DEFAULTS[name][0]} for name in SETTING_NAMES
    ]
    return render(
        request,
        "tracking/tracking_settings.html",
        {
            "form": form,
            "rows": rows,
            "province": Region.objects.filter(pk=province_code).first(),
            "province_code": province_code,
            "row": row,
        },
        status=status,
    )
