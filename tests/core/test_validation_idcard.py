from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laborcoop.core.validation import idcard as v
from laborcoop.core.validation.checksums import id_check_char, make_id_number

TODAY = date(2024, 6, 1)
# 蓝山县's code 431127 dates from 1995; people born in 1980 carry it on IDs reissued since.
LANSHAN_1980 = make_id_number("431127", date(1980, 3, 15), 123)
FEMALE_ID = make_id_number("433122", date(1990, 5, 17), 124)


def parse(raw: object, address_status: v.AddressStatus | None = None) -> v.ParsedId:
    return v.parse_id_number(raw, address_status=address_status, on=TODAY)


def errors(parsed: v.ParsedId) -> list[str]:
    return parsed.issues.errors.get("id_number", [])


def warnings(parsed: v.ParsedId) -> list[str]:
    return parsed.issues.warnings.get("id_number", [])


def with_check(first17: str) -> str:
    return first17 + id_check_char(first17)


# --- normalisation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("４３１１２７１９８００３１５１２３８", "431127198003151238"),  # full-width digits
        ("43052419900101123x", "43052419900101123X"),  # lowercase x
        ("43052419900101123ｘ", "43052419900101123X"),  # full-width lowercase x
        ("430524 1990 0101 123X", "43052419900101123X"),  # inner spaces
        ("430524\u30001990\u30000101123X", "43052419900101123X"),  # ideographic spaces
        (" \t430524199001011234\n", "430524199001011234"),
        ('="430524199001011234"', "430524199001011234"),  # CSV protection wrapper
        ("＝＂430524199001011234＂", "430524199001011234"),  # the same in full width
        ("'430524199001011234", "430524199001011234"),  # Excel text prefix
        ('"430524199001011234"', "430524199001011234"),
        ("430524\u200b199001011234", "430524199001011234"),  # zero-width space
        ("430524900101123.0", "430524900101123"),  # 15-digit ID read as a float: exact
        (None, ""),
        ("", ""),
        (430524199001011234, "430524199001011234"),
    ],
)
def test_normalize_id_input(raw: object, expected: str) -> None:
    assert v.normalize_id_input(raw) == expected


# --- Excel damage --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "4.31127E+17",
        "4.31127e17",
        "4.31127e+17",
        "4.31127E17",
        "４.３１１２７Ｅ＋１７",
        4.31127e17,
        "4.3112719800315e+17",
    ],
)
def test_scientific_notation_is_excel_damage(raw: object) -> None:
    assert v.detect_excel_damage(raw)
    parsed = parse(raw)
    assert errors(parsed) == [v.ID_DAMAGED_BY_EXCEL]
    assert parsed.normalized == ""


def test_float_repr_of_an_18_digit_number_is_damage() -> None:
    assert v.detect_excel_damage("431127198003150000.0")
    assert v.detect_excel_damage(431127198003151238.0)


def test_trailing_zeros_failing_the_checksum_are_excel_damage() -> None:
    damaged = "431127198003150000"
    assert id_check_char(damaged[:17]) != "0"  # precondition: the zeros broke the checksum
    assert v.detect_excel_damage(damaged)
    assert errors(parse(damaged)) == [v.ID_DAMAGED_BY_EXCEL]


def test_valid_id_ending_in_000_is_not_damage() -> None:
    valid = next(
        make_id_number("433122", date(1990, 1, day), seq)
        for day in range(1, 32)
        for seq in range(0, 1000, 100)
        if make_id_number("433122", date(1990, 1, day), seq).endswith("000")
    )
    assert not v.detect_excel_damage(valid)
    parsed = parse(valid)
    assert parsed.ok
    assert parsed.normalized == valid


@pytest.mark.parametrize("raw", [LANSHAN_1980, FEMALE_ID, "430524900101123", "", "abc", "4311271980031512"])
def test_other_values_are_not_damage(raw: str) -> None:
    assert not v.detect_excel_damage(raw)


# --- valid IDs -------------------------------------------------------------------------------------------


def test_valid_id_parses() -> None:
    parsed = parse(FEMALE_ID)
    assert parsed.ok
    assert parsed.issues.errors == {}
    assert parsed.issues.warnings == {}
    assert parsed.cleaned == FEMALE_ID
    assert parsed.normalized == FEMALE_ID
    assert parsed.birth_date == date(1990, 5, 17)
    assert parsed.sex == "2"
    assert parsed.address_code == "433122"
    assert not parsed.upgraded_from_15
    assert not parsed.is_disability_cert
    assert parsed.disability_suffix == ""


def test_male_from_odd_17th_digit() -> None:
    parsed = parse(LANSHAN_1980)
    assert parsed.sex == "1"
    assert parsed.birth_date == date(1980, 3, 15)


@pytest.mark.parametrize(
    "raw",
    [
        LANSHAN_1980.lower(),
        "".join(chr(ord(ch) + 0xFEE0) for ch in LANSHAN_1980),
        LANSHAN_1980[:6] + " " + LANSHAN_1980[6:14] + " " + LANSHAN_1980[14:],
        f'="{LANSHAN_1980}"',
        "'" + LANSHAN_1980,
    ],
)
def test_damaged_but_recoverable_inputs_parse(raw: str) -> None:
    parsed = parse(raw)
    assert parsed.ok
    assert parsed.normalized == LANSHAN_1980


def test_lowercase_x_check_char() -> None:
    number = next(
        make_id_number("433122", date(1985, 7, 1), seq)
        for seq in range(1000)
        if make_id_number("433122", date(1985, 7, 1), seq).endswith("X")
    )
    parsed = parse(number.lower())
    assert parsed.ok
    assert parsed.normalized == number


def test_15_digit_id_is_upgraded_with_warning() -> None:
    old = "430524900101123"
    parsed = parse(old)
    assert parsed.ok
    assert parsed.upgraded_from_15
    assert parsed.normalized == with_check("43052419900101123")
    assert parsed.birth_date == date(1990, 1, 1)
    assert parsed.sex == "1"
    assert warnings(parsed) == [v.ID_UPGRADED_FROM_15]


def test_15_digit_id_with_impossible_date_is_rejected() -> None:
    parsed = parse("430524900230123")
    assert errors(parsed) == [v.ID_BAD_BIRTH_DATE.format(value="19900230")]


@pytest.mark.parametrize("suffix", ["41", "413", "41B1", "12B"])
def test_disability_certificate_numbers_keep_their_suffix(suffix: str) -> None:
    parsed = parse(FEMALE_ID + suffix)
    assert parsed.ok
    assert parsed.normalized == FEMALE_ID
    assert parsed.disability_suffix == suffix
    assert parsed.is_disability_cert
    assert parsed.sex == "2"


def test_disability_suffix_lowercase_is_uppercased() -> None:
    assert parse(FEMALE_ID + "41b2").disability_suffix == "41B2"


def test_disability_certificate_with_bad_id_part_is_rejected() -> None:
    bad = FEMALE_ID[:-1] + ("1" if FEMALE_ID[-1] != "1" else "2")
    parsed = parse(bad + "41")
    assert errors(parsed) == [v.ID_BAD_CHECKSUM]
    assert parsed.disability_suffix == ""


def test_disability_suffix_with_punctuation_is_rejected() -> None:
    assert errors(parse(FEMALE_ID + "4-1")) == [v.ID_BAD_SUFFIX]


# --- address codes ---------------------------------------------------------------------------------------


def test_code_created_after_birth_is_accepted_with_warning() -> None:
    calls: list[tuple[str, date]] = []

    def status(code: str, on: date) -> str:
        calls.append((code, on))
        return "not_yet"

    parsed = parse(LANSHAN_1980, address_status=status)
    assert parsed.ok
    assert parsed.normalized == LANSHAN_1980
    assert calls == [("431127", date(1980, 3, 15))]  # asked about the birth date
    assert warnings(parsed) == [v.ID_ADDRESS_NOT_YET.format(code="431127")]


def test_unknown_address_code_is_a_warning() -> None:
    number = make_id_number("439999", date(1990, 1, 1), 11)
    parsed = parse(number, address_status=lambda code, on: "unknown")
    assert parsed.ok
    assert warnings(parsed) == ["地址码 439999 不在现行或历史区划代码中"]


@pytest.mark.parametrize("status", ["current", "historical"])
def test_current_and_historical_codes_are_silent(status: str) -> None:
    parsed = parse(LANSHAN_1980, address_status=lambda code, on: status)
    assert parsed.ok
    assert parsed.issues.warnings == {}


def test_address_status_not_called_for_invalid_ids() -> None:
    def status(code: str, on: date) -> str:
        raise AssertionError("must not be called")

    assert not parse(LANSHAN_1980[:-1] + "0", address_status=status).ok


def test_unexpected_address_status_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="address_status"):
        parse(LANSHAN_1980, address_status=lambda code, on: "maybe")


@pytest.mark.parametrize("province", ["00", "10", "16", "20", "39", "47", "55", "60", "70", "84", "99"])
def test_invalid_province_is_an_error(province: str) -> None:
    number = make_id_number(province + "1122", date(1990, 1, 1), 11)
    assert errors(parse(number)) == [v.ID_BAD_PROVINCE.format(code=province)]


@pytest.mark.parametrize("province", sorted(v.PROVINCE_CODES))
def test_every_valid_province_is_accepted(province: str) -> None:
    assert parse(make_id_number(province + "0101", date(1990, 1, 1), 11)).ok


# --- rejections ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "   ", None, '=""', "'"])
def test_empty_is_required_error(raw: object) -> None:
    parsed = parse(raw)
    assert errors(parsed) == [v.ID_REQUIRED]


@pytest.mark.parametrize("raw", ["4305241990010112", "43052419900101123", "4305241990010112345", "1234"])
def test_wrong_length(raw: str) -> None:
    assert errors(parse(raw)) == [v.ID_BAD_LENGTH.format(length=len(raw))]


@pytest.mark.parametrize(
    "raw",
    [
        "43052419900101A234",
        "X30524199001011234",
        "43052419900101123Y",
        "43052490010112X",
        "张三李四王五赵六孙七钱八周九吴十郑甲",
    ],
)
def test_bad_characters(raw: str) -> None:
    assert errors(parse(raw)) == [v.ID_BAD_CHARS]


def test_checksum_error_message() -> None:
    bad = LANSHAN_1980[:-1] + ("9" if LANSHAN_1980[-1] != "9" else "8")
    parsed = parse(bad)
    assert errors(parsed) == [v.ID_BAD_CHECKSUM]
    assert "校验码错误" in v.ID_BAD_CHECKSUM
    assert parsed.normalized == ""
    assert parsed.birth_date is None
    assert parsed.sex == ""


def test_impossible_birth_date_is_rejected() -> None:
    number = with_check("43052419900230123")
    parsed = parse(number)
    assert errors(parsed) == [v.ID_BAD_BIRTH_DATE.format(value="19900230")]
    assert parsed.birth_date is None


@pytest.mark.parametrize("birth", ["19901301", "19900001", "19900100", "20230229", "19000229"])
def test_other_impossible_dates(birth: str) -> None:
    assert errors(parse(with_check(f"430524{birth}123"))) == [v.ID_BAD_BIRTH_DATE.format(value=birth)]


def test_leap_day_is_fine() -> None:
    assert parse(make_id_number("430524", date(2000, 2, 29), 123)).ok


def test_birth_in_the_future_is_rejected() -> None:
    number = make_id_number("430524", date(2024, 6, 2), 123)
    assert errors(parse(number)) == [v.ID_BIRTH_IN_FUTURE.format(value="20240602")]
    assert parse(make_id_number("430524", TODAY, 123)).ok  # born today is fine


def test_older_than_120_is_rejected() -> None:
    assert parse(make_id_number("430524", date(1903, 6, 2), 123)).ok  # 120 on TODAY
    number = make_id_number("430524", date(1903, 6, 1), 123)  # 121 on TODAY
    assert errors(parse(number)) == [v.ID_TOO_OLD.format(value="19030601")]


def test_on_defaults_to_today() -> None:
    number = make_id_number("430524", date.today(), 123)
    assert v.parse_id_number(number).ok


def test_age_on() -> None:
    assert v.age_on(date(1990, 6, 1), date(2024, 5, 31)) == 33
    assert v.age_on(date(1990, 6, 1), date(2024, 6, 1)) == 34
    assert v.age_on(date(2000, 2, 29), date(2024, 2, 28)) == 23
    assert v.age_on(date(2000, 2, 29), date(2024, 3, 1)) == 24


# --- properties ------------------------------------------------------------------------------------------

addresses = st.builds(
    lambda province, rest: province + rest,
    st.sampled_from(sorted(v.PROVINCE_CODES)),
    st.text(alphabet="0123456789", min_size=4, max_size=4),
)
births = st.dates(min_value=date(1903, 6, 2), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)


@given(addresses, births, sequences)
def test_every_generated_id_parses(address: str, birth: date, sequence: int) -> None:
    number = make_id_number(address, birth, sequence)
    parsed = parse(number, address_status=lambda code, on: "current")
    assert parsed.issues.errors == {}
    assert parsed.issues.warnings == {}
    assert parsed.normalized == number
    assert parsed.birth_date == birth
    assert parsed.sex == ("1" if sequence % 2 else "2")


@given(addresses, births, sequences, st.integers(min_value=0, max_value=17), st.data())
def test_any_single_substitution_is_rejected(
    address: str, birth: date, sequence: int, position: int, data: st.DataObject
) -> None:
    number = make_id_number(address, birth, sequence)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([ch for ch in alphabet if ch != number[position]]))
    mutated = number[:position] + replacement + number[position + 1 :]
    parsed = parse(mutated)
    assert parsed.issues.has_errors
    assert parsed.normalized == ""
