"""Turn person records into the columns the linkage engine compares and blocks on.

Input: an iterable of dicts, a pandas DataFrame or a pyarrow Table with `record_id`, `name`, `id_number`
(may be empty, damaged, 15 digits) or an already computed `id_hash` (the registry stores only the hash),
`birth_date` (date, ISO text, "19800315"; may be missing), `sex` ("1"/"2", 男/女, M/F), `village_code`
(12 digits, may be missing), `phone` (a mobile number as typed) or an already computed `phone_hash` (the
registry's keyed hash), optional `id_doubtful` (the ID may have been zeroed by Excel; otherwise worked out
from `id_number`: 18 digits ending in "000" that pass the check digit). Output: a pyarrow Table with one row
per record and the columns in `LINKAGE_COLUMNS`; empty values are NULL (Splink treats NULL, not "", as "no
information").

Cost (1M records: ~2 s for a registry side that brings its hashes, ~3-4 s for a department's list): every
step is per distinct value or vectorised. Names: `core.chinese.normalize_names` (one NFKC and one OpenCC
call over the distinct raw names), then `name_columns` splits the distinct normalised names with Arrow
compute and converts to pinyin once per distinct surname and given name (`linkage_pinyin`); the rows take
the columns by index. ID numbers are cleaned and checked in bulk with Arrow compute and numpy (checksum,
birth date, province); only values that are not plain 15/18-character IDs and could still hold one go
through `parse_id_number` one by one (spreadsheet wrappers, full-width digits). The keyed hash is
`registry.identity.id_number_hash` of the normalised 18-character ID (15-digit IDs upgraded first), so it
equals the registry's stored `id_number_hash`; `id_hashes` computes the same HMAC with the key states
prepared once. Birth dates, sex and village codes are parsed and checked by DuckDB once per distinct value.
"""

from __future__ import annotations

import re
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

from laborcoop.core.chinese import name_pinyin, normalize_names, surname_pinyin_variants
from laborcoop.core.crypto import keyed_hashes
from laborcoop.core.validation.checksums import ID_CHECK_CHARS, ID_WEIGHTS
from laborcoop.core.validation.idcard import MAX_AGE, PROVINCE_CODES, parse_id_number
from laborcoop.core.validation.phone import normalize_phone
from laborcoop.registry.identity import id_number_hash, phone_hash

INPUT_COLUMNS = ("record_id", "name", "id_number", "birth_date", "sex", "village_code", "phone")
LINKAGE_COLUMNS = (
    "record_id", "id_hash", "id_doubtful", "name_norm", "name_py", "surname_norm", "surname_py", "given_norm",
    "given_py", "surname_variants", "birth_date", "birth_year", "birth_ym", "birth_md", "sex", "village_code",
    "county_code", "phone_hash",
)  # fmt: skip

# Two-character surnames (复姓) that occur in Hunan registers; the rest of a name is the given name.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 夏侯 慕容 司徒 公孙 令狐 尉迟 万俟 长孙 澹台 单于 宇文 轩辕 端木 百里 "  # noqa: SIM905
    "西门 南宫 独孤 呼延 闻人 东郭 申屠 太史 钟离 赫连".split()
)

LINKAGE_SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("id_hash", pa.string()),
        ("id_doubtful", pa.bool_()),
        *[(name, pa.string()) for name in LINKAGE_COLUMNS[3:9]],
        ("surname_variants", pa.list_(pa.field("l", pa.string()))),
        ("birth_date", pa.date32()),
        ("birth_year", pa.int32()),
        *[(name, pa.string()) for name in LINKAGE_COLUMNS[12:]],
    ]
)
PHONE_PREFIX = "phone:"  # as registry.identity prefixes a phone before hashing (checked in `phone_hashes`)
MOBILE_PATTERN = re.compile(r"1[3-9][0-9]{9}")
_COMPOUND_SET = pa.array(sorted(COMPOUND_SURNAMES), type=pa.string())
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
    objects = values.to_numpy(dtype=object)
    if values.dtype == object:
        try:  # Arrow infers date32 only when every present value is a datetime.date
            inferred = pa.array(objects, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            inferred = None
        if inferred is not None and pa.types.is_date32(inferred.type):
            return inferred
    return _strings(objects)


# --- ID numbers (Arrow compute cleans and classifies, numpy computes the check character) ---------------


def normalized_ids(values: Any, today: date | None = None) -> np.ndarray:
    """The valid 18-character ID of each value (cleaned, 15-digit upgraded), or "" when invalid or missing.

    Plain 15/18-character values are checked in bulk (checksum, birth date within MAX_AGE years, province),
    as `parse_id_number` checks them; anything else (spreadsheet wrappers, full-width digits, disability
    certificate numbers) goes through `parse_id_number` itself, except values that cannot hold an ID
    (`_hopeless`).
    """
    result: np.ndarray = _normalized_ids(_strings(values), today).to_numpy(zero_copy_only=False)
    return result


def _fixed_width_bytes(array: pa.Array, width: int) -> np.ndarray:
    """(n, width) uint8 of a string array whose every value is `width` ASCII bytes."""
    n = len(array)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset : array.offset + n + 1]
    if array.null_count == 0 and len(offsets) == n + 1 and (np.diff(offsets) == width).all():
        data = np.frombuffer(array.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[0] + n * width]
        return data.reshape(n, width)
    joined = "".join(array.to_pylist()).encode("ascii")  # not expected: kernels return offset-0 arrays
    return np.frombuffer(joined, dtype=np.uint8).reshape(n, width)


def _hopeless(raw: pa.Array) -> np.ndarray:
    """Values that `parse_id_number` rejects whatever they hold: fewer than 15 characters (its cleaning only
    removes characters or maps one to one, and an ID has at least 15 digits: "4.30524E+17"), or plain ASCII
    letters and digits (which cleaning leaves as they are, but upper case) of a length no ID has (a 17-digit
    value that lost its last character)."""
    filled = pc.fill_null(raw, "")
    length = pc.utf8_length(filled)
    alnum = pc.match_substring_regex(filled, "^[0-9A-Za-z]*$")
    bad_length = pc.invert(pc.is_in(length, value_set=pa.array([15, 18, 20, 21, 22], type=length.type)))
    hopeless = pc.or_(pc.less(length, 15), pc.and_(alnum, bad_length))
    result: np.ndarray = hopeless.to_numpy(zero_copy_only=False)
    return result


def _normalized_ids(raw: pa.Array, today: date | None = None) -> pa.Array:
    """`normalized_ids` as an Arrow string array."""
    today = today or date.today()
    n = len(raw)
    if n == 0:
        return pa.array([], type=pa.string())
    text = pc.utf8_upper(pc.utf8_trim_whitespace(pc.fill_null(raw, "")))
    is18 = pc.match_substring_regex(text, "^[0-9]{17}[0-9X]$")
    is15 = pc.match_substring_regex(text, "^[0-9]{15}$")
    upgraded = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(text, 0, 6), "19", pc.utf8_slice_codeunits(text, 6, 15), ""
    )
    first17 = pc.if_else(is18, pc.utf8_slice_codeunits(text, 0, 17), pc.if_else(is15, upgraded, "0" * 17))
    digits = _fixed_width_bytes(first17, 17).astype(np.int64) - 48
    check = _CHECK[(digits @ _WEIGHTS) % 11]
    given = _fixed_width_bytes(pc.if_else(is18, pc.utf8_slice_codeunits(text, 17, 18), " "), 1)[:, 0]

    birth_text = pc.utf8_slice_codeunits(first17, 6, 14)
    birth = pc.strptime(birth_text, format="%Y%m%d", unit="s", error_is_null=True)
    # Arrow's strptime rolls an impossible day over (19750230 -> 1975-03-02); parse_id_number rejects it.
    birth = pc.if_else(pc.equal(pc.strftime(birth, format="%Y%m%d"), birth_text), birth, pa.scalar(None, birth.type))
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
    check_text = pa.StringArray.from_buffers(
        n, pa.py_buffer(np.arange(n + 1, dtype=np.int32).tobytes()), pa.py_buffer(check.tobytes())
    )
    out = pc.if_else(pa.array(ok), pc.binary_join_element_wise(first17, check_text, ""), "")
    odd = np.flatnonzero(~plain & (pc.utf8_length(text).to_numpy(zero_copy_only=False) > 0) & ~_hopeless(raw))
    if len(odd):
        found: dict[int, str] = {}
        for i, value in zip(odd.tolist(), raw.take(pa.array(odd, type=pa.int64())).to_pylist(), strict=True):
            parsed = parse_id_number(value, on=today)
            if parsed.ok:
                found[i] = parsed.normalized
        if found:
            mask = np.zeros(n, dtype=bool)
            mask[list(found)] = True
            out = pc.replace_with_mask(out, pa.array(mask), pa.array(list(found.values()), type=pa.string()))
    return out


# --- keyed hash in bulk -----------------------------------------------------------------------------


def id_hashes(ids: list[str]) -> list[str]:
    """`[id_number_hash(v) for v in ids]` for normalised IDs (upper case, no spaces), about twice as fast
    (`core.crypto.keyed_hashes`). The first value is checked against `id_number_hash`; if the registry's hash
    ever changes, this falls back to it.
    """
    if not ids:
        return []
    out = keyed_hashes(ids)
    if out[0] != id_number_hash(ids[0]):
        return [id_number_hash(v) for v in ids]
    return out


def phone_hashes(values: Any) -> pa.Array:
    """The registry's keyed hash (`registry.identity.phone_hash`) of each value that is a mobile number once
    cleaned (spaces, dashes, +86), NULL otherwise; computed once per distinct number."""
    raw = pd.Series(values, dtype=object)
    codes, uniques = pd.factorize(raw, sort=False)
    cleaned = [normalize_phone(v) for v in uniques.tolist()]
    numbers = [c if len(c) == 11 and MOBILE_PATTERN.fullmatch(c) else "" for c in cleaned]
    present = [n for n in numbers if n]
    hashed = keyed_hashes([PHONE_PREFIX + n for n in present]) if present else []
    if present and hashed[0] != phone_hash(present[0]):  # the registry's hash changed: follow it
        hashed = [phone_hash(n) for n in present]
    it = iter(hashed)
    per_unique = [next(it) if n else None for n in numbers]
    return pa.array(per_unique, type=pa.string()).take(pa.array(codes, type=pa.int64(), mask=codes < 0))


# --- names in bulk -------------------------------------------------------------------------------------


def name_columns(names: list[str]) -> dict[str, pa.Array]:
    """The name columns of `prepare` for distinct normalised names, vectorised: the split (compound surnames)
    with Arrow compute, pinyin once per distinct surname and per distinct given name. Equal to
    `_name_parts` of each name (empty strings where it gives None; `prepare` turns them into NULL)."""
    norm = pa.array(names, type=pa.string())
    length = pc.utf8_length(norm)
    head2 = pc.utf8_slice_codeunits(norm, 0, 2)
    compound = pc.and_(pc.greater_equal(length, 3), pc.is_in(head2, value_set=_COMPOUND_SET))
    surname = pc.if_else(compound, head2, pc.utf8_slice_codeunits(norm, 0, 1))
    given = pc.if_else(compound, pc.utf8_slice_codeunits(norm, 2), pc.utf8_slice_codeunits(norm, 1))

    surnames = surname.dictionary_encode()
    readings = [_surname_pinyin(s) if s else ("", ()) for s in surnames.dictionary.to_pylist()]
    surname_py = pa.array([r[0] for r in readings], type=pa.string()).take(surnames.indices)
    variants = pa.array([list(r[1]) for r in readings], type=pa.list_(pa.string())).take(surnames.indices)
    givens = given.dictionary_encode()
    given_py = pa.array([_given_pinyin(g) if g else "" for g in givens.dictionary.to_pylist()], type=pa.string()).take(
        givens.indices
    )
    return {
        "name_norm": norm,
        "name_py": pc.binary_join_element_wise(surname_py, given_py, ""),
        "surname_norm": surname,
        "surname_py": surname_py,
        "given_norm": given,
        "given_py": given_py,
        "surname_variants": variants,
    }


# --- assembly ----------------------------------------------------------------------------------------

# Per distinct value (a few thousand dates, villages, sex codes), over a table d(k, v); the rows take the
# results by their value's dictionary index.
_DATE_SQL = "SELECT try_strptime(trim(v), {formats})::DATE AS birth_date FROM d ORDER BY k"
_DATE_PARTS_SQL = """
SELECT CAST(year(v) AS INTEGER) AS birth_year, CAST(v AS VARCHAR)[1:7] AS birth_ym, CAST(v AS VARCHAR)[6:10] AS birth_md
FROM d ORDER BY k
"""
_SEX_SQL = """
SELECT CASE upper(trim(coalesce(v, '')))
           WHEN '1' THEN '1' WHEN '男' THEN '1' WHEN 'M' THEN '1' WHEN 'MALE' THEN '1'
           WHEN '2' THEN '2' WHEN '女' THEN '2' WHEN 'F' THEN '2' WHEN 'FEMALE' THEN '2'
       END AS sex
FROM d ORDER BY k
"""
# A village code is 12 ASCII digits once spaces are removed ("+43052410120" is not one).
_VILLAGE_SQL = """
SELECT CASE WHEN ok THEN c END AS village_code, CASE WHEN ok THEN c[1:6] END AS county_code
FROM (SELECT k, c, regexp_full_match(c, '[0-9]{12}') AS ok
      FROM (SELECT k, replace(trim(coalesce(v, '')), ' ', '') AS c FROM d))
ORDER BY k
"""
_ODD_DIGITS = pa.array(list("13579"), type=pa.string())
_DATE_FORMATS = "['%Y-%m-%d', '%Y%m%d', '%Y/%m/%d', '%Y.%m.%d', '%Y年%m月%d日', '%Y-%m-%d %H:%M:%S']"
_NAME_COLUMNS = ("name_norm", "name_py", "surname_norm", "surname_py", "given_norm", "given_py")


def prepare(records: Iterable[Mapping[str, Any]] | pd.DataFrame | pa.Table, *, today: date | None = None) -> pa.Table:
    """The linkage columns (LINKAGE_COLUMNS) of the records, as a pyarrow Table (in the order of the input)."""
    frame = _to_frame(records)

    # IDs: a ready keyed hash (registry rows) wins; otherwise the cleaned, upgraded number is hashed.
    given_hash = _column(frame, "id_hash").astype(object)
    given_hash = given_hash.where(given_hash.notna(), "").to_numpy(dtype=object)
    id18 = _normalized_ids(_strings(_column(frame, "id_number").to_numpy(dtype=object)), today)
    id_hash = given_hash.copy()
    need = np.flatnonzero((given_hash == "") & pc.not_equal(id18, "").to_numpy(zero_copy_only=False))
    id_hash[need] = id_hashes(id18.take(pa.array(need, type=pa.int64())).to_pylist())
    # An 18-digit ID ending in "000" may be one Excel zeroed that passes the check digit by chance (1 in 11).
    if "id_doubtful" in frame.columns:
        id_doubtful = pa.array(frame["id_doubtful"].fillna(False).astype(bool).to_numpy(), type=pa.bool_())
    else:
        id_doubtful = pc.fill_null(pc.ends_with(id18, "000"), False)
    if "phone_hash" in frame.columns:
        given_phone = _strings(frame["phone_hash"].to_numpy(dtype=object))
        phones = pc.if_else(pc.equal(given_phone, ""), pa.scalar(None, pa.string()), given_phone)
    else:
        phones = phone_hashes(_column(frame, "phone").to_numpy(dtype=object))

    # Names: normalised once per distinct raw value, split and converted to pinyin in bulk (`name_columns`);
    # the rows take their columns from that small table.
    raw_codes, raw_uniques = pd.factorize(_column(frame, "name"), sort=False)
    parts = name_columns(normalize_names(list(raw_uniques)))
    indices = pa.array(raw_codes, type=pa.int64(), mask=raw_codes < 0)
    names: dict[str, pa.Array] = {}
    for key in _NAME_COLUMNS:
        column = parts[key]
        names[key] = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column).take(indices)
    variants = parts["surname_variants"]
    names["surname_variants"] = pc.if_else(
        pc.greater(pc.list_value_length(variants), 0), variants, pa.scalar(None, variants.type)
    ).take(indices)

    # Dates, sex and village: DuckDB's parsing and checks, once per distinct value; ID-derived values with
    # Arrow compute (the IDs are valid, so their birth dates parse).
    id_missing = pc.equal(id18, "")
    id_birth = pc.cast(
        pc.strptime(pc.utf8_slice_codeunits(id18, 6, 14), format="%Y%m%d", unit="s", error_is_null=True), pa.date32()
    )
    id_sex = pc.if_else(
        id_missing,
        pa.scalar(None, pa.string()),
        pc.if_else(pc.is_in(pc.utf8_slice_codeunits(id18, 16, 17), value_set=_ODD_DIGITS), "1", "2"),
    )
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        birth = _dates(_column(frame, "birth_date"))
        if not pa.types.is_date32(birth.type):
            birth = _per_distinct(con, birth, _DATE_SQL.format(formats=_DATE_FORMATS))["birth_date"]
        birth = pc.coalesce(birth, id_birth)
        columns: dict[str, Any] = {
            "record_id": _strings(frame["record_id"].to_numpy(dtype=object)),
            "id_hash": pc.if_else(pc.equal(_strings(id_hash), ""), pa.scalar(None, pa.string()), _strings(id_hash)),
            "id_doubtful": id_doubtful,
            "phone_hash": phones,
            **names,
            "birth_date": birth,
            **_per_distinct(con, birth, _DATE_PARTS_SQL),
            "sex": pc.coalesce(
                _per_distinct(con, _strings(_column(frame, "sex").to_numpy(dtype=object)), _SEX_SQL)["sex"], id_sex
            ),
            **_per_distinct(con, _strings(_column(frame, "village_code").to_numpy(dtype=object)), _VILLAGE_SQL),
        }
    finally:
        con.close()
    return pa.table({name: columns[name] for name in LINKAGE_COLUMNS}, schema=LINKAGE_SCHEMA)


def _per_distinct(con: duckdb.DuckDBPyConnection, values: pa.Array, sql: str) -> dict[str, pa.Array]:
    """The columns of `sql` over d(k, v), v = the distinct non-null values, taken back to one per row (NULL
    where the value is NULL: every query here maps NULL to NULL)."""
    encoded = values.dictionary_encode()
    d = pa.table({"k": pa.array(np.arange(len(encoded.dictionary)), type=pa.int64()), "v": encoded.dictionary})
    con.register("d", d)
    try:
        result = con.execute(sql).to_arrow_table()
    finally:
        con.unregister("d")
    return {name: result.column(name).combine_chunks().take(encoded.indices) for name in result.column_names}
