"""Registry pages: thin views over registry.selectors / registry.services and the access layer."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from laborcoop.accounts.access import can_unmask, region_prefix, require_cap, user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.accounts.desks import can_call
from laborcoop.accounts.navigation import region_picker
from laborcoop.core.forms import attach_validation_errors
from laborcoop.core.pagination import page_of
from laborcoop.core.sorting import sorted_list
from laborcoop.regions.selectors import region_path_name
from laborcoop.registry import choices as c
from laborcoop.registry import services
from laborcoop.registry.access import access_household, access_laborer
from laborcoop.registry.duplicates import Candidate, registration_duplicates
from laborcoop.registry.forms import (
    DuplicateConfirmForm,
    HouseholdForm,
    HouseholdSearchForm,
    LaborerForm,
    LaborerSearchForm,
    RevealForm,
    SetHeadForm,
)
from laborcoop.registry.models import Household, Laborer
from laborcoop.registry.panels import LABORER_ACTIONS, LABORER_NOTICES, LABORER_PANELS
from laborcoop.registry.selectors import (
    HOUSEHOLD_SORTING,
    LABORER_SORTING,
    LaborerFilters,
    household_list,
    household_members,
    laborer_list,
)


@login_required
def laborer_list_view(request: HttpRequest) -> HttpResponse:
    form = LaborerSearchForm(request.GET or None)
    filters = LaborerFilters()
    if form.is_valid():
        filters = LaborerFilters(
            q=form.cleaned_data["q"],
            region=form.cleaned_data["region"],
            labor_skill=form.cleaned_data["labor_skill"],
            employment_status=form.cleaned_data["employment_status"],
        )
    laborers, sort = sorted_list(request, laborer_list(user=request.user, filters=filters), LABORER_SORTING)
    page = page_of(laborers, request, count=True)
    picker = region_picker(user=request.user, selected_code=filters.region)
    return render(request, "registry/laborer_list.html", {"form": form, "page": page, "picker": picker, "sort": sort})


@login_required
def laborer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    laborer = access_laborer(user=request.user, laborer_id=pk)
    user: Any = request.user
    return render(
        request,
        "registry/laborer_detail.html",
        {
            "laborer": laborer,
            "can_edit": user_can(user, Cap.REGISTRY_EDIT),
            "can_unmask": can_unmask(user),
            "can_call": can_call(user, region_code=laborer.region_id),
            "reveal_form": RevealForm(),
            "choices": c,
            "region_path": region_path_name(laborer.region_id),
            "intended_region_names": [region_path_name(code) or code for code in laborer.intended_regions],
            "action_panels": LABORER_ACTIONS.render(request, laborer),
            "notice_panels": LABORER_NOTICES.render(request, laborer),
            "panels": LABORER_PANELS.render(request, laborer),
        },
    )


@login_required
@require_POST
def laborer_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    laborer = access_laborer(user=request.user, laborer_id=pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render(request, "registry/_reveal.html", {"laborer": laborer, "reveal_form": form}, status=400)
    full = services.laborer_reveal_id(acting_user=request.user, laborer=laborer, reason=form.cleaned_data["reason"])
    return render(request, "registry/_reveal.html", {"laborer": laborer, "full_id": full})


def _laborer_form_page(request: HttpRequest, *, household: Household, laborer: Laborer | None) -> HttpResponse:
    user: Any = request.user
    editing = laborer is not None
    require_id = not editing or can_unmask(user)
    warnings: dict[str, list[str]] = {}
    duplicates: list[Candidate] = []
    duplicate_form = DuplicateConfirmForm(request.POST or None)
    if request.method == "POST":
        form = LaborerForm(request.POST, require_id=not editing)
        if form.is_valid():
            data = dict(form.cleaned_data)
            confirm = bool(data.pop("confirm_warnings"))
            version = data.pop("version") or 0
            if laborer is None and not (
                duplicate_form.is_valid() and duplicate_form.cleaned_data["confirm_not_duplicate"]
            ):
                # Likely duplicates (same birthday, similar name) are shown above the form; nothing is saved
                # until the user confirms it is another person.
                duplicates = registration_duplicates(user=user, village_code=household.region_id, data=data)
            if not duplicates:
                try:
                    if laborer is None:
                        saved = services.laborer_register(
                            acting_user=user, household=household, data=data, confirm_warnings=confirm
                        )
                        messages.success(request, f"已登记 {saved.name}。")
                    else:
                        saved = services.laborer_update(
                            acting_user=user,
                            laborer=laborer,
                            data=data,
                            expected_version=version,
                            confirm_warnings=confirm,
                        )
                        messages.success(request, f"已保存 {saved.name} 的信息。")
                    return redirect("registry:laborer_detail", pk=saved.pk)
                except services.NeedsConfirmation as exc:
                    warnings = exc.issues.warnings
                except ValidationError as exc:
                    attach_validation_errors(form, exc)
    elif laborer is not None:
        initial = {name: getattr(laborer, name) for name in LaborerForm.base_fields if hasattr(laborer, name)}
        initial["version"] = laborer.version
        initial["id_number"] = ""
        form = LaborerForm(initial=initial, require_id=False)
        warnings = laborer.warnings or {}
    else:
        form = LaborerForm(initial={"relation": c.Relation.HEAD if not household.members.exists() else ""})
    return render(
        request,
        "registry/laborer_form.html",
        {
            "form": form,
            "household": household,
            "laborer": laborer,
            "warnings": warnings,
            "require_id": require_id,
            "duplicates": duplicates,
            "duplicate_form": duplicate_form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@sensitive_post_parameters("id_number", "phone")
def laborer_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = access_household(user=request.user, household_id=household_pk, cap=Cap.REGISTRY_EDIT)
    return _laborer_form_page(request, household=household, laborer=None)


@login_required
@sensitive_post_parameters("id_number", "phone")
def laborer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    laborer = access_laborer(user=request.user, laborer_id=pk, cap=Cap.REGISTRY_EDIT)
    return _laborer_form_page(request, household=laborer.household, laborer=laborer)


@login_required
def household_list_view(request: HttpRequest) -> HttpResponse:
    form = HouseholdSearchForm(request.GET or None)
    q, region = (form.cleaned_data["q"], form.cleaned_data["region"]) if form.is_valid() else ("", "")
    households, sort = sorted_list(request, household_list(user=request.user, q=q, region=region), HOUSEHOLD_SORTING)
    page = page_of(households, request, count=True)
    picker = region_picker(user=request.user, selected_code=region)
    return render(request, "registry/household_list.html", {"form": form, "page": page, "picker": picker, "sort": sort})


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = access_household(user=request.user, household_id=pk)
    user: Any = request.user
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "members": household_members(household=household),
            "can_edit": user_can(user, Cap.REGISTRY_EDIT),
            "set_head_form": SetHeadForm(),
            "region_path": region_path_name(household.region_id),
        },
    )


def _household_form_page(request: HttpRequest, *, household: Household | None) -> HttpResponse:
    warnings: dict[str, list[str]] = {}
    if request.method == "POST":
        form = HouseholdForm(request.POST, region_scope=region_prefix(request.user))
        if form.is_valid():
            data = dict(form.cleaned_data)
            confirm = bool(data.pop("confirm_warnings"))
            version = data.pop("version") or 0
            try:
                if household is None:
                    saved = services.household_create(acting_user=request.user, data=data, confirm_warnings=confirm)
                    messages.success(request, f"已登记家庭 {saved.household_no}，请登记户主。")
                    return redirect("registry:laborer_create", household_pk=saved.pk)
                saved = services.household_update(
                    acting_user=request.user,
                    household=household,
                    data=data,
                    expected_version=version,
                    confirm_warnings=confirm,
                )
                messages.success(request, "已保存。")
                return redirect("registry:household_detail", pk=saved.pk)
            except services.NeedsConfirmation as exc:
                warnings = exc.issues.warnings
            except ValidationError as exc:
                attach_validation_errors(form, exc)
    elif household is not None:
        form = HouseholdForm(
            region_scope=region_prefix(request.user),
            initial={
                "household_no": household.household_no,
                "region_code": household.region_id,
                "household_type": household.household_type,
                "poverty_attribute": household.poverty_attribute,
                "monitor_category": household.monitor_category,
                "identified_on": household.identified_on,
                "risk_eliminated": household.risk_eliminated,
                "poverty_causes": household.poverty_causes,
                "phone": household.phone,
                "address": household.address,
                "version": household.version,
            },
        )
        warnings = household.warnings or {}
    else:
        user: Any = request.user
        home = user.home_region
        form = HouseholdForm(
            initial={"region_code": home.code if home is not None and home.level == 5 else ""},
            region_scope=region_prefix(user),
        )
    return render(
        request,
        "registry/household_form.html",
        {"form": form, "household": household, "warnings": warnings},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def household_create(request: HttpRequest) -> HttpResponse:

    require_cap(request.user, Cap.REGISTRY_EDIT)
    return _household_form_page(request, household=None)


@login_required
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = access_household(user=request.user, household_id=pk, cap=Cap.REGISTRY_EDIT)
    return _household_form_page(request, household=household)


@login_required
@require_POST
def household_set_head(request: HttpRequest, pk: int) -> HttpResponse:
    household = access_household(user=request.user, household_id=pk, cap=Cap.REGISTRY_EDIT)
    form = SetHeadForm(request.POST)
    if form.is_valid():
        new_head = access_laborer(user=request.user, laborer_id=form.cleaned_data["new_head"], cap=Cap.REGISTRY_EDIT)
        try:
            services.household_set_head(
                acting_user=request.user,
                household=household,
                new_head=new_head,
                former_head_relation=form.cleaned_data["former_head_relation"],
            )
            messages.success(request, f"已将 {new_head.name} 设为户主。")
        except ValidationError as exc:
            messages.error(request, "；".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.error(request, "请选择原户主的新关系。")
    return redirect("registry:household_detail", pk=household.pk)
