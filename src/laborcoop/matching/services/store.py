"""Storing ranked or allocated (job, laborer) pairs as Recommendation rows, keeping their states.

One row per pair (rec_job_laborer_unique). An existing row gets the new score and factors and keeps its state;
a new row starts as 推荐 with a 推荐 event. Rows are looked up by their exact pairs, in chunks: modes 1 and 2
pair one job with many laborers (or the reverse), a batch run pairs up to hundreds of thousands of laborers
with one job each, and a filter `job_id IN (...) AND laborer_id IN (...)` over such a batch would read (and
lock, and rewrite) every recommendation between any of its laborers and any of its jobs. Here only the wanted
pairs are kept, locked and written.
"""

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.utils import timezone

from laborcoop.employers.models import JobPosting
from laborcoop.matching.choices import RecState, RecVia
from laborcoop.matching.models import MatchingRun, Recommendation, RecommendationEvent
from laborcoop.registry.models import Laborer

PAIR_CHUNK = 500  # pairs per lookup query: at most 1,000 parameters
WRITE_BATCH = 1000

Pair = tuple[int, int]  # (job id, laborer id)


def stored_factors(engine_factors: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The engine's [{code, label, points, text}] as stored: [{key, label, points, explanation}]."""
    return [
        {"key": f["code"], "label": f["label"], "points": f["points"], "explanation": f["text"]} for f in engine_factors
    ]


def _chunks(pairs: list[Pair]) -> Iterator[list[Pair]]:
    # By laborer: a batch gives each laborer one job, so a chunk's laborers have few rows on the chunk's jobs
    # besides the wanted pairs. Sorted also so that two concurrent stores lock shared rows in the same order.
    ordered = sorted(pairs, key=lambda pair: (pair[1], pair[0]))
    for start in range(0, len(ordered), PAIR_CHUNK):
        yield ordered[start : start + PAIR_CHUNK]


def rows_for_pairs(pairs: list[Pair], *, lock: bool = False) -> dict[Pair, Recommendation]:
    """The existing rows of exactly `pairs`, read a chunk at a time: the rows of the chunk's laborers on the
    chunk's jobs (an index range per laborer), of which only the wanted pairs are kept (and, with `lock`,
    locked for the transaction; no other row is locked)."""
    found: dict[Pair, Recommendation] = {}
    for chunk in _chunks(pairs):
        wanted = set(chunk)
        jobs = {job_id for job_id, _ in chunk}
        candidates = Recommendation.objects.filter(
            laborer_id__in={laborer_id for _, laborer_id in chunk},
            **({"job_id": next(iter(jobs))} if len(jobs) == 1 else {"job_id__in": jobs}),
        ).order_by()
        if lock:
            ids = [
                pk
                for pk, job_id, laborer_id in candidates.values_list("id", "job_id", "laborer_id")
                if (job_id, laborer_id) in wanted
            ]
            rows = Recommendation.objects.filter(pk__in=ids).order_by("id").select_for_update() if ids else []
        else:
            rows = [r for r in candidates if (r.job_id, r.laborer_id) in wanted]
        found.update(((r.job_id, r.laborer_id), r) for r in rows)
    return found


def _field(name: str) -> models.Field[Any, Any]:
    field = Recommendation._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def _update_rows(recs: list[Recommendation], names: list[str]) -> None:
    """UPDATE the `names` columns of `recs`, one statement per row sent with one executemany per batch
    (bulk_update's CASE over a batch grows with the square of the batch: minutes for 100k rows)."""
    if not recs:
        return
    fields = [_field(name) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    sql = f"UPDATE {quote(Recommendation._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(recs), WRITE_BATCH):
            cursor.executemany(
                sql,
                [
                    [*(f.get_db_prep_save(getattr(rec, f.attname), connection) for f in fields), rec.pk]
                    for rec in recs[start : start + WRITE_BATCH]
                ],
            )


def recommendations_store(
    *,
    acting_user: Any,
    job_by_id: dict[int, JobPosting],
    laborer_by_id: dict[int, Laborer],
    items: list[tuple[int, int, dict[str, Any]]],
    source: str,
    run: MatchingRun | None = None,
) -> list[Recommendation]:
    """Upsert one row per (job id, laborer id, ranked item), keeping states; log the new rows; return the
    rows in the order of `items` (with `job` and `laborer` set from the given maps).

    `run`: the batch run proposing the pairs; it is recorded on new rows and on existing ones alike (the run's
    page then shows what became of everything it proposed). Modes 1 and 2 leave `run` as it is.

    Call inside transaction.atomic: the existing rows of the pairs (and only those) are locked; a row created
    concurrently is kept (ignore_conflicts)."""
    if not items:
        return []
    now = timezone.now()
    pairs = [(job_id, laborer_id) for job_id, laborer_id, _ in items]
    existing = rows_for_pairs(pairs, lock=True)
    fresh: list[Recommendation] = []
    for job_id, laborer_id, item in items:
        score, factors = Decimal(str(item["score"])), stored_factors(item["factors"])
        rec = existing.get((job_id, laborer_id))
        if rec is None:
            fresh.append(
                Recommendation(
                    job_id=job_id,
                    laborer_id=laborer_id,
                    region_id=laborer_by_id[laborer_id].region_id,
                    score=score,
                    factors=factors,
                    source=source,
                    run=run,
                )
            )
        else:
            rec.score, rec.factors, rec.updated_at = score, factors, now
            if run is not None:
                rec.run = run
    fields = ["score", "factors", "updated_at", *(["run"] if run is not None else [])]
    _update_rows(list(existing.values()), fields)
    Recommendation.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=WRITE_BATCH)
    fresh_pairs = [(r.job_id, r.laborer_id) for r in fresh]
    rows = existing | rows_for_pairs(fresh_pairs)
    RecommendationEvent.objects.bulk_create(
        (
            RecommendationEvent(
                recommendation=rows[key], actor=acting_user, via=RecVia.SYSTEM, to_state=RecState.RECOMMENDED
            )
            for key in fresh_pairs
            if key in rows
        ),
        batch_size=WRITE_BATCH,
    )
    stored = []
    for job_id, laborer_id in pairs:
        rec = rows[(job_id, laborer_id)]
        rec.job, rec.laborer = job_by_id[job_id], laborer_by_id[laborer_id]
        stored.append(rec)
    return stored
