"""Mode 3 as a background run: a batch allocation over the acting user's subtree that respects openings.

The pool is the laborers of the user's home-region subtree (the same registry scope as the pages) against
every open, valid job (the jobs of mode 2); the engine's min-cost flow sends each laborer to at most one job
and no job more laborers than its openings. Each assignment is stored as a 推荐 row (source 批量分配); an
existing (job, laborer) row keeps its state. Every row the run proposes, new or existing, records the run
(`Recommendation.run`): the run's page counts what became of its own proposals. Nobody is notified: staff
review the batch first.
"""

import logging
from decimal import Decimal
from functools import partial
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from laborcoop.accounts.access import (
    get_scoped,
    is_enterprise_user,
    require_cap,
    require_region_in_scope,
    scoped_queryset,
)
from laborcoop.accounts.capabilities import Cap
from laborcoop.cooperation.selectors import agreement_pairs_in_force
from laborcoop.core.audit import audit_record
from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.core.jobs import row_job_retry
from laborcoop.core.models import AuditEntry
from laborcoop.employers.models import JobPosting
from laborcoop.matching.choices import RecSource
from laborcoop.matching.engine.index import MatchIndex
from laborcoop.matching.jobs import BATCH_RUN_JOB
from laborcoop.matching.models import MatchingRun
from laborcoop.matching.selectors import job_rows, laborer_rows, open_jobs
from laborcoop.matching.services.store import recommendations_store
from laborcoop.matching.services.weights import matching_weights_for
from laborcoop.regions.models import Region, prefix_of_code
from laborcoop.regions.scope import in_subtree_q
from laborcoop.registry.access import laborers_for
from laborcoop.registry.models import Laborer

logger = logging.getLogger(__name__)

ERR_NO_REGION = "您的账号未设置所属地区，无法发起批量匹配。"
ERR_RUN_FAILED = "批量匹配运行失败，系统已记录原因。请稍后点击“重试”，如仍失败请联系管理员。"
ALLOCATE_K = 6
TIME_LIMIT_SECONDS = 300.0
PROGRESS_STEP = 5  # save the progress every this many percent
# Progress shares: building the index, allocating, storing.
PROGRESS_BUILT = 10
PROGRESS_ALLOCATED = 90


def matching_runs_for(user: Any) -> Any:
    """The runs whose region lies in the user's subtree (registry viewers and up; enterprise users: 403)."""
    if is_enterprise_user(user):
        raise PermissionDeniedError()
    return scoped_queryset(user, MatchingRun.objects.select_related("region", "created_by"), Cap.REGISTRY_VIEW)


def access_matching_run(*, user: Any, run_id: Any) -> MatchingRun:
    if is_enterprise_user(user):
        raise PermissionDeniedError()
    return get_scoped(user, MatchingRun.objects.select_related("region", "created_by"), Cap.REGISTRY_VIEW, run_id)


def can_start_matching_run(user: Any) -> bool:
    try:
        require_start_matching_run(user)
    except PermissionDeniedError:
        return False
    return True


def require_start_matching_run(user: Any) -> None:
    """Registry editors with a home region, never enterprise users (403 otherwise)."""
    require_cap(user, Cap.REGISTRY_EDIT)
    if is_enterprise_user(user):
        raise PermissionDeniedError()
    if user.home_region_id is None:
        raise PermissionDeniedError(ERR_NO_REGION)


def matching_run_create(
    *,
    acting_user: Any,
    region_code: str | None = None,
    include_employed: bool = False,
    include_unreachable: bool = False,
) -> MatchingRun:
    """Queue a batch run over a region of the acting user's subtree (default: the home region) after commit.
    A region outside the subtree is "not found", like any out-of-scope object."""
    require_start_matching_run(acting_user)
    region_code = region_code or acting_user.home_region_id
    if not Region.objects.filter(code=region_code).exists():
        raise ObjectNotFound
    require_region_in_scope(acting_user, region_code)
    with transaction.atomic():
        run = MatchingRun.objects.create(
            region_id=region_code,
            created_by=acting_user,
            include_employed=include_employed,
            include_unreachable=include_unreachable,
        )
        audit_record(
            actor=acting_user,
            action=AuditEntry.Action.CREATE,
            instance=run,
            region_code=run.region_id,
            changes={"matching": ["", "发起批量匹配"]},
        )
        transaction.on_commit(partial(BATCH_RUN_JOB.enqueue, run.pk), robust=True)
    return run


def _save_progress(run: MatchingRun, percent: int) -> None:
    percent = max(0, min(100, percent))
    if percent >= run.progress + PROGRESS_STEP or percent == 100:
        run.progress = percent
        MatchingRun.objects.filter(pk=run.pk).update(progress=percent, updated_at=timezone.now())


def matching_run_execute(*, run_id: int) -> MatchingRun:
    """Do the run (idempotent: a finished or running run is returned as is)."""
    with transaction.atomic():
        run = MatchingRun.objects.select_for_update().get(pk=run_id)
        if run.status != MatchingRun.Status.QUEUED:
            return run
        run.status, run.started_at, run.progress = MatchingRun.Status.RUNNING, timezone.now(), 0
        run.save(update_fields=["status", "started_at", "progress", "updated_at"])
    try:
        _execute(run)
    except PermissionDeniedError as exc:  # the starter lost the right to run: say so
        _fail(run, exc.message, "")
    except Exception as exc:  # a fault: a plain Chinese message for the user, the cause for admins and the log
        logger.exception("matching run %s failed", run.pk)
        _fail(run, ERR_RUN_FAILED, f"{type(exc).__name__}: {exc}")
    return run


def _fail(run: MatchingRun, message: str, detail: str) -> None:
    run.status, run.error, run.error_detail, run.finished_at = (
        MatchingRun.Status.FAILED,
        message,
        detail[:2000],
        timezone.now(),
    )
    run.save(update_fields=["status", "error", "error_detail", "finished_at", "updated_at"])


def _execute(run: MatchingRun) -> None:
    user = run.created_by
    if user is None or not user.is_active:
        raise PermissionDeniedError("发起人账号已停用。")
    require_start_matching_run(user)
    today = timezone.localdate()
    pool = laborers_for(user, Cap.REGISTRY_EDIT).filter(in_subtree_q(prefix_of_code(run.region_id)))
    index = MatchIndex.build(
        laborer_rows=laborer_rows(pool),
        job_rows=job_rows(open_jobs(today=today)),
        today=today,
        agreements=agreement_pairs_in_force(today=today),
        weights=matching_weights_for(region_code=run.region_id),
    )
    _save_progress(run, PROGRESS_BUILT)

    def progress(done: int, total: int) -> None:
        _save_progress(run, PROGRESS_BUILT + (PROGRESS_ALLOCATED - PROGRESS_BUILT) * done // max(total, 1))

    options = index.options(include_employed=run.include_employed, include_unreachable=run.include_unreachable)
    alloc = index.allocate(k=ALLOCATE_K, options=options, progress=progress, time_limit=TIME_LIMIT_SECONDS)
    _save_progress(run, PROGRESS_ALLOCATED)
    lab_ids = index.laborers.col("id")[alloc.lab].tolist()
    job_ids = index.jobs.col("id")[alloc.job].tolist()
    items = _explained(index, lab_ids, job_ids, alloc.score.tolist())
    laborers = Laborer.objects.in_bulk(set(lab_ids))
    jobs = JobPosting.objects.in_bulk(set(job_ids))
    with transaction.atomic():
        recommendations_store(
            acting_user=user, job_by_id=jobs, laborer_by_id=laborers, items=items, source=RecSource.BATCH, run=run
        )
        run.laborers_considered = len(index.laborers)
        run.jobs_considered = len(index.jobs)
        run.openings = alloc.openings
        run.assigned = alloc.filled
        run.filled_percent = Decimal(str(round(alloc.fill_rate * 100, 1)))
        run.status, run.progress, run.finished_at = MatchingRun.Status.SUCCEEDED, 100, timezone.now()
        run.save()
        audit_record(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            instance=run,
            region_code=run.region_id,
            changes={"matching": ["", f"批量匹配：分配{run.assigned}人，空缺{run.openings}个"]},
        )


def _explained(
    index: MatchIndex, lab_ids: list[int], job_ids: list[int], scores: list[int]
) -> list[tuple[int, int, dict[str, Any]]]:
    """(job id, laborer id, item) per assignment, with the engine's explanation when its ranking has the pair
    (one ranking per job over its assigned laborers); otherwise the allocation's score alone."""
    by_job: dict[int, list[int]] = {}
    for lab_id, job_id in zip(lab_ids, job_ids, strict=True):
        by_job.setdefault(job_id, []).append(lab_id)
    explained: dict[tuple[int, int], dict[str, Any]] = {}
    for job_id, labs in by_job.items():
        pool = np.zeros(len(index.laborers), dtype=bool)  # the engine takes a mask over the laborer rows
        pool[np.array([index.laborers.position(lab_id) for lab_id in labs], dtype=np.int64)] = True
        for item in index.candidates_for_job(job_id, k=len(labs), pool=pool).items():
            explained[(job_id, item["id"])] = item
    return [
        (job_id, lab_id, explained.get((job_id, lab_id)) or {"score": score / 100, "factors": []})
        for lab_id, job_id, score in zip(lab_ids, job_ids, scores, strict=True)
    ]


def matching_run_retry(*, acting_user: Any, run_id: Any) -> MatchingRun:
    """Run a failed batch again (who may start runs and sees this one)."""
    run = access_matching_run(user=acting_user, run_id=run_id)
    require_start_matching_run(acting_user)
    retried: MatchingRun = row_job_retry(BATCH_RUN_JOB, acting_user=acting_user, row=run, region_code=run.region_id)
    return retried
