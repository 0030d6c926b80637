from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from laborcoop.accounts.access import enterprise_of
from laborcoop.accounts.desks import Desk, desk_of
from laborcoop.registry.choices import EmploymentStatus, LaborSkill
from laborcoop.reports.charts import bar_chart
from laborcoop.reports.enterprise_home import enterprise_todo
from laborcoop.reports.selectors import subtree_stats


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    # A broker's home is today's work, the hotline's the call console; the office gets the statistics.
    desk = desk_of(user)
    if desk == Desk.BROKER:
        return redirect("tracking:today")
    if desk == Desk.HOTLINE:
        return redirect("frontdesk:index")
    if desk == Desk.ENTERPRISE and enterprise_of(user) is not None:  # an enterprise's home is its to-do list
        return render(request, "reports/enterprise_home.html", {"todo": enterprise_todo(user=user)})
    stats = subtree_stats(user=user)
    chart = bar_chart(
        [(row.name, row.laborers, row.employed) for row in stats.children],
        series=("劳动力", "已就业"),
    )
    return render(
        request,
        "reports/home.html",
        {
            "stats": stats,
            "chart": chart,
            "skills": LaborSkill.choices,
            "statuses": EmploymentStatus.choices,
        },
    )
