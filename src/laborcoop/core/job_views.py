"""The retry button of every background job page (imports, comparisons, exports, batch runs): one view factory."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

RETRY_QUEUED = "任务已重新排队，正在后台运行。"


def job_retry_view(*, retry: Callable[..., Any], id_arg: str, detail_url: str) -> Callable[..., HttpResponse]:
    """A POST view calling `retry(acting_user=..., <id_arg>=pk)` (the app's retry service, which checks access and
    refuses a job that has not failed) and going back to the job's page."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        retry(acting_user=request.user, **{id_arg: pk})
        messages.success(request, RETRY_QUEUED)
        return redirect(detail_url, pk=pk)

    return view
