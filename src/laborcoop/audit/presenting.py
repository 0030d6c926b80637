"""Audit rows in the reader's words: field labels instead of field names, code-list labels instead of codes,
region names instead of region codes, people's names instead of login names.

An entry stores `changes` as `{field: [old, new]}` with raw values (codes, ids, lists) under the model's field
names (`core.audit.diff`), plus a few pseudo-fields that services write (e.g. `matching`). The model comes from
`object_type` ("registry.laborer"); a field or value this module does not know is shown as stored.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from laborcoop.core.models import AuditEntry
from laborcoop.regions.paths import RegionNames

# Pseudo-fields written by services (not model fields), in the reader's words.
PSEUDO_FIELDS = {
    "matching": "人岗匹配",
    "relation": "与户主关系",
    "phone": "联系电话",
    "id_number": "证件号码",
    "mapping": "列对应",
    "threshold": "匹配阈值",
    "password": "密码",
    "merge": "合并",
}
EMPTY = "（空）"
YES_NO = {True: "是", False: "否"}


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class DescribedEntry:
    """An audit row with its changes and its actor in words (what the audit templates show)."""

    entry: AuditEntry
    changes: list[ChangeRow]
    actor: str


@cache
def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _user_name(pk: Any) -> str:
    user = apps.get_model("accounts", "User").objects.filter(pk=pk).only("username", "first_name").first()
    if user is None:
        return str(pk)
    return user.first_name or user.username


def _label_of(choices: Iterable[Any], value: Any) -> str:
    for key, label in choices:
        if str(key) == str(value):
            return str(label)
    return str(value)


def _is_region(field: models.Field[Any, Any] | None) -> bool:
    related = field.related_model if field is not None and field.is_relation else None
    return related is not None and related._meta.label == "regions.Region"


def _value(field: models.Field[Any, Any] | None, value: Any, regions: RegionNames) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return YES_NO[value]
    if isinstance(value, list):
        return "、".join(_value(field, item, regions) for item in value) or EMPTY
    if field is None:
        return str(value)
    if _is_region(field):
        return regions.path(str(value)) or str(value)
    related = field.related_model if field.is_relation else None
    if related is not None and related._meta.label == "accounts.User":
        return _user_name(value)
    choices = field.choices
    base = getattr(field, "base_field", None)  # ArrayField-like list fields keep their choices on the item
    if not choices and base is not None:
        choices = base.choices
    if choices:
        return _label_of(choices, value)
    return str(value)


def _change_rows(entry: AuditEntry, regions: RegionNames) -> list[ChangeRow]:
    model = _model(entry.object_type)
    rows = []
    for name, pair in (entry.changes or {}).items():
        field = _field(model, name)
        label = str(field.verbose_name) if field is not None else PSEUDO_FIELDS.get(name, name)
        old, new = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        rows.append(ChangeRow(label=label, before=_value(field, old, regions), after=_value(field, new, regions)))
    return rows


def _region_codes(entries: Iterable[AuditEntry]) -> set[str]:
    codes: set[str] = set()
    for entry in entries:
        model = _model(entry.object_type)
        for name, pair in (entry.changes or {}).items():
            if _is_region(_field(model, name)) and isinstance(pair, list):
                codes |= {str(value) for value in pair if value}
    return codes


def describe_entries(entries: Iterable[AuditEntry]) -> list[DescribedEntry]:
    """The entries in the reader's words; the region names of the whole page come in one query."""
    entries = list(entries)
    regions = RegionNames()
    regions.load(_region_codes(entries))
    return [
        DescribedEntry(entry=entry, changes=_change_rows(entry, regions), actor=actor_name(entry)) for entry in entries
    ]


def change_rows(entry: AuditEntry) -> list[ChangeRow]:
    """One entry's changes, one row per field, in the reader's words."""
    return describe_entries([entry])[0].changes


def actor_name(entry: AuditEntry) -> str:
    """Who did it: the person's name (their login in brackets), or 系统 for system writes."""
    actor = entry.actor
    if actor is None:
        return "系统"
    return f"{actor.first_name}（{actor.username}）" if actor.first_name else actor.username
