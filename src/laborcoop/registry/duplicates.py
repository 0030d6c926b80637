"""Likely duplicates of a person being registered (or looked up), within the user's scope.

Candidates share the sex and the birth date (or the date with month and day swapped); when the village is
known they are restricted to its county. The birth-date filter runs on the rows of the user's scope (the
region range index) and the names are compared in Python on pinyin computed on the fly: the registry keeps
no pinyin column, and a day's births in one county are a handful of rows.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from laborcoop.accounts.capabilities import Cap
from laborcoop.core.validation.idcard import parse_id_number
from laborcoop.regions.scope import in_subtree_q
from laborcoop.registry.access import laborers_for
from laborcoop.registry.identity import id_number_hash
from laborcoop.registry.likeness import Person, score_pair, swapped
from laborcoop.registry.models import Laborer

MAX_ROWS = 500


@dataclass(frozen=True)
class Candidate:
    laborer: Laborer
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_text(self) -> str:
        return "、".join(self.reasons)


def likely_duplicates(
    *,
    user: Any,
    name: str,
    birth_date: date,
    sex: str,
    id_number: str | None = None,
    village_code: str | None = None,
    exclude_id: int | None = None,
    limit: int = 5,
) -> list[Candidate]:
    """Laborers in the user's scope who may be this person, best first.

    A laborer holding exactly `id_number` is left out: that is not a "likely" duplicate but the same ID,
    which the registration service rejects with its own error.
    """
    dates = [birth_date]
    other = swapped(birth_date)
    if other is not None:
        dates.append(other)
    qs = laborers_for(user, Cap.REGISTRY_VIEW).filter(birth_date__in=dates)
    if sex:
        qs = qs.filter(sex=sex)
    if village_code:
        qs = qs.filter(in_subtree_q(village_code[:6]))
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    id_tail = ""
    if id_number:
        parsed = parse_id_number(id_number)
        if parsed.normalized:
            qs = qs.exclude(id_number_hash=id_number_hash(parsed.normalized))
            id_tail = parsed.normalized[-4:]
    probe = Person.of(id=0, name=name, birth_date=birth_date, region_code=village_code or "", id_last4=id_tail)
    found: list[Candidate] = []
    # A cap on the rows read: even 01-01 (a placeholder birthday in old records) stays bounded.
    for laborer in qs.select_related("region", "household").order_by("id")[:MAX_ROWS]:
        match = score_pair(
            probe,
            Person.of(
                id=laborer.pk,
                name=laborer.name,
                birth_date=laborer.birth_date,
                region_code=laborer.region_id,
                id_last4=laborer.id_last4,
            ),
        )
        if match is not None:
            found.append(Candidate(laborer=laborer, score=match.score, reasons=match.reasons))
    found.sort(key=lambda cand: (-cand.score, cand.laborer.pk))
    return found[:limit]


def registration_duplicates(*, user: Any, village_code: str, data: dict[str, Any]) -> list[Candidate]:
    """Likely duplicates for the laborer create form's cleaned data (name + ID number).

    Nothing when the ID does not parse (the service reports that) or when the exact ID is already registered
    (the service reports that too, with its own error).
    """
    parsed = parse_id_number(data.get("id_number", ""))
    if not parsed.normalized or parsed.birth_date is None:
        return []
    if Laborer.objects.filter(id_number_hash=id_number_hash(parsed.normalized)).exists():
        return []
    return likely_duplicates(
        user=user,
        name=str(data.get("name", "")),
        birth_date=parsed.birth_date,
        sex=parsed.sex,
        id_number=parsed.normalized,
        village_code=village_code,
    )
