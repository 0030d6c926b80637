"""Deterministic demo data: households and laborers in Hunan villages, enterprises and job postings.

`seed_dataset(SeedConfig(laborers=N, seed=S))` writes N laborers (every member of the generated households),
about one enterprise per 400 laborers (at least 50) and 2-5 jobs per enterprise. The same seed, size,
reference day (`as_of`) and database state give the same rows (names, ID numbers and their hashes, phones,
household numbers); only the AES-GCM ciphertexts differ, because every encryption draws a fresh nonce.

Bulk paths only, one transaction per batch: on PostgreSQL households and laborers stream through COPY while
they are generated (the server inserts in parallel); elsewhere one executemany INSERT per table and batch.
Large PostgreSQL loads (FAST_LOAD_MIN) run in a single transaction that drops the secondary indexes and
foreign keys of the two tables and rebuilds them at the end (see `writers.indexes_dropped`).

The data passes the registry validation rules (one 户主, a spouse of the other sex, ages consistent with
relation and school, healthy working-age adults have labor ability, unique ID and mobile numbers), so
`warnings` is {} everywhere.

Appending (laborers exist already) continues household numbers per village, draws from another random
stream (seed and the current laborer count), continues the phone sequence and rejects ID numbers whose hash
the database holds.

Modules: `config` (SeedConfig, SeedReport, default sizes), `seeding` (seed_dataset, reset_dataset),
`regions` (villages, enterprise areas, the region tree check), `people` (names, phones, school, skills,
household members), `households` (the Generator: household and laborer rows), `employers` (enterprises,
jobs, employer names), `writers` (COPY / INSERT, index drop and rebuild), `weights` (codes, shares and
code-list weights), `sampling` (FastRandom, Weighted).
"""

from .config import DEFAULT_BATCH, DEFAULT_SEED, SeedConfig, SeedReport
from .regions import MissingRegionsError, ensure_regions, load_region_pools, regions_complete
from .seeding import reset_dataset, seed_dataset

__all__ = [
    "DEFAULT_BATCH",
    "DEFAULT_SEED",
    "MissingRegionsError",
    "SeedConfig",
    "SeedReport",
    "ensure_regions",
    "load_region_pools",
    "regions_complete",
    "reset_dataset",
    "seed_dataset",
]
