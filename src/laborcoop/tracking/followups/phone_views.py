"""The broker's phone page (我的寻访任务, /tracking/): open tasks as large tappable rows; tapping one opens the
laborer's key facts and a short form in place (htmx; without JavaScript the links and forms work as pages).
Logging answers the task, which then leaves the list."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from laborcoop.core.pagination import page_of
from laborcoop.tracking.access import access_task, require_tracking
from laborcoop.tracking.choices import TaskStatus
from laborcoop.tracking.followups.forms import FollowUpForm
from laborcoop.tracking.followups.selectors import TaskFilters, task_facts, task_list
from laborcoop.tracking.followups.views import log_from_form, logged_messages
from laborcoop.tracking.models import FollowUpTask

PAGE_SIZE = 30


def _list_context(request: HttpRequest, *, said: list[tuple[int, str]] | None = None) -> dict[str, Any]:
    tasks = task_list(user=request.user, filters=TaskFilters(status=TaskStatus.OPEN), write=True)
    return {
        "page": page_of(tasks, request, size=PAGE_SIZE),
        "today": timezone.localdate(),
        "said": [(messages.DEFAULT_TAGS[level], text) for level, text in said or []],
    }


@login_required
def phone_home(request: HttpRequest) -> HttpResponse:
    require_tracking(request.user, write=True)
    return render(request, "tracking/phone.html", _list_context(request))


def _task_context(request: HttpRequest, task: FollowUpTask, form: FollowUpForm) -> dict[str, Any]:
    return {"facts": task_facts(user=request.user, task=task), "form": form, "today": timezone.localdate()}


@login_required
def phone_task(request: HttpRequest, pk: int) -> HttpResponse:
    task = access_task(user=request.user, task_id=pk, write=True)
    context = _task_context(request, task, FollowUpForm())
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "tracking/_phone_task.html", context)
    return render(request, "tracking/phone_task.html", context)


@login_required
@require_POST
def phone_log(request: HttpRequest, pk: int) -> HttpResponse:
    task = access_task(user=request.user, task_id=pk, write=True)
    form = FollowUpForm(request.POST)
    result = log_from_form(request, form, laborer=task.laborer, task=task)
    if result is None:
        context = _task_context(request, task, form)
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "tracking/_phone_task.html", context)  # shown in place, with the messages
        return render(request, "tracking/phone_task.html", context, status=400)
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "tracking/_phone_tasks.html", _list_context(request, said=logged_messages(result)))
        response["HX-Retarget"] = "#phone-tasks"
        response["HX-Reswap"] = "innerHTML"
        return response
    for level, text in logged_messages(result):
        messages.add_message(request, level, text)
    return redirect("tracking:phone")
