"""The warm MatchIndex of modes 1 and 2: one per process (and database), kept fresh from the database.

Design: one index holds every laborer and every open, valid job of the platform (one taxonomy, one set of
column stores); the factor weights, which differ per province, live in a ScoreContext per distinct Weights
that shares the index's taxonomy, so each query is ranked with its province's weights without copying the
arrays. Mode 1 restricts the laborers to the acting user's pool with a region-code range.

Freshness across processes (web workers and the task worker each hold their own index). On every use, under
the lock:
- the rows changed since the last look are read again: laborers by `updated_at`, jobs by their own or their
  employer's `updated_at` or by new recommendations (the congestion count); jobs no longer open are dropped.
  A row is stamped before its transaction commits, so a row committed just after our last look may carry an
  earlier stamp: every `OVERLAP / 4` seconds a sweep reads from `OVERLAP` before the previous sweep, which
  catches every commit that came less than `OVERLAP` after its stamp (re-reading a row is harmless; the uses
  in between read only what is newer than the last look, so an import does not make every call re-read it);
- laborers deleted by a duplicate merge are dropped (their recommendations went with them, so the congestion
  counts are recounted);
- the job or laborer being matched is always read fresh;
- the winners are checked against the database, and a row that no longer exists (a deletion we could not
  see, or rows of a rolled-back transaction) is dropped and the query ranked again;
- the index is rebuilt when the date changes (ages, job validity) and every `REBUILD` seconds as a safety
  net for writes that bypass `updated_at`.
Services write through the ORM with `updated_at` set (bulk updates set it explicitly), so nothing needs to
tell the index about a change. Without an index on `updated_at` of laborers and jobs the change queries scan
those tables; see docs/benchmarks.md.

Tests: the database is rolled back between tests while this memory persists; `warm_index_reset` (called by a
fixture) starts from nothing, and the winner check keeps any other leftover rows out of results.
"""

import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from laborcoop.cooperation.selectors import agreement_pairs_in_force
from laborcoop.employers.models import JobPosting
from laborcoop.matching.engine.arrays import LaborerArrays
from laborcoop.matching.engine.factors import ScoreContext, Weights
from laborcoop.matching.engine.index import MatchIndex
from laborcoop.matching.engine.rank import RegionRange
from laborcoop.matching.engine.taxonomy import Taxonomy
from laborcoop.matching.selectors import (
    iter_laborer_rows,
    job_ids_changed,
    job_is_open,
    job_rows,
    laborer_ids_merged_away,
    laborer_rows,
    laborer_rows_changed,
    open_jobs,
    sent_counts,
)
from laborcoop.registry.models import Laborer

REBUILD_SECONDS = 3600.0
OVERLAP_SECONDS = 120.0
BUILD_CHUNK = 50_000  # laborer rows encoded at a time while building (bounds the memory of the build)
ID_CHUNK = 5000
MAX_CONTEXTS = 64


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def warm_index_enabled() -> bool:
    """`MATCHING_WARM_INDEX = False` makes modes 1 and 2 build an index per request (as before)."""
    return bool(getattr(settings, "MATCHING_WARM_INDEX", True))


@dataclass
class _Warm:
    index: MatchIndex
    today: date
    mark: datetime  # application time of the last look at the database
    swept: datetime  # application time of the last sweep (a look reaching OVERLAP further back)
    built: float  # time.monotonic() of the build
    # one context per (weights, agreements in force): a new or ended agreement takes effect on the next query
    contexts: dict[tuple[Weights, tuple[tuple[tuple[str, str], str], ...]], ScoreContext] = field(default_factory=dict)
    recent: dict[int, datetime] = field(default_factory=dict)  # laborer id -> updated_at applied in the window

    def use_weights(self, weights: Weights, agreements: Mapping[tuple[str, str], str] | None = None) -> None:
        pairs = dict(agreements or {})
        key = (weights, tuple(sorted(pairs.items())))
        ctx = self.contexts.get(key)
        if ctx is None:
            if len(self.contexts) >= MAX_CONTEXTS:
                self.contexts.clear()
            ctx = self.contexts[key] = ScoreContext(
                weights=weights, taxonomy=self.index.taxonomy, agreements=frozenset(pairs), agreement_labels=pairs
            )
        self.index.ctx = ctx


_lock = threading.Lock()
_warm: dict[str, _Warm] = {}
_builds = 0  # full builds since the last reset (for tests and the benchmark)


def _db_key() -> str:
    return f"{DEFAULT_DB_ALIAS}:{connections[DEFAULT_DB_ALIAS].settings_dict['NAME']}"


def warm_index_reset() -> None:
    """Forget every warm index of this process (the next use builds a new one) and the count of builds."""
    global _builds
    with _lock:
        _warm.clear()
        _builds = 0


def warm_index_stats() -> dict[str, Any]:
    """The warm index of the current database: its row counts and date, and the builds since the last reset."""
    with _lock:
        warm = _warm.get(_db_key())
        return {
            "builds": _builds,
            "laborers": len(warm.index.laborers) if warm else 0,
            "jobs": len(warm.index.jobs) if warm else 0,
            "today": warm.today if warm else None,
        }


def _laborer_arrays(taxonomy: Taxonomy) -> LaborerArrays:
    """Every laborer, encoded a chunk at a time (the rows of a province never sit in memory all at once)."""
    parts: list[LaborerArrays] = []
    chunk: list[dict[str, Any]] = []
    for row in iter_laborer_rows(Laborer.objects.all()):
        chunk.append(row)
        if len(chunk) == BUILD_CHUNK:
            parts.append(LaborerArrays.from_rows(chunk, taxonomy))
            chunk = []
    if chunk or not parts:
        parts.append(LaborerArrays.from_rows(chunk, taxonomy))
    if len(parts) == 1:
        return parts[0]
    return LaborerArrays({name: np.concatenate([p.col(name) for p in parts]) for name in LaborerArrays.SCHEMA})


def _build(today: date) -> _Warm:
    global _builds
    _builds += 1
    mark = timezone.now()  # before reading: what changes during the build is read again on the next use
    taxonomy = Taxonomy()
    index = MatchIndex.build(laborer_rows=[], job_rows=job_rows(open_jobs(today=today)), today=today, taxonomy=taxonomy)
    index.laborers = _laborer_arrays(taxonomy)
    return _Warm(index=index, today=today, mark=mark, swept=mark, built=time.monotonic())


def _chunked(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), ID_CHUNK):
        yield ids[start : start + ID_CHUNK]


def _refresh(warm: _Warm) -> None:
    now = timezone.now()
    overlap = timedelta(seconds=_setting("MATCHING_WARM_OVERLAP_SECONDS", OVERLAP_SECONDS))
    if now - warm.swept >= overlap / 4:
        since, warm.swept = warm.swept - overlap, now
    else:
        since = warm.mark
    index = warm.index
    removed = laborer_ids_merged_away(since=since)
    for laborer_id in removed:
        index.remove_laborer(laborer_id)
        warm.recent.pop(laborer_id, None)
    for row in laborer_rows_changed(since=since):
        stamp = row.pop("updated_at")
        if warm.recent.get(row["id"]) != stamp:
            index.upsert_laborer(row)
            warm.recent[row["id"]] = stamp
    changed_jobs = sorted(job_ids_changed(since=since))
    for ids in _chunked(changed_jobs):
        found = set()
        for row in job_rows(JobPosting.objects.filter(pk__in=ids)):
            found.add(row["id"])
            _apply_job(warm, row)
        for job_id in set(ids) - found:
            index.remove_job(job_id)
    if removed:
        _recount_sent(warm)
    cutoff = now - overlap
    warm.recent = {k: v for k, v in warm.recent.items() if v >= cutoff}
    warm.mark = now


def _apply_job(warm: _Warm, row: dict[str, Any]) -> None:
    if job_is_open(row, today=warm.today):
        warm.index.upsert_job(row)
    else:
        warm.index.remove_job(row["id"])


def _recount_sent(warm: _Warm) -> None:
    counts = sent_counts(today=warm.today)
    jobs = warm.index.jobs
    jobs.col("sent")[:] = [counts.get(job_id, 0) for job_id in jobs.col("id").tolist()]


def _current(today: date) -> _Warm:
    """The fresh warm index for `today` (call with the lock held)."""
    key = _db_key()
    warm = _warm.get(key)
    stale = warm is None or warm.today != today
    if warm is not None and time.monotonic() - warm.built > _setting("MATCHING_WARM_REBUILD_SECONDS", REBUILD_SECONDS):
        stale = True
    if stale:
        warm = _warm[key] = _build(today)
    else:
        assert warm is not None
        _refresh(warm)
    return warm


def warm_candidates_for_job(
    *, job_id: int, pool: RegionRange | None, k: int, today: date, weights: Weights
) -> tuple[list[dict[str, Any]], dict[int, Laborer]]:
    """Mode 1 on the warm index: the ranked items ({id, score, factors}) of the best `k` laborers of `pool`
    (a region-code range; None: every laborer) for the job, and those laborers."""
    with _lock:
        warm = _current(today)
        index = warm.index
        rows = job_rows(JobPosting.objects.filter(pk=job_id))
        for row in rows:
            index.upsert_job(row)  # even when paused: mode 1 ranks any job its poster may edit
        warm.use_weights(weights, agreement_pairs_in_force(today=today))
        try:
            while True:
                items = index.candidates_for_job(job_id, k=k, pool=pool).items()
                laborers = Laborer.objects.in_bulk([item["id"] for item in items])
                gone = [item["id"] for item in items if item["id"] not in laborers]
                if not gone:
                    return items, laborers
                for laborer_id in gone:
                    index.remove_laborer(laborer_id)
                    warm.recent.pop(laborer_id, None)
        finally:
            for row in rows:
                _apply_job(warm, row)  # only open jobs stay


def warm_jobs_for_laborer(
    *, laborer_id: int, k: int, today: date, weights: Weights
) -> tuple[list[dict[str, Any]], dict[int, JobPosting]]:
    """Mode 2 on the warm index: the ranked items of the best `k` open jobs for the laborer, and those jobs
    (with their enterprise)."""
    with _lock:
        warm = _current(today)
        index = warm.index
        for row in laborer_rows(Laborer.objects.filter(pk=laborer_id)):
            index.upsert_laborer(row)
        warm.use_weights(weights, agreement_pairs_in_force(today=today))
        while True:
            items = index.jobs_for_laborer(laborer_id, k=k).items()
            jobs = JobPosting.objects.select_related("enterprise").in_bulk([item["id"] for item in items])
            gone = [item["id"] for item in items if item["id"] not in jobs]
            if not gone:
                return items, jobs
            for job_id in gone:
                index.remove_job(job_id)
