"""The linkage engine: our registry records against a department's list (一库识别 / 数据比对).

`link(ours, theirs)`:
1. prepare: `prepare.prepare()` on both sides (skipped for tables already prepared);
   a mobile number found on more than two records of a side is dropped there (`personal_phones`);
2. exact pass: equal non-empty ID hash -> matched with probability 1.0 (duplicates on one side are paired
   in record order, one-to-one);
3. Splink (DuckDB, link_only) on the records the exact pass left: `splink_models.chinese_model()`, u by random
   sampling, m by EM on two blocking rules, prediction above `threshold`; when fewer than
   `model.min_training_records` are left on a side, or training fails, no training: the shipped default
   parameters (`default_model.json`) with the prior recomputed from the sizes (`stats["model"]` says which);
4. one-to-one: highest probability first, greedily (each record of either side in at most one match);
5. fields: which of ID, name, pinyin, birth date, sex, village, county, birth year and mobile number agree
   and which conflict (both present, different; an ID that Excel may have zeroed, `id_doubtful`, never
   conflicts): what the review screen shows;
6. confidence: each match's level (high / medium / low: 高/中/低可信) and plain reasons (`confidence.assess`);
   only high ones are accepted without review.

Steps 2 and 5 run as Arrow compute and numpy over row positions when the record ids are unique on each
side (`_link_arrow`: the hashes sorted by their first 16 hex digits, looked up by binary search and
confirmed on the whole value; repeated hashes paired by record id as in SQL); otherwise, or when a hash is
not hex, as DuckDB SQL (`_link_sql`). Both give the same result.

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
from typing import Any, Literal

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from splink.internals.exceptions import SplinkException

from .confidence import HIGH_PROBABILITY, assess
from .prepare import prepare
from .splink_models import SplinkModel, chinese_model, default_prior, load_default_parameters, settings_with_parameters

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
    ("birth_year", "birth_year"),
    ("phone", "phone_hash"),
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
    level: str = "medium"  # confidence.HIGH / MEDIUM / LOW
    reasons: tuple[str, ...] = ()


@dataclass
class LinkResult:
    # our_id, their_id, probability, method, agreeing_fields, conflicting_fields, level, reasons
    matches: pd.DataFrame
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
                level=row.level,
                reasons=tuple(filter(None, row.reasons.split("、"))),
            )


class StageTimer:
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


Training = Literal["auto", "always", "never"]
# Training failures that mean "too little or too odd data to estimate the model" (EM found no pairs for a
# rule, the deterministic rules found more pairs than the recall allows, a level never observed, ...).
TRAINING_ERRORS: tuple[type[Exception], ...] = (
    SplinkException,
    ValueError,
    ArithmeticError,
    duckdb.InvalidInputException,
)


def _linker(con: duckdb.DuckDBPyConnection, left: str, right: str, settings: Any) -> Any:
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(connection=con)
    left_sdf = db_api.register(left, dataset_display_name="l")
    right_sdf = db_api.register(right, dataset_display_name="r")
    return Linker(
        [left_sdf, right_sdf], settings, log_level=None
    )  # the project LOGGING decides (settings: splink at ERROR)


def _train(linker: Any, model: SplinkModel, timer: StageTimer, seed: int) -> None:
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


def splink_predict(
    con: duckdb.DuckDBPyConnection,
    left: str,
    right: str,
    model: SplinkModel,
    *,
    threshold: float,
    timer: StageTimer,
    seed: int = 42,
    training: Training = "auto",
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The predicted pairs of two tables of `con` above `threshold` (columns left_id, right_id, probability;
    left = the table named `left`) and how the model was parametrised: {"model": "trained" | "default",
    "prior": ..., "training_error": ... when training failed}.

    "auto": train (u by random sampling, m by EM) unless a side has fewer than `model.min_training_records`
    records; "always": train; "never": do not train. Without training, or when training fails with a
    `TRAINING_ERRORS`, the model's default parameters are used with a prior recomputed from the sizes (term
    frequencies are still computed from the tables). A model without default parameters always trains and
    lets a failure propagate."""
    sizes = (_count(con, left), _count(con, right))
    parameters = load_default_parameters(model.default_parameters) if model.default_parameters else None
    info: dict[str, Any] = {}
    linker = None
    if parameters is None or training == "always" or (training == "auto" and min(sizes) >= model.min_training_records):
        try:
            linker = _linker(con, left, right, model.settings)
            _train(linker, model, timer, seed)
            info["model"] = "trained"
        except TRAINING_ERRORS as exc:
            if parameters is None:
                raise
            logger.info("Splink training failed on %s x %s records, default parameters used: %s", *sizes, exc)
            info["training_error"] = f"{type(exc).__name__}: {str(exc).strip()[:300]}"
            linker = None
    if linker is None:
        assert parameters is not None
        prior = default_prior(parameters["match_share"], sizes)
        linker = _linker(con, left, right, settings_with_parameters(model, parameters, prior))
        info["model"] = "default"
        timer.lap("splink_setup")
    prior_used = getattr(getattr(linker, "_settings_obj", None), "_probability_two_random_records_match", None)
    info["prior"] = None if prior_used is None else float(prior_used)
    uid = model.settings.unique_id_column_name
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
    return frame, info


def splink_pass(
    con: duckdb.DuckDBPyConnection,
    left: str,
    right: str,
    model: SplinkModel,
    *,
    threshold: float,
    timer: StageTimer,
    seed: int = 42,
) -> pd.DataFrame:
    """Train `model` on two tables of `con` and return the predicted pairs above `threshold`:
    columns left_id, right_id, probability (left = the table named `left`)."""
    frame, _ = splink_predict(con, left, right, model, threshold=threshold, timer=timer, seed=seed, training="always")
    return frame


def trained_settings(
    ours: Any, theirs: Any, model: SplinkModel, *, seed: int = 42, threads: int | None = 1
) -> tuple[dict[str, Any], tuple[int, int]]:
    """Train `model` as `link` does (on the records the exact pass leaves; unique record ids and hex hashes
    required) and return the trained settings dict (`linker.misc.save_model_to_json()`) and the sizes of the
    two sides it was trained on."""
    ours_t = ours if is_prepared(ours) else prepare(ours)
    theirs_t = theirs if is_prepared(theirs) else prepare(theirs)
    exact = _exact_positions(ours_t, theirs_t) if _ids_unique(ours_t) and _ids_unique(theirs_t) else None
    if exact is None:
        raise ValueError("trained_settings needs unique record ids and hex ID hashes")
    con = connect(threads)
    try:
        con.register("ours_rest", ours_t.take(pa.array(_without(len(ours_t), exact[0]))))
        con.register("theirs_rest", theirs_t.take(pa.array(_without(len(theirs_t), exact[1]))))
        sizes = (_count(con, "ours_rest"), _count(con, "theirs_rest"))
        linker = _linker(con, "ours_rest", "theirs_rest", model.settings)
        _train(linker, model, StageTimer(None), seed)
        settings: dict[str, Any] = linker.misc.save_model_to_json()
    finally:
        con.close()
    return settings, sizes


def one_to_one(pairs: pd.DataFrame, left: str = "left_id", right: str = "right_id") -> pd.DataFrame:
    """Greedy one-to-one: highest probability first (ties by ids, so the outcome is deterministic).

    A pair whose two records occur in no other pair is always kept; only the contested pairs go through the
    greedy loop, in the same order (a pair never contested cannot block another)."""
    if pairs.empty:
        return pairs
    ordered = pairs.sort_values(["probability", left, right], ascending=[False, True, True], kind="stable")
    left_codes = pd.factorize(ordered[left])[0]
    right_codes = pd.factorize(ordered[right])[0]
    keep = (np.bincount(left_codes)[left_codes] == 1) & (np.bincount(right_codes)[right_codes] == 1)
    used_left: set[int] = set()
    used_right: set[int] = set()
    contested = np.flatnonzero(~keep)
    for i, a, b in zip(
        contested.tolist(), left_codes[contested].tolist(), right_codes[contested].tolist(), strict=True
    ):
        if a in used_left or b in used_right:
            continue
        used_left.add(a)
        used_right.add(b)
        keep[i] = True
    return ordered[keep].reset_index(drop=True)


_DOUBT_SQL = " AND NOT coalesce(o.id_doubtful, false) AND NOT coalesce(t.id_doubtful, false)"


def _fields_sql() -> str:
    agree = ", ".join(
        f"CASE WHEN o.{col} IS NOT NULL AND o.{col} = t.{col} THEN '{name}' END" for name, col in COMPARED_FIELDS
    )
    conflict = ", ".join(
        f"CASE WHEN o.{col} IS NOT NULL AND t.{col} IS NOT NULL AND o.{col} <> t.{col}"
        f"{_DOUBT_SQL if name == 'id_number' else ''} THEN '{name}' END"
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
    training: Training = "auto",
) -> LinkResult:
    """Link our records to theirs. Inputs: records for `prepare()` (dicts, DataFrame, Arrow) or prepared
    Arrow tables. Returns the one-to-one matches, the unmatched ids of each side and the time per phase.

    Any sizes, including empty sides and lists matched entirely by ID: the records the exact pass leaves are
    linked with a model trained on them when both sides have at least `model.min_training_records`,
    otherwise (or when training fails) with the model's default parameters (`splink_predict`).
    `stats["model"]` says which: "trained", "default", or "none" (Splink not run: a side had no records
    left); `stats["training_error"]` is set when training was tried and failed."""
    timer = StageTimer(progress)
    ours_t = ours if is_prepared(ours) else prepare(ours)
    theirs_t = theirs if is_prepared(theirs) else prepare(theirs)
    ours_t, theirs_t = personal_phones(ours_t), personal_phones(theirs_t)
    timer.lap("prepare")
    if _ids_unique(ours_t) and _ids_unique(theirs_t):
        exact = _exact_positions(ours_t, theirs_t)
        if exact is not None:
            return _link_arrow(ours_t, theirs_t, exact, timer, threshold, model, threads, seed, training)
    return _link_sql(ours_t, theirs_t, timer, threshold, model, threads, seed, training)


# A mobile number on more records of one side than this is not a person's own (a broker's or a village
# cadre's number typed for many people): it is not compared.
MAX_PHONE_SHARERS = 2


def personal_phones(table: pa.Table) -> pa.Table:
    """The table with `phone_hash` NULL where the number occurs on more than MAX_PHONE_SHARERS records (a
    couple sharing one phone stays: their names differ)."""
    if "phone_hash" not in table.column_names or table.num_rows == 0:
        return table
    phones = table.column("phone_hash")
    counts = pc.value_counts(phones.drop_null())
    if len(counts) == 0:
        return table
    shared = counts.field("values").filter(pc.greater(counts.field("counts"), MAX_PHONE_SHARERS))
    if len(shared) == 0:
        return table
    kept = pc.if_else(pc.is_in(phones, value_set=shared), pa.scalar(None, pa.string()), phones)
    return table.set_column(table.column_names.index("phone_hash"), "phone_hash", kept)


def _ids_unique(table: pa.Table) -> bool:
    ids = table.column("record_id")
    return bool(ids.null_count == 0 and pc.count_distinct(ids).as_py() == len(ids))


_HEX = np.full(256, 255, dtype=np.uint8)
_HEX[np.frombuffer(b"0123456789", dtype=np.uint8)] = np.arange(10, dtype=np.uint8)
_HEX[np.frombuffer(b"abcdef", dtype=np.uint8)] = np.arange(10, 16, dtype=np.uint8)
_HEX[np.frombuffer(b"ABCDEF", dtype=np.uint8)] = np.arange(10, 16, dtype=np.uint8)
_NIBBLE_SHIFTS = np.arange(60, -1, -4, dtype=np.uint64)


def _nulls(column: pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.is_null(column).to_numpy(zero_copy_only=False), dtype=bool)


def _hash_keys(column: pa.ChunkedArray) -> np.ndarray | None:
    """The first 16 hex digits of each hash as a uint64 (0 for NULL), or None when some present value does
    not start with 16 hex digits. A sort key for the exact pass: equal hashes have equal keys; pairs found
    by key are confirmed on the whole value."""
    n = len(column)
    head = pc.utf8_slice_codeunits(pc.fill_null(column, "0" * 16), 0, 16)
    array = head.combine_chunks() if isinstance(head, pa.ChunkedArray) else head
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset : array.offset + n + 1]
    if not (np.diff(offsets) == 16).all():
        return None
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[0] + 16 * n].reshape(n, 16)
    nibbles = _HEX[data]
    if (nibbles == 255).any():
        return None
    keys: np.ndarray = nibbles.astype(np.uint64) @ (np.uint64(1) << _NIBBLE_SHIFTS)  # disjoint bits: exact
    return keys


def _sorted_side(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray] | None:
    """(rows with a hash ordered by key, their keys), or None when the key cannot stand for the hash (not
    hex, or two different hashes share the first 16 digits)."""
    keys = _hash_keys(column)
    if keys is None:
        return None
    rows = np.flatnonzero(~_nulls(column))
    rows = rows[np.argsort(keys[rows], kind="stable")]
    sorted_keys = keys[rows]
    repeated = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1])
    if len(repeated):
        same = pc.equal(column.take(pa.array(rows[repeated])), column.take(pa.array(rows[repeated + 1])))
        if not pc.all(same).as_py():
            return None
    return rows, sorted_keys


def _exact_positions(ours_t: pa.Table, theirs_t: pa.Table) -> tuple[np.ndarray, np.ndarray] | None:
    """Row positions (ours, theirs) of the exact pass: equal present hashes, and where a hash occurs more
    than once the k-th record (by record id) on our side with the k-th on theirs, as the SQL exact pass.
    None when the hashes are not hex (the caller then runs the SQL pass).

    By the 16-hex-digit key: theirs sorted by key, ours looked up by binary search, each pair confirmed on
    the whole hash; the few repeated hashes paired in Python."""
    our_hash, their_hash = ours_t.column("id_hash"), theirs_t.column("id_hash")
    ours_side, theirs_side = _sorted_side(our_hash), _sorted_side(their_hash)
    if ours_side is None or theirs_side is None:
        return None
    (our_rows, our_keys), (their_rows, their_keys) = ours_side, theirs_side
    repeated = np.union1d(
        our_keys[1:][our_keys[1:] == our_keys[:-1]], their_keys[1:][their_keys[1:] == their_keys[:-1]]
    )
    our_single = ~np.isin(our_keys, repeated)
    their_single = ~np.isin(their_keys, repeated)
    pairs_ours: list[np.ndarray] = []
    pairs_theirs: list[np.ndarray] = []
    rows_t, keys_t = their_rows[their_single], their_keys[their_single]
    rows_o, keys_o = our_rows[our_single], our_keys[our_single]
    if len(keys_t) and len(keys_o):
        at = np.minimum(np.searchsorted(keys_t, keys_o), len(keys_t) - 1)
        hit = keys_t[at] == keys_o
        ours, theirs = rows_o[hit], rows_t[at[hit]]
        same = pc.equal(our_hash.take(pa.array(ours)), their_hash.take(pa.array(theirs)))
        confirmed = np.asarray(same.to_numpy(zero_copy_only=False), dtype=bool)
        pairs_ours.append(ours[confirmed])
        pairs_theirs.append(theirs[confirmed])
    if len(repeated):
        groups: dict[str, tuple[list[tuple[str, int]], list[tuple[str, int]]]] = {}
        for side, (rows, single) in enumerate(((our_rows, our_single), (their_rows, their_single))):
            table = ours_t if side == 0 else theirs_t
            picked = rows[~single]
            taken = pa.array(picked)
            for h, rid, row in zip(
                table.column("id_hash").take(taken).to_pylist(),
                table.column("record_id").take(taken).to_pylist(),
                picked.tolist(),
                strict=True,
            ):
                groups.setdefault(h, ([], []))[side].append((rid, row))
        extra_ours, extra_theirs = [], []
        for group_ours, group_theirs in groups.values():
            for (_, o), (_, t) in zip(sorted(group_ours), sorted(group_theirs), strict=False):
                extra_ours.append(o)
                extra_theirs.append(t)
        pairs_ours.append(np.array(extra_ours, dtype=np.int64))
        pairs_theirs.append(np.array(extra_theirs, dtype=np.int64))
    if not pairs_ours:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(pairs_ours).astype(np.int64), np.concatenate(pairs_theirs).astype(np.int64)


def _link_arrow(
    ours_t: pa.Table,
    theirs_t: pa.Table,
    exact: tuple[np.ndarray, np.ndarray],
    timer: StageTimer,
    threshold: float,
    model: SplinkModel | None,
    threads: int | None,
    seed: int,
    training: Training = "auto",
) -> LinkResult:
    """`link` when record ids and ID hashes are unique on each side (the normal case): the exact pass, the
    remainders and the fields of the matches are Arrow compute over row positions (no joins on the
    64-character hashes and record ids in DuckDB); only Splink runs in DuckDB. Same result as `_link_sql`."""
    exact_ours, exact_theirs = exact
    rest_ours = _without(len(ours_t), exact_ours)
    rest_theirs = _without(len(theirs_t), exact_theirs)

    con = connect(threads)
    try:
        con.register("ours_rest_in", ours_t.take(pa.array(rest_ours)))
        con.register("theirs_rest_in", theirs_t.take(pa.array(rest_theirs)))
        con.execute("CREATE TABLE ours_rest AS SELECT * FROM ours_rest_in")
        con.execute("CREATE TABLE theirs_rest AS SELECT * FROM theirs_rest_in")
        con.unregister("ours_rest_in")
        con.unregister("theirs_rest_in")
        timer.lap("exact")
        predicted, splink_info = _splink_rest(
            con, len(rest_ours), len(rest_theirs), model, threshold=threshold, timer=timer, seed=seed, training=training
        )
    finally:
        con.close()
    resolved = one_to_one(predicted)
    splink_ours = _positions(resolved["left_id"].astype(str), ours_t.column("record_id"))
    splink_theirs = _positions(resolved["right_id"].astype(str), theirs_t.column("record_id"))
    timer.lap("resolve")

    our_rows = np.concatenate([exact_ours, splink_ours])
    their_rows = np.concatenate([exact_theirs, splink_theirs])
    probability = np.concatenate([np.ones(len(exact_ours)), resolved["probability"].to_numpy(dtype=float)])
    method = np.array(["id"] * len(exact_ours) + ["splink"] * len(splink_ours), dtype=object)
    matches = with_confidence(_fields(ours_t, theirs_t, our_rows, their_rows, probability, method))
    only_ours = ours_t.column("record_id").take(pa.array(_without(len(ours_t), our_rows))).to_pylist()
    only_theirs = theirs_t.column("record_id").take(pa.array(_without(len(theirs_t), their_rows))).to_pylist()
    timer.lap("fields")
    stats = {
        "ours": ours_t.num_rows,
        "theirs": theirs_t.num_rows,
        "exact_matches": len(exact_ours),
        "splink_input": (len(rest_ours), len(rest_theirs)),
        "splink_pairs_above_threshold": len(predicted),
        "splink_matches": len(splink_ours),
        "threshold": threshold,
        **splink_info,
    }
    return LinkResult(
        matches=matches,
        only_ours=sorted(only_ours),
        only_theirs=sorted(only_theirs),
        timings=timer.timings,
        stats=stats,
    )


def _splink_rest(
    con: duckdb.DuckDBPyConnection,
    n_ours: int,
    n_theirs: int,
    model: SplinkModel | None,
    *,
    threshold: float,
    timer: StageTimer,
    seed: int,
    training: Training,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Splink on the tables ours_rest and theirs_rest of `con` (skipped when either is empty)."""
    if not (n_ours and n_theirs):
        return pd.DataFrame({"left_id": [], "right_id": [], "probability": []}), {"model": "none"}
    return splink_predict(
        con,
        "ours_rest",
        "theirs_rest",
        model or chinese_model(),
        threshold=threshold,
        timer=timer,
        seed=seed,
        training=training,
    )


def _without(n: int, rows: np.ndarray) -> np.ndarray:
    """The positions 0..n-1 not in `rows`."""
    keep = np.ones(n, dtype=bool)
    keep[rows] = False
    return np.flatnonzero(keep)


def _positions(ids: pd.Series, record_ids: pa.ChunkedArray) -> np.ndarray:
    positions = pc.index_in(pa.array(ids.to_numpy(dtype=object), type=pa.string()), value_set=record_ids)
    return np.asarray(positions.to_numpy(zero_copy_only=False), dtype=np.int64)


def _fields(
    ours_t: pa.Table,
    theirs_t: pa.Table,
    our_rows: np.ndarray,
    their_rows: np.ndarray,
    probability: np.ndarray,
    method: np.ndarray,
) -> pd.DataFrame:
    """The matches with their agreeing and conflicting fields (as `_fields_sql`), ordered by method, our id."""
    our_take, their_take = pa.array(our_rows, type=pa.int64()), pa.array(their_rows, type=pa.int64())
    agree_parts, conflict_parts = [], []
    for name, col in COMPARED_FIELDS:
        ours_col, theirs_col = ours_t.column(col).take(our_take), theirs_t.column(col).take(their_take)
        equal = pc.equal(ours_col, theirs_col)  # NULL when either is NULL
        differ = pc.fill_null(pc.invert(equal), False)
        if name == "id_number":  # an ID Excel may have zeroed is no evidence of another person
            doubtful = pc.or_(
                pc.fill_null(ours_t.column("id_doubtful").take(our_take), False),
                pc.fill_null(theirs_t.column("id_doubtful").take(their_take), False),
            )
            differ = pc.and_(differ, pc.invert(doubtful))
        agree_parts.append(pc.if_else(pc.fill_null(equal, False), f"{name},", ""))
        conflict_parts.append(pc.if_else(differ, f"{name},", ""))
    table = pa.table(
        {
            "our_id": ours_t.column("record_id").take(our_take),
            "their_id": theirs_t.column("record_id").take(their_take),
            "probability": pa.array(probability, type=pa.float64()),
            "method": pa.array(method, type=pa.string()),
            "agreeing_fields": _joined(agree_parts, len(our_rows)),
            "conflicting_fields": _joined(conflict_parts, len(our_rows)),
        }
    )
    table = table.take(pc.sort_indices(table, sort_keys=[("method", "ascending"), ("our_id", "ascending")]))
    return pd.DataFrame(
        {
            "our_id": _objects(table.column("our_id")),
            "their_id": _objects(table.column("their_id")),
            "probability": table.column("probability").to_numpy(),
            **{
                name: _repeated_objects(table.column(name))
                for name in ("method", "agreeing_fields", "conflicting_fields")
            },
        }
    )


_REPEATED = ("method", "agreeing_fields", "conflicting_fields")


def _objects(column: pa.ChunkedArray) -> np.ndarray:
    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=object)


def _repeated_objects(column: pa.ChunkedArray) -> np.ndarray:
    """A column of few distinct strings as an object array sharing one str per distinct value."""
    encoded = column.combine_chunks().dictionary_encode()
    values = np.asarray([*encoded.dictionary.to_pylist(), None], dtype=object)
    indices = encoded.indices.fill_null(len(values) - 1).to_numpy(zero_copy_only=False)
    result: np.ndarray = values[indices]
    return result


def _joined(parts: list[Any], n: int) -> pa.Array:
    """concat_ws(',', ...) of the parts ("name," or "")."""
    if n == 0:
        return pa.array([], type=pa.string())
    return pc.utf8_rtrim(pc.binary_join_element_wise(*parts, ""), characters=",")


def with_confidence(matches: pd.DataFrame) -> pd.DataFrame:
    """The matches with `level` (high / medium / low) and `reasons` ("、"-joined plain reasons) added: one
    `confidence.assess` per distinct (method, fields, probability at least HIGH_PROBABILITY) combination."""
    if matches.empty:
        return matches.assign(level=pd.Series([], dtype=object), reasons=pd.Series([], dtype=object))
    sure = (matches["probability"].to_numpy(dtype=float) >= HIGH_PROBABILITY).tolist()
    cache: dict[tuple[str, str, str, bool], tuple[str, str]] = {}
    levels, reasons = [], []
    for key in zip(
        matches["method"].tolist(),
        matches["agreeing_fields"].tolist(),
        matches["conflicting_fields"].tolist(),
        sure,
        strict=True,
    ):
        found = cache.get(key)
        if found is None:
            method, agreeing, conflicting, is_sure = key
            outcome = assess(
                method, 1.0 if is_sure else 0.0, (agreeing or "").split(","), (conflicting or "").split(",")
            )
            found = cache[key] = (outcome.level, "、".join(outcome.reasons))
        levels.append(found[0])
        reasons.append(found[1])
    return matches.assign(level=np.asarray(levels, dtype=object), reasons=np.asarray(reasons, dtype=object))


def _link_sql(
    ours_t: pa.Table,
    theirs_t: pa.Table,
    timer: StageTimer,
    threshold: float,
    model: SplinkModel | None,
    threads: int | None,
    seed: int,
    training: Training = "auto",
) -> LinkResult:
    """`link` for any input (duplicate ID hashes are paired in record order; duplicate record ids)."""
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

        predicted, splink_info = _splink_rest(
            con, n_ours_rest, n_theirs_rest, model, threshold=threshold, timer=timer, seed=seed, training=training
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

        matches = with_confidence(con.execute(_fields_sql()).df())
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
        **splink_info,
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
