"""The inbox of the signed-in user and the outbox status page for admins. Thin: parse, call, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from laborcoop.accounts.access import administered_province, can_administer_province
from laborcoop.core.forms import attach_validation_errors
from laborcoop.core.pagination import page_of
from laborcoop.notifications.access import access_outbox_notification
from laborcoop.notifications.choices import Status
from laborcoop.notifications.forms import OutboxFilterForm, SendLimitsForm
from laborcoop.notifications.limits import ERR_NOT_ADMIN, LIMIT_HELP, LIMIT_NAMES, Limits, send_limits_set
from laborcoop.notifications.models import SendLimits
from laborcoop.notifications.selectors import inbox_list, inbox_unread_count, outbox_list, outbox_status_counts
from laborcoop.notifications.services import (
    notification_mark_read,
    notification_retry,
    notifications_mark_all_read,
)

RETRIED = "已重新加入发送队列。"


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    page = page_of(inbox_list(user=user), request)
    return render(request, "notifications/inbox.html", {"page": page, "unread_count": inbox_unread_count(user=user)})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    row = notification_mark_read(user=user, notification_id=pk)
    if request.htmx:  # type: ignore[attr-defined]
        context = {"n": row, "unread_count": inbox_unread_count(user=user), "oob": True}
        return render(request, "notifications/_inbox_item.html", context)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(user=request.user)
    return redirect("notifications:inbox")


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = OutboxFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = outbox_list(user=user, status=filters.get("status", ""), channel=filters.get("channel", ""))
    counts = outbox_status_counts(user=user)
    status_cards = [(value, label, counts[value]) for value, label in Status.choices]
    context = {
        "form": form,
        "page": page_of(rows, request),
        "status_cards": status_cards,
        "can_set_limits": can_administer_province(user=user, province_code=user.home_region_id or ""),
    }
    return render(request, "notifications/outbox.html", context)


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    error = ""
    try:
        notification_retry(acting_user=user, notification_id=pk)
    except ValidationError as exc:
        error = exc.messages[0]
    if request.htmx:  # type: ignore[attr-defined]
        row = access_outbox_notification(user=user, notification_id=pk)
        return render(request, "notifications/_outbox_row.html", {"n": row, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, RETRIED)
    return redirect("notifications:outbox")


LIMITS_SAVED = "消息发送限额已保存，之后的自动匹配按新限额发送。"


@login_required
@require_http_methods(["GET", "POST"])
def limits(request: HttpRequest) -> HttpResponse:
    """The province's send limits: what automatic matching may send (the rest waits for staff)."""
    province_code = administered_province(
        user=request.user, requested=request.GET.get("province", ""), denied_message=ERR_NOT_ADMIN
    )
    row = SendLimits.objects.select_related("updated_by", "province").filter(province_id=province_code).first()
    current = Limits.from_dict(row.values if row is not None else {}).to_dict()
    status = 200
    if request.method == "POST":
        form = SendLimitsForm(request.POST)
        if form.is_valid():
            try:
                send_limits_set(
                    acting_user=request.user,
                    province_code=province_code,
                    values={name: form.cleaned_data[name] for name in LIMIT_NAMES},
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                attach_validation_errors(form, exc)
            else:
                messages.success(request, LIMITS_SAVED)
                return redirect(request.get_full_path())
        status = 400
    else:
        form = SendLimitsForm(initial={"version": row.version if row is not None else 0, **current})
    fields = [(form[name], LIMIT_HELP[name], Limits().to_dict()[name]) for name in LIMIT_NAMES]
    context = {"form": form, "fields": fields, "row": row, "province_code": province_code}
    return render(request, "notifications/limits.html", context, status=status)
