"""Enterprise and job pages: thin views over employers.selectors / employers.services and employers.access."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from laborcoop.accounts.access import enterprise_of, is_enterprise_user, region_prefix, user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.forms import attach_validation_errors
from laborcoop.core.pagination import page_of
from laborcoop.core.sorting import sorted_list
from laborcoop.employers import services
from laborcoop.employers.access import access_enterprise, access_job, access_market_job, manages_job, sees_job_internals
from laborcoop.employers.choices import JobStatus
from laborcoop.employers.forms import (
    EnterpriseForm,
    EnterpriseSearchForm,
    JobForm,
    JobMarketSearchForm,
    JobSearchForm,
    JobStatusForm,
)
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.employers.panels import JOB_ACTIONS, MARKET_ACTIONS
from laborcoop.employers.selectors import ENTERPRISE_SORTING, JOB_SORTING, enterprise_list, job_list, market_list
from laborcoop.regions.selectors import region_path_name

STATUS_DONE = {
    JobStatus.OPEN: "岗位已恢复招聘。",
    JobStatus.PAUSED: "岗位已暂停招聘。",
    JobStatus.CLOSED: "岗位已结束招聘。",
}


# --- enterprises ------------------------------------------------------------------------------------------


@login_required
def enterprise_list_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    own_enterprise = enterprise_of(user)
    if own_enterprise is not None:
        return redirect("employers:enterprise_detail", pk=own_enterprise)
    form = EnterpriseSearchForm(request.GET or None)
    params: dict[str, Any] = {}
    if form.is_valid():
        params = {
            "q": form.cleaned_data["q"],
            "industry": form.cleaned_data["industry"],
            "is_assist_workshop": True if form.cleaned_data["is_assist_workshop"] else None,
            "is_assist_base": True if form.cleaned_data["is_assist_base"] else None,
        }
    enterprises, sort = sorted_list(request, enterprise_list(user=user, **params), ENTERPRISE_SORTING)
    page = page_of(enterprises, request, count=True)
    return render(
        request,
        "employers/enterprise_list.html",
        {
            "form": form,
            "page": page,
            "sort": sort,
            "can_create": user_can(user, Cap.EMPLOYERS_EDIT) and not is_enterprise_user(user),
        },
    )


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access_enterprise(user=request.user, enterprise_id=pk)
    user: Any = request.user
    enterprise_jobs, sort = sorted_list(request, job_list(user=user, enterprise_id=enterprise.pk), JOB_SORTING)
    jobs = page_of(enterprise_jobs, request, count=True)
    return render(
        request,
        "employers/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "region_path": region_path_name(enterprise.region_id),
            "page": jobs,
            "sort": sort,
            "can_edit": user_can(user, Cap.EMPLOYERS_EDIT),
            "can_post": user_can(user, Cap.JOBS_EDIT),
        },
    )


def _enterprise_initial(enterprise: Enterprise) -> dict[str, Any]:
    initial = {name: getattr(enterprise, name) for name in EnterpriseForm.base_fields if hasattr(enterprise, name)}
    initial["region_code"] = enterprise.region_id
    return initial


def _enterprise_form_page(request: HttpRequest, *, enterprise: Enterprise | None) -> HttpResponse:
    user: Any = request.user
    locked = services.ENTERPRISE_USER_LOCKED_FIELDS if enterprise and is_enterprise_user(user) else ()
    initial = _enterprise_initial(enterprise) if enterprise is not None else {}
    if request.method == "POST":
        form = EnterpriseForm(request.POST, initial=initial, locked=locked, region_scope=region_prefix(user))
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in locked}
            version = data.pop("version") or 0
            try:
                if enterprise is None:
                    saved = services.enterprise_create(acting_user=user, data=data)
                    messages.success(request, f"已登记企业 {saved.name}。")
                else:
                    saved = services.enterprise_update(
                        acting_user=user, enterprise=enterprise, data=data, expected_version=version
                    )
                    messages.success(request, "已保存。")
                return redirect("employers:enterprise_detail", pk=saved.pk)
            except ValidationError as exc:
                attach_validation_errors(form, exc)
    else:
        if enterprise is None:
            home = user.home_region
            initial = {"region_code": home.code if home is not None and home.level >= 3 else ""}
        form = EnterpriseForm(initial=initial, locked=locked, region_scope=region_prefix(user))
    return render(
        request,
        "employers/enterprise_form.html",
        {"form": form, "enterprise": enterprise},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@sensitive_post_parameters("contact_phone")
def enterprise_create(request: HttpRequest) -> HttpResponse:
    services.require_can_create_enterprise(request.user)
    return _enterprise_form_page(request, enterprise=None)


@login_required
@sensitive_post_parameters("contact_phone")
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access_enterprise(user=request.user, enterprise_id=pk, cap=Cap.EMPLOYERS_EDIT)
    return _enterprise_form_page(request, enterprise=enterprise)


# --- jobs -------------------------------------------------------------------------------------------------


@login_required
def job_list_view(request: HttpRequest) -> HttpResponse:
    form = JobSearchForm(request.GET or None)
    params: dict[str, Any] = dict(form.cleaned_data) if form.is_valid() else {}
    jobs, sort = sorted_list(request, job_list(user=request.user, **params), JOB_SORTING)
    page = page_of(jobs, request, count=True)
    template = "employers/_job_rows.html" if request.htmx else "employers/job_list.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "page": page, "sort": sort})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_job(user=request.user, job_id=pk)
    user: Any = request.user
    return render(
        request,
        "employers/job_detail.html",
        {
            "job": job,
            "work_region_path": region_path_name(job.work_region_id),
            "can_edit": user_can(user, Cap.JOBS_EDIT),
            "can_see_enterprise": user_can(user, Cap.EMPLOYERS_VIEW),
            "statuses": JobStatus,
            "action_panels": JOB_ACTIONS.render(request, job),
        },
    )


def _job_form_page(request: HttpRequest, *, enterprise: Enterprise, job: JobPosting | None) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST":
        form = JobForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version") or 0
            try:
                if job is None:
                    saved = services.job_create(acting_user=user, enterprise=enterprise, data=data)
                    messages.success(request, f"已发布岗位 {saved.title}。")
                else:
                    saved = services.job_update(acting_user=user, job=job, data=data, expected_version=version)
                    messages.success(request, "已保存。")
                return redirect("employers:job_detail", pk=saved.pk)
            except ValidationError as exc:
                attach_validation_errors(form, exc)
    elif job is not None:
        initial = {name: getattr(job, name) for name in JobForm.base_fields if hasattr(job, name)}
        initial["work_region_code"] = job.work_region_id
        form = JobForm(initial=initial)
    else:
        form = JobForm(initial={"work_region_code": enterprise.region_id})
    return render(
        request,
        "employers/job_form.html",
        {"form": form, "enterprise": enterprise, "job": job},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def job_create(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access_enterprise(user=request.user, enterprise_id=pk, cap=Cap.JOBS_EDIT)
    return _job_form_page(request, enterprise=enterprise, job=None)


@login_required
def job_edit(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_job(user=request.user, job_id=pk, cap=Cap.JOBS_EDIT)
    return _job_form_page(request, enterprise=job.enterprise, job=job)


@login_required
@require_POST
def job_status(request: HttpRequest, pk: int, status: str | None = None) -> HttpResponse:
    """Open, pause or close a posting (the status comes from the URL for `job_close`, else from the form)."""
    job = access_job(user=request.user, job_id=pk, cap=Cap.JOBS_EDIT)
    data = request.POST.copy()
    if status is not None:
        data["status"] = status
    form = JobStatusForm(data)
    if not form.is_valid():
        messages.error(request, services.STATUS_INVALID)
        return redirect("employers:job_detail", pk=job.pk)
    saved = services.job_set_status(
        acting_user=request.user,
        job=job,
        status=form.cleaned_data["status"],
        expected_version=form.cleaned_data["version"],
    )
    messages.success(request, STATUS_DONE[JobStatus(saved.status)])
    return redirect("employers:job_detail", pk=saved.pk)


# --- the job market (岗位市场) ----------------------------------------------------------------------------


@login_required
def market_list_view(request: HttpRequest) -> HttpResponse:
    """Open postings of every region, read-only (employers.access.market_jobs_for)."""
    form = JobMarketSearchForm(request.GET or None)
    params: dict[str, Any] = dict(form.cleaned_data) if form.is_valid() else {}
    page = page_of(market_list(user=request.user, **params), request, count=True)
    return render(
        request, "employers/market_list.html", {"form": form, "page": page}, status=200 if not form.errors else 400
    )


@login_required
def market_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An open posting, read-only; its internal fields (contact person and phone) only for those who reach it
    through the subtree rule, and the way to change it only for those who manage it."""
    user: Any = request.user
    job = access_market_job(user=user, job_id=pk)
    return render(
        request,
        "employers/market_detail.html",
        {
            "job": job,
            "work_region_path": region_path_name(job.work_region_id),
            "show_internals": sees_job_internals(user, job),
            "can_manage": manages_job(user, job),
            "action_panels": MARKET_ACTIONS.render(request, job),
        },
    )
