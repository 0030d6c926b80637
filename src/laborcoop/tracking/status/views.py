"""The laborers by derived employment status (/employment/states/): who is 返乡, 失业, 在岗, 稳定就业 in a
region. Thin over tracking.status.selectors."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from laborcoop.accounts.access import region_code_in_scope
from laborcoop.accounts.navigation import region_picker
from laborcoop.core.pagination import page_of
from laborcoop.employment.choices import TrackStatus
from laborcoop.regions.scope import is_region_code
from laborcoop.tracking.status.selectors import employment_state_counts, employment_state_list


class StateFilterForm(forms.Form):
    status = forms.ChoiceField(label="就业状态", required=False, choices=[("", "全部状态"), *TrackStatus.choices])
    region = forms.CharField(label="区划代码", required=False, widget=forms.HiddenInput)


@login_required
def state_list(request: HttpRequest) -> HttpResponse:
    """Laborers with a status in the user's scope (or the chosen region, which must lie in it: 404 else)."""
    form = StateFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {"status": "", "region": ""}
    region = data["region"] or None
    counts = employment_state_counts(request.user, region)
    states = employment_state_list(user=request.user, status=data["status"], region_code=region)
    page = page_of(states, request, count=True)
    picker = region_picker(user=request.user, selected_code=data["region"])
    return render(
        request,
        "tracking/state_list.html",
        {"form": form, "page": page, "picker": picker, "counts": counts, "status": data["status"]},
    )


@login_required
def state_summary(request: HttpRequest) -> HttpResponse:
    """The summary card of the record list (an htmx fragment): counts per status of the region chosen there,
    or of the whole scope when none or not the user's (the list ignores such a region too)."""
    code = request.GET.get("region", "")
    if not (is_region_code(code) and region_code_in_scope(request.user, code)):
        code = ""
    counts = employment_state_counts(request.user, code or None)
    return render(request, "tracking/_state_summary.html", {"counts": counts, "region_code": code})
