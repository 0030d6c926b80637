import pytest
from hypothesis import given
from hypothesis import strategies as st

from laborcoop.core.validation import uscc as v
from laborcoop.core.validation.checksums import USCC_ALPHABET, make_uscc

ENTERPRISE = make_uscc("91433122MA4L1234A")  # 9 工商, 1 企业, 433122 泸溪县
COOPERATIVE = make_uscc("93433122MA4L1234A")  # 9 工商, 3 农民专业合作社
VILLAGE_COLLECTIVE = make_uscc("N2433122MF1234567")  # N 农业, 2 村级集体经济组织
OTHER = make_uscc("Y1433122MF1234567")  # Y 其他
ARMY = make_uscc("A1100000MB0123456")  # A 军委改革和编制办公室


@pytest.mark.parametrize("code", [ENTERPRISE, COOPERATIVE, VILLAGE_COLLECTIVE, OTHER, ARMY])
def test_valid_codes_including_letter_prefixes(code: str) -> None:
    normalized, issues = v.validate_uscc(code)
    assert normalized == code
    assert issues.errors == {}
    assert issues.warnings == {}


@pytest.mark.parametrize(
    "raw",
    [
        ENTERPRISE.lower(),
        " " + ENTERPRISE[:6] + " " + ENTERPRISE[6:] + " ",
        "".join(chr(ord(ch) + 0xFEE0) for ch in ENTERPRISE),  # full width
        f'="{ENTERPRISE}"',
        "'" + ENTERPRISE,
    ],
)
def test_normalisation(raw: str) -> None:
    normalized, issues = v.validate_uscc(raw)
    assert not issues.has_errors
    assert normalized == ENTERPRISE


def test_required_and_optional() -> None:
    normalized, issues = v.validate_uscc("  ")
    assert normalized == ""
    assert issues.errors == {"uscc": [v.USCC_REQUIRED]}
    normalized, issues = v.validate_uscc("", required=False)
    assert normalized == ""
    assert not issues.has_errors


def test_field_name_is_configurable() -> None:
    _, issues = v.validate_uscc("123", field="credit_code")
    assert issues.errors == {"credit_code": [v.USCC_BAD_LENGTH.format(length=3)]}


@pytest.mark.parametrize("raw", [ENTERPRISE[:17], ENTERPRISE + "1", "9143"])
def test_wrong_length(raw: str) -> None:
    assert v.validate_uscc(raw)[1].errors == {"uscc": [v.USCC_BAD_LENGTH.format(length=len(raw))]}


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_letters_outside_the_alphabet_are_rejected(letter: str) -> None:
    code = ENTERPRISE[:10] + letter + ENTERPRISE[11:]
    normalized, issues = v.validate_uscc(code)
    assert normalized == ""
    assert issues.errors == {"uscc": [v.USCC_BAD_CHARS]}


def test_punctuation_is_rejected() -> None:
    assert v.validate_uscc(ENTERPRISE[:17] + "-")[1].errors == {"uscc": [v.USCC_BAD_CHARS]}


def test_checksum_error() -> None:
    wrong = "0" if ENTERPRISE[-1] != "0" else "1"
    normalized, issues = v.validate_uscc(ENTERPRISE[:17] + wrong)
    assert normalized == ""
    assert issues.errors == {"uscc": [v.USCC_BAD_CHECKSUM]}
    assert "校验码错误" in v.USCC_BAD_CHECKSUM


@pytest.mark.parametrize("authority", ["0", "B", "C", "M", "X"])
def test_unknown_registration_authority_is_rejected(authority: str) -> None:
    code = make_uscc(authority + ENTERPRISE[1:17])
    assert v.validate_uscc(code)[1].errors == {"uscc": [v.USCC_BAD_AUTHORITY.format(char=authority)]}


def test_unknown_category_is_only_a_warning() -> None:
    code = make_uscc("95433122MA4L1234A")  # 工商 has categories 1-3
    normalized, issues = v.validate_uscc(code)
    assert normalized == code
    assert not issues.has_errors
    assert issues.warnings == {"uscc": [v.USCC_UNKNOWN_CATEGORY.format(char="5", authority="9")]}


def test_non_numeric_region_is_only_a_warning() -> None:
    code = make_uscc("9143A122MA4L1234A")
    normalized, issues = v.validate_uscc(code)
    assert normalized == code
    assert issues.warnings == {"uscc": [v.USCC_ODD_REGION]}


# --- properties ------------------------------------------------------------------------------------------

first17s = st.builds(
    lambda authority, rest: authority + rest,
    st.sampled_from(sorted(v.AUTHORITY_CATEGORIES)),
    st.text(alphabet=USCC_ALPHABET, min_size=16, max_size=16),
)


@given(first17s)
def test_every_generated_code_is_accepted(first17: str) -> None:
    code = make_uscc(first17)
    normalized, issues = v.validate_uscc(code)
    assert issues.errors == {}
    assert normalized == code


@given(st.sampled_from("NY"), st.text(alphabet=USCC_ALPHABET, min_size=16, max_size=16))
def test_letter_prefixed_codes_are_accepted(authority: str, rest: str) -> None:
    code = make_uscc(authority + rest)
    assert not v.validate_uscc(code)[1].has_errors


@given(first17s, st.integers(min_value=0, max_value=17), st.data())
def test_any_single_substitution_is_rejected(first17: str, position: int, data: st.DataObject) -> None:
    code = make_uscc(first17)
    replacement = data.draw(st.sampled_from([ch for ch in USCC_ALPHABET if ch != code[position]]))
    mutated = code[:position] + replacement + code[position + 1 :]
    normalized, issues = v.validate_uscc(mutated)
    assert issues.has_errors
    assert normalized == ""


@given(first17s, st.integers(min_value=0, max_value=17), st.sampled_from("IOZSV"))
def test_forbidden_letters_are_rejected_anywhere(first17: str, position: int, letter: str) -> None:
    code = make_uscc(first17)
    mutated = code[:position] + letter + code[position + 1 :]
    assert v.validate_uscc(mutated)[1].errors == {"uscc": [v.USCC_BAD_CHARS]}
