"""What a PERSONS chunk reads before it checks and plans: the stored laborers of its ID numbers (as tuples, not
model instances), its households, and the other stored members of those households. One query each."""

import json
from collections import defaultdict, namedtuple
from functools import cache
from typing import Any

from django.db.models import JSONField, TextField
from django.db.models.functions import Cast

from laborcoop.registry.models import Household, Laborer
from laborcoop.registry.validation.household import MemberFacts

# The stored laborer as the import compares it: the fields a row can set (parse), the ones check_person reads,
# and the keys. A row whose values name another field is compared on the model instance (plan.load_changed).
STORED_FIELDS = (
    "id",
    "id_number_hash",
    "household_id",
    "region_id",
    "person_no",
    "name",
    "id_type",
    "disability_cert_suffix",
    "sex",
    "birth_date",
    "ethnicity",
    "relation",
    "education",
    "student_status",
    "health",
    "disability_category",
    "labor_skill",
    "political_status",
    "marital_status",
    "phone_hash",
    "phone_masked",
    "phone_last4",
    "employment_status",
    "employer_name",
    "work_region_willingness",
    "intended_occupations",
    "expected_wage",
    "training_needs",
)
STORED_SET = frozenset(STORED_FIELDS)
_HASH_AT = STORED_FIELDS.index("id_number_hash")
StoredLaborer = namedtuple("StoredLaborer", STORED_FIELDS)  # type: ignore[misc]
_MISSING = object()


@cache
def _json_columns() -> frozenset[str]:
    return frozenset(
        f.attname for f in Laborer._meta.concrete_fields if isinstance(f, JSONField) and f.attname in STORED_SET
    )


def _json_loads(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def existing_laborers(hashes: list[str]) -> dict[str, Any]:
    """The stored laborers of these ID hashes as StoredLaborer tuples (attribute access like a model
    instance; building 2,000 model instances per chunk cost more than the rest of a re-import).

    JSON columns are read as text and decoded once per distinct text (["健康"], [] repeat on most rows),
    with what JSONField.from_db_value does: json.loads. The decoded lists are shared: read, never changed."""
    json_columns = _json_columns()
    as_text = {f"{name}_json": Cast(name, TextField()) for name in STORED_FIELDS if name in json_columns}
    columns = [f"{name}_json" if name in json_columns else name for name in STORED_FIELDS]
    rows = Laborer.objects.filter(id_number_hash__in=hashes).annotate(**as_text).values_list(*columns)
    decoded: dict[str, Any] = {}
    json_at = [i for i, name in enumerate(STORED_FIELDS) if name in json_columns]
    found = {}
    for row in rows:
        values = list(row)
        for i in json_at:
            text = values[i]
            if text is not None:
                value = decoded.get(text, _MISSING)
                if value is _MISSING:
                    value = decoded[text] = _json_loads(text)
                values[i] = value
        found[values[_HASH_AT]] = StoredLaborer._make(values)
    return found


def existing_households(numbers: set[str]) -> dict[str, Household]:
    return {h.household_no: h for h in Household.objects.filter(household_no__in=numbers)}


def other_members(household_ids: list[int], in_chunk: set[str]) -> defaultdict[int, list[MemberFacts]]:
    """The stored members of these households that are not rows of this chunk (those are checked as rows)."""
    members: defaultdict[int, list[MemberFacts]] = defaultdict(list)
    if household_ids:
        member_rows = (
            Laborer.objects.filter(household_id__in=household_ids)
            .exclude(id_number_hash__in=in_chunk)
            .values_list("household_id", "name", "relation", "sex", "id_number_hash")
        )
        for household_id, name, relation, sex, digest in member_rows:
            members[household_id].append(MemberFacts(label=name, relation=relation, sex=sex, id_hash=digest))
    return members
