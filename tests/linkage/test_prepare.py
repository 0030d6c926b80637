from datetime import date

import pyarrow as pa
import pytest

from laborcoop.core.validation.checksums import make_id_number
from laborcoop.linkage.prepare import LINKAGE_COLUMNS, linkage_pinyin, normalized_ids, prepare, split_name
from laborcoop.registry.identity import id_number_hash

ID18 = make_id_number("430524", date(1975, 3, 15), 123)
ID15 = ID18[:6] + ID18[8:17]


def rows(table: pa.Table) -> dict[str, dict]:
    return {row["record_id"]: row for row in table.to_pylist()}


def test_prepare_columns_and_normalisation() -> None:
    table = prepare(
        [
            {"record_id": 1, "name": "張偉", "id_number": ID18, "birth_date": "1975-03-15", "sex": "男",
             "village_code": "430524101201"},
            {"record_id": 2, "name": "单 雄信", "id_number": None, "birth_date": "19800507", "sex": "2",
             "village_code": "43"},
            {"record_id": 3, "name": "欧阳建国", "id_number": "", "birth_date": date(1990, 1, 2), "sex": None,
             "village_code": None},
        ]
    )  # fmt: skip
    assert tuple(table.column_names) == LINKAGE_COLUMNS
    by_id = rows(table)
    first = by_id["1"]
    assert first["name_norm"] == "张伟"  # traditional -> simplified
    assert (first["name_py"], first["surname_py"], first["given_py"]) == ("zhangwei", "zhang", "wei")
    assert first["birth_date"] == date(1975, 3, 15)
    assert (first["birth_year"], first["birth_ym"], first["birth_md"]) == (1975, "1975-03", "03-15")
    assert (first["sex"], first["village_code"], first["county_code"]) == ("1", "430524101201", "430524")
    second = by_id["2"]
    assert second["name_norm"] == "单雄信"
    assert second["surname_py"] == "shan"  # surname reading, not the default "dan"
    assert set(second["surname_variants"]) >= {"dan", "shan"}
    assert second["birth_date"] == date(1980, 5, 7)
    assert second["village_code"] is None
    assert second["county_code"] is None
    assert second["id_hash"] is None
    third = by_id["3"]
    assert (third["surname_norm"], third["given_norm"], third["surname_py"]) == ("欧阳", "建国", "ouyang")
    assert third["birth_date"] == date(1990, 1, 2)


def test_15_digit_id_gives_the_same_hash_as_the_18_digit() -> None:
    table = prepare(
        [
            {"record_id": "a", "name": "张三", "id_number": ID18},
            {"record_id": "b", "name": "张三", "id_number": ID15},
            {"record_id": "c", "name": "张三", "id_number": f'="{ID18.lower()}"'},
            {"record_id": "d", "name": "张三", "id_hash": id_number_hash(ID18)},
        ]
    )
    hashes = {row["record_id"]: row["id_hash"] for row in table.to_pylist()}
    assert hashes == dict.fromkeys("abcd", id_number_hash(ID18))


@pytest.mark.parametrize(
    "value",
    [
        ID18[:-1] + ("0" if ID18[-1] != "0" else "1"),  # wrong check character
        ID18[:15] + "000",  # Excel kept 15 significant digits
        "4.30524E+17",  # scientific notation
        ID18[:17],  # a lost character
        "991234197503151234",  # no such province
        "",
        None,
    ],
)
def test_invalid_id_gives_no_hash(value: object) -> None:
    table = prepare([{"record_id": 1, "name": "张三", "id_number": value}])
    assert table.column("id_hash").to_pylist() == [None]


def test_birth_date_and_sex_fall_back_to_the_id() -> None:
    table = prepare([{"record_id": 1, "name": "张三", "id_number": ID15, "birth_date": None, "sex": ""}])
    row = table.to_pylist()[0]
    assert row["birth_date"] == date(1975, 3, 15)
    assert row["sex"] == "1"  # sequence 123 is odd


def test_normalized_ids_matches_the_validator() -> None:
    values = [ID18, ID15, " " + ID18.lower() + " ", "４３０５２４" + ID18[6:], "abc", None]
    assert normalized_ids(values, date(2026, 1, 1)).tolist() == [ID18, ID18, ID18, ID18, "", ""]


def test_polyphonic_surnames_and_split() -> None:
    assert linkage_pinyin("曾小红")[1] == "zeng"
    assert linkage_pinyin("区家明")[1] == "ou"
    assert linkage_pinyin("仇伟")[1] == "qiu"
    assert linkage_pinyin("解明")[1] == "xie"
    assert linkage_pinyin("查文")[1] == "zha"
    assert split_name("欧阳建国") == ("欧阳", "建国")
    assert split_name("欧阳") == ("欧", "阳")  # a two-character name is surname + given name
    assert linkage_pinyin("张伟")[0] == linkage_pinyin("张玮")[0]  # homophones share the pinyin


def test_prepare_accepts_pandas_and_arrow() -> None:
    import pandas as pd

    frame = pd.DataFrame([{"record_id": 7, "name": "李四", "id_number": ID18, "birth_date": "1975-03-15"}])
    assert prepare(frame).to_pylist() == prepare(pa.Table.from_pandas(frame)).to_pylist()
