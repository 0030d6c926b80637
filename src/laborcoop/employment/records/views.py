"""Employment pages: thin views over employment.records.selectors / employment.records.services and the access layer."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from laborcoop.accounts.access import user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.accounts.navigation import region_picker
from laborcoop.core.forms import attach_validation_errors
from laborcoop.core.pagination import page_of
from laborcoop.core.sorting import sorted_list
from laborcoop.employment.access import access_employment_record
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records import services
from laborcoop.employment.records.forms import ERROR_ALIASES, EmploymentRecordForm, EndForm, RecordFilterForm
from laborcoop.employment.records.selectors import (
    INPUT_SORTING,
    RECORD_SORTING,
    RecordFilters,
    employment_record_input_list,
    employment_record_list,
)
from laborcoop.regions.scope import is_region_code
from laborcoop.registry.access import access_laborer
from laborcoop.registry.models import Laborer


def _filters(form: RecordFilterForm) -> RecordFilters:
    if not form.is_valid():
        return RecordFilters()
    d = form.cleaned_data
    return RecordFilters(status=d["status"], work_area=d["work_area"], channel=d["channel"], region=d["region"])


@login_required
def record_list_view(request: HttpRequest) -> HttpResponse:
    form = RecordFilterForm(request.GET or None)
    filters = _filters(form)
    records, sort = sorted_list(request, employment_record_list(user=request.user, filters=filters), RECORD_SORTING)
    page = page_of(records, request, count=True)
    picker = region_picker(user=request.user, selected_code=filters.region)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request, "employment/_record_rows.html", {"form": form, "page": page, "picker": picker, "sort": sort}
        )
    # The derived-status summary card is tracking's (tracking:state_summary, an htmx fragment the page loads
    # after it has been shown: counting a province's states must not slow the list down).
    region = request.GET.get("region", "")
    context = {
        "form": form,
        "page": page,
        "picker": picker,
        "sort": sort,
        "show_state_summary": user_can(request.user, Cap.REGISTRY_VIEW),
        "summary_region": region if is_region_code(region) else "",
    }
    return render(request, "employment/record_list.html", context)


@login_required
def input_list_view(request: HttpRequest) -> HttpResponse:
    form = RecordFilterForm(request.GET or None)
    records, sort = sorted_list(
        request, employment_record_input_list(user=request.user, filters=_filters(form)), INPUT_SORTING
    )
    page = page_of(records, request, count=True)
    return render(request, "employment/input_list.html", {"form": form, "page": page, "sort": sort})


def _record_form_page(request: HttpRequest, *, laborer: Laborer, record: EmploymentRecord | None) -> HttpResponse:
    warnings: dict[str, list[str]] = {}
    if request.method == "POST":
        form = EmploymentRecordForm(request.POST)
        if form.is_valid():
            confirm = form.cleaned_data["confirm_warnings"]
            try:
                if record is None:
                    services.employment_record_create(
                        acting_user=request.user, laborer=laborer, data=form.to_data(), confirm_warnings=confirm
                    )
                    messages.success(request, f"已为 {laborer.name} 新增就业记录。")
                else:
                    services.employment_record_update(
                        acting_user=request.user,
                        record=record,
                        data=form.to_data(),
                        expected_version=form.cleaned_data["version"] or 0,
                        confirm_warnings=confirm,
                    )
                    messages.success(request, "已保存就业记录。")
                return redirect("registry:laborer_detail", pk=laborer.pk)
            except services.NeedsConfirmation as exc:
                warnings = exc.issues.warnings
            except ValidationError as exc:
                attach_validation_errors(form, exc, ERROR_ALIASES)
    elif record is not None:
        data = services.EmploymentData.from_record(record)
        initial: dict[str, Any] = {
            name: getattr(data, name) for name in EmploymentRecordForm.base_fields if hasattr(data, name)
        }
        initial["work_county"] = record.work_region_id[:6]
        initial["insurance_types"] = list(record.insurance_types)
        initial["version"] = record.version
        form = EmploymentRecordForm(initial=initial)
        warnings = record.warnings or {}
    else:
        form = EmploymentRecordForm()
    return render(
        request,
        "employment/record_form.html",
        {"form": form, "laborer": laborer, "record": record, "warnings": warnings},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def record_create(request: HttpRequest, laborer_pk: int) -> HttpResponse:
    laborer = access_laborer(user=request.user, laborer_id=laborer_pk, cap=Cap.REGISTRY_EDIT)
    return _record_form_page(request, laborer=laborer, record=None)


@login_required
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_employment_record(user=request.user, record_id=pk, cap=Cap.REGISTRY_EDIT)
    return _record_form_page(request, laborer=record.laborer, record=record)


@login_required
def record_end(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_employment_record(user=request.user, record_id=pk, cap=Cap.REGISTRY_EDIT)
    if request.method == "POST":
        form = EndForm(request.POST)
        if form.is_valid():
            try:
                services.employment_record_end(
                    acting_user=request.user,
                    record=record,
                    end_date=form.cleaned_data["end_date"],
                    end_reason=form.cleaned_data["end_reason"],
                    expected_version=form.cleaned_data["version"],
                )
                messages.success(request, f"已结束 {record.laborer.name} 的就业记录。")
                return redirect("registry:laborer_detail", pk=record.laborer_id)
            except ValidationError as exc:
                attach_validation_errors(form, exc)
    else:
        form = EndForm(initial={"version": record.version})
    return render(
        request,
        "employment/end_form.html",
        {"form": form, "record": record, "laborer": record.laborer},
        status=400 if request.method == "POST" else 200,
    )
