"""Phone numbers: mobile numbers of laborers and households, mobile or fixed-line numbers of enterprises."""

import re

from laborcoop.core.validation.idcard import clean_code_text
from laborcoop.core.validation.issues import Issues

PHONE_REQUIRED = "请填写联系电话"
PHONE_BAD_MOBILE = "手机号码应为 11 位数字，以 1 开头，第 2 位为 3 至 9"
PHONE_BAD_CONTACT = "联系电话应为手机号码或固定电话（区号-号码，如 0743-4221234）"

MOBILE_RE = re.compile(r"1[3-9]\d{9}")

# Separators people type inside numbers; dashes of every width.
_SEPARATORS = str.maketrans("", "", "-‐‑‒–—―－()（）.")
# Area codes: 010 and 02x have 3 digits, all others 4 (0 + 3). Local numbers have 7-8 digits, not 0/1 first.
_FIXED_RE = re.compile(
    r"\(?(?P<area>010|02\d|0[3-9]\d\d)\)?-?(?P<local>[2-9]\d{6,7})"
    r"(?:(?:-|转|分机|EXT\.?|#)(?P<ext>\d{1,6}))?"
)
# Nationwide service numbers (400/800 + 7 digits), common for enterprises.
_SERVICE_RE = re.compile(r"(?P<prefix>[48]00)-?(?P<a>\d{3})-?(?P<b>\d{4})")


def _strip_country_code(text: str) -> str:
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            return text[len(prefix) :].lstrip("-")
    return text


def normalize_phone(raw: object) -> str:
    """Digits of a (mobile) number: no spaces, dashes, brackets, full-width forms or +86/0086/86 prefix."""
    text = _strip_country_code(clean_code_text(raw)).translate(_SEPARATORS)
    # A bare "86" only before a mobile number: "8613812345678".
    if len(text) == 13 and text.startswith("861"):
        text = text[2:]
    return text


def validate_mobile(raw: object, field: str = "phone", required: bool = False) -> tuple[str, Issues]:
    """A mobile number (`^1[3-9]\\d{9}$`); returns (11 digits or "" when invalid or empty, issues)."""
    issues = Issues()
    number = normalize_phone(raw)
    if not number:
        if required:
            issues.error(field, PHONE_REQUIRED)
        return "", issues
    if not MOBILE_RE.fullmatch(number):
        issues.error(field, PHONE_BAD_MOBILE)
        return "", issues
    return number, issues


def validate_contact_phone(raw: object, field: str = "contact_phone", required: bool = False) -> tuple[str, Issues]:
    """A mobile or fixed-line number (enterprise contacts).

    Returns (normalized or "", issues). Normalized forms: mobile "13812345678"; fixed line "0743-4221234",
    with an extension "0743-4221234-801"; service numbers "400-123-4567". At most 20 characters.
    """
    issues = Issues()
    text = clean_code_text(raw)
    if not text:
        if required:
            issues.error(field, PHONE_REQUIRED)
        return "", issues
    mobile = normalize_phone(text)
    if MOBILE_RE.fullmatch(mobile):
        return mobile, issues
    text = text.upper()
    stripped = _strip_country_code(text)
    # "+86 743 4221234": international form, the area code without its leading 0.
    if stripped != text and not stripped.startswith("0"):
        stripped = "0" + stripped
    text = re.sub(r"[‐‑‒–—―]", "-", stripped)
    fixed = _FIXED_RE.fullmatch(text)
    if fixed:
        number = f"{fixed['area']}-{fixed['local']}"
        if fixed["ext"]:
            number += f"-{fixed['ext']}"
        return number, issues
    service = _SERVICE_RE.fullmatch(text)
    if service:
        return f"{service['prefix']}-{service['a']}-{service['b']}", issues
    issues.error(field, PHONE_BAD_CONTACT)
    return "", issues
