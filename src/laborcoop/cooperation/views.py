"""Agreement pages: the register, one agreement, propose, confirm, terminate (cooperation.services / access)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from laborcoop.cooperation import access, services
from laborcoop.cooperation.forms import AgreementForm, TerminateForm
from laborcoop.cooperation.models import AgreementStatus
from laborcoop.cooperation.selectors import agreement_list
from laborcoop.core.errors import PermissionDeniedError
from laborcoop.core.forms import attach_validation_errors
from laborcoop.core.pagination import page_of


@login_required
def agreement_list_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    status = request.GET.get("status", "")
    if status not in AgreementStatus.values:
        status = ""
    page = page_of(agreement_list(user=user, status=status), request, count=True)
    today = timezone.localdate()
    rows = [(a, a.state_label(today)) for a in page.rows]
    return render(
        request,
        "cooperation/agreement_list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": AgreementStatus.choices,
            "can_propose": access.can_propose(user),
        },
    )


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    agreement = access.access_agreement(user=user, agreement_id=pk)
    return render(
        request,
        "cooperation/agreement_detail.html",
        {
            "agreement": agreement,
            "state": agreement.state_label(timezone.localdate()),
            "can_confirm": agreement.status == AgreementStatus.PENDING and access.can_confirm(user, agreement),
            "can_terminate": agreement.status != AgreementStatus.TERMINATED and access.can_terminate(user, agreement),
            "terminate_form": TerminateForm(),
        },
    )


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not access.can_propose(user):
        raise PermissionDeniedError(access.NOT_ADMIN)
    form = AgreementForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                data = {**form.cleaned_data, "fields": form.cleaned_data["areas"]}
                agreement = services.agreement_propose(acting_user=user, data=data)
            except ValidationError as exc:
                attach_validation_errors(form, exc, aliases={"fields": "areas"})
            else:
                messages.success(request, "协议已登记，等待对方确认。")
                return redirect("cooperation:agreement_detail", pk=agreement.pk)
        status = 400
    return render(request, "cooperation/agreement_form.html", {"form": form}, status=status)


@login_required
@require_POST
def agreement_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.agreement_confirm(acting_user=request.user, agreement_id=pk)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, "协议已确认生效。")
    return redirect("cooperation:agreement_detail", pk=pk)


@login_required
@require_POST
def agreement_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    form = TerminateForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.agreement_terminate(acting_user=request.user, agreement_id=pk, reason=reason)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, "协议已终止。")
    return redirect("cooperation:agreement_detail", pk=pk)
