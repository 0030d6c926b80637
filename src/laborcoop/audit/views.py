from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from laborcoop.audit.forms import AuditSearchForm
from laborcoop.audit.presenting import describe_entries
from laborcoop.audit.selectors import HISTORY_KINDS, audit_search, object_history
from laborcoop.core.pagination import page_of


@login_required
def history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    obj, entries = object_history(user=request.user, kind=kind, pk=pk)
    return render(
        request,
        "audit/history.html",
        {"object": obj, "entries": describe_entries(entries), "kind_label": HISTORY_KINDS[kind].label},
    )


@login_required
def audit_search_view(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    params: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    page = page_of(audit_search(user=request.user, **params), request, size=50)
    return render(request, "audit/search.html", {"form": form, "page": page, "entries": describe_entries(page.rows)})
