"""Merging two records of one person (or one household): every app moves its own rows, through signals.

A merge (frontdesk's duplicate review) keeps one laborer and deletes the other. Rows of other apps that point
at the removed one must follow the kept one, and an undo must put them back. Instead of one list in the merge
service (which missed every newer table), each app that keeps rows pointing at a Laborer or a Household says
so in its `ready()`:

- `connect_merge_relation(Model, "field", target=Laborer)` for a plain foreign key: on `laborers_merged` its
  rows are re-pointed at the kept record one by one; a row that would break a unique rule of its table (the
  same job recommended to both records, the same insurance month twice) is parked as values and deleted, and
  `laborers_unmerged` moves the rows back and re-creates the parked ones;
- or a receiver of its own for rows that need more (frontdesk's duplicate pairs), declared with
  `declare_merge_handled(Model, "field", target=...)`.

`tests/registry/test_merge_relations.py` walks every relation Django knows to point at Laborer and Household and
fails when one is not handled: a new table cannot be forgotten. The signals are sent inside the merge's
transaction; what receivers return is stored on the merge record (JSON) for the undo.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import IntegrityError, models, transaction
from django.dispatch import Signal

from laborcoop.registry.models import Household, Laborer

# sender = Laborer; kwargs: removed (the deleted record, still in the database), kept, acting_user.
# Receivers return {key: moved} (JSON-able), stored for the undo.
laborers_merged = Signal()
# sender = Laborer; kwargs: moved (what the merge receivers returned, merged into one dict), restored, kept,
# acting_user.
laborers_unmerged = Signal()
# The same for households (sender = Household).
households_merged = Signal()
households_unmerged = Signal()

_SIGNALS: dict[type[models.Model], tuple[Signal, Signal]] = {
    Laborer: (laborers_merged, laborers_unmerged),
    Household: (households_merged, households_unmerged),
}
_handled: dict[type[models.Model], set[tuple[str, str]]] = {Laborer: set(), Household: set()}


def declare_merge_handled(model: type[models.Model], field: str, *, target: type[models.Model]) -> None:
    """Say that `model.field` (pointing at `target`) is taken care of by a receiver of the app's own."""
    _handled[target].add((model._meta.label, field))


def merge_handled_relations(target: type[models.Model]) -> set[tuple[str, str]]:
    return set(_handled[target])


def connect_merge_relation(model: type[models.Model], field: str, *, target: type[models.Model]) -> None:
    """Move `model` rows whose `field` points at the removed `target` record to the kept one, and back on undo."""
    key = f"{model._meta.label_lower}.{field}"
    merged, unmerged = _SIGNALS[target]

    def on_merged(sender: Any, *, removed: Any, kept: Any, **kwargs: Any) -> dict[str, Any]:
        return {key: rows_move(model, field, removed_id=removed.pk, kept_id=kept.pk)}

    def on_unmerged(sender: Any, *, moved: Mapping[str, Any], restored: Any, kept: Any, **kwargs: Any) -> None:
        rows_move_back(model, field, moved.get(key) or {}, kept_id=kept.pk, restored_id=restored.pk)

    merged.connect(on_merged, sender=target, weak=False, dispatch_uid=f"merge:{key}")
    unmerged.connect(on_unmerged, sender=target, weak=False, dispatch_uid=f"unmerge:{key}")
    declare_merge_handled(model, field, target=target)


def merge_related(*, target: type[models.Model], removed: Any, kept: Any, acting_user: Any) -> dict[str, Any]:
    """Send the merge signal (inside the caller's transaction); returns what moved, for the undo."""
    moved: dict[str, Any] = {}
    for _receiver, response in _SIGNALS[target][0].send(
        sender=target, removed=removed, kept=kept, acting_user=acting_user
    ):
        if isinstance(response, dict):
            moved.update(response)
    return moved


def unmerge_related(
    *, target: type[models.Model], moved: Mapping[str, Any], restored: Any, kept: Any, acting_user: Any
) -> None:
    _SIGNALS[target][1].send(sender=target, moved=moved, restored=restored, kept=kept, acting_user=acting_user)


# --- moving rows ------------------------------------------------------------------------------------------------
def rows_move(model: type[models.Model], field: str, *, removed_id: int, kept_id: int) -> dict[str, Any]:
    """Re-point each row of `model` from the removed record to the kept one. A row that would break a unique
    rule is parked (its values kept) and deleted. Returns {"ids": moved ids, "parked": [values]}."""
    attname = _attname(model, field)
    ids = list(model._default_manager.filter(**{attname: removed_id}).order_by("pk").values_list("pk", flat=True))
    moved: list[Any] = []
    parked: list[dict[str, Any]] = []
    for pk in ids:
        try:
            with transaction.atomic():
                model._default_manager.filter(pk=pk).update(**{attname: kept_id})
            moved.append(_json_value(pk))
        except IntegrityError:
            row = model._default_manager.get(pk=pk)
            parked.append(row_values(row))
            row.delete()
    return {"ids": moved, "parked": parked}


def rows_move_back(
    model: type[models.Model], field: str, moved: Mapping[str, Any], *, kept_id: int, restored_id: int
) -> None:
    attname = _attname(model, field)
    model._default_manager.filter(pk__in=moved.get("ids", []), **{attname: kept_id}).update(**{attname: restored_id})
    for values in moved.get("parked", []):
        fields = row_from_values(model, values)
        fields[attname] = restored_id
        if model._default_manager.filter(pk=fields.get(model._meta.pk.attname)).exists():
            fields.pop(model._meta.pk.attname, None)
        try:
            with transaction.atomic():
                model._default_manager.create(**fields)
        except IntegrityError:  # a row like it was made since: the live one wins
            continue


def _attname(model: type[models.Model], field: str) -> str:
    concrete = model._meta.get_field(field)
    assert isinstance(concrete, models.Field)  # a foreign key of the model, not a reverse relation
    return concrete.attname


def _json_value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def row_values(instance: models.Model) -> dict[str, Any]:
    """Every concrete column of a row as JSON-able values (by attname: household_id, region_id)."""
    return {f.attname: _json_value(getattr(instance, f.attname)) for f in instance._meta.concrete_fields}


def row_from_values(model: type[models.Model], values: Mapping[str, Any]) -> dict[str, Any]:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return {name: fields[name].to_python(value) for name, value in values.items() if name in fields}
