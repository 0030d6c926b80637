"""A merge is complete by construction: every relation Django knows to point at Laborer or Household (including
hidden `related_name="+"` ones) is moved by a receiver of its app (registry.merge)."""

import pytest
from django.db import models

from laborcoop.registry.merge import merge_handled_relations
from laborcoop.registry.models import Household, Laborer


def _relations(target: type[models.Model]) -> set[tuple[str, str]]:
    return {
        (rel.related_model._meta.label, rel.field.name)
        for rel in target._meta.get_fields(include_hidden=True)
        if rel.auto_created and not rel.concrete
    }


@pytest.mark.parametrize("target", [Laborer, Household])
def test_every_relation_is_handled_on_merge(target: type[models.Model]) -> None:
    relations = _relations(target)

    missing = relations - merge_handled_relations(target)

    assert relations  # the walk sees the relations (a broken walk would pass vacuously)
    assert not missing, f"rows pointing at {target.__name__} that a merge would lose or block: {sorted(missing)}"


def test_the_walk_sees_hidden_relations() -> None:
    assert ("employment.WageMonth", "laborer") in _relations(Laborer)  # related_name="+"
