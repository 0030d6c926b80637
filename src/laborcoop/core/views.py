from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from laborcoop.core.forms import AuditSearchForm
from laborcoop.core.pagination import page_of
from laborcoop.core.selectors import HISTORY_KINDS, audit_search, object_history


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database status for load balancers and monitoring; reveals no data."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = "ok"
    except Exception:
        db = "error"
    status = 200 if db == "ok" else 503
    return JsonResponse(
        {"status": "ok" if db == "ok" else "error", "database": db, "vendor": connection.vendor},
        status=status,
    )


@login_required
def history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    obj, entries = object_history(user=request.user, kind=kind, pk=pk)
    return render(
        request,
        "audit/history.html",
        {"object": obj, "entries": entries, "kind_label": HISTORY_KINDS[kind].label},
    )


@login_required
def audit_search_view(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    params: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    page = page_of(audit_search(user=request.user, **params), request, size=50)
    return render(request, "audit/search.html", {"form": form, "page": page})
