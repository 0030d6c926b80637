"""Destination notice pages (去向通报): the output side's list, the input side's list with its answers (htmx)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from laborcoop.accounts.access import user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.errors import ConflictError
from laborcoop.core.pagination import page_of
from laborcoop.tracking.choices import NoticeStatus
from laborcoop.tracking.notices import services
from laborcoop.tracking.notices.selectors import (
    access_notice_for_input,
    notice_input_counts,
    notice_input_list,
    notice_input_row,
    notice_output_counts,
    notice_output_list,
)

CONFIRMED_MESSAGE = "已确认到岗。"
NOT_ARRIVED_MESSAGE = "已报告未到岗，户籍所在地将看到您的说明。"
VERSION_MISSING = "缺少版本号，请刷新页面后重试。"


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=[("", "全部状态"), *NoticeStatus.choices], required=False)

    def status_value(self) -> str:
        return self.cleaned_data["status"] if self.is_valid() else ""


class AnswerForm(forms.Form):
    version = forms.IntegerField(min_value=1, error_messages={"required": VERSION_MISSING, "invalid": VERSION_MISSING})
    note = forms.CharField(label="情况说明", required=False, max_length=services.NOTE_MAX)


def _status_cards(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(status, str(label), counts[status]) for status, label in NoticeStatus.choices]


@login_required
def notice_list_view(request: HttpRequest) -> HttpResponse:
    """The output side: notices of our laborers working elsewhere, 未到岗 first."""
    form = StatusFilterForm(request.GET or None)
    rows = notice_output_list(user=request.user, status=form.status_value())
    page = page_of(rows, request, count=True)
    context = {
        "form": form,
        "page": page,
        "status_cards": _status_cards(notice_output_counts(user=request.user)),
        "can_input": user_can(request.user, Cap.EMPLOYERS_VIEW),
    }
    return render(request, "tracking/notice_list.html", context)


def _input_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    form = StatusFilterForm(request.GET or None)
    page = page_of(notice_input_list(user=request.user, status=form.status_value()), request, count=True)
    context = {
        "form": form,
        "page": page,
        "status_cards": _status_cards(notice_input_counts(user=request.user)),
        "can_answer": user_can(request.user, Cap.EMPLOYERS_EDIT),
        "can_output": user_can(request.user, Cap.REGISTRY_VIEW),
        "error": error,
    }
    return render(request, "tracking/notice_input_list.html", context, status=status)


@login_required
def notice_input_list_view(request: HttpRequest) -> HttpResponse:
    """The input side: notices of people working in our subtree (or at our enterprise), masked identity."""
    return _input_page(request)


def _answer(request: HttpRequest, pk: int, *, not_arrived: bool) -> HttpResponse:
    user: Any = request.user
    form = AnswerForm(request.POST)
    error = ""
    try:
        if not form.is_valid():
            # A denied caller learns that first (403 / 404), whatever the form holds.
            access_notice_for_input(user=user, notice_id=pk, cap=Cap.EMPLOYERS_EDIT)
            raise ValidationError(next(iter(form.errors.values()))[0])
        if not_arrived:
            services.destination_notice_report_not_arrived(
                acting_user=user,
                notice_id=pk,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            )
        else:
            services.destination_notice_confirm(
                acting_user=user, notice_id=pk, expected_version=form.cleaned_data["version"]
            )
    except ValidationError as exc:
        error = exc.messages[0]
    except ConflictError as exc:
        if not request.htmx:  # type: ignore[attr-defined]
            raise
        error = exc.message
    if request.htmx:  # type: ignore[attr-defined]
        # htmx swaps 2xx answers only: the row comes back redrawn, with the message when something was wrong.
        row = notice_input_row(user=user, notice_id=pk)
        return render(request, "tracking/notice_input_row.html", {"n": row, "error": error, "can_answer": True})
    if error:
        return _input_page(request, error=error, status=400)
    messages.success(request, NOT_ARRIVED_MESSAGE if not_arrived else CONFIRMED_MESSAGE)
    return redirect("tracking:notice_input_list")


@login_required
@require_POST
def notice_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(request, pk, not_arrived=False)


@login_required
@require_POST
def notice_not_arrived(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(request, pk, not_arrived=True)
