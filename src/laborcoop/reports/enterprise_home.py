"""The enterprise user's home page: a to-do list, not statistics (issue 13 item 3).

What an enterprise HR clerk has to do today, each with a count and a link to where it is done: candidates who
said yes to one of its jobs (arrange the interview), interviews arranged (coming ones, and past ones whose
result is still to record), candidates it hired whose start is to report (报送上岗), workers whose arrival it
has to confirm (到岗确认), last month's wages not yet reported, and its open jobs that expire within two
weeks. Everything is read through the apps' scoped selectors (the enterprise's own rows only); names follow the
access layer's rule.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from laborcoop.employers.access import jobs_for
from laborcoop.employers.choices import JobStatus
from laborcoop.employment.enterprise_reports.services import reporting_enterprise
from laborcoop.employment.enterprise_reports.staff import enterprise_staff_queryset, enterprise_wages_due
from laborcoop.matching.access import recommendations_for
from laborcoop.matching.choices import RecState
from laborcoop.matching.selectors import candidate_identity, interview_text, named_for_page
from laborcoop.tracking.choices import NoticeStatus
from laborcoop.tracking.notices.selectors import notice_input_counts

EXPIRING_DAYS = 14  # an open job whose end date is this close is listed, so that it can be extended in time
LIST_LIMIT = 10  # rows shown per list on the home page; the count and the link lead to all of them


@dataclass
class EnterpriseToDo:
    enterprise: Any
    today: date
    interested: list[dict[str, Any]] = field(default_factory=list)
    interested_count: int = 0
    interviews: list[dict[str, Any]] = field(default_factory=list)
    interviews_upcoming: int = 0
    interviews_to_record: int = 0
    hired: list[dict[str, Any]] = field(default_factory=list)
    hired_count: int = 0
    arrivals_to_confirm: int = 0
    wage_month: date | None = None
    wages_due: int = 0
    staff: int = 0
    expiring: list[dict[str, Any]] = field(default_factory=list)
    expiring_days: int = EXPIRING_DAYS

    @property
    def nothing_to_do(self) -> bool:
        return not (
            self.interested_count
            or self.interviews_upcoming
            or self.interviews_to_record
            or self.hired_count
            or self.arrivals_to_confirm
            or self.wages_due
            or self.expiring
        )


def _candidate_rows(user: Any, recs: list[Any]) -> list[dict[str, Any]]:
    named = named_for_page(user=user, recommendations=recs)
    return [
        {
            "id": rec.pk,
            "name": candidate_identity(user=user, recommendation=rec, named=rec.laborer_id in named)["name"],
            "job_id": rec.job_id,
            "job_title": rec.job.title,
            "since": rec.updated_at,
            "interview_at": rec.interview_at,
            "interview": interview_text(rec),
            "past": rec.interview_at is not None and rec.interview_at < timezone.now(),
        }
        for rec in recs
    ]


def enterprise_todo(*, user: Any, today: date | None = None) -> EnterpriseToDo:
    """The enterprise user's to-do list (403 for anyone else). About ten queries."""
    enterprise = reporting_enterprise(user)
    today = today or timezone.localdate()
    todo = EnterpriseToDo(enterprise=enterprise, today=today)
    recs = recommendations_for(user)
    interested = recs.filter(state=RecState.INTERESTED).order_by("-updated_at", "-id")
    todo.interested_count = interested.count()
    todo.interested = _candidate_rows(user, list(interested[:LIST_LIMIT]))
    start_of_today = timezone.make_aware(datetime.combine(today, time.min))
    interviews = recs.filter(state=RecState.INTERVIEW)
    todo.interviews_upcoming = interviews.filter(interview_at__gte=start_of_today).count()
    todo.interviews_to_record = interviews.exclude(interview_at__gte=start_of_today).count()
    # Past interviews (results to record) first, then the coming ones by time.
    todo.interviews = _candidate_rows(user, list(interviews.order_by("interview_at", "id")[:LIST_LIMIT]))
    hired = recs.filter(state=RecState.HIRED).order_by("hire_date", "id")
    todo.hired_count = hired.count()
    todo.hired = _candidate_rows(user, list(hired[:LIST_LIMIT]))
    todo.arrivals_to_confirm = notice_input_counts(user=user)[NoticeStatus.SENT]
    todo.wage_month, todo.wages_due = enterprise_wages_due(user=user, today=today)
    todo.staff = enterprise_staff_queryset(user=user).count()
    expiring = (
        jobs_for(user)
        .filter(status=JobStatus.OPEN, valid_until__gte=today, valid_until__lte=today + timedelta(days=EXPIRING_DAYS))
        .order_by("valid_until", "id")
        .values("id", "title", "valid_until", "openings")
    )
    todo.expiring = [{**job, "days_left": (job["valid_until"] - today).days} for job in expiring[:LIST_LIMIT]]
    return todo
