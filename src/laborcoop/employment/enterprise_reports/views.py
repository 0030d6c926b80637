"""The enterprise report page (企业报送): one report at a time, a tab per kind (入职、工资、参保、离职).

Only enterprise users bound to an enterprise report; the person is named by ID number and name and is shown
back masked only (surname and masked ID). Uploads go through the import page (kind 企业报送), machines use
POST /api/v1/enterprise-reports/{kind}/.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from laborcoop.core.forms import attach_validation_errors
from laborcoop.employment.enterprise_reports import (
    Action,
    ReportKind,
    ReportResult,
    enterprise_report_submit,
    reporting_enterprise,
)
from laborcoop.employment.enterprise_reports.forms import FORMS
from laborcoop.registry.services import NeedsConfirmation

# Service field names -> form field names.
_ALIASES = {"job": "job", "work_region": "work_county", "record": "id_number"}


def _result_text(result: ReportResult) -> str:
    laborer = result.record.laborer
    who = f"{laborer.name[:1]}**（{laborer.id_masked}）"
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
                messages.success(request, _result_text(result))
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
