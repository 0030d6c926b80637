"""The reconciliation page (两地数据对账): a counterpart picker (region search) and both directions' figures."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from laborcoop.accounts.access import require_cap
from laborcoop.accounts.capabilities import Cap
from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.selectors import region_search
from laborcoop.tracking.notices.messages import place_names
from laborcoop.tracking.reconcile.selectors import Reconciliation, reconciliation_for

SEARCH_LIMIT = 20


def _counterpart_choices(query: str) -> list[tuple[Region, str]]:
    """Regions matching the search that can be a counterpart (province, prefecture or county), with the path
    name that tells 市辖区 apart."""
    found = [r for r in region_search(query, limit=SEARCH_LIMIT * 2) if r.level <= RegionLevel.COUNTY][:SEARCH_LIMIT]
    names = place_names(r.code for r in found)
    return [(r, names[r.code]) for r in found]


@login_required
def reconcile_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require_cap(user, Cap.STATS_VIEW)
    query = request.GET.get("q", "").strip()
    counterpart = request.GET.get("counterpart", "").strip()
    own = request.GET.get("region", "").strip()
    result: Reconciliation | None = None
    errors: list[str] = []
    if counterpart:
        try:
            result = reconciliation_for(user=user, counterpart_code=counterpart, region_code=own)
        except ValidationError as exc:
            errors = exc.messages
    context = {
        "query": query,
        "choices": _counterpart_choices(query) if query else [],
        "own": own,
        "result": result,
        "errors": errors,
        "counterpart_path": place_names([result.counterpart.code])[result.counterpart.code] if result else "",
    }
    return render(request, "tracking/reconcile.html", context, status=400 if errors else 200)


@login_required
def reconcile_search(request: HttpRequest) -> HttpResponse:
    """The picker's results as the user types (htmx)."""
    require_cap(request.user, Cap.STATS_VIEW)
    query = request.GET.get("q", "").strip()
    context = {
        "query": query,
        "choices": _counterpart_choices(query) if query else [],
        "own": request.GET.get("region", ""),
    }
    return render(request, "tracking/reconcile_search_results.html", context)
