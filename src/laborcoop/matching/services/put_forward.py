"""Putting a laborer forward for a posting on the job market (岗位市场: 推荐本辖区人员).

A staff member, broker or 12333 agent who reads an open posting of any region (employers.access.access_market_job)
proposes one laborer of their own subtree (registry.access.access_laborer) for it: a Recommendation in the
matching pipeline (state 推荐, source 岗位找人), which the enterprise then sees on its job's pipeline, masked until
the laborer states interest. The engine scores the pair when its hard filters let it through; a pair the engine
would not have proposed is still recorded (a person's decision), with score 0 and the reason in its factors.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from laborcoop.accounts.access import can_put_forward
from laborcoop.accounts.capabilities import Cap
from laborcoop.cooperation.selectors import agreement_pairs_in_force
from laborcoop.core.audit import audit_record
from laborcoop.core.errors import PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.employers.access import access_market_job
from laborcoop.employers.models import JobPosting
from laborcoop.matching.choices import RecSource, RecState, RecVia
from laborcoop.matching.engine.index import MatchIndex
from laborcoop.matching.models import Recommendation, RecommendationEvent
from laborcoop.matching.selectors import job_rows, laborer_rows
from laborcoop.matching.services.store import stored_factors
from laborcoop.matching.services.weights import matching_weights_for
from laborcoop.registry.access import access_laborer
from laborcoop.registry.models import Laborer

ERR_NOT_ALLOWED = "您的账号不能推荐人员。"
ERR_DUPLICATE = "{name} 已在该岗位的推荐名单中（状态：{state}），无需重复推荐。"
ERR_FLAGGED = "{name} 已登记为死亡或迁出，不能推荐。"
PUT_FORWARD_NOTE = "岗位市场推荐"
UNSCORED_FACTOR = {
    "key": "manual",
    "label": "人工推荐",
    "points": 0,
    "explanation": "经办人从岗位市场推荐，未达到自动匹配条件（如年龄、意向地区），未计匹配得分。",
}


def _score(*, laborer: Laborer, job: JobPosting) -> tuple[Decimal, list[dict[str, Any]]]:
    """The engine's score and factors of the one pair, or 0 and the 人工推荐 factor when it filters it out."""
    today = timezone.localdate()
    index = MatchIndex.build(
        laborer_rows=laborer_rows(Laborer.objects.filter(pk=laborer.pk)),
        job_rows=job_rows(JobPosting.objects.filter(pk=job.pk)),
        today=today,
        agreements=agreement_pairs_in_force(today=today),
        weights=matching_weights_for(region_code=job.region_id),
    )
    items = index.candidates_for_job(job.pk, k=1).items()
    if not items:
        return Decimal("0"), [dict(UNSCORED_FACTOR)]
    return Decimal(str(items[0]["score"])), stored_factors(items[0]["factors"])


def recommendation_put_forward(*, acting_user: Any, job_id: Any, laborer_id: Any) -> Recommendation:
    """Propose the laborer (of the user's subtree) for the open posting. Raises PermissionDeniedError (403: the
    role may not), ObjectNotFound (404: the posting is not on the market, the laborer is outside the user's
    subtree), ValidationError with a Chinese message (already proposed, deceased or moved away; nothing saved)."""
    if not can_put_forward(acting_user):
        raise PermissionDeniedError(ERR_NOT_ALLOWED)
    job = access_market_job(user=acting_user, job_id=job_id)
    laborer = access_laborer(user=acting_user, laborer_id=laborer_id, cap=Cap.REGISTRY_VIEW)
    if laborer.is_flagged:
        raise ValidationError(ERR_FLAGGED.format(name=laborer.name))
    existing = Recommendation.objects.filter(job=job, laborer=laborer).first()
    if existing is not None:
        raise ValidationError(ERR_DUPLICATE.format(name=laborer.name, state=existing.get_state_display()))
    score, factors = _score(laborer=laborer, job=job)
    try:
        with transaction.atomic():
            rec = Recommendation.objects.create(
                job=job,
                laborer=laborer,
                region_id=laborer.region_id,
                score=score,
                factors=factors,
                source=RecSource.JOB,
                state=RecState.RECOMMENDED,
            )
            RecommendationEvent.objects.create(
                recommendation=rec,
                actor=acting_user,
                via=RecVia.STAFF,
                to_state=RecState.RECOMMENDED,
                note=PUT_FORWARD_NOTE,
            )
            audit_record(
                actor=acting_user,
                action=AuditEntry.Action.CREATE,
                instance=rec,
                region_code=laborer.region_id,
                changes={"job": ["", job.title], "state": ["", RecState.RECOMMENDED.label]},
                reason=PUT_FORWARD_NOTE,
            )
    except IntegrityError as exc:  # proposed concurrently by someone else
        raise ValidationError(ERR_DUPLICATE.format(name=laborer.name, state=RecState.RECOMMENDED.label)) from exc
    rec.job, rec.laborer = job, laborer
    return rec
