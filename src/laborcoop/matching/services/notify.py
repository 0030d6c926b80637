"""The messages of the recommendation lifecycle, all through the notifications outbox (deduplicated), and the
rationing of what automatic runs send (issue 13 item 8): a run recommends every good pair, but tells a laborer
about at most `laborer_jobs_per_week` jobs in 7 days and a job's best `openings x candidates_per_opening`
candidates (notifications.limits, set per province). The rest stays 推荐 until a person marks it 已通知.
"""

import hashlib
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from laborcoop.accounts.models import User
from laborcoop.employers.models import JobPosting
from laborcoop.matching.models import Recommendation
from laborcoop.matching.tokens import LINK_VALID_DAYS, personal_link_token
from laborcoop.notifications.choices import Channel
from laborcoop.notifications.limits import send_limits_for
from laborcoop.notifications.links import public_url, signed_link
from laborcoop.notifications.services import notification_enqueue
from laborcoop.registry.models import Laborer

PERSONAL_LINK = "matching.personal"
WEEK = timedelta(days=7)


def personal_link(*, laborer_id: int) -> str:
    """The absolute link sent to the laborer (`LABORCOOP_PUBLIC_URL` + path; the path alone when unset, which
    admins are warned about and `check --deploy` refuses)."""
    return public_url(reverse("matching:personal", kwargs={"token": personal_link_token(laborer_id=laborer_id)}))


# --- how many messages automatic runs may still send -------------------------------------------------------


def laborer_send_room(laborers: Iterable[Laborer]) -> dict[int, int]:
    """Per laborer: how many more jobs automatic runs may tell them about this week (>= 0). One query for the
    recommendations sent in the last 7 days, one per province for its limits."""
    laborers = list(laborers)
    since = timezone.now() - WEEK
    told = dict(
        Recommendation.objects.filter(laborer_id__in=[lab.pk for lab in laborers], notified_at__gte=since)
        .order_by()
        .values("laborer_id")
        .annotate(n=Count("id"))
        .values_list("laborer_id", "n")
    )
    per_province: dict[str, int] = {}
    room = {}
    for lab in laborers:
        province = (lab.region_id or "")[:2]
        if province not in per_province:
            per_province[province] = send_limits_for(region_code=lab.region_id).laborer_jobs_per_week
        room[lab.pk] = max(per_province[province] - told.get(lab.pk, 0), 0)
    return room


def job_send_room(job: JobPosting) -> int:
    """How many more candidates automatic runs may tell about `job` (>= 0): openings x the province's number,
    less those already told (ever)."""
    cap = send_limits_for(region_code=job.region_id).job_cap(job.openings or 0)
    told = Recommendation.objects.filter(job_id=job.pk, notified_at__isnull=False).count()
    return max(cap - told, 0)


def job_send_summary(job: JobPosting) -> dict[str, int]:
    """For the job's pipeline page: recommended, told (ever), and the automatic cap (openings x number)."""
    limits = send_limits_for(region_code=job.region_id)
    recs = Recommendation.objects.filter(job_id=job.pk)
    return {
        "recommended": recs.count(),
        "notified": recs.filter(notified_at__isnull=False).count(),
        "cap": limits.job_cap(job.openings or 0),
        "per_opening": limits.candidates_per_opening,
    }


def laborer_send_summary(laborer: Laborer) -> dict[str, int]:
    """For the laborer's pipeline page: recommended, told this week, and the weekly limit."""
    recs = Recommendation.objects.filter(laborer_id=laborer.pk)
    return {
        "recommended": recs.count(),
        "notified_week": recs.filter(notified_at__gte=timezone.now() - WEEK).count(),
        "per_week": send_limits_for(region_code=laborer.region_id).laborer_jobs_per_week,
    }


def _best_first(recs: Iterable[Recommendation]) -> list[Recommendation]:
    return sorted(recs, key=lambda rec: (-rec.score, rec.pk))


def send_jobs_to_laborer(
    *, laborer: Laborer, fresh: Sequence[Recommendation], room: int | None = None
) -> list[Recommendation]:
    """Mode 2's message: the best of `fresh` that the laborer's weekly room allows (`room`, when the caller
    counted it for many laborers at once with laborer_send_room), in one SMS. Returns the recommendations sent
    (none without a phone)."""
    if room is None:
        room = laborer_send_room([laborer])[laborer.pk]
    chosen = _best_first(fresh)[:room]
    return chosen if notify_laborer_of_jobs(laborer=laborer, recommendations=chosen) else []


def send_job_to_candidates(*, job: JobPosting, fresh: Sequence[Recommendation]) -> list[Recommendation]:
    """Mode 1's messages: the best of `fresh`, up to the job's room, skipping laborers whose weekly room is
    used up or who have no phone; one SMS each. Returns the recommendations sent."""
    room = job_send_room(job)
    if not room or not fresh:
        return []
    laborer_room = laborer_send_room({rec.laborer_id: rec.laborer for rec in fresh}.values())
    sent: list[Recommendation] = []
    for rec in _best_first(fresh):
        if len(sent) >= room:
            break
        if laborer_room.get(rec.laborer_id, 0) <= 0:
            continue
        if notify_laborer_of_jobs(laborer=rec.laborer, recommendations=[rec]):
            laborer_room[rec.laborer_id] -= 1
            sent.append(rec)
    return sent


def notify_laborer_of_jobs(*, laborer: Laborer, recommendations: Sequence[Recommendation]) -> bool:
    """One SMS listing `recommendations` to the laborer, once per set of recommendations (the dedupe key
    names them). False when the laborer has no phone: the rows stay 推荐 for staff to follow up."""
    if not recommendations or not laborer.phone:
        return False
    ids = ",".join(str(r.pk) for r in sorted(recommendations, key=lambda r: r.pk))
    digest = hashlib.sha256(ids.encode()).hexdigest()[:32]
    context: dict[str, Any] = {
        "name": laborer.name,
        "job_count": len(recommendations),
        # A reference, signed into the link when the SMS is sent: the outbox never stores the token.
        "link": signed_link(PERSONAL_LINK, laborer.pk),
        "valid_days": LINK_VALID_DAYS,
        "first_job": _best_first(recommendations)[0].job.title,
    }
    notification_enqueue(
        channel=Channel.SMS,
        address=laborer.phone,
        template="job_recommended",
        context=context,
        dedupe_key=f"job_recommended:{laborer.pk}:{digest}",
        region_code=laborer.region_id,
    )
    return True


def notify_employer_of_interest(*, recommendation: Recommendation) -> int:
    """An in-app message to every active user of the job's enterprise; returns how many."""
    job = recommendation.job
    users = User.objects.filter(enterprise_id=job.enterprise_id, is_active=True).order_by("id")
    count = 0
    for user in users:
        notification_enqueue(
            channel=Channel.IN_APP,
            recipient_user=user,
            template="candidate_interested",
            context={"job_title": job.title, "candidate": recommendation.laborer.name},
            dedupe_key=f"candidate_interested:{recommendation.pk}:{user.pk}",
            region_code=job.region_id,
            url=reverse("matching:job_pipeline", kwargs={"pk": job.pk}),
        )
        count += 1
    return count


def notify_laborer_of_result(*, recommendation: Recommendation) -> bool:
    laborer = recommendation.laborer
    if not laborer.phone:
        return False
    job = recommendation.job
    notification_enqueue(
        channel=Channel.SMS,
        address=laborer.phone,
        template="interview_result",
        context={
            "name": laborer.name,
            "employer": job.enterprise.name,
            "job_title": job.title,
            "result": recommendation.get_state_display(),
            "note": recommendation.result_note,
            "link": signed_link(PERSONAL_LINK, laborer.pk),
        },
        dedupe_key=f"interview_result:{recommendation.pk}:{recommendation.state}",
        region_code=laborer.region_id,
    )
    return True
