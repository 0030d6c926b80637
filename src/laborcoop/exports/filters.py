"""How export jobs store their filters: search texts holding an ID or mobile number only encrypted."""

from collections.abc import Mapping
from typing import Any

from laborcoop.core.crypto import decrypt, encrypt
from laborcoop.core.logging import redact

_SEALED = "__sealed__"


def seal_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    """Filters as a background job stores them: a search text holding an ID or mobile number is kept only
    encrypted (core.crypto), so the task can rerun the search without personal data in clear at rest."""
    return {
        key: {_SEALED: encrypt(value)} if isinstance(value, str) and redact(value) != value else value
        for key, value in filters.items()
    }


def open_filters(stored: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: decrypt(value[_SEALED]) if isinstance(value, dict) and _SEALED in value else value
        for key, value in stored.items()
    }
