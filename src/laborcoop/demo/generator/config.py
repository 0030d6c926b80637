"""What a seed run is asked for (SeedConfig) and what it reports (SeedReport), with the default sizes."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

DEFAULT_SEED = 2026
DEFAULT_BATCH = 5000
LABORERS_PER_ENTERPRISE = 400
MIN_ENTERPRISES = 50
# PostgreSQL loads of at least this many laborers (and at least as many as the table holds) run in one
# transaction with the secondary indexes and foreign keys of the two tables dropped and rebuilt at the end.
FAST_LOAD_MIN = 100_000


@dataclass(frozen=True)
class SeedConfig:
    laborers: int
    seed: int = DEFAULT_SEED
    batch: int = DEFAULT_BATCH
    as_of: date | None = None  # the reference day for ages and job validity (default: today)
    use_copy: bool | None = None  # COPY for laborers; None = on PostgreSQL
    fast_load: bool | None = None  # drop and rebuild secondary indexes; None = large loads on PostgreSQL


@dataclass
class SeedReport:
    households: int = 0
    laborers: int = 0
    enterprises: int = 0
    jobs: int = 0
    seconds: float = 0.0
    method: str = ""
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.laborers / self.seconds if self.seconds else 0.0


ProgressFn = Callable[[int, int], None]
