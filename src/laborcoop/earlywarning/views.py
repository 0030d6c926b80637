"""Warning pages: the list (summary, drill-down by region, filters, rows with htmx actions), the export and
the rule settings of a province. Thin: parse, call one selector or service, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from laborcoop.accounts.access import administered_province, require_cap, user_can
from laborcoop.accounts.navigation import region_picker
from laborcoop.core.errors import ConflictError
from laborcoop.core.forms import attach_validation_errors
from laborcoop.core.pagination import page_of
from laborcoop.earlywarning import services
from laborcoop.earlywarning.access import ACT_CAP, VIEW_CAP, access_warning
from laborcoop.earlywarning.config import configs_for_region
from laborcoop.earlywarning.forms import (
    AssignForm,
    DismissForm,
    ExportForm,
    HandleForm,
    RuleSettingsForm,
    WarningFilterForm,
)
from laborcoop.earlywarning.models import WarningSettings
from laborcoop.earlywarning.selectors import (
    owner_candidates,
    warning_groups,
    warning_household_page,
    warning_region_counts,
    warning_row,
    warning_summary,
)
from laborcoop.earlywarning.services.settings import ERR_NOT_ADMIN
from laborcoop.exports.models import ExportJob
from laborcoop.exports.services import BACKGROUND_STARTED
from laborcoop.regions.models import Region

HANDLED = "已标记为已处理。"
DISMISSED = "已忽略该预警。"
ASSIGNED = "已更新负责人。"
SETTINGS_SAVED = "预警规则已保存，下次运行（每晚或数据变化时）按新设置计算。"


def _list_context(request: HttpRequest, *, error: str = "") -> dict[str, Any]:
    user: Any = request.user
    form = WarningFilterForm(request.GET or None)
    filters = form.filters()
    can_act = user_can(user, ACT_CAP)
    page = page_of(warning_household_page(user=user, filters=filters), request)
    return {
        "form": form,
        "filters": filters,
        "page": page,
        "groups": warning_groups(user=user, filters=filters, household_ids=[r["household_id"] for r in page.rows]),
        "summary": warning_summary(user=user, filters=filters),
        "region_counts": warning_region_counts(user=user, filters=filters),
        "picker": region_picker(user=user, selected_code=filters.region),
        "can_act": can_act,
        "owners": owner_candidates(user=user) if can_act else [],
        "today": timezone.localdate(),
        "export_form": ExportForm(),
        "error": error,
    }


@login_required
def warning_list_view(request: HttpRequest) -> HttpResponse:
    require_cap(request.user, VIEW_CAP)
    return render(request, "earlywarning/warning_list.html", _list_context(request))


def _row_response(request: HttpRequest, pk: int, *, error: str) -> HttpResponse:
    user: Any = request.user
    context = {
        "w": warning_row(user=user, warning_id=pk),
        "can_act": True,
        "owners": owner_candidates(user=user),
        "today": timezone.localdate(),
        "error": error,
    }
    return render(request, "earlywarning/_row.html", context)


def _act(request: HttpRequest, pk: int, form: Any, action: Any, done: str) -> HttpResponse:
    """Run a row action. htmx gets the row back (with the message when something was wrong: htmx swaps 2xx
    answers only); a plain form post gets the list page (400 with the message) or a redirect."""
    user: Any = request.user
    access_warning(user=user, warning_id=pk, for_action=True)  # 403 / 404 first, whatever the form holds
    error = ""
    try:
        if not form.is_valid():
            raise ValidationError(next(iter(form.errors.values()))[0])
        action(form.cleaned_data)
    except ValidationError as exc:
        error = exc.messages[0]
    except ConflictError as exc:
        if not request.htmx:  # type: ignore[attr-defined]
            raise
        error = exc.message
    if request.htmx:  # type: ignore[attr-defined]
        return _row_response(request, pk, error=error)
    if error:
        return render(request, "earlywarning/warning_list.html", _list_context(request, error=error), status=400)
    messages.success(request, done)
    return redirect(f"{reverse('earlywarning:list')}?{request.GET.urlencode()}" if request.GET else "earlywarning:list")


@login_required
@require_POST
def warning_handle_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(d: dict[str, Any]) -> None:
        services.warning_handle(acting_user=request.user, warning_id=pk, expected_version=d["version"], note=d["note"])

    return _act(request, pk, HandleForm(request.POST), act, HANDLED)


@login_required
@require_POST
def warning_dismiss_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(d: dict[str, Any]) -> None:
        services.warning_dismiss(
            acting_user=request.user, warning_id=pk, expected_version=d["version"], reason=d["reason"]
        )

    return _act(request, pk, DismissForm(request.POST), act, DISMISSED)


@login_required
@require_POST
def warning_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(d: dict[str, Any]) -> None:
        services.warning_assign(
            acting_user=request.user, warning_id=pk, expected_version=d["version"], owner_id=d["owner"]
        )

    return _act(request, pk, AssignForm(request.POST), act, ASSIGNED)


@login_required
@require_POST
def warning_export_view(request: HttpRequest) -> HttpResponseBase:
    """The filtered list (query string = the list page's filters) as csv or xlsx, masked and audited."""
    require_cap(request.user, VIEW_CAP)
    filters = WarningFilterForm(request.GET or None).filters()
    form = ExportForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(next(iter(form.errors.values()))[0])
        export = services.warning_export(
            acting_user=request.user, filters=filters, fmt=form.cleaned_data["format"], query=request.GET.dict()
        )
    except ValidationError as exc:
        return render(
            request, "earlywarning/warning_list.html", _list_context(request, error=exc.messages[0]), status=400
        )
    if isinstance(export, ExportJob):  # too large to write in the request: the job page shows its progress
        messages.info(request, BACKGROUND_STARTED)
        return redirect("exports:job_detail", pk=export.pk)
    response: HttpResponse | StreamingHttpResponse
    if form.cleaned_data["format"] == "csv":
        response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
    else:
        response = HttpResponse(b"".join(export.chunks), content_type=export.content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=export.filename)
    response["Cache-Control"] = "no-store"
    return response


def _settings_province(request: HttpRequest) -> str:
    return administered_province(
        user=request.user, requested=request.GET.get("province", ""), denied_message=ERR_NOT_ADMIN
    )


@login_required
@require_http_methods(["GET", "POST"])
def warning_settings_view(request: HttpRequest) -> HttpResponse:
    province_code = _settings_province(request)
    row = WarningSettings.objects.select_related("updated_by").filter(province_id=province_code).first()
    configs = configs_for_region(province_code)
    version = row.version if row is not None else 0
    status = 200
    if request.method == "POST":
        form = RuleSettingsForm(request.POST, configs=configs)
        if form.is_valid():
            try:
                services.warning_settings_set(
                    acting_user=request.user,
                    province_code=province_code,
                    values=form.settings_values(),
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                # The service names a rule's field "rule.param"; the form's fields are "rule__param".
                attach_validation_errors(form, exc, {key: key.replace(".", "__") for key in exc.message_dict})
            else:
                messages.success(request, SETTINGS_SAVED)
                return redirect(request.get_full_path())
        status = 400
    else:
        form = RuleSettingsForm(initial=RuleSettingsForm.initial_for(configs, version), configs=configs)
    context = {
        "form": form,
        "rows": form.rows(),
        "province": Region.objects.filter(pk=province_code).first(),
        "province_code": province_code,
        "row": row,
    }
    return render(request, "earlywarning/settings.html", context, status=status)
