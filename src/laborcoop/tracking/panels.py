"""Tracking's panels on the registry's laborer page (registry.panels), registered in TrackingConfig.ready()."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from laborcoop.registry.models import Laborer
from laborcoop.tracking.access import can_track
from laborcoop.tracking.choices import TaskKind
from laborcoop.tracking.followups import selectors
from laborcoop.tracking.followups.plan import next_followup
from laborcoop.tracking.trajectory.chart import phone_chart, timeline_chart
from laborcoop.tracking.trajectory.selectors import laborer_trajectory


def laborer_trajectory_panel(request: HttpRequest, laborer: Laborer) -> SafeString:
    """The "就业轨迹" block: the laborer's trajectory (the page fetched the laborer through access_laborer) as a
    chart and tables."""
    trajectory = laborer_trajectory(user=request.user, laborer=laborer)
    return render_to_string(
        "tracking/_trajectory_chart.html",
        {
            "t": trajectory,
            "chart": timeline_chart(trajectory),
            "phone_chart": phone_chart(trajectory),
            "laborer": laborer,
        },
    )


def laborer_followups_panel(request: HttpRequest, laborer: Laborer) -> SafeString:
    """The "跟踪寻访" block (the page fetched the laborer through access_laborer): open tasks, the latest
    follow-ups, the next planned follow-up and the 登记寻访 link. Nothing for roles that do not read follow-up
    work (the 12333 hotline)."""
    user = request.user
    if not can_track(user):
        return SafeString("")
    tasks = list(selectors.laborer_open_tasks(user=user, laborer=laborer))
    routine = next((t for t in tasks if t.kind == TaskKind.ROUTINE), None)
    return render_to_string(
        "tracking/_laborer_followups_block.html",
        {
            "laborer": laborer,
            "tasks": tasks,
            "followups": list(selectors.laborer_followups(user=user, laborer=laborer)[: selectors.RECENT_FOLLOWUPS]),
            "plan": None if routine is not None else next_followup(laborer),
            "routine": routine,
            "can_log": can_track(user, write=True),
            "today": timezone.localdate(),
        },
    )
