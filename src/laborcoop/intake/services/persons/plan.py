"""Planning a PERSONS chunk: per household and per row, create, update or leave unchanged.

The changed fields are computed in memory against the stored records (prefetch): a new laborer becomes the
columns its INSERT writes (no model instance); only the laborers that change are loaded as model instances
(`load_changed`, one query per chunk) and get the new values, the audit's "before" and the fields to update.
An identical row plans nothing.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from laborcoop.core.audit import snapshot
from laborcoop.core.crypto import encrypt
from laborcoop.intake.columns import PERSON_COLUMNS
from laborcoop.intake.services.common import VALUE_REQUIRED
from laborcoop.intake.services.persons.parse import HOUSEHOLD_COLUMN_FIELDS, Parsed, default_employment
from laborcoop.intake.services.persons.prefetch import STORED_SET
from laborcoop.registry.identity import PHONE_COLUMN_NAMES, identity_columns
from laborcoop.registry.models import Household, Laborer
from laborcoop.registry.services import LABORER_FIELDS

HOUSEHOLD_VALUES_DIFFER = "本行的户信息（{labels}）与本户第 {row} 行不同，以第 {row} 行为准"

CREATE, UPDATE = "create", "update"
_LABEL = {column.key: column.label for column in PERSON_COLUMNS}
_AUDITED_LABORER = frozenset([*LABORER_FIELDS, "household"])


@dataclass
class HouseholdPlan:
    household: Household
    action: str | None = None  # create / update / None (unchanged)
    before: dict[str, Any] = field(default_factory=dict)  # audited values before the change
    fields: set[str] = field(default_factory=set)
    moved: bool = False  # the village changed: members not in the file move too
    done: bool = False


@dataclass
class RowPlan:
    parsed: Parsed
    household: HouseholdPlan
    stored: Any = None  # the stored laborer's record (prefetch.existing_laborers), None for a new one
    values: dict[str, Any] | None = None  # a new laborer: its columns (attnames) as the INSERT writes them
    laborer: Laborer | None = None  # a changed laborer: the model instance with the new values set
    changed: list[str] | None = field(default_factory=list)  # a changed laborer: the fields that differ
    target: dict[str, Any] = field(default_factory=dict)
    action: str | None = None
    before: dict[str, Any] = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)
    writes_household: bool = False  # this row's write carries the household's create or update


def _household_label(field_name: str) -> str:
    if field_name == "region_id":
        return "所在村"
    for key, name in HOUSEHOLD_COLUMN_FIELDS.items():
        if name == field_name:
            return _LABEL[key]
    return field_name


def plan_group(
    household_no: str, household: Household | None, group: list[Parsed], laborers: dict[str, Any]
) -> list[RowPlan]:
    """The plans of one household's accepted rows; the first row's household values count. `household` is
    the stored one (None: created), `laborers` the chunk's stored laborers by ID hash."""
    first = group[0]
    values = first.household
    for p in group[1:]:
        differ = [k for k, v in p.household.items() if k in values and values[k] != v]
        if differ:
            labels = "、".join(_household_label(k) for k in differ)
            p.warn("household_no", HOUSEHOLD_VALUES_DIFFER.format(labels=labels, row=first.row))
    now = timezone.now()
    if household is None:
        if not values.get("household_type"):
            for p in group:
                p.error("household_type", VALUE_REQUIRED.format(label=_LABEL["household_type"]))
            return []
        household = Household(household_no=household_no, **values)
        hplan = HouseholdPlan(household=household, action=CREATE)
    else:
        hplan = HouseholdPlan(household=household)
        changed = [k for k, v in values.items() if getattr(household, k) != v]
        if changed:
            hplan.before = snapshot(household, [k.removesuffix("_id") for k in changed])
            for k in changed:
                setattr(household, k, values[k])
            household.version += 1
            household.updated_at = now
            hplan.action = UPDATE
            fields = {*changed, "version", "updated_at"}
            if "phone" in fields:  # the property: its stored columns
                fields = {*(fields - {"phone"}), *PHONE_COLUMN_NAMES}
            hplan.fields = fields
            hplan.moved = "region_id" in changed

    plans = []
    for p in group:
        stored = laborers.get(p.id_hash)
        plan = RowPlan(parsed=p, household=hplan, stored=stored)
        target = {**p.laborer, "region_id": household.region_id}
        if stored is None:
            cols = identity_columns(p.id_number)
            values = target  # a fresh dict: becomes the new row (household_id is set when written)
            values["id_number_enc"] = cols.id_number_enc
            values["id_number_hash"] = cols.id_number_hash
            values["id_masked"] = cols.id_masked
            values["id_last4"] = cols.id_last4
            if "phone_hash" in values:
                values["phone_enc"] = encrypt(p.phone) if p.phone else ""
            if "employment_status" not in target:
                values["employment_status"] = default_employment(target)
            values["warnings"] = p.warnings.warnings
            plan.values = values
            plan.action = CREATE
        elif not target.keys() <= STORED_SET:  # compared on the model instance in load_changed
            plan.changed = None
            plan.target = target
            plan.action = UPDATE
        else:
            changed = [k for k, v in target.items() if getattr(stored, k) != v]
            if hplan.action == CREATE or stored.household_id != household.pk:
                changed.append("household_id")
            if changed:  # the model instance is loaded and changed in load_changed (one query per chunk)
                plan.changed = changed
                plan.target = target
                plan.action = UPDATE
        plans.append(plan)
    return plans


def load_changed(plans: list[RowPlan]) -> None:
    """The laborers that change: load them as model instances and apply the new values."""
    pending = [plan for plan in plans if plan.action == UPDATE and plan.laborer is None]
    if not pending:
        return
    found = Laborer.objects.in_bulk([plan.stored.id for plan in pending])
    now = timezone.now()
    for plan in pending:
        lab = found[plan.stored.id]
        household = plan.household.household
        changed = plan.changed
        if changed is None:
            changed = [k for k, v in plan.target.items() if getattr(lab, k) != v]
            if plan.household.action == CREATE or lab.household_id != household.pk:
                changed.append("household_id")
            if not changed:
                plan.action = None
                continue
        audited = [n for n in (k.removesuffix("_id") for k in changed) if n in _AUDITED_LABORER]
        phone_changed = "phone_hash" in changed
        if phone_changed:
            audited.append("phone")  # audited as the (masked) number, not its stored columns
        plan.before = snapshot(lab, audited)
        for k in changed:
            if k != "household_id":
                setattr(lab, k, plan.target[k])
        if phone_changed:
            lab.phone = plan.parsed.phone  # all four stored columns, the ciphertext included
            changed = [*changed, *PHONE_COLUMN_NAMES]
        lab.household = household
        lab.warnings = plan.parsed.warnings.warnings
        lab.version += 1
        lab.updated_at = now
        plan.laborer = lab
        plan.fields = {*changed, "warnings", "version", "updated_at"}
