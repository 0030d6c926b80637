"""Benchmark the scoped laborer list and search (design.md performance budget) on PostgreSQL.

For a county (泸溪县), a prefecture (湘西州) and the province (湖南省) user, and for the plain list and three
searches (a name prefix, an ID tail, a phone tail), it times the real selector
`registry.selectors.laborer_list` evaluated like the list page does: the first page of 20 rows with their
village, the exact count, and a count capped at 10001 (for a "10000+" display, written as
`qs.order_by()[:10001].count()`). Each ORM call is compared with the same statements executed directly
through a cursor: the SQL and parameters the ORM sent (captured once with an execute wrapper, i.e. what
`qs.query.sql_with_params()` compiles to). ORM and raw runs are interleaved, alternating which goes first,
so that a noisy machine hits both alike. Budget: p95 <= 150 ms and <= 3x the raw SQL.
The list pages and the API never run the exact count (they fetch one row more than the page); it is measured
to show why.
"""

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.core.management.base import CommandError
from django.db import connection
from django.db.models import QuerySet

from laborcoop.accounts.models import User
from laborcoop.accounts.roles import Role
from laborcoop.bench.machine import machine_info
from laborcoop.demo.generator import MissingRegionsError, SeedConfig, ensure_regions, seed_dataset
from laborcoop.demo.management.commands.demo_setup import format_table
from laborcoop.demo.management.commands.seed import format_report
from laborcoop.regions.models import Region
from laborcoop.regions.scope import in_subtree_q
from laborcoop.registry.models import Laborer
from laborcoop.registry.selectors import LaborerFilters, laborer_list

NOT_POSTGRES = (
    "bench_registry 只在 PostgreSQL 上运行（性能预算针对生产数据库）。"
    "请设置 DATABASE_URL=postgres://…，先运行 manage.py migrate。"
)
NO_DATA = "数据库中没有泸溪县的人员，无法选择检索词。请去掉 --skip-seed。"
PAGE_SIZE = 20
COUNT_CAP = 10001
BUDGET_MS = 150.0
BUDGET_RATIO = 3.0
SCOPES = (("县（泸溪县）", "433122000000", Role.OFFICER), ("州（湘西州）", "433100000000", Role.ADMIN),
          ("省（湖南省）", "430000000000", Role.ADMIN))  # fmt: skip


@dataclass
class Row:
    scope: str
    query: str
    term: str
    metric: str
    orm_p50: float
    orm_p95: float
    raw_p50: float
    raw_p95: float
    rows: int

    @property
    def ratio(self) -> float:
        return self.orm_p95 / self.raw_p95 if self.raw_p95 else math.inf

    @property
    def ok(self) -> bool:
        return self.orm_p95 <= BUDGET_MS and self.ratio <= BUDGET_RATIO


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _page_orm(qs: QuerySet[Laborer]) -> int:
    rows = list(qs[: PAGE_SIZE + 1])  # like core.pagination.page_of: one row more instead of a COUNT
    # What the list page renders: name, masked ID, village name (select_related).
    _ = [(r.name, r.id_masked, r.region.name) for r in rows]
    return len(rows)


def _page_fn(make: Callable[[], QuerySet[Laborer]]) -> Callable[[], int]:
    return lambda: _page_orm(make())


def _count_fn(make: Callable[[], QuerySet[Laborer]], cap: int | None) -> Callable[[], int]:
    """The exact count, or a capped one without ordering (`SELECT COUNT(*) FROM (SELECT … LIMIT cap)`)."""
    if cap is None:
        return lambda: make().count()
    return lambda: make().order_by()[:cap].count()


def _captured(fn: Callable[[], Any]) -> list[tuple[str, Any]]:
    """The (sql, params) pairs that one call of `fn` sends to the database cursor."""
    queries: list[tuple[str, Any]] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        fn()
    return queries


def _raw_replay(queries: list[tuple[str, Any]], kind: str) -> Callable[[], int]:
    """Execute the captured statements through a plain cursor and fetch every row."""

    def run() -> int:
        results = []
        with connection.cursor() as cursor:
            for sql, params in queries:
                cursor.execute(sql, params)
                results.append(cursor.fetchall())
        if kind == "page":
            # The page is the statement limited to one row more than the page; a sparse name search runs a
            # statement for the matching ids before it, and the village prefetch follows it.
            page_index = next((i for i, (sql, _) in enumerate(queries) if f"LIMIT {PAGE_SIZE + 1}" in sql), 0)
            return len(results[page_index])
        count_index = next((i for i, (sql, _) in enumerate(queries) if "COUNT(" in sql.upper()), 0)
        return int(results[count_index][0][0])

    return run


def search_terms(name: str) -> list[tuple[str, str]]:
    luxi = Laborer.objects.filter(in_subtree_q("433122")).order_by("region_id", "id")
    if not name:
        with connection.cursor() as cursor:
            low, high = "433122000000", "433122999999"
            cursor.execute(
                "SELECT left(name, 2), count(*) FROM registry_laborer WHERE region_code BETWEEN %s AND %s "
                "AND char_length(name) >= 3 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1",
                [low, high],
            )
            top = cursor.fetchone()
        if top is None:
            raise CommandError(NO_DATA)
        name = top[0]
    id_tail = (
        luxi.filter(id_last4__endswith="X").values_list("id_last4", flat=True).first()
        or luxi.values_list("id_last4", flat=True).first()
    )
    phone_tail = luxi.exclude(phone_last4="").values_list("phone_last4", flat=True)[1:2].first()
    if not id_tail or not phone_tail:
        raise CommandError(NO_DATA)
    return [("列表", ""), ("姓名前缀", name), ("证件号后四位", id_tail), ("电话后四位", phone_tail)]


def ensure_laborers(*, laborers: int, seed: int, log: Any) -> None:
    """Append seeded laborers (demo.generator) when the database holds fewer than `laborers`."""
    try:
        ensure_regions()
        existing = Laborer.objects.count()
        if existing < laborers:
            missing = laborers - existing
            log.write(f"库中有 {existing} 名人员，追加生成 {missing} 名……")
            report = seed_dataset(SeedConfig(laborers=missing, seed=seed))
            log.write(format_report(report))
    except MissingRegionsError as exc:
        raise CommandError(str(exc)) from exc


def bench(*, runs: int, warmup: int, name: str, log: Any) -> dict[str, Any]:
    runs, warmup = max(1, runs), max(0, warmup)
    terms = search_terms(name)
    users = []
    for label, code, role in SCOPES:
        region = Region.objects.get(code=code)
        users.append((label, User(username=f"bench_{code}", home_region=region, roles=[str(role)])))

    # Each case: (scope, query label, term, metric, ORM callable, raw callable). The raw side executes the
    # very SQL and parameters the ORM passed to the cursor (captured once), i.e. what
    # `qs.query.sql_with_params()` compiles to, without the ORM around it.
    cases: list[tuple[str, str, str, str, Callable[[], int], Callable[[], int]]] = []
    for scope_label, user in users:
        for query_label, term in terms:

            def selector(user: User = user, term: str = term) -> QuerySet[Laborer]:
                return laborer_list(user=user, filters=LaborerFilters(q=term))

            metrics: list[tuple[str, str, Callable[[], int]]] = [
                ("首页20条", "page", _page_fn(selector)),
                ("总数（页面不用）", "count", _count_fn(selector, None)),
                (f"计数≤{COUNT_CAP}", "count", _count_fn(selector, COUNT_CAP)),
            ]
            for metric, kind, orm in metrics:
                cases.append((scope_label, query_label, term, metric, orm, _raw_replay(_captured(orm), kind)))

    timings: dict[int, tuple[list[float], list[float]]] = {i: ([], []) for i in range(len(cases))}
    results_n: dict[int, int] = {}
    for i, (*_labels, orm, raw) in enumerate(cases):
        n_orm, n_raw = orm(), raw()
        if n_orm != n_raw:
            raise CommandError(f"ORM 与 SQL 结果不一致：{cases[i][:4]} {n_orm} != {n_raw}")
        results_n[i] = n_orm
        for _ in range(warmup):
            orm()
            raw()
    started = time.perf_counter()
    for run in range(runs):
        for i, (*_labels, orm, raw) in enumerate(cases):
            order = ((0, orm), (1, raw)) if run % 2 == 0 else ((1, raw), (0, orm))
            for side, fn in order:
                t0 = time.perf_counter_ns()
                fn()
                timings[i][side].append((time.perf_counter_ns() - t0) / 1e6)
    elapsed = time.perf_counter() - started

    rows = []
    for i, (scope, query, term, metric, _orm, _raw_fn) in enumerate(cases):
        orm_t, raw_t = timings[i]
        rows.append(
            Row(scope, query, term, metric, statistics.median(orm_t), p95(orm_t), statistics.median(raw_t),
                p95(raw_t), results_n[i])
        )  # fmt: skip
    machine = machine_info()
    laborers = Laborer.objects.count()
    print_report(log, rows, machine, laborers, runs, elapsed)
    return {
        "laborers": laborers,
        "runs": runs,
        "warmup": warmup,
        "machine": machine,
        "budget": {"p95_ms": BUDGET_MS, "ratio": BUDGET_RATIO},
        "results": [{**asdict(r), "ratio": round(r.ratio, 2), "ok": r.ok} for r in rows],
    }


def print_report(log: Any, rows: list[Row], machine: dict[str, Any], laborers: int, runs: int, s: float) -> None:
    log.write(
        f"人员 {laborers:,} 名（表和索引 {machine['laborer_table_size']}），每项 {runs} 次，用时 {s:.0f} 秒；"
        f"{machine['cpus']} 核 {machine['cpu_model']}，内存 {machine['memory']}，PostgreSQL {machine['postgresql']}"
    )
    header = [
        "范围",
        "查询",
        "检索词",
        "指标",
        "ORM p50",
        "ORM p95",
        "SQL p50",
        "SQL p95",
        "比值",
        "结果行数",
        "预算",
    ]
    body = [
        [r.scope, r.query, r.term or "—", r.metric, f"{r.orm_p50:.2f}", f"{r.orm_p95:.2f}", f"{r.raw_p50:.2f}",
         f"{r.raw_p95:.2f}", f"{r.ratio:.2f}", str(r.rows), "✓" if r.ok else "✗"]
        for r in rows
    ]  # fmt: skip
    log.write(format_table(header, body))
    missed = [r for r in rows if not r.ok]
    log.write(
        f"预算：p95 ≤ {BUDGET_MS:.0f} ms 且 ≤ {BUDGET_RATIO:.0f} 倍直接 SQL（比值 = ORM p95 / SQL p95；毫秒）。"
        + (f"未达标 {len(missed)} 项。" if missed else "全部达标。")
    )
