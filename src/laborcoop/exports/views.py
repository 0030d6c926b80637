"""Export pages: thin views over exports.services / exports.selectors and exports.access."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from laborcoop.accounts.access import can_unmask, user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.accounts.navigation import region_picker
from laborcoop.core.errors import ObjectNotFound
from laborcoop.core.forms import attach_validation_errors
from laborcoop.exports import conf, services
from laborcoop.exports.access import access_export_job
from laborcoop.exports.choices import (
    LEDGER_KINDS,
    MASKED_ONLY_KINDS,
    PERSONAL_KINDS,
    ExportFormat,
    ExportKind,
    ExportStatus,
)
from laborcoop.exports.filters import open_filters
from laborcoop.exports.forms import ExportForm, describe_filters, filters_from
from laborcoop.exports.models import ExportJob
from laborcoop.exports.selectors import export_job_failures, export_job_recent, export_source

LIST_PAGES = {
    ExportKind.LABORERS: "registry:laborer_list",
    ExportKind.HOUSEHOLDS: "registry:household_list",
    ExportKind.ENTERPRISES: "employers:enterprise_list",
    ExportKind.JOBS: "employers:job_list",
    ExportKind.EMPLOYMENT: "employment:record_list",
    ExportKind.EMPLOYMENT_INPUT: "employment:input_list",
}
LEDGERS = [
    (ExportKind.LEDGER_LABOR, Cap.REGISTRY_VIEW, "按村分组列出有劳动能力的人员，每村小计人数及已就业人数。"),
    (ExportKind.LEDGER_TRANSFER, Cap.REGISTRY_VIEW, "已就业且在县外务工或有务工单位的人员，按乡镇分组小计。"),
    (
        ExportKind.LEDGER_ENTERPRISE,
        Cap.EMPLOYERS_VIEW,
        "企业及其招聘中岗位、招聘人数、薪资范围和帮扶认定，按企业小计。",
    ),
]
BACKGROUND_STARTED = services.BACKGROUND_STARTED


def _kind(kind: str) -> str:
    if kind not in ExportKind.values:
        raise Http404
    return kind


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    picker = region_picker(user=user, selected_code=request.GET.get("region", ""))
    ledgers = [(kind, kind.label, text) for kind, cap, text in LEDGERS if user_can(user, cap)]
    return render(
        request,
        "exports/index.html",
        {
            "picker": picker,
            "ledgers": ledgers,
            "jobs": export_job_recent(user=user),
            "failures": export_job_failures(user=user),
        },
    )


@login_required
def start(request: HttpRequest, kind: str) -> HttpResponseBase:
    """The export options for a list page's current filters (GET), and the export itself (POST)."""
    kind = _kind(kind)
    user: Any = request.user
    filters = filters_from(kind, request.GET)
    export_source(user=user, kind=kind, filters=filters)  # a role that may not see the list gets 403 here
    if request.method == "POST":
        form = ExportForm(request.POST, kind=kind)
        if form.is_valid():
            try:
                result = services.export_start(
                    acting_user=user,
                    kind=kind,
                    fmt=form.cleaned_data["format"],
                    filters=filters,
                    unmasked=form.cleaned_data["unmasked"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                attach_validation_errors(form, exc)
            else:
                if isinstance(result, ExportJob):
                    messages.info(request, BACKGROUND_STARTED)
                    return redirect("exports:job_detail", pk=result.pk)
                return _download(result)
    else:
        form = ExportForm(kind=kind)
    back = reverse(LIST_PAGES[ExportKind(kind)]) if kind in LIST_PAGES else reverse("exports:index")
    return render(
        request,
        "exports/start.html",
        {
            "kind": kind,
            "kind_label": ExportKind(kind).label,
            "form": form,
            "filters": describe_filters(kind, filters),
            "offer_unmask": kind in PERSONAL_KINDS and can_unmask(user),
            "masked_only": kind in MASKED_ONLY_KINDS,
            "is_ledger": kind in LEDGER_KINDS,
            "back": f"{back}?{request.GET.urlencode()}" if request.GET else back,
            "xlsx_direct_max": conf.xlsx_direct_max_rows(),
            "direct_max": conf.direct_max_rows(),
        },
        status=400 if request.method == "POST" else 200,
    )


def _download(export: services.DirectExport) -> HttpResponseBase:
    response: HttpResponse | StreamingHttpResponse
    if export.job.format == ExportFormat.CSV:
        response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
    else:
        response = HttpResponse(b"".join(export.chunks), content_type=export.content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=export.filename)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_export_job(user=request.user, job_id=pk)
    context = {
        "job": job,
        "filters": describe_filters(job.kind, services.audit_filters(open_filters(job.filters))),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "exports/_job_status.html", context)
    return render(request, "exports/job_detail.html", context)


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = access_export_job(user=request.user, job_id=pk)
    if job.status != ExportStatus.SUCCEEDED or not job.file:
        raise ObjectNotFound
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=services.download_name(job))
    response["Cache-Control"] = "no-store"
    return response
