"""The linkage engine: our registry records against a department's list (一库识别 / 数据比对).

`link(ours, theirs)`:
1. prepare: `prepare.prepare()` on both sides (skipped for tables already prepared);
2. exact pass: equal non-empty ID hash -> matched with probability 1.0 (duplicates on one side are paired
   in record order, one-to-one);
3. Splink (DuckDB, link_only) on the records the exact pass left: `splink_models.chinese_model()`, u by random
   sampling, m by EM on two blocking rules, prediction above `threshold`;
4. one-to-one: highest probability first, greedily (each record of either side in at most one match);
5. fields: which of ID, name, pinyin, birth date, sex, village, county agree and which conflict (both
   present, different): what the review screen shows.

Pure computation over tables (no ORM): a service builds `ours` from the registry (the stored
`id_number_hash` as `id_hash`; no clear ID needed) and `theirs` from the uploaded file, calls `link`, and
stores the review rows. `progress(phase, fraction)` is called between phases for a job's progress bar.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from .prepare import prepare
from .splink_models import SplinkModel, chinese_model

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.9
ProgressCallback = Callable[[str, float], None]

# (field name in the result, prepared column)
COMPARED_FIELDS = (
    ("id_number", "id_hash"),
    ("name", "name_norm"),
    ("name_pinyin", "name_py"),
    ("birth_date", "birth_date"),
    ("sex", "sex"),
    ("village_code", "village_code"),
    ("county_code", "county_code"),
)
PHASES = ("prepare", "exact", "splink_setup", "train_u", "train_m", "predict", "resolve", "fields")


@dataclass(frozen=True)
class Match:
    our_id: str
    their_id: str
    probability: float
    method: str  # "id" or "splink"
    agreeing_fields: tuple[str, ...]
    conflicting_fields: tuple[str, ...]


@dataclass
class LinkResult:
    matches: pd.DataFrame  # our_id, their_id, probability, method, agreeing_fields, conflicting_fields
    only_ours: list[str]
    only_theirs: list[str]
    timings: dict[str, float] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def pairs(self) -> set[tuple[str, str]]:
        return set(zip(self.matches["our_id"], self.matches["their_id"], strict=True))

    def iter_matches(self) -> Iterator[Match]:
        for row in self.matches.itertuples(index=False):
            yield Match(
                our_id=row.our_id,
                their_id=row.their_id,
                probability=float(row.probability),
                method=row.method,
                agreeing_fields=tuple(filter(None, row.agreeing_fields.split(","))),
                conflicting_fields=tuple(filter(None, row.conflicting_fields.split(","))),
            )


class _Timer:
    def __init__(self, progress: ProgressCallback | None) -> None:
        self.timings: dict[str, float] = {}
        self.progress = progress
        self._start = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.timings[phase] = round(self.timings.get(phase, 0.0) + now - self._start, 3)
        self._start = now
        if self.progress is not None and phase in PHASES:
            self.progress(phase, (PHASES.index(phase) + 1) / len(PHASES))


def is_prepared(table: Any) -> bool:
    return isinstance(table, pa.Table) and "name_py" in table.column_names


def connect(threads: int | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    return con


def splink_pass(
    con: duckdb.DuckDBPyConnection,
    left: str,
    right: str,
    model: SplinkModel,
    *,
    threshold: float,
    timer: _Timer,
    seed: int = 42,
) -> pd.DataFrame:
    """Train `model` on two tables of `con` and return the predicted pairs above `threshold`:
    columns left_id, right_id, probability (left = the table named `left`)."""
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(connection=con)
    left_sdf = db_api.register(left, dataset_display_name="l")
    right_sdf = db_api.register(right, dataset_display_name="r")
    linker = Linker([left_sdf, right_sdf], model.settings, log_level=logging.WARNING)
    uid = model.settings.unique_id_column_name
    linker.training.estimate_probability_two_random_records_match(
        model.deterministic_rules, recall=model.deterministic_recall
    )
    timer.lap("splink_setup")
    linker.training.estimate_u_using_random_sampling(max_pairs=model.u_max_pairs, seed=seed)
    timer.lap("train_u")
    for rule in model.em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=model.em_max_pairs
        )
    timer.lap("train_m")
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    frame = con.execute(
        f"""
        SELECT CASE WHEN source_dataset_l = 'l' THEN {uid}_l ELSE {uid}_r END AS left_id,
               CASE WHEN source_dataset_l = 'l' THEN {uid}_r ELSE {uid}_l END AS right_id,
               match_probability AS probability
        FROM {predictions.physical_name}
        """  # noqa: S608 (internal table and column names)
    ).df()
    timer.lap("predict")
    return frame


def one_to_one(pairs: pd.DataFrame, left: str = "left_id", right: str = "right_id") -> pd.DataFrame:
    """Greedy one-to-one: highest probability first (ties by ids, so the outcome is deterministic)."""
    if pairs.empty:
        return pairs
    ordered = pairs.sort_values(["probability", left, right], ascending=[False, True, True], kind="stable")
    used_left: set[Any] = set()
    used_right: set[Any] = set()
    keep = []
    for i, a, b in zip(range(len(ordered)), ordered[left].tolist(), ordered[right].tolist(), strict=True):
        if a in used_left or b in used_right:
            continue
        used_left.add(a)
        used_right.add(b)
        keep.append(i)
    return ordered.iloc[keep].reset_index(drop=True)


def _fields_sql() -> str:
    agree = ", ".join(
        f"CASE WHEN o.{col} IS NOT NULL AND o.{col} = t.{col} THEN '{name}' END" for name, col in COMPARED_FIELDS
    )
    conflict = ", ".join(
        f"CASE WHEN o.{col} IS NOT NULL AND t.{col} IS NOT NULL AND o.{col} <> t.{col} THEN '{name}' END"
        for name, col in COMPARED_FIELDS
    )
    return f"""
        SELECT m.our_id, m.their_id, m.probability, m.method,
               concat_ws(',', {agree}) AS agreeing_fields,
               concat_ws(',', {conflict}) AS conflicting_fields
        FROM matched m JOIN ours o ON o.record_id = m.our_id JOIN theirs t ON t.record_id = m.their_id
        ORDER BY m.method, m.our_id
    """  # noqa: S608 (internal column names)


def link(
    ours: Any,
    theirs: Any,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    progress: ProgressCallback | None = None,
    model: SplinkModel | None = None,
    threads: int | None = None,
    seed: int = 42,
) -> LinkResult:
    """Link our records to theirs. Inputs: records for `prepare()` (dicts, DataFrame, Arrow) or prepared
    Arrow tables. Returns the one-to-one matches, the unmatched ids of each side and the time per phase."""
    timer = _Timer(progress)
    ours_t = ours if is_prepared(ours) else prepare(ours)
    theirs_t = theirs if is_prepared(theirs) else prepare(theirs)
    timer.lap("prepare")

    con = connect(threads)
    try:
        con.register("ours_in", ours_t)
        con.register("theirs_in", theirs_t)
        con.execute("CREATE VIEW ours AS SELECT * FROM ours_in")  # Arrow scanned in place, not copied
        con.execute("CREATE VIEW theirs AS SELECT * FROM theirs_in")
        # Exact pass: the k-th record with a hash on our side pairs with the k-th on theirs.
        con.execute(
            """
            CREATE TABLE exact AS
            WITH o AS (SELECT record_id, id_hash, row_number() OVER (PARTITION BY id_hash ORDER BY record_id) AS k
                       FROM ours WHERE id_hash IS NOT NULL),
                 t AS (SELECT record_id, id_hash, row_number() OVER (PARTITION BY id_hash ORDER BY record_id) AS k
                       FROM theirs WHERE id_hash IS NOT NULL)
            SELECT o.record_id AS our_id, t.record_id AS their_id, 1.0::DOUBLE AS probability, 'id' AS method
            FROM o JOIN t USING (id_hash, k)
            """
        )
        con.execute("CREATE TABLE ours_rest AS SELECT * FROM ours ANTI JOIN exact ON ours.record_id = exact.our_id")
        con.execute(
            "CREATE TABLE theirs_rest AS SELECT * FROM theirs ANTI JOIN exact ON theirs.record_id = exact.their_id"
        )
        n_exact = _count(con, "exact")
        n_ours_rest, n_theirs_rest = _count(con, "ours_rest"), _count(con, "theirs_rest")
        timer.lap("exact")

        predicted = pd.DataFrame({"left_id": [], "right_id": [], "probability": []})
        if n_ours_rest and n_theirs_rest:
            predicted = splink_pass(
                con, "ours_rest", "theirs_rest", model or chinese_model(), threshold=threshold, timer=timer, seed=seed
            )
        resolved = one_to_one(predicted)
        splink_matches = pd.DataFrame(
            {
                "our_id": resolved["left_id"].astype(str),
                "their_id": resolved["right_id"].astype(str),
                "probability": resolved["probability"].astype(float),
                "method": "splink",
            }
        )
        con.register("splink_matches", splink_matches)
        con.execute("CREATE TABLE matched AS SELECT * FROM exact UNION ALL SELECT * FROM splink_matches")
        timer.lap("resolve")

        matches = con.execute(_fields_sql()).df()
        only_ours = [
            r[0] for r in con.execute("SELECT record_id FROM ours ANTI JOIN matched ON record_id = our_id").fetchall()
        ]
        only_theirs = [
            r[0]
            for r in con.execute("SELECT record_id FROM theirs ANTI JOIN matched ON record_id = their_id").fetchall()
        ]
        timer.lap("fields")
    finally:
        con.close()

    stats = {
        "ours": ours_t.num_rows,
        "theirs": theirs_t.num_rows,
        "exact_matches": n_exact,
        "splink_input": (n_ours_rest, n_theirs_rest),
        "splink_pairs_above_threshold": len(predicted),
        "splink_matches": len(splink_matches),
        "threshold": threshold,
    }
    return LinkResult(
        matches=matches,
        only_ours=sorted(only_ours),
        only_theirs=sorted(only_theirs),
        timings=timer.timings,
        stats=stats,
    )


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608 (internal table names)
    return int(row[0]) if row else 0
