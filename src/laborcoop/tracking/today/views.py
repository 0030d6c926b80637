"""The broker's "today" page (/tracking/today/, also the broker's home page): thin over today.selectors."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from laborcoop.tracking.access import require_tracking
from laborcoop.tracking.today.selectors import NEW_WORKER_DAYS, UPCOMING_DAYS, broker_today


@login_required
def today_view(request: HttpRequest) -> HttpResponse:
    require_tracking(request.user, write=True)
    today = broker_today(user=request.user, today=timezone.localdate())
    return render(
        request,
        "tracking/today.html",
        {"t": today, "new_worker_days": NEW_WORKER_DAYS, "upcoming_days": UPCOMING_DAYS},
    )
