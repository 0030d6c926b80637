"""Modes 1 and 2 on demand: rank with the engine, store the results as Recommendation rows, tell the laborers.

Pools (who may be proposed for a job):
- staff (officer, admin): the laborers of their own subtree, so a county officer never proposes anyone from
  another county;
- an enterprise user (posting its own job): every laborer on the platform. The platform's laborers are the
  output side that the enterprise recruits from (often from another province: 劳务协作), the engine's
  work-region willingness filter only lets through people willing to go where the job is, and the enterprise
  sees them masked until they state interest.
Mode 2 offers a laborer every open, valid job on the platform (the willingness filter decides which fit).

Re-running is idempotent: an existing (job, laborer) row gets the new score and factors and keeps its state;
a laborer is told about a recommendation once (the row moves to 已通知, and the outbox deduplicates).
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from laborcoop.accounts.roles import Cap
from laborcoop.core.audit import audit_record
from laborcoop.core.models import AuditEntry
from laborcoop.employers.access import access_job
from laborcoop.employers.models import JobPosting
from laborcoop.matching.access import is_enterprise_user
from laborcoop.matching.choices import RecSource, RecState, RecVia
from laborcoop.matching.engine.index import MatchIndex
from laborcoop.matching.models import Recommendation, RecommendationEvent
from laborcoop.matching.selectors import job_rows, laborer_prefilter, laborer_rows, open_jobs
from laborcoop.matching.services.notify import notify_laborer_of_jobs
from laborcoop.matching.services.weights import matching_weights_for
from laborcoop.registry.access import access_laborer, laborers_for
from laborcoop.registry.models import Laborer

DEFAULT_CANDIDATES = 50
DEFAULT_JOBS = 20
MAX_LIMIT = 200


def stored_factors(engine_factors: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The engine's [{code, label, points, text}] as stored: [{key, label, points, explanation}]."""
    return [
        {"key": f["code"], "label": f["label"], "points": f["points"], "explanation": f["text"]} for f in engine_factors
    ]


def _candidate_pool(acting_user: Any) -> Any:
    if is_enterprise_user(acting_user):
        return Laborer.objects.all()
    return laborers_for(acting_user)


def _store(
    *,
    acting_user: Any,
    job_by_id: dict[int, JobPosting],
    laborer_by_id: dict[int, Laborer],
    items: list[tuple[int, int, dict[str, Any]]],
    source: str,
) -> list[Recommendation]:
    """Upsert one row per (job id, laborer id, ranked item) in a few set queries, keeping states; log the new
    rows. One side of the pairs is a single id in modes 1 and 2, so the filter below is exact. Call inside
    transaction.atomic: the existing rows are locked; a row created concurrently is kept (ignore_conflicts)."""
    if not items:
        return []
    now = timezone.now()
    pairs = Recommendation.objects.filter(
        job_id__in={job_id for job_id, _, _ in items}, laborer_id__in={lab_id for _, lab_id, _ in items}
    )
    existing = {(r.job_id, r.laborer_id): r for r in pairs.select_for_update()}
    fresh: list[Recommendation] = []
    for job_id, laborer_id, item in items:
        score, factors = Decimal(str(item["score"])), stored_factors(item["factors"])
        rec = existing.get((job_id, laborer_id))
        if rec is None:
            region_id = laborer_by_id[laborer_id].region_id
            fresh.append(
                Recommendation(
                    job_id=job_id,
                    laborer_id=laborer_id,
                    region_id=region_id,
                    score=score,
                    factors=factors,
                    source=source,
                )
            )
        else:
            rec.score, rec.factors, rec.updated_at = score, factors, now
    Recommendation.objects.bulk_update(list(existing.values()), ["score", "factors", "updated_at"])
    Recommendation.objects.bulk_create(fresh, ignore_conflicts=True)
    rows = {(r.job_id, r.laborer_id): r for r in pairs}
    RecommendationEvent.objects.bulk_create(
        RecommendationEvent(
            recommendation=rows[key], actor=acting_user, via=RecVia.SYSTEM, to_state=RecState.RECOMMENDED
        )
        for key in ((r.job_id, r.laborer_id) for r in fresh)
        if key in rows
    )
    stored = []
    for job_id, laborer_id, _ in items:
        rec = rows[(job_id, laborer_id)]
        rec.job, rec.laborer = job_by_id[job_id], laborer_by_id[laborer_id]
        stored.append(rec)
    return stored


def _mark_notified(*, recs: list[Recommendation]) -> None:
    now = timezone.now()
    for rec in recs:
        rec.state, rec.notified_at, rec.version = RecState.NOTIFIED, now, rec.version + 1
        rec.save(update_fields=["state", "notified_at", "version", "updated_at"])
    RecommendationEvent.objects.bulk_create(
        RecommendationEvent(
            recommendation=rec, via=RecVia.SYSTEM, from_state=RecState.RECOMMENDED, to_state=RecState.NOTIFIED
        )
        for rec in recs
    )


def _limit(limit: int, default: int) -> int:
    return max(1, min(int(limit or default), MAX_LIMIT))


def recommendations_for_job(
    *,
    acting_user: Any,
    job: JobPosting,
    limit: int = DEFAULT_CANDIDATES,
    today: date | None = None,
    notify: bool = True,
) -> list[Recommendation]:
    """Mode 1: rank the acting user's pool for `job`, store the best `limit`, notify the new ones (unless
    `notify` is off: the rows then stay 推荐 until a later run notifies them).

    Needs JOBS_EDIT on the job (the same rule as editing it); staff also need the registry (their pool)."""
    job = access_job(user=acting_user, job_id=job.pk, cap=Cap.JOBS_EDIT)
    today = today or timezone.localdate()
    pool = laborer_prefilter(_candidate_pool(acting_user), job=job, today=today)
    index = MatchIndex.build(
        laborer_rows=laborer_rows(pool),
        job_rows=job_rows(JobPosting.objects.filter(pk=job.pk)),
        today=today,
        weights=matching_weights_for(region_code=job.region_id),
    )
    ranking = index.candidates_for_job(job.pk, k=_limit(limit, DEFAULT_CANDIDATES))
    items = ranking.items()
    laborers = Laborer.objects.in_bulk([item["id"] for item in items])
    with transaction.atomic():
        stored = _store(
            acting_user=acting_user,
            job_by_id={job.pk: job},
            laborer_by_id=laborers,
            items=[(job.pk, item["id"], item) for item in items],
            source=RecSource.JOB,
        )
        notified = [
            rec
            for rec in stored
            if notify
            and rec.state == RecState.RECOMMENDED
            and notify_laborer_of_jobs(laborer=rec.laborer, recommendations=[rec])
        ]
        _mark_notified(recs=notified)
        audit_record(
            actor=acting_user,
            action=AuditEntry.Action.UPDATE,
            instance=job,
            region_code=job.region_id,
            changes={"matching": ["", f"岗位找人：推荐{len(stored)}人，新通知{len(notified)}人"]},
        )
    return stored


def recommendations_for_laborer(
    *, acting_user: Any, laborer: Laborer, limit: int = DEFAULT_JOBS, today: date | None = None
) -> list[Recommendation]:
    """Mode 2: rank the open jobs for `laborer`, store the best `limit`, send one message for the new ones.

    Needs REGISTRY_EDIT on the laborer."""
    laborer = access_laborer(user=acting_user, laborer_id=laborer.pk, cap=Cap.REGISTRY_EDIT)
    today = today or timezone.localdate()
    index = MatchIndex.build(
        laborer_rows=laborer_rows(Laborer.objects.filter(pk=laborer.pk)),
        job_rows=job_rows(open_jobs(today=today)),
        today=today,
        weights=matching_weights_for(region_code=laborer.region_id),
    )
    items = index.jobs_for_laborer(laborer.pk, k=_limit(limit, DEFAULT_JOBS)).items()
    jobs = JobPosting.objects.select_related("enterprise").in_bulk([item["id"] for item in items])
    with transaction.atomic():
        stored = _store(
            acting_user=acting_user,
            job_by_id=jobs,
            laborer_by_id={laborer.pk: laborer},
            items=[(item["id"], laborer.pk, item) for item in items],
            source=RecSource.LABORER,
        )
        fresh = [rec for rec in stored if rec.state == RecState.RECOMMENDED]
        notified = fresh if notify_laborer_of_jobs(laborer=laborer, recommendations=fresh) else []
        _mark_notified(recs=notified)
        audit_record(
            actor=acting_user,
            action=AuditEntry.Action.UPDATE,
            instance=laborer,
            region_code=laborer.region_id,
            changes={"matching": ["", f"人找岗位：推荐{len(stored)}个岗位，新通知{len(notified)}个"]},
        )
    return stored
