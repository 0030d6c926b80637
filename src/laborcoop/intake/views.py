"""Import pages: the job list with the upload form, a job's progress and report, downloads."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from laborcoop.accounts.access import enterprise_of
from laborcoop.core.forms import attach_validation_errors
from laborcoop.core.pagination import page_of
from laborcoop.intake.access import access_import_job
from laborcoop.intake.apis import report_response, template_response
from laborcoop.intake.columns import ImportKind
from laborcoop.intake.forms import UploadForm
from laborcoop.intake.selectors import import_issue_list, import_job_list
from laborcoop.intake.services import import_create, kinds_for

ISSUES_PER_PAGE = 50


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    kinds = kinds_for(user)
    form = UploadForm(kinds=kinds)
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, kinds=kinds)
        if form.is_valid():
            try:
                job = import_create(
                    acting_user=user, uploaded_file=form.cleaned_data["file"], kind=form.cleaned_data["kind"]
                )
            except ValidationError as exc:
                attach_validation_errors(form, exc)
            else:
                return redirect("intake:job_detail", pk=job.pk)
        status = 400
    page = page_of(import_job_list(user=user), request)
    labels = dict(ImportKind.choices)
    templates = [(kind, labels[kind]) for kind in kinds]
    return render(
        request,
        "intake/index.html",
        {
            "form": form,
            "page": page,
            "can_upload": bool(kinds),
            "templates": templates,
            "enterprise_reports": enterprise_of(user) is not None,
        },
        status=status,
    )


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_import_job(user=request.user, job_id=pk)
    context: dict[str, Any] = {"job": job}
    if job.is_finished:
        context["issues"] = page_of(import_issue_list(job=job), request, size=ISSUES_PER_PAGE)
    if request.htmx and request.GET.get("part") == "status":  # type: ignore[attr-defined]
        return render(request, "intake/_job_status.html", context)
    return render(request, "intake/job_detail.html", context)


@login_required
def job_report(request: HttpRequest, pk: int) -> FileResponse:
    job = access_import_job(user=request.user, job_id=pk)
    return report_response(job)


@login_required
def template(request: HttpRequest, kind: str) -> HttpResponse:
    return template_response(kind)
