"""Benchmark the matching engine on a seeded synthetic market (design.md performance budget).

Mode 1 over N laborers beside a bare numpy scan of the same columns; ranking quality (Recall@10, NDCG@10)
against the market's hidden utility; batch allocation at 200k laborers / 10k jobs / 150k openings with fill
vs the optimum and the greedy baselines, congestion Gini and hard-constraint violations. No database.
`--allocation-only` skips mode 1 and quality; `--alloc-runs N` repeats the allocation on the same market (the
machine is shared, so one run's time is noisy) and the budget must hold for every run.
"""

import json
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laborcoop.bench.matching import budget_verdict, format_report, run


class Command(BaseCommand):
    help = "人岗匹配引擎性能与质量基准（合成数据，不访问数据库）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--laborers", type=int, default=1_000_000)
        parser.add_argument("--jobs", type=int, default=10_000)
        parser.add_argument("--alloc-laborers", type=int, default=200_000)
        parser.add_argument("--alloc-jobs", type=int, default=10_000)
        parser.add_argument("--alloc-openings", type=int, default=150_000)
        parser.add_argument("--queries", type=int, default=50)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--alloc-runs", type=int, default=1, help="allocation runs on the same market")
        parser.add_argument("--allocation-only", action="store_true", help="skip mode 1 and ranking quality")
        parser.add_argument("--no-reference", action="store_true", help="skip the max-flow optimum (memory)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        quiet = opts["json"]
        result = run(
            laborers=opts["laborers"],
            jobs=opts["jobs"],
            alloc_laborers=opts["alloc_laborers"],
            alloc_jobs=opts["alloc_jobs"],
            alloc_openings=opts["alloc_openings"],
            seed=opts["seed"],
            queries=opts["queries"],
            alloc_runs=opts["alloc_runs"],
            reference=not opts["no_reference"],
            mode1=not opts["allocation_only"],
            log=(lambda _msg: None) if quiet else self.stderr.write,
        )
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
        result["budget"] = budget_verdict(result)
        if quiet:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(format_report(result))
