import pytest

from laborcoop.core.validation import phone as v
from laborcoop.core.validation.issues import Issues


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("１３８－１２３４－５６７８", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+86-13812345678", "13812345678"),
        ("＋８６１３８１２３４５６７８", "13812345678"),
        ("008613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("'13812345678", "13812345678"),
        ('="13812345678"', "13812345678"),
        (13812345678, "13812345678"),
        (None, ""),
    ],
)
def test_normalize_phone(raw: object, expected: str) -> None:
    assert v.normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["13012345678", "19912345678", "+86 166 0000 1111", "１５９ ８７６５ ４３２１"])
def test_valid_mobiles(raw: str) -> None:
    number, issues = v.validate_mobile(raw)
    assert len(number) == 11
    assert issues.errors == {}


@pytest.mark.parametrize(
    "raw", ["12812345678", "11812345678", "1381234567", "138123456789", "23812345678", "0743-4221234", "电话"]
)
def test_invalid_mobiles(raw: str) -> None:
    number, issues = v.validate_mobile(raw)
    assert number == ""
    assert issues.errors == {"phone": [v.PHONE_BAD_MOBILE]}


def test_mobile_empty_optional_and_required() -> None:
    assert v.validate_mobile("") == ("", Issues())
    number, issues = v.validate_mobile("  ", field="member_phone", required=True)
    assert number == ""
    assert issues.errors == {"member_phone": [v.PHONE_REQUIRED]}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0743-4221234", "0743-4221234"),
        ("07434221234", "0743-4221234"),
        ("0743 4221234", "0743-4221234"),
        ("(0743)4221234", "0743-4221234"),
        ("（0743）4221234", "0743-4221234"),
        ("０７４３－４２２１２３４", "0743-4221234"),
        ("0743—4221234", "0743-4221234"),
        ("010-62345678", "010-62345678"),
        ("021-55551234", "021-55551234"),
        ("0531-88881234", "0531-88881234"),
        ("0743-4221234-801", "0743-4221234-801"),
        ("0743-4221234转801", "0743-4221234-801"),
        ("0743-4221234 ext 801", "0743-4221234-801"),
        ("+86 743 4221234", "0743-4221234"),
        ("+86-10-62345678", "010-62345678"),
        ("400-123-4567", "400-123-4567"),
        ("4001234567", "400-123-4567"),
        ("800 123 4567", "800-123-4567"),
    ],
)
def test_valid_contact_phones(raw: str, expected: str) -> None:
    number, issues = v.validate_contact_phone(raw)
    assert issues.errors == {}
    assert number == expected
    assert len(number) <= 20


@pytest.mark.parametrize(
    "raw",
    [
        "12812345678",
        "4221234",  # no area code
        "0743-0221234",  # local number starting with 0
        "0743-422123",  # too short
        "0743-422123456",  # too long
        "010-123456789",
        "联系电话",
        "0743-4221234-1234567",  # extension too long
    ],
)
def test_invalid_contact_phones(raw: str) -> None:
    number, issues = v.validate_contact_phone(raw)
    assert number == ""
    assert issues.errors == {"contact_phone": [v.PHONE_BAD_CONTACT]}


def test_contact_phone_empty_optional_and_required() -> None:
    assert v.validate_contact_phone(None) == ("", Issues())
    _, issues = v.validate_contact_phone("", required=True)
    assert issues.errors == {"contact_phone": [v.PHONE_REQUIRED]}
