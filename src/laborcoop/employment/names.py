"""Laborers' names as the input side may see them, computed in the database: an enterprise user sees the names
the access layer allows (accounts.access.enterprise_named_q: its staff, candidates who showed interest in its
jobs); everyone else on the input side sees the surname and two stars."""

from typing import Any

from django.db.models import CharField, F
from django.db.models.expressions import Case, When

from laborcoop.accounts.access import enterprise_named_q
from laborcoop.employment.records.selectors import mask_name_expression


def input_name_expression(user: Any) -> Case:
    """For querysets whose `laborer` is the person: the clear name where the user may see it, else `张**`.
    The clear name of anyone else never leaves the database."""
    return Case(
        When(enterprise_named_q(user, laborer_field="laborer"), then=F("laborer__name")),
        default=mask_name_expression(),
        output_field=CharField(),
    )
