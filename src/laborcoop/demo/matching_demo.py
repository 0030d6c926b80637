"""Demo data for matching: recommendations in every state for the demo enterprise's jobs and for laborers of
泸溪县, with their messages in the outbox. Everything goes through the services (audited, notified), as the
demo users `qiye` (enterprise) and `xian` (泸溪县 officer) and through the laborers' own links."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from laborcoop.accounts.models import User
from laborcoop.employers.choices import JobStatus
from laborcoop.employers.models import JobPosting
from laborcoop.matching.choices import ENTERPRISE_TARGETS, InterviewMode, RecState
from laborcoop.matching.models import Recommendation
from laborcoop.matching.services import (
    Interview,
    recommendation_respond_by_link,
    recommendation_transition,
    recommendations_for_job,
    recommendations_for_laborer,
)
from laborcoop.notifications.limits import send_limits_set
from laborcoop.notifications.models import SendLimits
from laborcoop.regions.scope import in_subtree_q
from laborcoop.registry.access import laborers_for

COUNTY_PREFIX = "433122"

# The walk of each demo row from 已通知, and who takes each step.
PATHS: tuple[tuple[str, ...], ...] = (
    (),
    (RecState.INTERESTED,),
    (RecState.DECLINED,),
    (RecState.INTERESTED, RecState.INTERVIEW),
    (RecState.INTERESTED, RecState.INTERVIEW, RecState.HIRED),
    (RecState.INTERESTED, RecState.INTERVIEW, RecState.REJECTED),
    (RecState.INTERESTED, RecState.INTERVIEW, RecState.HIRED, RecState.STARTED),
)
DEMO_DECLINE_REASON = "离家太远，想在县内就业"
DEMO_RESULT_NOTE = "请于下周一到公司人事部报到"
DEMO_INTERVIEW_NOTE = "请携带身份证，到门卫处说明来面试，找人事部王女士"


@dataclass
class DemoMatchingReport:
    created: bool = False
    states: dict[str, int] = field(default_factory=dict)


def _county_recs(jobs: QuerySet[JobPosting]) -> list[Recommendation]:
    """泸溪县 rows still 已通知: those on the enterprise's jobs first, then any (from the laborer runs)."""
    notified = Recommendation.objects.filter(in_subtree_q(COUNTY_PREFIX), state=RecState.NOTIFIED).select_related(
        "job", "laborer"
    )
    own = list(notified.filter(job__in=jobs).order_by("-score", "id"))
    others = list(notified.exclude(job__in=jobs).order_by("-score", "id"))
    return own + others


def _demo_interview(rec: Recommendation) -> Interview:
    """An on-site interview the day after tomorrow at 9:30, at the employer's address."""
    day = timezone.localdate() + timedelta(days=2)
    at = timezone.make_aware(datetime.combine(day, time(9, 30)))
    place = rec.job.enterprise.address or f"{rec.job.enterprise.name}人事部"
    return Interview(at=at, mode=InterviewMode.ONSITE, place=place, note=DEMO_INTERVIEW_NOTE)


def _walk(rec: Recommendation, path: tuple[str, ...], *, officer: User, enterprise_user: User) -> None:
    for state in path:
        if state in (RecState.INTERESTED, RecState.DECLINED):
            rec = recommendation_respond_by_link(
                laborer_id=rec.laborer_id, recommendation_id=rec.pk, to_state=state, reason=DEMO_DECLINE_REASON
            )
            continue
        own_job = rec.job.enterprise_id == enterprise_user.enterprise_id
        actor = enterprise_user if own_job and state in ENTERPRISE_TARGETS else officer
        try:
            rec = recommendation_transition(
                acting_user=actor,
                recommendation=rec,
                to_state=state,
                expected_version=rec.version,
                note=DEMO_RESULT_NOTE if state == RecState.HIRED else "",
                interview=_demo_interview(rec) if state == RecState.INTERVIEW else None,
            )
        except ValidationError:
            return  # e.g. the job's openings are all taken (services/openings.py): the path stops there


def _demo_send_limits() -> None:
    """The province's send limits, saved once by the provincial admin (the limits page shows who set them)."""
    admin = User.objects.filter(username="sheng").first()
    if admin is None or admin.home_region_id is None or SendLimits.objects.filter(province_id=admin.home_region_id):
        return
    send_limits_set(
        acting_user=admin,
        province_code=admin.home_region_id,
        values={"laborer_jobs_per_week": 3, "candidates_per_opening": 2},
        expected_version=0,
    )


# qiye's own candidates (wherever they live): who says yes, and how far the enterprise takes them itself.
ENTERPRISE_PATHS: tuple[tuple[str, ...], ...] = (
    (RecState.INTERESTED,),
    (RecState.INTERESTED,),
    (RecState.INTERESTED,),
    (RecState.INTERESTED,),
    (RecState.INTERESTED, RecState.INTERVIEW),
    (RecState.INTERESTED, RecState.INTERVIEW),
    (RecState.INTERESTED, RecState.INTERVIEW, RecState.HIRED),
)
EXPIRING_IN_DAYS = 6  # one of qiye's open jobs ends this soon: its home lists it to be extended


def _enterprise_day(jobs: QuerySet[JobPosting], *, enterprise_user: User) -> None:
    """Give the demo enterprise a day of work: candidates of its jobs say yes through their links, the
    enterprise arranges some interviews and hires one (all through the services, as the users would), and one of
    its open jobs ends within a week."""
    recs = list(
        Recommendation.objects.filter(job__in=jobs, state__in=(RecState.NOTIFIED, RecState.RECOMMENDED))
        .select_related("job", "job__enterprise", "laborer")
        .order_by("-state", "-score", "id")  # the notified first (they got the SMS)
    )
    for rec, path in zip(recs, ENTERPRISE_PATHS, strict=False):
        for state in path:
            try:
                if state == RecState.INTERESTED:
                    rec = recommendation_respond_by_link(
                        laborer_id=rec.laborer_id, recommendation_id=rec.pk, to_state=state
                    )
                else:
                    rec = recommendation_transition(
                        acting_user=enterprise_user,
                        recommendation=rec,
                        to_state=state,
                        expected_version=rec.version,
                        note=DEMO_RESULT_NOTE if state == RecState.HIRED else "",
                        interview=_demo_interview(rec) if state == RecState.INTERVIEW else None,
                    )
            except ValidationError:
                break  # e.g. the job's openings are all taken: this candidate's path stops there
    first = jobs.order_by("id").first()
    if first is not None:
        JobPosting.objects.filter(pk=first.pk).update(
            valid_until=timezone.localdate() + timedelta(days=EXPIRING_IN_DAYS), updated_at=timezone.now()
        )


def demo_matching_ensure(*, enterprise_username: str = "qiye", officer_username: str = "xian") -> DemoMatchingReport:
    """Once: match the enterprise's open jobs (the first one only stored, 推荐; the others notified), match a
    few 泸溪县 laborers to jobs, and walk 泸溪县 candidates through every state. Later calls only count."""
    enterprise_user = User.objects.filter(username=enterprise_username, enterprise__isnull=False).first()
    officer = User.objects.filter(username=officer_username).first()
    report = DemoMatchingReport()
    if enterprise_user is None or enterprise_user.enterprise_id is None or officer is None:
        return report
    jobs = JobPosting.objects.filter(enterprise_id=enterprise_user.enterprise_id, status=JobStatus.OPEN)
    if not Recommendation.objects.filter(job__in=jobs).exists():
        report.created = True
        _demo_send_limits()
        for i, job in enumerate(jobs.order_by("id")[:3]):
            recommendations_for_job(acting_user=enterprise_user, job=job, limit=30, notify=i > 0)
        # Laborers with a phone get 8 jobs each, of which the province's weekly limit lets 3 be sent (the
        # pipeline says "已推荐 8 个岗位，本周已通知 3 个"); the rest wait for the officer.
        for laborer in laborers_for(officer).exclude(phone_last4="").order_by("id")[:5]:
            recommendations_for_laborer(acting_user=officer, laborer=laborer, limit=8)
        candidates = _county_recs(jobs)
        for rec, path in zip(candidates, PATHS, strict=False):
            _walk(rec, path, officer=officer, enterprise_user=enterprise_user)
        _enterprise_day(jobs, enterprise_user=enterprise_user)
    for state, label in RecState.choices:
        report.states[str(label)] = Recommendation.objects.filter(state=state).count()
    return report
