"""Bounded integer query parameters: every integer an API list accepts in its query string is parsed here, so a
value no database column can hold (page=99999999999999999999, min_age=99999999999) is a 400 with a Chinese
message, never an overflow in the database driver or in date arithmetic."""

from typing import Any

from rest_framework import serializers

# Row ids are 64-bit (BigAutoField); SQLite and PostgreSQL both refuse anything larger.
MAX_ID = 2**63 - 1
# A page number beyond this is no real page: at 200 rows a page it is 200 million rows in.
MAX_PAGE = 1_000_000
# Ages and spans in days: a hundred years is more than any rule or filter means.
MAX_DAYS = 36_500

ID_INVALID = "请填写有效的 id（正整数）。"
PAGE_INVALID = "页码无效：请填写 1 至 {max} 之间的整数。"
PAGE_SIZE_INVALID = "每页条数无效：请填写 1 至 {max} 之间的整数。"
NUMBER_INVALID = "请填写 {min} 至 {max} 之间的整数。"


def bounded_int(
    *, min_value: int, max_value: int, message: str | None = None, **kwargs: Any
) -> serializers.IntegerField:
    """An IntegerField whose every refusal (not a number, too small, too large) says the same Chinese sentence."""
    text = message or NUMBER_INVALID.format(min=min_value, max=max_value)
    errors: dict[str, Any] = {
        "invalid": text,
        "min_value": text,
        "max_value": text,
        "max_string_length": text,
    }
    return serializers.IntegerField(min_value=min_value, max_value=max_value, error_messages=errors, **kwargs)


def id_param(**kwargs: Any) -> serializers.IntegerField:
    """A row id in a query string (`?laborer=12`)."""
    return bounded_int(min_value=1, max_value=MAX_ID, message=ID_INVALID, **kwargs)


def days_param(**kwargs: Any) -> serializers.IntegerField:
    """A number of days in a query string (`?min_age=30`)."""
    return bounded_int(min_value=1, max_value=MAX_DAYS, **kwargs)


def parse_bounded(value: str | None, *, default: int, min_value: int, max_value: int, message: str, name: str) -> int:
    """One query parameter parsed outside a serializer (the paginators): 400 `{name: [message]}` when it is not an
    integer between the bounds."""
    if value is None or value == "":
        return default
    field = bounded_int(min_value=min_value, max_value=max_value, message=message)
    try:
        number: int = field.run_validation(value)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({name: [message]}) from exc
    return number
