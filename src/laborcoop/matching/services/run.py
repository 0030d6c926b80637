"""Modes 1 and 2 on demand: rank with the engine, store the results as Recommendation rows, tell the laborers.

Pools (who may be proposed for a job):
- staff (officer, admin): the laborers of their own subtree, so a county officer never proposes anyone from
  another county;
- an enterprise user (posting its own job): every laborer on the platform. The platform's laborers are the
  output side that the enterprise recruits from (often from another province: 劳务协作), the engine's
  work-region willingness filter only lets through people willing to go where the job is, and the enterprise
  sees them masked until they state interest.
Mode 2 offers a laborer every open, valid job on the platform (the willingness filter decides which fit).

Ranking uses the process's warm index (services/warm.py); `MATCHING_WARM_INDEX = False` builds one per request
instead, with the same results. Re-running is idempotent: an existing (job, laborer) row gets the new score and
factors and keeps its state; a laborer is told about a recommendation once (the row moves to 已通知, and the
outbox deduplicates). What a run sends is rationed (services/notify.py: the province's limits per laborer and
week and per opening); the other new rows stay 推荐 for staff to decide.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from laborcoop.accounts.access import is_enterprise_user, region_prefix, require_cap
from laborcoop.accounts.capabilities import Cap
from laborcoop.cooperation.selectors import agreement_pairs_in_force
from laborcoop.core.audit import audit_record
from laborcoop.core.models import AuditEntry
from laborcoop.employers.access import access_job
from laborcoop.employers.models import JobPosting
from laborcoop.matching.choices import RecSource, RecState, RecVia
from laborcoop.matching.engine.index import MatchIndex
from laborcoop.matching.engine.rank import RegionRange
from laborcoop.matching.models import Recommendation, RecommendationEvent
from laborcoop.matching.selectors import job_rows, laborer_prefilter, laborer_rows, open_jobs
from laborcoop.matching.services.notify import laborer_send_room, send_job_to_candidates, send_jobs_to_laborer
from laborcoop.matching.services.store import recommendations_store
from laborcoop.matching.services.warm import warm_candidates_for_job, warm_index_enabled, warm_jobs_for_laborer
from laborcoop.matching.services.weights import matching_weights_for
from laborcoop.regions.scope import code_range
from laborcoop.registry.access import access_laborer, laborers_for
from laborcoop.registry.models import Laborer

DEFAULT_CANDIDATES = 50
DEFAULT_JOBS = 20
# An import brings in thousands of people at once: each gets its best few jobs (3 of them may be sent in a week),
# not a full list of 20; staff ask for the full list with 推荐岗位 on the person's page.
IMPORT_JOBS = 5
MAX_LIMIT = 200
NOBODY: RegionRange = (1, 0)  # an empty code range


def _pool_range(acting_user: Any) -> RegionRange | None:
    """The acting user's mode-1 pool on the warm index, the same laborers as `_candidate_pool`: None for
    every laborer (enterprise users, the platform operator), the code range of a staff user's subtree (an
    empty range without a region). Staff need REGISTRY_VIEW, as `laborers_for` requires."""
    if is_enterprise_user(acting_user):
        return None
    require_cap(acting_user, Cap.REGISTRY_VIEW)
    prefix = region_prefix(acting_user)
    if prefix is None:
        return NOBODY
    if not prefix:
        return None
    low, high = code_range(prefix)
    return int(low), int(high)


def _candidate_pool(acting_user: Any) -> Any:
    if is_enterprise_user(acting_user):
        return Laborer.objects.all()
    return laborers_for(acting_user)


def rank_job_candidates(
    *, acting_user: Any, job: JobPosting, k: int, today: date
) -> tuple[list[dict[str, Any]], dict[int, Laborer]]:
    """The ranking step of mode 1 (no access check, nothing stored): the ranked items of the best `k` of the
    acting user's pool for `job`, and those laborers."""
    weights = matching_weights_for(region_code=job.region_id)
    if warm_index_enabled():
        pool = _pool_range(acting_user)
        return warm_candidates_for_job(job_id=job.pk, pool=pool, k=k, today=today, weights=weights)
    index = MatchIndex.build(
        laborer_rows=laborer_rows(laborer_prefilter(_candidate_pool(acting_user), job=job, today=today)),
        job_rows=job_rows(JobPosting.objects.filter(pk=job.pk)),
        today=today,
        agreements=agreement_pairs_in_force(today=today),
        weights=weights,
    )
    items = index.candidates_for_job(job.pk, k=k).items()
    return items, Laborer.objects.in_bulk([item["id"] for item in items])


def _rank_laborer(*, laborer: Laborer, k: int, today: date) -> tuple[list[dict[str, Any]], dict[int, JobPosting]]:
    weights = matching_weights_for(region_code=laborer.region_id)
    if warm_index_enabled():
        return warm_jobs_for_laborer(laborer_id=laborer.pk, k=k, today=today, weights=weights)
    index = MatchIndex.build(
        laborer_rows=laborer_rows(Laborer.objects.filter(pk=laborer.pk)),
        job_rows=job_rows(open_jobs(today=today)),
        today=today,
        agreements=agreement_pairs_in_force(today=today),
        weights=weights,
    )
    items = index.jobs_for_laborer(laborer.pk, k=k).items()
    return items, JobPosting.objects.select_related("enterprise").in_bulk([item["id"] for item in items])


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
    """Mode 1: rank the acting user's pool for `job`, store the best `limit`, notify the best new ones up to
    the job's limit (openings x the province's number; unless `notify` is off: the rows then stay 推荐).

    Needs JOBS_EDIT on the job (the same rule as editing it); staff also need the registry (their pool)."""
    job = access_job(user=acting_user, job_id=job.pk, cap=Cap.JOBS_EDIT)
    today = today or timezone.localdate()
    items, laborers = rank_job_candidates(
        acting_user=acting_user, job=job, k=_limit(limit, DEFAULT_CANDIDATES), today=today
    )
    with transaction.atomic():
        stored = recommendations_store(
            acting_user=acting_user,
            job_by_id={job.pk: job},
            laborer_by_id=laborers,
            items=[(job.pk, item["id"], item) for item in items],
            source=RecSource.JOB,
        )
        fresh = [rec for rec in stored if rec.state == RecState.RECOMMENDED]
        notified = send_job_to_candidates(job=job, fresh=fresh) if notify else []
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
    """Mode 2: rank the open jobs for `laborer`, store the best `limit`, send one message naming the best new
    ones that the laborer's weekly limit allows.

    Needs REGISTRY_EDIT on the laborer."""
    laborer = access_laborer(user=acting_user, laborer_id=laborer.pk, cap=Cap.REGISTRY_EDIT)
    today = today or timezone.localdate()
    items, jobs = _rank_laborer(laborer=laborer, k=_limit(limit, DEFAULT_JOBS), today=today)
    with transaction.atomic():
        stored = recommendations_store(
            acting_user=acting_user,
            job_by_id=jobs,
            laborer_by_id={laborer.pk: laborer},
            items=[(item["id"], laborer.pk, item) for item in items],
            source=RecSource.LABORER,
        )
        fresh = [rec for rec in stored if rec.state == RecState.RECOMMENDED]
        notified = send_jobs_to_laborer(laborer=laborer, fresh=fresh)
        _mark_notified(recs=notified)
        audit_record(
            actor=acting_user,
            action=AuditEntry.Action.UPDATE,
            instance=laborer,
            region_code=laborer.region_id,
            changes={"matching": ["", f"人找岗位：推荐{len(stored)}个岗位，新通知{len(notified)}个"]},
        )
    return stored


def recommendations_for_laborers(
    *, acting_user: Any, laborer_ids: list[int], limit: int = IMPORT_JOBS, today: date | None = None
) -> int:
    """Mode 2 for many laborers at once (those an import brought in): the same ranking, storing and rationed
    sending as recommendations_for_laborer, but with one index over the open jobs per province's weights, one
    write of all rows and one transaction, instead of a round per laborer. Laborers the acting user may not
    edit are skipped. Returns the number of stored recommendations."""
    today = today or timezone.localdate()
    k = _limit(limit, DEFAULT_JOBS)
    laborers = list(
        laborers_for(acting_user, Cap.REGISTRY_EDIT).filter(pk__in=laborer_ids).select_related("region").order_by("pk")
    )
    if not laborers:
        return 0
    jobs = job_rows(open_jobs(today=today))
    by_province: dict[str, list[Laborer]] = {}
    for laborer in laborers:
        by_province.setdefault(laborer.region_id[:2], []).append(laborer)
    ranked: dict[int, list[dict[str, Any]]] = {}
    for province, members in by_province.items():
        index = MatchIndex.build(
            laborer_rows=laborer_rows(Laborer.objects.filter(pk__in=[m.pk for m in members])),
            job_rows=jobs,
            today=today,
            agreements=agreement_pairs_in_force(today=today),
            weights=matching_weights_for(region_code=province.ljust(12, "0")),
        )
        for laborer in members:
            ranked[laborer.pk] = list(index.jobs_for_laborer(laborer.pk, k=k).items())
    job_by_id = JobPosting.objects.select_related("enterprise").in_bulk(
        {item["id"] for items in ranked.values() for item in items}
    )
    laborer_by_id = {laborer.pk: laborer for laborer in laborers}
    with transaction.atomic():
        stored = recommendations_store(
            acting_user=acting_user,
            job_by_id=job_by_id,
            laborer_by_id=laborer_by_id,
            items=[(item["id"], pk, item) for pk, items in ranked.items() for item in items],
            source=RecSource.LABORER,
        )
        fresh: dict[int, list[Recommendation]] = {}
        for rec in stored:
            if rec.state == RecState.RECOMMENDED:
                fresh.setdefault(rec.laborer_id, []).append(rec)
        notified: list[Recommendation] = []
        rooms = laborer_send_room([laborer_by_id[pk] for pk in fresh])
        for pk, recs in fresh.items():
            notified += send_jobs_to_laborer(laborer=laborer_by_id[pk], fresh=recs, room=rooms[pk])
        _mark_notified(recs=notified)
        told = {rec.laborer_id for rec in notified}
        sms = {True: "已发短信", False: "未发短信"}
        for laborer in laborers:
            count = len(ranked.get(laborer.pk, []))
            audit_record(
                actor=acting_user,
                action=AuditEntry.Action.UPDATE,
                instance=laborer,
                region_code=laborer.region_id,
                changes={"matching": ["", f"导入后人找岗位：推荐{count}个岗位，{sms[laborer.pk in told]}"]},
            )
    return len(stored)
