"""Scan every text column of every table for clear ID and mobile numbers (personal data at rest)."""

import re
from datetime import date
from typing import Any

from django.apps import apps
from django.db import connection, models

from laborcoop.core.validation.checksums import id_check_char

ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
_TEXT = (models.CharField, models.TextField, models.JSONField)
# Work contacts kept in clear on purpose (docs/security.md, "Phone numbers"): a staff account's own number and
# an enterprise's published contact phone. Keyed hashes are hex digests: digit runs in them mean nothing.
SKIPPED = {("accounts_user", "phone"), ("employers_enterprise", "contact_phone")}


def clear_personal_values() -> list[tuple[str, str, str]]:
    """(table, column, matched text) for every clear ID or mobile number found in the database."""
    found: list[tuple[str, str, str]] = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            table = model._meta.db_table
            columns = [
                f.column
                for f in model._meta.concrete_fields
                if isinstance(f, _TEXT) and not f.column.endswith("_hash") and (table, f.column) not in SKIPPED
            ]
            if not columns:
                continue
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = _text(value)
                    found.extend((table, column, m) for m in ID_RE.findall(text) if _is_id_number(m))
                    found.extend((table, column, m) for m in MOBILE_RE.findall(text))
    return found


def _is_id_number(text: str) -> bool:
    """An 18-character run with a valid GB 11643 check character and a birth date (户编号 and other 18-digit
    codes are not: their digits 7-14 are no date)."""
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    return born.year >= 1900 and id_check_char(text[:17]) == text[17].upper()


def _text(value: Any) -> str:
    return "" if value is None else str(value)
