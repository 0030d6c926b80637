"""The message of the interview step: the laborer learns the time, the place (or that it is online) and the note
by SMS, again when the interview is moved."""

from django.utils import timezone

from laborcoop.matching.choices import InterviewMode
from laborcoop.matching.models import Recommendation
from laborcoop.matching.services.notify import PERSONAL_LINK
from laborcoop.notifications.choices import Channel
from laborcoop.notifications.links import signed_link
from laborcoop.notifications.services import notification_enqueue


def interview_where(recommendation: Recommendation) -> str:
    """The place as the laborer reads it: the address, or 线上面试 with the way (微信视频, a number)."""
    place = recommendation.interview_place
    if recommendation.interview_mode == InterviewMode.ONLINE:
        return f"线上面试（{place}）" if place else "线上面试"
    return place


def notify_laborer_of_interview(*, recommendation: Recommendation) -> bool:
    """An SMS with the interview's time, place and note; again when it is moved (the dedupe key names the row's
    version). False when the laborer has no phone: staff and the personal page show the interview anyway."""
    laborer = recommendation.laborer
    if not laborer.phone or recommendation.interview_at is None:
        return False
    job = recommendation.job
    notification_enqueue(
        channel=Channel.SMS,
        address=laborer.phone,
        template="interview_arranged",
        context={
            "name": laborer.name,
            "employer": job.enterprise.name,
            "job_title": job.title,
            "when": timezone.localtime(recommendation.interview_at).strftime("%Y年%m月%d日 %H:%M"),
            "where": interview_where(recommendation),
            "note": recommendation.interview_note,
            "phone": job.enterprise.contact_phone,
            "link": signed_link(PERSONAL_LINK, laborer.pk),  # the job and the interview on the personal page
        },
        dedupe_key=f"interview_arranged:{recommendation.pk}:{recommendation.version}",
        region_code=laborer.region_id,
    )
    return True
