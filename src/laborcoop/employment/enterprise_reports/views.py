"""The enterprise report page (企业报送): one report at a time, a tab per kind (入职、工资、参保、离职).

Only enterprise users bound to an enterprise report; the person is named by ID number and name and is shown
back with the masked ID, by name only when they are (now) the enterprise's staff. Uploads go through the import
page (kind 企业报送), machines use POST /api/v1/enterprise-reports/{kind}/.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from laborcoop.accounts.access import enterprise_named_ids
from laborcoop.core.forms import attach_validation_errors
from laborcoop.employment.choices import EndReason
from laborcoop.employment.enterprise_reports import (
    Action,
    ReportKind,
    ReportResult,
    enterprise_report_submit,
    reporting_enterprise,
)
from laborcoop.employment.enterprise_reports.forms import FORMS, StaffLeaveForm, StaffSearchForm
from laborcoop.employment.enterprise_reports.staff import (
    StaffFilters,
    access_staff_record,
    enterprise_staff_leave,
    enterprise_staff_rows,
    previous_month,
)
from laborcoop.registry.services import NeedsConfirmation

# Service field names -> form field names.
_ALIASES = {"job": "job", "work_region": "work_county", "record": "id_number"}


def _result_text(user: Any, result: ReportResult) -> str:
    """The answer: the person as the enterprise may see them now (a hire makes them its staff, named; a leaving
    masks them again), the ID masked."""
    laborer = result.record.laborer
    name = laborer.name if enterprise_named_ids(user, [laborer.pk]) else f"{laborer.name[:1]}**"
    who = f"{name}（{laborer.id_masked}）"
    label = ReportKind(result.kind).label
    if result.action == Action.UNCHANGED:
        return f"{label}报送与已有记录一致，未做修改：{who}"
    return f"已报送{label}：{who}"


@login_required
def enterprise_report(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    enterprise = reporting_enterprise(user)
    kind = request.POST.get("kind") or request.GET.get("kind") or ReportKind.HIRE
    if kind not in FORMS:
        kind = ReportKind.HIRE
    form_class = FORMS[kind]
    warnings: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, enterprise=enterprise)
        status = 400
        if form.is_valid():
            confirm = bool(form.cleaned_data.get("confirm_warnings"))
            try:
                result = enterprise_report_submit(acting_user=user, report=form.report(), confirm_warnings=confirm)
            except NeedsConfirmation as exc:
                warnings = exc.issues.warnings
            except ValidationError as exc:
                attach_validation_errors(form, exc, _ALIASES)
            else:
                messages.success(request, _result_text(user, result))
                return redirect(f"{request.path}?kind={kind}")
    else:
        form = form_class(enterprise=enterprise)
    context = {
        "enterprise": enterprise,
        "form": form,
        "kind": kind,
        "kinds": ReportKind.choices,
        "warnings": warnings,
    }
    return render(request, "employment/enterprise_report.html", context, status=status)


# --- the staff roster (员工名册) -------------------------------------------------------------------------------

LEAVE_DONE = "已报送离职：{name}，{end:%Y-%m-%d}（{reason}）。户籍地将收到离岗跟踪通知。"


@login_required
def enterprise_staff(request: HttpRequest) -> HttpResponse:
    """员工名册: the people the enterprise employs now, by name (IDs masked), each with its actions: report the
    leaving, wage and insurance months."""
    user: Any = request.user
    enterprise = reporting_enterprise(user)
    search = StaffSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    today = timezone.localdate()
    rows = enterprise_staff_rows(user=user, filters=StaffFilters(q=q), today=today)
    context = {
        "enterprise": enterprise,
        "rows": rows,
        "search": search,
        "q": q,
        "last_month": previous_month(today),
        "this_month": today.replace(day=1),
        "wages_due": sum(1 for r in rows if r["wage_due"]),
    }
    return render(request, "employment/enterprise_staff.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_staff_leave_view(request: HttpRequest, pk: int) -> HttpResponse:
    """报送离职 for one person on the roster."""
    user: Any = request.user
    record: Any = access_staff_record(user=user, record_id=pk)  # annotated with the `name` it may show
    status = 200
    if request.method == "POST":
        form = StaffLeaveForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                enterprise_staff_leave(
                    acting_user=user,
                    record_id=record.pk,
                    end_date=form.cleaned_data["end_date"],
                    end_reason=form.cleaned_data["end_reason"],
                )
            except ValidationError as exc:
                attach_validation_errors(form, exc)
            else:
                reason = EndReason(form.cleaned_data["end_reason"]).label
                messages.success(
                    request, LEAVE_DONE.format(name=record.name, end=form.cleaned_data["end_date"], reason=reason)
                )
                return redirect("employment:enterprise_staff")
    else:
        form = StaffLeaveForm(initial={"end_date": timezone.localdate()})
    return render(request, "employment/enterprise_staff_leave.html", {"record": record, "form": form}, status=status)
