"""The messages of the recommendation lifecycle, all through the notifications outbox (deduplicated)."""

import hashlib
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.urls import reverse

from laborcoop.accounts.models import User
from laborcoop.matching.models import Recommendation
from laborcoop.matching.tokens import LINK_VALID_DAYS, personal_link_token
from laborcoop.notifications.choices import Channel
from laborcoop.notifications.links import signed_link
from laborcoop.notifications.services import notification_enqueue
from laborcoop.registry.models import Laborer

PERSONAL_LINK = "matching.personal"


def personal_link(*, laborer_id: int) -> str:
    """The absolute link sent to the laborer (`LABORCOOP_PUBLIC_URL` + path; the path alone when unset)."""
    path = reverse("matching:personal", kwargs={"token": personal_link_token(laborer_id=laborer_id)})
    base: str = getattr(settings, "LABORCOOP_PUBLIC_URL", "")
    return base.rstrip("/") + path


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
        "first_job": recommendations[0].job.title,
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
        },
        dedupe_key=f"interview_result:{recommendation.pk}:{recommendation.state}",
        region_code=laborer.region_id,
    )
    return True
