"""Turn person records into the columns the linkage engine compares and blocks on.

Input: an iterable of dicts, a pandas DataFrame or a pyarrow Table with `record_id`, `name`, `id_number`
(may be empty, damaged, 15 digits) or an already computed `id_hash` (the registry stores only the hash),
`birth_date` (date, ISO text, "19800315"; may be missing), `sex` ("1"/"2", 男/女, M/F), `village_code`
(12 digits, may be missing). Output: a pyarrow Table with one row per record and the columns in
`LINKAGE_COLUMNS`; empty values are NULL (Splink treats NULL, not "", as "no information").

Cost: pinyin is the slow part (pypinyin, ~5-40k calls/s), so names are normalised once per distinct raw
value and converted to pinyin once per distinct surname and given-name character (`linkage_pinyin`). ID
numbers are cleaned and checked in bulk with Arrow compute and numpy (checksum, birth date, province); only
values that are not plain 15/18-character IDs go through `parse_id_number` one by one (spreadsheet wrappers,
full-width digits, Excel damage). The keyed hash is `registry.identity.id_number_hash` of the normalised
18-character ID (15-digit IDs upgraded first), so it equals the registry's stored `id_number_hash`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pypinyin import lazy_pinyin

from laborcoop.core.chinese import name_pinyin, normalize_name, surname_pinyin_variants
from laborcoop.registry.identity import id_number_hash
from laborcoop.registry.validation.checksums import ID_CHECK_CHARS, ID_WEIGHTS
from laborcoop.registry.validation.idcard import MAX_AGE, PROVINCE_CODES, parse_id_number

INPUT_COLUMNS = ("record_id", "name", "id_number", "birth_date", "sex", "village_code")
LINKAGE_COLUMNS = (
    "record_id", "id_hash", "name_norm", "name_py", "surname_norm", "surname_py", "given_norm", "given_py",
    "surname_variants", "birth_date", "birth_year", "birth_ym", "birth_md", "sex", "village_code",
    "county_code",
)  # fmt: skip

# Two-character surnames (复姓) that occur in Hunan registers; the rest of a name is the given name.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 夏侯 慕容 司徒 公孙 令狐 尉迟 万俟 长孙 澹台 单于 宇文 轩辕 端木 百里 "  # noqa: SIM905
    "西门 南宫 独孤 呼延 闻人 东郭 申屠 太史 钟离 赫连".split()
)

_NO_NAME: tuple[str, str, str, str, str, list[str]] = ("", "", "", "", "", [])
_WEIGHTS = np.array(ID_WEIGHTS, dtype=np.int64)
_CHECK = np.frombuffer(ID_CHECK_CHARS.encode(), dtype=np.uint8)


def split_name(name: str) -> tuple[str, str]:
    """(surname, given name) of a normalised name; compound surnames are recognised."""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


@cache
def _surname_pinyin(surname: str) -> tuple[str, tuple[str, ...]]:
    """(reading as a surname, every reading of its first character plus that one)."""
    reading = name_pinyin(surname)
    variants = set(surname_pinyin_variants(surname))
    if reading:
        variants.add(reading)
    return reading, tuple(sorted(variants))


@cache
def _char_pinyin(char: str) -> str:
    return "".join(lazy_pinyin(char, errors="ignore")).lower()


@cache
def _given_pinyin(given: str) -> str:
    """Character by character (a given name is not a phrase: 长平 -> changping, not zhangping)."""
    return "".join(_char_pinyin(char) for char in given)


def linkage_pinyin(name: str) -> tuple[str, str, str]:
    """(name_py, surname_py, given_py) of a normalised name.

    name_py = surname_py + given_py: the surname read as a surname (core.chinese.name_pinyin: 单 -> shan,
    曾 -> zeng) and the given name character by character with pypinyin's default reading. This equals
    `name_pinyin(name)` except where pypinyin's phrase dictionary would read a given name as a word (13 of
    67,000 distinct synthetic names, e.g. 于思悦: "yusaiyue" whole, "yusiyue" here). Both sides of a linkage
    go through this function, so they always agree; and it needs one pypinyin call per distinct character
    (a few thousand) instead of one per distinct full name (hundreds of thousands in a province).
    """
    surname, given = split_name(name)
    surname_py = _surname_pinyin(surname)[0] if surname else ""
    given_py = _given_pinyin(given) if given else ""
    return surname_py + given_py, surname_py, given_py


def _name_parts(name: str) -> tuple[str, str, str, str, str, list[str]] | None:
    """(name_py, surname, surname_py, given, given_py, surname readings) of a normalised name."""
    if not name:
        return None
    surname, given = split_name(name)
    full_py, surname_py, given_py = linkage_pinyin(name)
    return full_py, surname, surname_py, given, given_py, list(_surname_pinyin(surname)[1])


def _to_frame(records: Any) -> pd.DataFrame:
    if isinstance(records, pd.DataFrame):
        frame = records
    elif isinstance(records, pa.Table):
        frame = records.to_pandas()
    else:
        rows = list(records) if not isinstance(records, list) else records
        frame = pd.DataFrame.from_records(rows) if rows else pd.DataFrame(columns=list(INPUT_COLUMNS))
    if "record_id" not in frame.columns:
        raise ValueError("records need a record_id column")
    return frame


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _strings(values: Any) -> pa.Array:
    """Arrow strings; None/NaN -> null, other non-strings (numbers read from a sheet) -> their text."""
    try:
        return pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        series = pd.Series(values, dtype=object)
        return pa.array(series.where(series.isna(), series.astype(str)), type=pa.string(), from_pandas=True)


def _dates(values: pd.Series) -> pa.Array:
    """Birth dates as Arrow date32 when they are dates already, else as text for DuckDB to parse."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return pa.array(values.to_numpy(dtype="datetime64[D]"), type=pa.date32(), mask=values.isna().to_numpy())
    present = values[values.notna()]
    if len(present) and present.map(type).isin([date]).all():
        return pa.array(values.astype(object).where(values.notna(), None), type=pa.date32(), from_pandas=True)
    return _strings(values.to_numpy(dtype=object))


# --- ID numbers (Arrow compute cleans and classifies, numpy computes the check character) ---------------


def normalized_ids(values: Any, today: date | None = None) -> np.ndarray:
    """The valid 18-character ID of each value (cleaned, 15-digit upgraded), or "" when invalid or missing.

    Plain 15/18-character values are checked in bulk (checksum, birth date within MAX_AGE years, province),
    as `parse_id_number` checks them; anything else (spreadsheet wrappers, full-width digits, disability
    certificate numbers, Excel damage) goes through `parse_id_number` itself.
    """
    today = today or date.today()
    raw = _strings(values)
    n = len(raw)
    out = np.full(n, "", dtype=object)
    if n == 0:
        return out
    text = pc.utf8_upper(pc.utf8_trim_whitespace(pc.fill_null(raw, "")))
    is18 = pc.match_substring_regex(text, "^[0-9]{17}[0-9X]$")
    is15 = pc.match_substring_regex(text, "^[0-9]{15}$")
    upgraded = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(text, 0, 6), "19", pc.utf8_slice_codeunits(text, 6, 15), ""
    )
    first17 = pc.if_else(is18, pc.utf8_slice_codeunits(text, 0, 17), pc.if_else(is15, upgraded, "0" * 17))
    first17 = pa.array(first17.to_pylist() if first17.offset else first17, type=pa.string())
    digits = np.frombuffer(first17.buffers()[2], dtype=np.uint8)[: 17 * n].reshape(n, 17).astype(np.int64) - 48
    check = _CHECK[(digits @ _WEIGHTS) % 11]
    given_text = pa.array(pc.if_else(is18, pc.utf8_slice_codeunits(text, 17, 18), " ").to_pylist(), pa.string())
    given = np.frombuffer(given_text.buffers()[2], dtype=np.uint8)[:n]  # one ASCII character a row

    birth = pc.strptime(pc.utf8_slice_codeunits(first17, 6, 14), format="%Y%m%d", unit="s", error_is_null=True)
    oldest = date(today.year - MAX_AGE - 1, today.month, min(today.day, 28))
    birth_ok = pc.fill_null(
        pc.and_(
            pc.greater(birth, pa.scalar(datetime.combine(oldest, datetime.min.time()), pa.timestamp("s"))),
            pc.less_equal(birth, pa.scalar(datetime.combine(today, datetime.min.time()), pa.timestamp("s"))),
        ),
        False,
    )
    province_ok = pc.is_in(pc.utf8_slice_codeunits(first17, 0, 2), value_set=pa.array(sorted(PROVINCE_CODES)))
    plain = pc.or_(is18, is15).to_numpy(zero_copy_only=False)
    ok = (
        plain
        & birth_ok.to_numpy(zero_copy_only=False)
        & province_ok.to_numpy(zero_copy_only=False)
        & (is15.to_numpy(zero_copy_only=False) | (check == given))
    )
    idx = np.flatnonzero(ok)
    if len(idx):
        heads = first17.take(pa.array(idx, type=pa.int64())).to_pylist()
        tails = check[idx].tobytes().decode("ascii")
        out[idx] = [h + c for h, c in zip(heads, tails, strict=True)]
    odd = np.flatnonzero(~plain & (pc.utf8_length(text).to_numpy(zero_copy_only=False) > 0))
    if len(odd):
        for i, value in zip(odd.tolist(), raw.take(pa.array(odd, type=pa.int64())).to_pylist(), strict=True):
            parsed = parse_id_number(value, on=today)
            if parsed.ok:
                out[i] = parsed.normalized
    return out


# --- assembly ----------------------------------------------------------------------------------------

_ASSEMBLE_SQL = """
WITH base AS (
    SELECT r.*, n.*,
           coalesce({birth_expr}, try_strptime(r.id18[7:14], '%Y%m%d')::DATE) AS bd,
           replace(trim(coalesce(r.village_in, '')), ' ', '') AS village_clean,
           CASE upper(trim(coalesce(r.sex_in, '')))
               WHEN '1' THEN '1' WHEN '男' THEN '1' WHEN 'M' THEN '1' WHEN 'MALE' THEN '1'
               WHEN '2' THEN '2' WHEN '女' THEN '2' WHEN 'F' THEN '2' WHEN 'FEMALE' THEN '2'
           END AS sex_clean
    FROM rows_in r LEFT JOIN names_in n ON n.name_key = r.name_key
)
SELECT
    record_id,
    nullif(id_hash, '') AS id_hash,
    nullif(name_norm, '') AS name_norm,
    nullif(name_py, '') AS name_py,
    nullif(surname_norm, '') AS surname_norm,
    nullif(surname_py, '') AS surname_py,
    nullif(given_norm, '') AS given_norm,
    nullif(given_py, '') AS given_py,
    CASE WHEN len(surname_variants) > 0 THEN surname_variants END AS surname_variants,
    bd AS birth_date,
    CAST(year(bd) AS INTEGER) AS birth_year,
    CAST(bd AS VARCHAR)[1:7] AS birth_ym,
    CAST(bd AS VARCHAR)[6:10] AS birth_md,
    coalesce(sex_clean, CASE WHEN id18 <> '' THEN
        CASE WHEN CAST(id18[17] AS INTEGER) % 2 = 1 THEN '1' ELSE '2' END END) AS sex,
    CASE WHEN village_ok THEN village_clean END AS village_code,
    CASE WHEN village_ok THEN village_clean[1:6] END AS county_code
FROM (SELECT *, strlen(village_clean) = 12 AND TRY_CAST(village_clean AS UBIGINT) IS NOT NULL AS village_ok FROM base)
"""
_DATE_FORMATS = "['%Y-%m-%d', '%Y%m%d', '%Y/%m/%d', '%Y.%m.%d', '%Y年%m月%d日', '%Y-%m-%d %H:%M:%S']"


def prepare(records: Iterable[Mapping[str, Any]] | pd.DataFrame | pa.Table, *, today: date | None = None) -> pa.Table:
    """The linkage columns (LINKAGE_COLUMNS) of the records, as a pyarrow Table (row order not kept)."""
    frame = _to_frame(records)
    n = len(frame)

    # IDs: a ready keyed hash (registry rows) wins; otherwise the cleaned, upgraded number is hashed.
    given_hash = _column(frame, "id_hash").astype(object)
    given_hash = given_hash.where(given_hash.notna(), "").to_numpy(dtype=object)
    ids = normalized_ids(_column(frame, "id_number").to_numpy(dtype=object), today)
    id_hash = given_hash.copy()
    need = np.flatnonzero((given_hash == "") & (ids != ""))
    id_hash[need] = [id_number_hash(v) for v in ids[need].tolist()]

    # Names: normalise once per distinct raw value, pinyin once per distinct surname and given name. The
    # rows carry a key into a small table of distinct normalised names.
    raw_codes, raw_uniques = pd.factorize(_column(frame, "name"), sort=False)
    normalised = [normalize_name(v) for v in raw_uniques]
    norm_codes, norm_uniques = pd.factorize(pd.Series(normalised, dtype=object), sort=False)
    name_key = np.where(raw_codes >= 0, norm_codes[raw_codes] if len(norm_codes) else -1, -1)
    parts = [_name_parts(v) or _NO_NAME for v in norm_uniques]
    names_in = pa.table(
        {
            "name_key": pa.array(np.arange(len(parts)), type=pa.int64()),
            "name_norm": _strings([str(v) for v in norm_uniques]),
            **{
                key: _strings([p[k] for p in parts])
                for k, key in enumerate(("name_py", "surname_norm", "surname_py", "given_norm", "given_py"))
            },
            "surname_variants": pa.array([p[5] for p in parts], type=pa.list_(pa.string())),
        }
    )
    birth = _dates(_column(frame, "birth_date"))
    rows_in = pa.table(
        {
            "row_no": pa.array(np.arange(n), type=pa.int64()),
            "record_id": _strings(frame["record_id"].to_numpy(dtype=object)),
            "name_key": pa.array(name_key, type=pa.int64()),
            "id_hash": _strings(id_hash),
            "id18": _strings(ids),
            "birth_in": birth,
            "sex_in": _strings(_column(frame, "sex").to_numpy(dtype=object)),
            "village_in": _strings(_column(frame, "village_code").to_numpy(dtype=object)),
        }
    )
    if pa.types.is_date32(birth.type):
        birth_expr = "r.birth_in"
    else:
        birth_expr = f"try_strptime(trim(r.birth_in), {_DATE_FORMATS})::DATE"
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.register("rows_in", rows_in)
        con.register("names_in", names_in)
        return con.execute(_ASSEMBLE_SQL.format(birth_expr=birth_expr)).to_arrow_table()
    finally:
        con.close()
