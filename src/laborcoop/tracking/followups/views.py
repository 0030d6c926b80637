"""Follow-up pages for desks: the region's task list, a task's page (facts and the log form), logging a
follow-up from the laborer page, the unreachable list (无法联系人员) and its xlsx download (written by
followups.unreachable). The phone page is in phone_views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from laborcoop.accounts.navigation import region_picker
from laborcoop.core.forms import attach_validation_errors
from laborcoop.core.pagination import page_of
from laborcoop.exports.models import ExportJob
from laborcoop.exports.services import BACKGROUND_STARTED
from laborcoop.registry.models import Laborer
from laborcoop.tracking.access import access_task, access_tracked_laborer, can_track
from laborcoop.tracking.choices import TaskStatus
from laborcoop.tracking.followups import services
from laborcoop.tracking.followups.forms import FollowUpForm, RegionFilterForm, TaskFilterForm
from laborcoop.tracking.followups.selectors import laborer_followups, task_facts, task_list, unreachable_list
from laborcoop.tracking.followups.unreachable import unreachable_export
from laborcoop.tracking.models import FollowUpTask

LOGGED = "已登记{name}的寻访：{outcome}。"
TASKS_DONE = "已完成任务：{kinds}。"
BECAME_UNREACHABLE = "{name}已连续多次未联系上，已标记为无法联系。"
BECAME_REACHABLE = "{name}已联系上，已取消无法联系标记。"


def log_from_form(
    request: HttpRequest, form: FollowUpForm, *, laborer: Laborer, task: FollowUpTask | None
) -> services.FollowUpLogged | None:
    """Log the follow-up the form holds; None (errors on the form) when the input is refused."""
    if not form.is_valid():
        return None
    d = form.cleaned_data
    try:
        return services.followup_log(
            acting_user=request.user,
            laborer=laborer,
            contacted_on=d["contacted_on"],
            method=d["method"],
            outcome=d["outcome"],
            note=d["note"],
            task=task,
            work=form.work(),
        )
    except ValidationError as exc:
        attach_validation_errors(form, exc)
        return None


def logged_messages(result: services.FollowUpLogged) -> list[tuple[int, str]]:
    """(level, text) of what the user is told after logging."""
    name = result.followup.laborer.name
    said = [(messages.SUCCESS, LOGGED.format(name=name, outcome=result.followup.get_outcome_display()))]
    if result.tasks_done:
        kinds = "、".join(str(t.get_kind_display()) for t in result.tasks_done)
        said.append((messages.SUCCESS, TASKS_DONE.format(kinds=kinds)))
    if result.became_unreachable:
        said.append((messages.WARNING, BECAME_UNREACHABLE.format(name=name)))
    if result.became_reachable:
        said.append((messages.SUCCESS, BECAME_REACHABLE.format(name=name)))
    if result.work is not None:
        said.append((messages.SUCCESS, result.work.message))
    if result.hint is not None:
        said.append((messages.WARNING, result.hint.message))
    return said


def _tell(request: HttpRequest, result: services.FollowUpLogged) -> None:
    for level, text in logged_messages(result):
        messages.add_message(request, level, text)


@login_required
def task_list_view(request: HttpRequest) -> HttpResponse:
    form = TaskFilterForm(request.GET or None)
    filters = form.to_filters()
    page = page_of(task_list(user=request.user, filters=filters), request, count=True)
    picker = region_picker(user=request.user, selected_code=filters.region)
    context = {
        "form": form,
        "page": page,
        "picker": picker,
        "today": timezone.localdate(),
        "can_log": can_track(request.user, write=True),
    }
    template = "tracking/_task_rows.html" if request.htmx else "tracking/task_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A task with the laborer's facts, and (for users who may log) the form that records its outcome."""
    write = request.method == "POST"
    task = access_task(user=request.user, task_id=pk, write=write)
    can_log = can_track(request.user, write=True) and task.status == TaskStatus.OPEN
    form = FollowUpForm(request.POST if write else None)
    if write:
        result = log_from_form(request, form, laborer=task.laborer, task=task)
        if result is not None:
            _tell(request, result)
            if result.hint is not None:
                return redirect("registry:laborer_detail", pk=task.laborer_id)
            return redirect("tracking:task_list")
    context = {
        "facts": task_facts(user=request.user, task=task),
        "form": form,
        "can_log": can_log,
        "today": timezone.localdate(),
    }
    return render(request, "tracking/task_detail.html", context, status=400 if write else 200)


@login_required
def laborer_log(request: HttpRequest, laborer_pk: int) -> HttpResponse:
    """登记寻访 from the laborer page: a follow-up without a task (it answers the open contact tasks)."""
    laborer = access_tracked_laborer(user=request.user, laborer_id=laborer_pk, write=True)
    form = FollowUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        result = log_from_form(request, form, laborer=laborer, task=None)
        if result is not None:
            _tell(request, result)
            return redirect("registry:laborer_detail", pk=laborer.pk)
    context = {
        "laborer": laborer,
        "form": form,
        "followups": list(laborer_followups(user=request.user, laborer=laborer)[:5]),
    }
    return render(request, "tracking/laborer_log.html", context, status=400 if request.method == "POST" else 200)


@login_required
def unreachable_list_view(request: HttpRequest) -> HttpResponse:
    region = RegionFilterForm(request.GET or None).region_code()
    page = page_of(unreachable_list(user=request.user, region=region), request, count=True)
    picker = region_picker(user=request.user, selected_code=region)
    return render(request, "tracking/unreachable_list.html", {"page": page, "picker": picker, "region": region})


@login_required
@require_POST
def unreachable_download(request: HttpRequest) -> HttpResponseBase:
    region = RegionFilterForm(request.POST).region_code()
    exported = unreachable_export(acting_user=request.user, region=region)
    if isinstance(exported, ExportJob):  # too long to write in the request: the job page shows its progress
        messages.info(request, BACKGROUND_STARTED)
        return redirect("exports:job_detail", pk=exported.pk)
    response = FileResponse(exported.file, as_attachment=True, filename=exported.filename)
    response["Content-Type"] = exported.content_type
    response["Cache-Control"] = "no-store"
    return response
