"""Resident ID numbers (GB 11643-1999): cleaning typed or imported values, Excel damage, parsing, checks.

Pure functions. The address-code lookup is injected (`address_status`), so this module never touches the
database; the registry services pass `regions.selectors.address_code_status`.

python-stdnum is deliberately not used: `stdnum.cn.ric` rejects real IDs whose address code was created
after the birth date (431127 with a 1980 birth date).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from laborcoop.core.codes import Sex
from laborcoop.core.validation.checksums import id_check_char, upgrade_15_to_18
from laborcoop.core.validation.issues import Issues

FIELD = "id_number"

ID_REQUIRED = "请填写身份证号"
ID_DAMAGED_BY_EXCEL = "身份证号被 Excel 截断"
ID_BAD_LENGTH = "身份证号应为 18 位（残疾人证号为 20 至 22 位），当前为 {length} 位"
ID_BAD_CHARS = "身份证号只能由数字组成，最后一位可以是 X"
ID_BAD_SUFFIX = "残疾人证号在身份证号之后只能是数字或字母"
ID_BAD_PROVINCE = "身份证号前两位 {code} 不是有效的省级行政区代码"
ID_BAD_BIRTH_DATE = "身份证号中的出生日期 {value} 不存在"
ID_BIRTH_IN_FUTURE = "身份证号中的出生日期 {value} 晚于当前日期"
ID_TOO_OLD = "身份证号中的出生日期 {value} 对应年龄超过 120 岁"
ID_BAD_CHECKSUM = "身份证号校验码错误，请逐位核对"
ID_UPGRADED_FROM_15 = "15 位旧身份证号已升级为 18 位"
ID_UNKNOWN_ADDRESS = "地址码 {code} 不在现行或历史区划代码中"
ID_ADDRESS_NOT_YET = "地址码 {code} 设立于出生日期之后，请核对（区划调整后换发的证件可能如此）"

MAX_AGE = 120

# First two digits of a GB 11643 address code (provinces, plus 71 台湾, 81 香港, 82 澳门, 83 台湾居民居住证,
# 91 外国人永久居留身份证).
PROVINCE_CODES = frozenset(
    [f"{n}" for n in (*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47))]
    + [f"{n}" for n in (*range(50, 55), *range(61, 66), 71, 81, 82, 83, 91)]
)

# What `address_status(code6, birth_date)` may return.
ADDRESS_CURRENT = "current"  # in the current code list
ADDRESS_HISTORICAL = "historical"  # abolished or renamed, valid at some time: old IDs carry such codes
ADDRESS_NOT_YET = "not_yet"  # exists, but was created after the given date
ADDRESS_UNKNOWN = "unknown"  # neither current nor historical
ADDRESS_STATUSES = frozenset([ADDRESS_CURRENT, ADDRESS_HISTORICAL, ADDRESS_NOT_YET, ADDRESS_UNKNOWN])

AddressStatus = Callable[[str, date], str]

# Full-width ASCII (U+FF01..U+FF5E) and the ideographic space to their half-width forms; typographic quotes
# to plain ones (tools that "protect" IDs sometimes pass through word processors).
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALFWIDTH.update({0x3000: 0x20, 0x201C: 0x22, 0x201D: 0x22, 0x2018: 0x27, 0x2019: 0x27})
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_QUOTES = "\"'"

_SCIENTIFIC_RE = re.compile(r"\d+(?:\.\d+)?E[+-]?\d+")
_LONG_FLOAT_RE = re.compile(r"\d{16,}\.\d*")  # a float repr of a number too long to be exact
_EXACT_FLOAT_RE = re.compile(r"(\d{1,15})\.0+")  # <= 15 digits survive a float exactly: "430524900101123.0"
_ID18_RE = re.compile(r"\d{17}[\dX]")
_SUFFIX_RE = re.compile(r"[0-9A-Z]+")


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation and the ideographic space to their ASCII forms."""
    return text.translate(_HALFWIDTH)


def clean_code_text(raw: object) -> str:
    """Common cleaning of a typed or imported code (ID, credit code, phone).

    Half-width characters; every whitespace (inner and full-width spaces, tabs, newlines) and zero-width
    character removed; spreadsheet protections stripped: `="…"` (CSV), a leading apostrophe (Excel text
    prefix) and surrounding quotes, also nested. Case is kept.
    """
    if raw is None:
        return ""
    text = to_halfwidth(str(raw))
    text = "".join(ch for ch in text if not ch.isspace() and ch not in _INVISIBLE)
    previous = None
    while text != previous:
        previous = text
        text = text.removeprefix("=")
        if len(text) >= 2 and text[0] in _QUOTES and text[-1] == text[0]:
            text = text[1:-1]
        elif text[:1] in _QUOTES:
            text = text[1:]
    return text


def normalize_id_input(raw: object) -> str:
    """The value as typed or imported, cleaned: `clean_code_text` plus upper case (x -> X).

    A float-formatted value of at most 15 digits ("430524900101123.0", an old ID read as a number) is
    exact and loses its ".0"; longer numbers are left alone for `detect_excel_damage` to flag.
    """
    text = clean_code_text(raw).upper()
    exact = _EXACT_FLOAT_RE.fullmatch(text)
    return exact.group(1) if exact else text


def detect_excel_damage(raw: object) -> bool:
    """True for an ID that Excel stored as a number and so destroyed (15 significant digits kept).

    Detected: scientific notation ("4.31127E+17", "4.31127e17"), a float repr of a 16+ digit number
    ("431127198003150000.0"), and 18 digits ending in "000" that fail the checksum (the last three digits
    zeroed by Excel). Not repairable: never guess the lost digits.
    """
    text = normalize_id_input(raw)
    if _SCIENTIFIC_RE.fullmatch(text) or _LONG_FLOAT_RE.fullmatch(text):
        return True
    return len(text) == 18 and text.isdigit() and text.endswith("000") and id_check_char(text[:17]) != text[17]


def age_on(birth: date, day: date) -> int:
    """Full years of age on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass
class ParsedId:
    """The outcome of `parse_id_number`.

    When `issues.has_errors`, `normalized`, `birth_date`, `sex` and `disability_suffix` are empty: only
    `cleaned` (the input after `normalize_id_input`) and the messages are meaningful.
    """

    cleaned: str
    normalized: str = ""  # the 18-character ID
    birth_date: date | None = None
    sex: str = ""  # choices.Sex: "1" male (17th digit odd), "2" female
    upgraded_from_15: bool = False
    disability_suffix: str = ""  # the 2 to 4 characters after the ID in a 残疾人证 number
    issues: Issues = field(default_factory=Issues)

    @property
    def ok(self) -> bool:
        return not self.issues.has_errors

    @property
    def is_disability_cert(self) -> bool:
        return bool(self.disability_suffix)

    @property
    def address_code(self) -> str:
        return self.normalized[:6]


def parse_id_number(raw: object, *, address_status: AddressStatus | None = None, on: date | None = None) -> ParsedId:
    """Clean, parse and check a resident ID (or a 20-22 character disability certificate number).

    `on` is the reference day for the future/age checks (default: today). `address_status(code6, birth)`
    is called with the birth date once the number is otherwise valid; it only ever produces warnings. Without
    it only the province (first two digits) is checked. Every message is on the field "id_number".
    """
    today = on or date.today()
    cleaned = normalize_id_input(raw)
    result = ParsedId(cleaned=cleaned)
    issues = result.issues

    if not cleaned:
        issues.error(FIELD, ID_REQUIRED)
        return result
    if detect_excel_damage(cleaned):
        issues.error(FIELD, ID_DAMAGED_BY_EXCEL)
        return result

    length = len(cleaned)
    if length == 15:
        if not cleaned.isdigit():
            issues.error(FIELD, ID_BAD_CHARS)
            return result
        number = upgrade_15_to_18(cleaned)
        result.upgraded_from_15 = True
        issues.warn(FIELD, ID_UPGRADED_FROM_15)
    elif length == 18 or 20 <= length <= 22:
        number, suffix = cleaned[:18], cleaned[18:]
        if not _ID18_RE.fullmatch(number):
            issues.error(FIELD, ID_BAD_CHARS)
            return result
        if suffix and not _SUFFIX_RE.fullmatch(suffix):
            issues.error(FIELD, ID_BAD_SUFFIX)
            return result
        result.disability_suffix = suffix
        if id_check_char(number[:17]) != number[17]:
            issues.error(FIELD, ID_BAD_CHECKSUM)
    else:
        issues.error(FIELD, ID_BAD_LENGTH.format(length=length))
        return result

    province = number[:2]
    if province not in PROVINCE_CODES:
        issues.error(FIELD, ID_BAD_PROVINCE.format(code=province))

    birth_text = number[6:14]
    birth: date | None
    try:
        birth = date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:]))
    except ValueError:
        birth = None
        issues.error(FIELD, ID_BAD_BIRTH_DATE.format(value=birth_text))
    if birth is not None:
        if birth > today:
            issues.error(FIELD, ID_BIRTH_IN_FUTURE.format(value=birth_text))
        elif age_on(birth, today) > MAX_AGE:
            issues.error(FIELD, ID_TOO_OLD.format(value=birth_text))

    if issues.has_errors or birth is None:
        result.disability_suffix = ""
        return result

    if address_status is not None:
        code = number[:6]
        status = address_status(code, birth)
        if status not in ADDRESS_STATUSES:
            raise ValueError(f"address_status returned {status!r}")
        if status == ADDRESS_UNKNOWN:
            issues.warn(FIELD, ID_UNKNOWN_ADDRESS.format(code=code))
        elif status == ADDRESS_NOT_YET:
            issues.warn(FIELD, ID_ADDRESS_NOT_YET.format(code=code))

    result.normalized = number
    result.birth_date = birth
    result.sex = Sex.MALE.value if int(number[16]) % 2 else Sex.FEMALE.value
    return result
