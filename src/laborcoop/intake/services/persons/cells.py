"""Cell converters of the PERSONS import: raw cell text -> (value, error or "", warning or "").

Each conversion is memoised per column and raw text: code lists, dates and multi-value cells repeat a handful
of values over a whole file. A value of `...` means "not imported" (the cell is reported and left out).
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from laborcoop.core.text import clean_text, map_choice
from laborcoop.core.validation.phone import validate_mobile
from laborcoop.intake import normalize
from laborcoop.intake.columns import PERSON_COLUMNS
from laborcoop.intake.services.common import CODE_NOT_IN_LIST, VALUE_REQUIRED
from laborcoop.registry import choices as c

UNREADABLE_IGNORED = "{label}“{value}”无法识别，未导入"
WAGE_OUT_OF_RANGE = "期望月收入应在 100 至 100000 元之间，未导入"

WAGE_RANGE = (100, 100_000)
_LABEL = {column.key: column.label for column in PERSON_COLUMNS}
_MOBILE_SECOND = frozenset("3456789")

Converted = tuple[Any, str, str]  # (value, error or "", warning or "")


def quick_clean(text: str) -> str:
    """clean_text, short-cut for the usual plain ASCII cell (digits, letters) that it would not change."""
    if text.isascii() and text.isalnum():
        return text
    return clean_text(text)


def mobile(raw: str) -> tuple[str, str]:
    """(11-digit mobile or "", error message or ""), with validate_mobile's rules; plain numbers short-cut."""
    if len(raw) == 11 and raw.isdigit() and raw[0] == "1" and raw[1] in _MOBILE_SECOND:
        return raw, ""
    phone, issues = validate_mobile(normalize.clean_phone(raw), field="phone")
    errors = issues.errors.get("phone", [])
    return phone, errors[0] if errors else ""


class CellConverter:
    """The converters of one import, with their memo: column key -> raw text -> converted."""

    def __init__(self) -> None:
        self._memo: dict[str, dict[str, Converted]] = defaultdict(dict)

    def memoized(self, key: str, raw: str, convert: Callable[[str], Converted]) -> Converted:
        memo = self._memo[key]
        hit = memo.get(raw)
        if hit is None:
            hit = memo[raw] = convert(raw)
        return hit

    def choice(self, key: str, raw: str, choices: Any, *, required: bool = False) -> Converted:
        def convert(text: str) -> Converted:
            cleaned = clean_text(text)
            if not cleaned:
                return "", (VALUE_REQUIRED.format(label=_LABEL[key]) if required else ""), ""
            code = map_choice(cleaned, choices)
            if code is None:
                return cleaned, CODE_NOT_IN_LIST.format(label=_LABEL[key], value=cleaned), ""
            return code, "", ""

        return self.memoized(key, raw, convert)

    def soft_choice(self, key: str, raw: str, choices: Any) -> Converted:
        """Like `choice`, but a value outside the code list is left for check_person to report."""

        def convert(text: str) -> Converted:
            cleaned = clean_text(text)
            return (map_choice(cleaned, choices) or cleaned) if cleaned else "", "", ""

        return self.memoized(key, raw, convert)

    def soft_health(self, raw: str) -> Converted:
        def convert(text: str) -> Converted:
            values = [map_choice(item, c.Health) or item for item in normalize.split_multi(text)]
            ordered = [v for v in c.Health.values if v in values]
            return ordered + [v for v in values if v not in c.Health.values], "", ""

        return self.memoized("health", raw, convert)

    def multi(self, key: str, raw: str, choices: Any = None) -> Converted:
        def convert(text: str) -> Converted:
            items = normalize.split_multi(text)
            if choices is None:
                return items, "", ""
            codes: list[str] = []
            unknown: list[str] = []
            for item in items:
                code = map_choice(item, choices)
                if code is None:
                    unknown.append(item)
                elif code not in codes:
                    codes.append(code)
            warning = UNREADABLE_IGNORED.format(label=_LABEL[key], value="、".join(unknown)) if unknown else ""
            return codes, "", warning

        return self.memoized(key, raw, convert)

    def as_date(self, key: str, raw: str) -> Converted:
        def convert(text: str) -> Converted:
            cleaned = clean_text(text)
            if not cleaned:
                return None, "", ""
            value = normalize.parse_date(cleaned)
            if value is None:
                return ..., "", UNREADABLE_IGNORED.format(label=_LABEL[key], value=cleaned)
            return value, "", ""

        return self.memoized(key, raw, convert)

    def as_bool(self, key: str, raw: str) -> Converted:
        def convert(text: str) -> Converted:
            cleaned = clean_text(text)
            if not cleaned:
                return None, "", ""
            value = normalize.parse_bool(cleaned)
            if value is None:
                return ..., "", UNREADABLE_IGNORED.format(label=_LABEL[key], value=cleaned)
            return value, "", ""

        return self.memoized(key, raw, convert)

    def wage(self, raw: str) -> Converted:
        def convert(text: str) -> Converted:
            cleaned = clean_text(text)
            if not cleaned:
                return None, "", ""
            value = normalize.parse_int(cleaned)
            if value is None:
                return ..., "", UNREADABLE_IGNORED.format(label=_LABEL["expected_wage"], value=cleaned)
            if not WAGE_RANGE[0] <= value <= WAGE_RANGE[1]:
                return ..., "", WAGE_OUT_OF_RANGE
            return value, "", ""

        return self.memoized("expected_wage", raw, convert)
