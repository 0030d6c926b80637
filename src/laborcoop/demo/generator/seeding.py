"""A seed run: enterprises and jobs, then households and laborers batch by batch; and the reset."""

import time
from contextlib import nullcontext
from datetime import UTC, date, datetime
from random import Random

from django.db import connection, transaction
from django.db.models import Max

from laborcoop.accounts.models import User
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.registry.models import Household, Laborer

from .config import FAST_LOAD_MIN, LABORERS_PER_ENTERPRISE, MIN_ENTERPRISES, ProgressFn, SeedConfig, SeedReport
from .employers import EmployerPools, generate_enterprises, generate_jobs
from .households import HOUSEHOLD_FIELDS, LABORER_FIELDS, Generator
from .regions import load_region_pools
from .sampling import FastRandom
from .weights import HOUSEHOLD_SIZE
from .writers import CopyFormatter, InsertWriter, indexes_dropped, write_batch_copy, write_batch_insert


def _existing_village_counters() -> dict[str, int]:
    """Appending: household numbers continue after the highest `<village code><6 digits>` per village."""
    counters: dict[str, int] = {}
    for region, highest in Household.objects.order_by().values_list("region").annotate(Max("household_no")):
        tail = (highest or "")[12:]
        counters[str(region)] = int(tail) if tail.isdigit() and len(highest or "") == 18 else 0
    return counters


def _vacuum_analyze() -> None:
    tables = [m._meta.db_table for m in (Laborer, Household, Enterprise, JobPosting)]
    with connection.cursor() as cursor:
        verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        cursor.execute(f"{verb} {', '.join(connection.ops.quote_name(t) for t in tables)}")


def seed_dataset(config: SeedConfig, *, progress: ProgressFn | None = None) -> SeedReport:
    """Generate and write the data set. Appends when laborers exist already (see the package docstring)."""
    started = time.perf_counter()
    report = SeedReport()
    as_of = config.as_of or date.today()
    now = datetime.now(UTC)
    use_copy = connection.vendor == "postgresql" if config.use_copy is None else config.use_copy
    report.method = "COPY" if use_copy else "INSERT executemany"
    pools = load_region_pools()
    offset = Laborer.objects.count()
    appending = offset > 0

    # Enterprises and jobs first: employed laborers name them as employers.
    t0 = time.perf_counter()
    rng: Random = FastRandom(f"laborcoop-enterprises:{config.seed}:{offset}")
    count = max(0 if appending else MIN_ENTERPRISES, round(config.laborers / LABORERS_PER_ENTERPRISE))
    taken_usccs = set(Enterprise.objects.values_list("uscc", flat=True))
    taken_names = set(Enterprise.objects.values_list("name", flat=True))
    enterprises = generate_enterprises(rng, pools, count, taken_usccs, taken_names)
    jobs = generate_jobs(rng, enterprises, as_of)
    with transaction.atomic():
        Enterprise.objects.bulk_create(enterprises, batch_size=1000)
        for job in jobs:
            job.enterprise_id = job.enterprise.pk
        JobPosting.objects.bulk_create(jobs, batch_size=1000)
    report.enterprises, report.jobs = len(enterprises), len(jobs)
    employers = EmployerPools()
    for region_code, name in Enterprise.objects.order_by("id").values_list("region", "name"):
        employers.add(str(region_code), name)
    report.phases["enterprises"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    gen = Generator(
        pools=pools,
        employers=employers,
        seed=config.seed,
        offset=offset,
        as_of=as_of,
        household_counters=_existing_village_counters() if appending else {},
        taken_hashes=set(Laborer.objects.values_list("id_number_hash", flat=True)) if appending else set(),
    )
    report.phases["prepare"] = time.perf_counter() - t0
    laborer_copy = CopyFormatter(Laborer, LABORER_FIELDS, now) if use_copy else None
    household_copy = CopyFormatter(Household, HOUSEHOLD_FIELDS, now) if use_copy else None
    laborer_insert = InsertWriter(Laborer, LABORER_FIELDS, now)
    household_insert = InsertWriter(Household, HOUSEHOLD_FIELDS, now)
    fast = config.fast_load
    if fast is None:
        fast = use_copy and config.laborers >= FAST_LOAD_MIN and config.laborers >= offset
    report.method += " (重建索引)" if fast and use_copy else ""
    batch = max(1, config.batch)
    t0 = time.perf_counter()
    with transaction.atomic() if fast else nullcontext(), indexes_dropped(report, enabled=fast and use_copy):
        remaining = config.laborers
        while remaining > 0:
            # Household sizes first (the last household takes what is left), so ids can be reserved per batch.
            sizes: list[int] = []
            n = 0
            while n < batch and n < remaining:
                sizes.append(min(HOUSEHOLD_SIZE.pick(gen.rng), remaining - n))
                n += sizes[-1]
            if laborer_copy is not None and household_copy is not None:
                written = write_batch_copy(gen, sizes, laborer_copy, household_copy)
            else:
                written = write_batch_insert(gen, sizes, laborer_insert, household_insert)
            remaining -= written
            report.households += len(sizes)
            report.laborers += written
            if progress:
                progress(report.laborers, config.laborers)
    report.phases["households_and_laborers"] = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        t0 = time.perf_counter()
        _vacuum_analyze()
        report.phases["vacuum_analyze"] = time.perf_counter() - t0
    report.seconds = time.perf_counter() - started
    return report


def reset_dataset() -> dict[str, int]:
    """Delete every laborer, household, job posting and enterprise (enterprise users are unbound first)."""

    counts: dict[str, int] = {}
    with transaction.atomic():
        User.objects.filter(enterprise__isnull=False).update(enterprise=None)
        for model in (Laborer, Household, JobPosting, Enterprise):
            counts[model._meta.label] = model.objects.all().delete()[0]
    return counts
