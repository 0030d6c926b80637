"""The "就业轨迹" block of the laborer page: `{% load trajectory %}{% laborer_trajectory laborer %}`."""

from typing import Any

from django import template

from laborcoop.tracking.trajectory.chart import timeline_chart
from laborcoop.tracking.trajectory.selectors import laborer_trajectory as trajectory_of

register = template.Library()


@register.inclusion_tag("tracking/_trajectory_chart.html", takes_context=True)
def laborer_trajectory(context: dict[str, Any], laborer: Any) -> dict[str, Any]:
    """The laborer's trajectory (the page fetched the laborer through access_laborer) as a chart and tables."""
    trajectory = trajectory_of(user=context["user"], laborer=laborer)
    return {"t": trajectory, "chart": timeline_chart(trajectory), "laborer": laborer}
