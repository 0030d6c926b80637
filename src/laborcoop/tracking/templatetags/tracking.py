from typing import Any

from django import template
from django.utils import timezone

from laborcoop.tracking.access import can_track
from laborcoop.tracking.choices import TaskKind
from laborcoop.tracking.followups import selectors
from laborcoop.tracking.followups.plan import next_followup

register = template.Library()


@register.inclusion_tag("tracking/_laborer_followups_block.html", takes_context=True)
def laborer_followups(context: dict[str, Any], laborer: Any) -> dict[str, Any]:
    """The "跟踪寻访" block of the laborer detail page (the user already passed access_laborer for this laborer):
    open tasks, the latest follow-ups, the next planned follow-up and the 登记寻访 link. Nothing for roles
    that do not read follow-up work (the 12333 hotline)."""
    user = context["user"]
    if not can_track(user):
        return {"shown": False}
    tasks = list(selectors.laborer_open_tasks(user=user, laborer=laborer))
    routine = next((t for t in tasks if t.kind == TaskKind.ROUTINE), None)
    return {
        "shown": True,
        "laborer": laborer,
        "tasks": tasks,
        "followups": list(selectors.laborer_followups(user=user, laborer=laborer)[: selectors.RECENT_FOLLOWUPS]),
        "plan": None if routine is not None else next_followup(laborer),
        "routine": routine,
        "can_log": can_track(user, write=True),
        "today": timezone.localdate(),
    }
