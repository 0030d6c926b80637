"""Benchmark sorted list pages (core.sorting) against the unsorted list, on PostgreSQL.

For a county (泸溪县), a prefecture (湘西州) and the province (湖南省) user it times the laborer list in its
default order and in every whitelisted order (registry.selectors.LABORER_SORTING), and the household list
(with the householder's name) in its default order and by village descending, three ways:
- **首页**: what the view runs for the rows: `sorted_list(request, selector, SORTING)` then
  `page_of(qs, request)` (21 rows, villages prefetched), compared with the same statements replayed through a
  cursor (the SQL and parameters the ORM sent, captured once): 比值SQL = ORM p95 / SQL p95.
- **首页+总数**: `page_of(..., count=True)`: the page plus its total (a capped count, then the planner's
  estimate above 10,000 rows), compared with the replayed statements likewise.
- **整页**: the whole page through Django's test client as a logged-in user (middleware, template, the total).
比默认 = p95 of the order / p95 of the default order of the same list, scope and metric. ORM and SQL runs are
interleaved, alternating which goes first. Budget (design.md, list pages): p95 <= 150 ms, <= 3x the raw SQL.
"""

import math
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.test import Client, RequestFactory
from django.urls import reverse

from laborcoop.accounts.models import User
from laborcoop.accounts.roles import Role
from laborcoop.bench.machine import machine_info
from laborcoop.bench.registry import p95
from laborcoop.core.pagination import page_of
from laborcoop.core.sorting import Sorting, sorted_list
from laborcoop.demo.management.commands.demo_setup import format_table
from laborcoop.regions.models import Region
from laborcoop.registry.models import Household, Laborer
from laborcoop.registry.selectors import HOUSEHOLD_SORTING, LABORER_SORTING, household_list, laborer_list

BUDGET_MS = 150.0
BUDGET_RATIO = 3.0
SCOPES = (("县（泸溪县）", "433122000000", Role.OFFICER), ("州（湘西州）", "433100000000", Role.ADMIN),
          ("省（湖南省）", "430000000000", Role.ADMIN))  # fmt: skip
TOTAL_RE = re.compile(r'id="list-total">([^<]+)<')
LABORER_ORDERS = ("", "name", "-name", "birth_date", "-birth_date", "-village")
HOUSEHOLD_ORDERS = ("", "-village")


@dataclass
class Row:
    scope: str
    list: str
    order: str
    metric: str
    orm_p50: float
    orm_p95: float
    raw_p95: float | None  # None: no raw SQL side (the whole page)
    rows: int
    total: str
    vs_default: float = math.nan

    @property
    def ratio(self) -> float | None:
        if self.raw_p95 is None:
            return None
        return self.orm_p95 / self.raw_p95 if self.raw_p95 else math.inf

    @property
    def ok(self) -> bool:
        ratio = self.ratio
        return self.orm_p95 <= BUDGET_MS and (ratio is None or ratio <= BUDGET_RATIO)


def _captured(fn: Callable[[], Any]) -> list[tuple[str, Any]]:
    queries: list[tuple[str, Any]] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        fn()
    return queries


def _replay(queries: list[tuple[str, Any]]) -> Callable[[], int]:
    def run() -> int:
        n = 0
        with connection.cursor() as cursor:
            for sql, params in queries:
                cursor.execute(sql, params)
                n += len(cursor.fetchall())
        return n

    return run


def _bench_user(code: str, role: str) -> User:
    user, _ = User.objects.update_or_create(
        username=f"bench_list_{code}",
        defaults={"home_region": Region.objects.get(code=code), "roles": [str(role)], "is_active": True},
    )
    return user


def _page_fn(
    make: Callable[[], QuerySet[Any]], sorting: Sorting, order: str, *, count: bool
) -> Callable[[], tuple[int, str]]:
    request = RequestFactory().get("/", {"sort": order} if order else {})

    def run() -> tuple[int, str]:
        qs, _sort = sorted_list(request, make(), sorting)
        page = page_of(qs, request, count=count)
        _ = [str(r.region.name) for r in page.rows]  # what the row template reads
        return len(page.rows), page.total_text

    return run


def _http_fn(client: Client, url: str, order: str) -> Callable[[], tuple[int, str]]:
    path = f"{url}?sort={order}" if order else url

    def run() -> tuple[int, str]:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
        html = response.content.decode()
        total = TOTAL_RE.search(html)
        return html.count("<tr") - 1, total.group(1) if total else ""

    return run


def bench(*, runs: int, warmup: int, log: Any) -> dict[str, Any]:
    runs, warmup = max(1, runs), max(0, warmup)
    # (scope, list, order, metric, orm, raw or None)
    cases: list[tuple[str, str, str, str, Callable[[], tuple[int, str]], Callable[[], int] | None]] = []
    for scope_label, code, role in SCOPES:
        user = _bench_user(code, role)
        client = Client()
        client.force_login(user)
        lists: list[tuple[str, Callable[[], QuerySet[Any]], Sorting, tuple[str, ...], str]] = [
            ("人员", partial(laborer_list, user=user), LABORER_SORTING, LABORER_ORDERS,
             reverse("registry:laborer_list")),
            ("家庭", partial(household_list, user=user), HOUSEHOLD_SORTING, HOUSEHOLD_ORDERS,
             reverse("registry:household_list")),
        ]  # fmt: skip
        for list_label, make, sorting, orders, url in lists:
            for order in orders:
                for metric, count in (("首页", False), ("首页+总数", True)):
                    orm = _page_fn(make, sorting, order, count=count)
                    cases.append((scope_label, list_label, order, metric, orm, _replay(_captured(orm))))
                cases.append((scope_label, list_label, order, "整页", _http_fn(client, url, order), None))

    timings: dict[int, tuple[list[float], list[float]]] = {i: ([], []) for i in range(len(cases))}
    results: dict[int, tuple[int, str]] = {}
    for i, (*_labels, orm, raw) in enumerate(cases):
        results[i] = orm()
        for _ in range(warmup):
            orm()
            if raw is not None:
                raw()
    started = time.perf_counter()
    for run in range(runs):
        for i, (*_labels, orm, raw) in enumerate(cases):
            sides: list[tuple[int, Callable[[], Any]]] = [(0, orm)] + ([(1, raw)] if raw is not None else [])
            if run % 2:
                sides.reverse()
            for side, fn in sides:
                t0 = time.perf_counter_ns()
                fn()
                timings[i][side].append((time.perf_counter_ns() - t0) / 1e6)
    elapsed = time.perf_counter() - started

    rows: list[Row] = []
    for i, (scope, list_label, order, metric, _orm, raw) in enumerate(cases):
        orm_t, raw_t = timings[i]
        n, total = results[i]
        rows.append(Row(scope, list_label, order or "默认", metric, statistics.median(orm_t), p95(orm_t),
                        p95(raw_t) if raw is not None else None, n, total or "—"))  # fmt: skip
    defaults = {(r.scope, r.list, r.metric): r.orm_p95 for r in rows if r.order == "默认"}
    for r in rows:
        base = defaults[(r.scope, r.list, r.metric)]
        r.vs_default = r.orm_p95 / base if base else math.inf
    machine = machine_info()
    counts = {"laborers": Laborer.objects.count(), "households": Household.objects.count()}
    print_report(log, rows, machine, counts, runs, elapsed)
    return {
        **counts,
        "runs": runs,
        "warmup": warmup,
        "machine": machine,
        "budget": {"p95_ms": BUDGET_MS, "ratio": BUDGET_RATIO},
        "results": [
            {**asdict(r), "ratio": None if r.ratio is None else round(r.ratio, 2), "vs_default": round(r.vs_default, 2),
             "ok": r.ok}
            for r in rows
        ],
    }  # fmt: skip


def print_report(
    log: Any, rows: list[Row], machine: dict[str, Any], counts: dict[str, int], runs: int, s: float
) -> None:
    log.write(
        f"人员 {counts['laborers']:,} 名、家庭 {counts['households']:,} 户（人员表和索引 "
        f"{machine['laborer_table_size']}），每项 {runs} 次，用时 {s:.0f} 秒；{machine['cpus']} 核 "
        f"{machine['cpu_model']}，内存 {machine['memory']}，PostgreSQL {machine['postgresql']}"
    )
    header = [
        "范围",
        "列表",
        "排序",
        "指标",
        "ORM p50",
        "ORM p95",
        "SQL p95",
        "比值SQL",
        "比默认",
        "行数",
        "总数",
        "预算",
    ]
    body = [
        [r.scope, r.list, r.order, r.metric, f"{r.orm_p50:.2f}", f"{r.orm_p95:.2f}",
         "—" if r.raw_p95 is None else f"{r.raw_p95:.2f}", "—" if r.ratio is None else f"{r.ratio:.2f}",
         f"{r.vs_default:.2f}", str(r.rows), r.total, "✓" if r.ok else "✗"]
        for r in rows
    ]  # fmt: skip
    log.write(format_table(header, body))
    missed = [r for r in rows if not r.ok]
    log.write(
        f"预算：p95 ≤ {BUDGET_MS:.0f} ms 且 ≤ {BUDGET_RATIO:.0f} 倍直接 SQL（比值SQL = ORM p95 / SQL p95；"
        "比默认 = 该排序 p95 / 默认顺序 p95；毫秒）。" + (f"未达标 {len(missed)} 项。" if missed else "全部达标。")
    )
