"""Benchmark of the nightly derived-status run (`manage.py bench_employment_states --laborers N`).

`bench_dataset` makes sure the database holds N laborers (the `seed` command, appended when fewer) and about
0.6 N employment records (bulk inserts over the laborers without records, streamed by id: bounded memory),
with the insurance months of the insured ongoing jobs and some follow-ups after ended jobs. Deterministic for
a given database. `bench_refresh` then times, in the same process and run:
- the baseline: `SELECT laborer_id, count(*) FROM employment_employmentrecord GROUP BY laborer_id`, every row
  fetched (a plain scan of the records the refresh must read anyway);
- the first run on an empty state table (every row inserted);
- a second run on the same day (the steady nightly case: nothing changed, nothing written);
- a run three months later (statuses move with time: employed people become stable).
"""

import io
import os
import platform
import random
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction

from laborcoop.employment import choices as c
from laborcoop.employment.models import EmploymentRecord, EmploymentState, InsuranceMonth
from laborcoop.employment.records.validation import work_area_of
from laborcoop.regions.models import Region, RegionLevel
from laborcoop.registry.models import Laborer
from laborcoop.tracking import choices as tc
from laborcoop.tracking.models import FollowUp
from laborcoop.tracking.status.services import add_months, employment_states_refresh_all, month_start

RECORDS_PER_LABORER = 0.6
TWO_JOBS_SHARE = 0.3  # of the laborers with records: an earlier, ended job too
ONGOING_SHARE = 0.62  # of the laborers with records: the last job is ongoing
FOLLOWUP_SHARE = 0.15  # of the laborers whose last job ended
CHUNK = 20_000
END_REASONS = [c.EndReason.CONTRACT_EXPIRED, c.EndReason.RESIGNED, c.EndReason.DISMISSED, c.EndReason.SEASONAL]

Log = Callable[[str], None]


@dataclass
class _Counties:
    hunan: list[str]
    elsewhere: list[str]


def _counties() -> _Counties:
    codes = list(
        Region.objects.filter(level=RegionLevel.COUNTY, valid_to__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    return _Counties(
        hunan=[x for x in codes if x.startswith("43")], elsewhere=[x for x in codes if not x.startswith("43")]
    )


def _records_for(
    rng: random.Random, laborer_id: int, region: str, today: date, counties: _Counties
) -> list[EmploymentRecord]:
    home = region[:6] + "000000"

    def record(start: date, end: date | None) -> EmploymentRecord:
        draw = rng.random()
        if draw < 0.4:
            county = home
        elif draw < 0.7:
            county = rng.choice(counties.hunan)
        else:
            county = rng.choice(counties.elsewhere)
        insured = rng.random() < 0.5
        return EmploymentRecord(
            laborer_id=laborer_id,
            region_id=region,
            employer_name="基准测试企业",
            start_date=start,
            end_date=end,
            end_reason=rng.choice(END_REASONS) if end else "",
            work_region_id=county,
            work_area=work_area_of(region, county),
            industry="C",
            monthly_wage=rng.randint(1800, 9000),
            contract_signed=rng.random() < 0.7,
            insurance_types=[c.InsuranceType.EMPLOYEE_PENSION] if insured else [],
            channel=c.Channel.MIGRANT,
            point_to_point=False,
            source=c.Source.IMPORT,
        )

    found: list[EmploymentRecord] = []
    last_start = today - timedelta(days=rng.randint(0, 900))
    if rng.random() < TWO_JOBS_SHARE:
        end = last_start - timedelta(days=rng.randint(1, 120))
        found.append(record(end - timedelta(days=rng.randint(60, 500)), end))
    if rng.random() < ONGOING_SHARE:
        found.append(record(last_start, None))
    else:
        found.append(record(last_start, min(last_start + timedelta(days=rng.randint(30, 500)), today)))
    return found


def _lines(
    rng: random.Random, records: list[EmploymentRecord], today: date, region_of: dict[int, str]
) -> tuple[list[InsuranceMonth], list[FollowUp]]:
    insurance: list[InsuranceMonth] = []
    followups: list[FollowUp] = []
    last_by_laborer: dict[int, EmploymentRecord] = {}
    for r in records:
        last_by_laborer[r.laborer_id] = r
    this_month = month_start(today)
    for laborer_id, r in last_by_laborer.items():
        if r.end_date is None and r.insurance_types:
            for back in (1, 2, 3):
                month = add_months(this_month, -back)
                if month >= month_start(r.start_date):
                    insurance.append(
                        InsuranceMonth(
                            laborer_id=laborer_id,
                            record=r,
                            region_id=region_of[laborer_id],
                            month=month,
                            insurance_type=c.InsuranceType.EMPLOYEE_PENSION,
                            source=c.LineSource.IMPORT,
                        )
                    )
        elif r.end_date is not None and rng.random() < FOLLOWUP_SHARE:
            followups.append(
                FollowUp(
                    laborer_id=laborer_id,
                    region_id=region_of[laborer_id],
                    contacted_on=min(r.end_date + timedelta(days=rng.randint(1, 60)), today),
                    method=tc.ContactMethod.PHONE,
                    outcome=rng.choice(tc.ContactOutcome.values),
                )
            )
    return insurance, followups


def bench_dataset(*, laborers: int, today: date, log: Log) -> dict[str, int]:
    """At least `laborers` laborers and RECORDS_PER_LABORER records per laborer; returns the counts."""
    have = Laborer.objects.count()
    if have < laborers:
        log(f"seed: {laborers - have} laborers")
        call_command("seed", laborers=laborers - have, append=have > 0, verbosity=0, stdout=io.StringIO())
    target = round(laborers * RECORDS_PER_LABORER)
    have_records = EmploymentRecord.objects.count()
    if have_records < target:
        counties = _counties()
        rng = random.Random(f"laborcoop-status-bench:{have_records}")
        share = (target - have_records) / max(laborers, 1) / (1 + TWO_JOBS_SHARE)
        written, last = have_records, 0
        started = time.perf_counter()
        while written < target:
            batch = list(Laborer.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "region_id")[:CHUNK])
            if not batch:
                break
            last = batch[-1][0]
            with_records = set(
                EmploymentRecord.objects.filter(laborer_id__gte=batch[0][0], laborer_id__lte=last)
                .order_by()
                .values_list("laborer_id", flat=True)
            )
            region_of = {pk: str(region) for pk, region in batch}
            records: list[EmploymentRecord] = []
            for pk, region in batch:
                if pk not in with_records and rng.random() < share:
                    records.extend(_records_for(rng, pk, str(region), today, counties))
            records = records[: target - written]
            with transaction.atomic():
                EmploymentRecord.objects.bulk_create(records, batch_size=5000)
                insurance, followups = _lines(rng, records, today, region_of)
                InsuranceMonth.objects.bulk_create(insurance, batch_size=5000, ignore_conflicts=True)
                FollowUp.objects.bulk_create(followups, batch_size=5000)
            written += len(records)
            log(f"  records {written:,} / {target:,}  ({time.perf_counter() - started:.0f} s)")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE employment_employmentrecord, employment_insurancemonth, tracking_followup")
    return {
        "laborers": Laborer.objects.count(),
        "records": EmploymentRecord.objects.count(),
        "ongoing_records": EmploymentRecord.objects.filter(end_date__isnull=True).count(),
        "insurance_months": InsuranceMonth.objects.count(),
        "followups": FollowUp.objects.count(),
    }


def _clear_states() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE employment_employmentstate")
        else:
            cursor.execute("DELETE FROM employment_employmentstate")


def _baseline_seconds() -> tuple[float, int]:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT laborer_id, count(*) FROM employment_employmentrecord GROUP BY laborer_id")
        rows = 0
        while chunk := cursor.fetchmany(10_000):
            rows += len(chunk)
    return time.perf_counter() - started, rows


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _timed(**kwargs: Any) -> dict[str, Any]:
    started, cpu = time.perf_counter(), time.process_time()
    written = employment_states_refresh_all(**kwargs)
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "python_cpu_seconds": round(time.process_time() - cpu, 2),
        "written": written,
        "max_rss_mb": _rss_mb(),
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def bench_refresh(*, today: date, batch_size: int, log: Log) -> dict[str, Any]:
    """Baseline, first run (empty table), steady run, run three months later; see the module docstring."""
    result: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "cpu": _cpu_model(),
            "database": f"{connection.vendor} {getattr(connection, 'pg_version', '')}".strip(),
            "load_average_before": [round(x, 2) for x in os.getloadavg()],
        },
        "batch_size": batch_size,
        "rss_before_mb": _rss_mb(),
    }
    _clear_states()
    seconds, groups = _baseline_seconds()
    result["baseline"] = {"seconds": round(seconds, 2), "groups": groups}
    log(f"baseline GROUP BY scan: {seconds:.2f} s over {groups:,} laborers with records")
    result["first_run"] = _timed(today=today, batch_size=batch_size)
    log(f"first run (empty table): {result['first_run']}")
    result["steady_run"] = _timed(today=today, batch_size=batch_size)
    log(f"steady run (same day): {result['steady_run']}")
    result["later_run"] = _timed(today=add_months(today, 3), batch_size=batch_size)
    log(f"three months later: {result['later_run']}")
    baseline = max(result["baseline"]["seconds"], 0.001)
    result["ratio_first_to_baseline"] = round(result["first_run"]["seconds"] / baseline, 1)
    result["ratio_steady_to_baseline"] = round(result["steady_run"]["seconds"] / baseline, 1)
    result["states"] = EmploymentState.objects.count()
    result["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return result
