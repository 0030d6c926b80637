"""The inbox of the signed-in user and the outbox status page for admins. Thin: parse, call, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from laborcoop.core.pagination import page_of
from laborcoop.notifications.access import access_outbox_notification
from laborcoop.notifications.choices import Status
from laborcoop.notifications.forms import OutboxFilterForm
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
    context = {"form": form, "page": page_of(rows, request), "status_cards": status_cards}
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
