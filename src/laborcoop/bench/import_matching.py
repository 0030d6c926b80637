"""The matching that follows an import (matching.tasks.match_laborers): the chunk's out-of-work laborers matched
one by one (mode 2 per laborer, as before) against all of them in one pass (recommendations_for_laborers).

Both run on the same laborers of the current database (a demo, say) inside a transaction that is rolled back,
so each starts from the same recommendations and neither leaves anything behind."""

import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from laborcoop.matching.services import recommendations_for_laborer, recommendations_for_laborers
from laborcoop.matching.services.run import DEFAULT_JOBS
from laborcoop.registry.access import laborers_for
from laborcoop.registry.choices import EmploymentStatus
from laborcoop.registry.models import Laborer


@dataclass(frozen=True)
class ImportMatchingResult:
    laborers: int
    one_by_one_s: float
    batched_s: float
    one_by_one_stored: int
    batched_stored: int

    @property
    def ratio(self) -> float:
        return self.one_by_one_s / self.batched_s if self.batched_s else 0.0


def _timed_rolled_back(run: Any) -> tuple[float, int]:
    with transaction.atomic():
        started = time.perf_counter()
        stored = run()
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, stored


def bench_import_matching(*, user: Any, size: int) -> ImportMatchingResult:
    """Time both ways on the first `size` out-of-work laborers the user may edit."""
    ids = list(
        laborers_for(user)
        .filter(employment_status=EmploymentStatus.UNEMPLOYED)
        .order_by("pk")
        .values_list("pk", flat=True)[:size]
    )
    laborers = list(Laborer.objects.filter(pk__in=ids).order_by("pk"))

    def one_by_one() -> int:
        return sum(len(recommendations_for_laborer(acting_user=user, laborer=laborer)) for laborer in laborers)

    def batched() -> int:
        # Like for like: the full list of DEFAULT_JOBS each (an import's own task stores IMPORT_JOBS).
        return recommendations_for_laborers(acting_user=user, laborer_ids=ids, limit=DEFAULT_JOBS)

    _timed_rolled_back(one_by_one)  # warms the process's job index and caches for both, leaves nothing
    single_s, single_n = _timed_rolled_back(one_by_one)
    batch_s, batch_n = _timed_rolled_back(batched)
    return ImportMatchingResult(len(ids), single_s, batch_s, single_n, batch_n)
