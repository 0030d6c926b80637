"""Comparison pages (数据比对): list, upload, column mapping, progress and results with review, feedback."""

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from laborcoop.accounts.access import can_unmask
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.forms import attach_validation_errors
from laborcoop.core.pagination import page_of
from laborcoop.exports.models import ExportJob
from laborcoop.exports.services import BACKGROUND_STARTED
from laborcoop.linkage.access import access_comparison, can_compare, require_compare
from laborcoop.linkage.forms import ComparisonUploadForm, DecisionForm, FeedbackForm, MappingForm
from laborcoop.linkage.models import Comparison
from laborcoop.linkage.selectors import (
    TABS,
    comparison_change_counts,
    comparison_entry_list,
    comparison_high_pending_count,
    comparison_list,
)
from laborcoop.linkage.services import (
    comparison_change_accept,
    comparison_change_reject,
    comparison_changes_accept_high,
    comparison_create,
    comparison_feedback_export,
    comparison_mapping_confirm,
)

TAB_LABELS = {
    "matched": "已匹配",
    "review": "需核实",
    "conflicts": "信息不一致",
    "changes": "建议变更",
    "only_ours": "仅本库有",
    "only_theirs": "仅对方有",
}


def _messages_of(exc: ValidationError) -> str:
    return "；".join(m for ms in exc.message_dict.values() for m in ms)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    page = page_of(comparison_list(user=request.user), request)
    return render(
        request,
        "linkage/index.html",
        {"page": page, "can_run": can_compare(request.user, Cap.REGISTRY_EDIT)},
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    require_compare(request.user, Cap.REGISTRY_EDIT)
    form = ComparisonUploadForm()
    status = 200
    if request.method == "POST":
        form = ComparisonUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                comparison = comparison_create(
                    acting_user=request.user,
                    uploaded_file=form.cleaned_data["file"],
                    department=form.cleaned_data["department"],
                )
            except ValidationError as exc:
                attach_validation_errors(form, exc)
            else:
                return redirect("linkage:mapping", pk=comparison.pk)
        status = 400
    return render(request, "linkage/create.html", {"form": form}, status=status)


@login_required
def mapping(request: HttpRequest, pk: int) -> HttpResponse:
    comparison = access_comparison(user=request.user, comparison_id=pk, cap=Cap.REGISTRY_EDIT)
    if comparison.status != Comparison.Status.MAPPING:
        return redirect("linkage:detail", pk=comparison.pk)
    headers = list(comparison.headers)
    status = 200
    if request.method == "POST":
        form = MappingForm(request.POST, headers=headers, department=comparison.department)
        if form.is_valid():
            try:
                comparison_mapping_confirm(
                    acting_user=request.user,
                    comparison=comparison,
                    mapping=form.mapping(),
                )
            except ValidationError as exc:
                attach_validation_errors(form, exc)
            else:
                return redirect("linkage:detail", pk=comparison.pk)
        status = 400
    else:
        initial: dict[str, Any] = {f"col_{k}": str(v) for k, v in comparison.mapping.items()}
        form = MappingForm(initial=initial, headers=headers, department=comparison.department)
    return render(request, "linkage/mapping.html", {"comparison": comparison, "form": form}, status=status)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    comparison = access_comparison(user=request.user, comparison_id=pk)
    tab = request.GET.get("tab", "matched")
    if tab not in TABS:
        tab = "matched"
    context: dict[str, Any] = {
        "comparison": comparison,
        "tab": tab,
        "tabs": [(key, TAB_LABELS[key]) for key in TABS],
        "can_review": can_compare(request.user, Cap.REGISTRY_EDIT),
        "can_unmask": can_unmask(request.user),
    }
    if request.htmx and request.GET.get("part") == "status":  # type: ignore[attr-defined]
        if comparison.is_finished:
            # Finished while the page was polling: reload the whole page to show the results.
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "linkage/_status.html", context)
    if comparison.status == Comparison.Status.SUCCEEDED:
        context["page"] = page_of(comparison_entry_list(comparison=comparison, tab=tab), request)
        context["change_counts"] = comparison_change_counts(comparison=comparison)
        context["high_pending"] = comparison_high_pending_count(comparison=comparison)
        context["feedback_form"] = FeedbackForm()
    return render(request, "linkage/detail.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, change_pk: int, action: str) -> HttpResponse:
    comparison = access_comparison(user=request.user, comparison_id=pk, cap=Cap.REGISTRY_EDIT)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    service = comparison_change_accept if action == "accept" else comparison_change_reject
    try:
        change = service(acting_user=request.user, comparison=comparison, change_id=change_pk, note=note)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
        return redirect(f"{_detail_url(comparison)}?tab=changes")
    verb = "接受" if action == "accept" else "拒绝"
    messages.success(request, f"已{verb}：{change}")
    return redirect(f"{_detail_url(comparison)}?tab=changes")


@login_required
@require_POST
def accept_above(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept every pending change of the 高可信 matches (the URL keeps its old name)."""
    comparison = access_comparison(user=request.user, comparison_id=pk, cap=Cap.REGISTRY_EDIT)
    try:
        outcome = comparison_changes_accept_high(acting_user=request.user, comparison=comparison)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    else:
        text = f"已接受高可信匹配的 {outcome.accepted} 条建议。"
        if outcome.failed:
            text += f"{len(outcome.failed)} 条未能应用，仍待审核。"
        messages.success(request, text)
    return redirect(f"{_detail_url(comparison)}?tab=changes")


@login_required
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    comparison = access_comparison(user=request.user, comparison_id=pk)
    unmasked, reason = False, ""
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            unmasked, reason = form.cleaned_data["unmasked"], form.cleaned_data["reason"]
    try:
        result = comparison_feedback_export(
            acting_user=request.user, comparison=comparison, unmasked=unmasked, reason=reason
        )
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
        return redirect("linkage:detail", pk=comparison.pk)
    if isinstance(result, ExportJob):  # too long to write in the request: the job page shows its progress
        messages.info(request, BACKGROUND_STARTED)
        return redirect("exports:job_detail", pk=result.pk)
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"feedback.xlsx\"; filename*=UTF-8''{quote(result.filename)}"
    )
    return response


def _detail_url(comparison: Comparison) -> str:
    return reverse("linkage:detail", args=[comparison.pk])
