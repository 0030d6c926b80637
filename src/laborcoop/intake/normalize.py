"""Normalising the text of imported spreadsheet cells into clean values.

Every function is total: bad input gives "" or None (never an exception), and the import pipeline reports
the row. Readers hand over every cell as text (see `intake.readers`), so most functions take text, but they
also accept the Python values a library may produce (numbers, dates, bools).
"""

import math
import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from laborcoop.core.chinese import normalize_name
from laborcoop.core.text import clean_text
from laborcoop.core.validation.idcard import normalize_id_input
from laborcoop.core.validation.phone import normalize_phone
from laborcoop.registry.validation import person

# Excel's serial day 1 is 1900-01-01 with the epoch 1899-12-31, but Excel believes 1900 was a leap year
# (serial 60 = the phantom 1900-02-29). From serial 61 on, the epoch 1899-12-30 is right.
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_PHANTOM_DAY = 60
EXCEL_MAX_SERIAL = 2958465  # 9999-12-31

_YMD_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_YM_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:份)?")
_TIME_RE = re.compile(r"\d{1,2}(?::\d{1,2}){1,2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
_SERIAL_RE = re.compile(r"\d{1,7}(?:\.\d+)?")

_TRUE = frozenset(["是", "有", "y", "yes", "1", "true", "t", "√", "✓", "✔", "对"])
_FALSE = frozenset(["否", "无", "没有", "n", "no", "0", "false", "f", "×", "✗", "✘", "x", "错"])


def clean_id(value: object) -> str:
    """An ID number as typed: half-width, no spaces or wrappers, upper case (see idcard.normalize_id_input).

    Pass the raw cell text to `idcard.detect_excel_damage` as well: a damaged number is not repaired here.
    """
    try:
        return normalize_id_input(value)
    except Exception:  # normalize_id_input only calls str(); guard against odd objects
        return ""


def clean_name(value: object) -> str:
    """A person's name: clean_text, no spaces, traditional characters to simplified (OpenCC t2s)."""
    return normalize_name(clean_text(value))


def clean_phone(value: object) -> str:
    """Digits of a phone number (no spaces, dashes, +86); validation is the caller's (validation.phone)."""
    text = clean_text(value)
    if re.fullmatch(r"\d{11}\.0+", text):  # a mobile number stored as a number cell and read as a float
        text = text.split(".", 1)[0]
    return normalize_phone(text)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def excel_serial_to_date(serial: float) -> date | None:
    """The day of an Excel serial number (1900 date system); the time part is dropped."""
    if not math.isfinite(serial) or serial < 1 or serial >= EXCEL_MAX_SERIAL + 1:
        return None
    days = int(serial)
    if days == EXCEL_PHANTOM_DAY:
        return None
    if days < EXCEL_PHANTOM_DAY:
        days += 1
    return EXCEL_EPOCH + timedelta(days=days)


def _parse_digits(text: str) -> date | None:
    if len(text) == 8:  # 20230501
        return _safe_date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if len(text) == 6:  # 202305
        return _safe_date(int(text[:4]), int(text[4:]), 1)
    if len(text) == 4 and 1800 <= int(text) <= 2200:
        return None  # a bare year, not a serial day of 1905-1906
    return excel_serial_to_date(float(text))


def parse_date(value: object) -> date | None:
    """A date from the forms found in real sheets, or None.

    Excel serial numbers (as numbers or text), "2023-05-01", "2023/5/1", "2023.5.1", "20230501",
    "2023年05月01日", ISO datetimes ("2023-05-01T08:30:00", "2023-05-01 08:30"); month forms give the first day
    of the month: "2023年5月", "2023-05", "202305". A bare four-digit year is ambiguous and gives None.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            return None
        if not math.isfinite(number):
            return None
        if number.is_integer() and 10_000_000 <= number <= 99_999_999:
            return _parse_digits(str(int(number)))
        return excel_serial_to_date(number)
    text = clean_text(value)
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return _parse_digits(text)
    if _SERIAL_RE.fullmatch(text):
        return excel_serial_to_date(float(text))
    parts = re.split(r"(?<=\d)(?:T|\s+)(?=\d)", text, maxsplit=1)
    date_part = parts[0]
    time_part = parts[1] if len(parts) > 1 else ""
    if time_part and not _TIME_RE.fullmatch(time_part):
        return None
    match = _YMD_RE.fullmatch(date_part)
    if match:
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    match = _YM_RE.fullmatch(date_part)
    if match and not time_part:
        return _safe_date(int(match[1]), int(match[2]), 1)
    return None


def parse_month(value: object) -> date | None:
    """The first day of the month of a date or month value ("2023年5月", "202305", "2023-05-17")."""
    day = parse_date(value)
    return day.replace(day=1) if day is not None else None


def parse_bool(value: object) -> bool | None:
    """是/否, 有/无, Y/N, 1/0, true/false, √/×; None for blank or anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = clean_text(value).lower()
    if text in ("1.0", "0.0"):
        text = text[0]
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


_NUMBER_JUNK_RE = re.compile(r"[,\s]|元|人|名|岁|周岁|个|/月|每月|左右|以上|以下")


def parse_decimal(value: object) -> Decimal | None:
    """A number from "3,000", "3000元", "2500.50", "3.5万" (x 10000); None when not a finite number."""
    if isinstance(value, bool) or value is None:
        return None
    text = _NUMBER_JUNK_RE.sub("", clean_text(value))
    factor = Decimal(1)
    if text.endswith("万"):
        text, factor = text[:-1], Decimal(10000)
    if not re.fullmatch(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)", text) or len(text) > 30:
        return None
    try:
        return Decimal(text) * factor
    except InvalidOperation:
        return None


def parse_int(value: object) -> int | None:
    """A whole number ("3", "3.0", "3,000", "30人"); None for fractions and anything else."""
    number = parse_decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def split_multi(value: object) -> list[str]:
    """A multi-value cell ("残疾,长期慢性病", "残疾、长期慢性病") as a list; see validation.person.split_multi."""
    if value is None:
        return []
    return [item for item in (clean_text(part) for part in person.split_multi(clean_text(value))) if item]
