"""Service-level latency of mode 1 on a real database: the warm index against an index built per request.

Calls `recommendations_for_job` (access check, ranking, storing, notifying, audit), and its ranking step
alone, for `--queries` open jobs as
a temporary administrator of the province with the most laborers (their pool is the province; the jobs are the
open jobs of enterprises in that province), first with the
warm index, then with `MATCHING_WARM_INDEX = False`. Every call runs in a savepoint that is rolled back and the
whole run in a transaction that is rolled back, so both variants see the same data and the database is left as
it was. Needs seeded data (`manage.py demo_setup` or `manage.py seed`).
"""

import os
import time
import uuid
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

import numpy as np
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import Substr
from django.test.utils import override_settings
from django.utils import timezone

from laborcoop.accounts.models import User
from laborcoop.accounts.roles import Role
from laborcoop.employers.models import JobPosting
from laborcoop.matching.selectors import open_jobs
from laborcoop.matching.services import recommendations_for_job
from laborcoop.matching.services.run import rank_job_candidates
from laborcoop.matching.services.warm import warm_index_reset, warm_index_stats
from laborcoop.registry.models import Laborer

NO_DATA = "数据库中没有人员或开放岗位，请先运行 manage.py demo_setup 或 manage.py seed。"


def _ms(samples: list[float]) -> dict[str, float]:
    arr = np.array(samples) * 1000
    return {"p50_ms": round(float(np.percentile(arr, 50)), 1), "p95_ms": round(float(np.percentile(arr, 95)), 1)}


def _timed(call: Callable[[], Any]) -> float:
    sid = transaction.savepoint()
    started = time.perf_counter()
    call()
    elapsed = time.perf_counter() - started
    transaction.savepoint_rollback(sid)
    return elapsed


def _service(user: Any, job: JobPosting, limit: int) -> None:
    recommendations_for_job(acting_user=user, job=job, limit=limit)


def _ranking(user: Any, job: JobPosting, limit: int, today: date) -> None:
    rank_job_candidates(acting_user=user, job=job, k=limit, today=today)


def run(*, queries: int, limit: int) -> dict[str, Any]:
    today = timezone.localdate()
    jobs = list(open_jobs(today=today).select_related("enterprise").order_by("id"))
    by_province = (
        Laborer.objects.annotate(p=Substr("region_id", 1, 2)).values("p").annotate(n=Count("id")).order_by("-n").first()
    )
    if not jobs or by_province is None:
        raise CommandError(NO_DATA)
    province = by_province["p"].ljust(12, "0")
    jobs = [job for job in jobs if job.region_id[:2] == by_province["p"]]  # the admin may edit these
    if not jobs:
        raise CommandError(NO_DATA)
    step = max(1, len(jobs) // queries)
    sample = jobs[::step][:queries]
    result: dict[str, Any] = {
        "database": connection.vendor,
        "laborers": Laborer.objects.count(),
        "pool": by_province["n"],
        "province": province,
        "open_jobs": len(jobs),
        "queries": len(sample),
        "limit": limit,
    }
    with transaction.atomic():
        admin = User.objects.create(
            username=f"bench_{uuid.uuid4().hex[:12]}", roles=[Role.ADMIN], home_region_id=province
        )
        warm_index_reset()
        first = _timed(partial(_service, admin, sample[0], limit))
        timings: dict[str, list[float]] = {}
        for variant, enabled in (("warm", True), ("per_request", False)):
            with override_settings(MATCHING_WARM_INDEX=enabled):
                timings[variant] = [_timed(partial(_service, admin, job, limit)) for job in sample]
                timings[f"{variant}_ranking"] = [_timed(partial(_ranking, admin, job, limit, today)) for job in sample]
        stats = warm_index_stats()
        transaction.set_rollback(True)
    warm_index_reset()
    result.update(
        warm_first_call_ms=round(first * 1000, 1),
        **{name: _ms(samples) for name, samples in timings.items()},
        warm_builds=stats["builds"],
        load_average=[round(x, 2) for x in os.getloadavg()],
    )
    for part in ("", "_ranking"):
        ratio = result[f"per_request{part}"]["p95_ms"] / max(result[f"warm{part}"]["p95_ms"], 1e-9)
        result[f"ratio{part}_p95"] = round(ratio, 1)
    return result


def format_report(result: dict[str, Any]) -> str:
    return (
        f"{result['database']}: {result['laborers']} laborers ({result['pool']} in province "
        f"{result['province']}), {result['open_jobs']} open jobs, {result['queries']} jobs, top {result['limit']}\n"
        f"  first call (builds the warm index) {result['warm_first_call_ms']} ms\n"
        + "\n".join(
            f"  {label:<22} warm p50 {result['warm' + part]['p50_ms']} ms p95 {result['warm' + part]['p95_ms']} ms"
            f" | per request p50 {result['per_request' + part]['p50_ms']} ms"
            f" p95 {result['per_request' + part]['p95_ms']} ms | ratio p95 {result['ratio' + part + '_p95']}x"
            for label, part in (("service (store+notify)", ""), ("ranking step", "_ranking"))
        )
        + f"\n  warm builds {result['warm_builds']}, load average {result['load_average']}"
    )
