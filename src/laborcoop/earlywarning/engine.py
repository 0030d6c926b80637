"""Evaluating the warning rules and bringing the live warnings in line with them.

- `warnings_run(region_code=..., today=...)`: the nightly run over everything (or one subtree on demand),
  recorded as a WarningRun row with its counts and seconds (`manage.py run_warnings`, the
  `run_warnings_nightly` task).
- `warnings_evaluate_households(household_ids=..., rules=...)`: the run on change over a few households (their
  members and records), for the rules the change can affect; no WarningRun row (earlywarning.receivers).

Each run is one transaction holding the run lock: every enabled rule yields its findings per group of
provinces sharing its settings (earlywarning.config), the findings are staged and diffed against the live
warnings of the run's scope (earlywarning.store).
"""

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from laborcoop.earlywarning.config import RuleGroup, province_configs, rule_groups
from laborcoop.earlywarning.models import WarningRun
from laborcoop.earlywarning.rules import RULES, Rule, RuleContext
from laborcoop.earlywarning.store import DiffCounts, DiffScope, Stage, StageRow, run_lock, stage_row
from laborcoop.regions.models import prefix_of_code
from laborcoop.regions.scope import in_subtree_q
from laborcoop.registry.models import Laborer

logger = logging.getLogger(__name__)

EMPLOYMENT_RULES = frozenset(rule.code for rule in RULES if rule.on_employment_change)
ALL_RULES = frozenset(rule.code for rule in RULES)


@dataclass
class RunResult:
    counts: DiffCounts
    seconds: float
    rule_seconds: dict[str, float] = field(default_factory=dict)
    rule_findings: dict[str, int] = field(default_factory=dict)
    diff_seconds: float = 0.0
    commit_seconds: float = 0.0  # the commit: deferred foreign-key checks of the inserted warnings


def _region_filter(group: RuleGroup, prefix: str) -> Callable[[str], Q]:
    def build(region_field: str) -> Q:
        q = group.region_filter(region_field)
        return q & in_subtree_q(prefix, region_field) if prefix else q

    return build


def _rows(rule: Rule, group: RuleGroup, ctx: RuleContext, counter: dict[str, int]) -> Iterator[StageRow]:
    for f in rule.findings(ctx):
        counter[rule.code] = counter.get(rule.code, 0) + 1
        yield stage_row(
            rule=rule.code,
            severity=group.config.severity,
            subject_key=f.subject_key,
            region_id=f.region_id,
            laborer_id=f.laborer_id,
            household_id=f.household_id,
            detail=f.detail,
            data=f.data,
            due_date=f.due_date,
            due_from_data=f.due_from_data,
        )


def _evaluate(
    *,
    today: date,
    now: datetime,
    region_prefix: str = "",
    household_ids: frozenset[int] | None = None,
    rule_codes: frozenset[str] = ALL_RULES,
) -> RunResult:
    started = time.perf_counter()
    result = RunResult(counts=DiffCounts(), seconds=0.0)
    with transaction.atomic():
        run_lock()
        provinces = province_configs()
        stage = Stage()
        stage.open()
        try:
            for rule in RULES:
                if rule.code not in rule_codes:
                    continue
                t0 = time.perf_counter()
                for group in rule_groups(rule, provinces, within=region_prefix):
                    ctx = RuleContext(
                        today=today,
                        params=group.config.param_dict(),
                        region_filter=_region_filter(group, region_prefix),
                        household_ids=household_ids,
                    )
                    querysets = rule.sql_findings(ctx)
                    if querysets is None:
                        stage.write(_rows(rule, group, ctx, result.rule_findings))
                        continue
                    for qs in querysets:
                        n = stage.insert_select(rule=rule.code, severity=group.config.severity, queryset=qs)
                        result.rule_findings[rule.code] = result.rule_findings.get(rule.code, 0) + n
                result.rule_seconds[rule.code] = time.perf_counter() - t0
            t0 = time.perf_counter()
            scope = DiffScope(
                region_prefix=region_prefix,
                household_ids=tuple(sorted(household_ids)) if household_ids is not None else None,
                rule_codes=None if rule_codes == ALL_RULES else tuple(sorted(rule_codes)),
            )
            result.counts = stage.diff(scope, now=now)
            result.diff_seconds = time.perf_counter() - t0
        finally:
            stage.close()
        commit_started = time.perf_counter()
    result.commit_seconds = time.perf_counter() - commit_started
    result.seconds = time.perf_counter() - started
    return result


def warnings_evaluate(*, region_prefix: str = "", today: date | None = None, now: datetime | None = None) -> RunResult:
    """Every rule over everything (or a subtree), without a WarningRun row (tests, the benchmark)."""
    return _evaluate(today=today or timezone.localdate(), now=now or timezone.now(), region_prefix=region_prefix)


def warnings_run(*, region_code: str = "", today: date | None = None) -> WarningRun:
    """The nightly run (or one subtree's): a WarningRun row with the counts, the seconds, or the error."""
    prefix = _prefix(region_code)
    run = WarningRun.objects.create(scope_code=region_code)
    try:
        result = warnings_evaluate(region_prefix=prefix, today=today)
    except Exception as exc:
        run.status = WarningRun.Status.FAILED
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at", "updated_at"])
        logger.exception("warning run %s failed", run.pk)
        raise
    counts = result.counts
    run.status = WarningRun.Status.SUCCEEDED
    run.raised, run.resolved, run.live = counts.raised, counts.resolved, counts.live
    run.seconds = round(result.seconds, 3)
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "raised", "resolved", "live", "seconds", "finished_at", "updated_at"])
    return run


def _prefix(region_code: str) -> str:
    return prefix_of_code(region_code) if region_code else ""


def warnings_evaluate_households(
    *, household_ids: Iterable[int], rules: frozenset[str] = ALL_RULES, today: date | None = None
) -> RunResult:
    """Re-evaluate `rules` for a few households: the household rules on them, the person and record rules on
    all their members (so that every live warning of these households and rules was looked at)."""
    ids = frozenset(int(pk) for pk in household_ids)
    if not ids:
        return RunResult(counts=DiffCounts(), seconds=0.0)
    return _evaluate(today=today or timezone.localdate(), now=timezone.now(), household_ids=ids, rule_codes=rules)


def households_of(laborer_ids: Iterable[int]) -> set[int]:
    return set(Laborer.objects.filter(pk__in=sorted(set(laborer_ids))).values_list("household_id", flat=True))
