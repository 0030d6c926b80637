"""Checks of parsed PERSONS rows beyond their own cells: an ID number twice in the file, records of another
region, the person's rules (check_person, against the stored values the row leaves as they are) and the
household's members (file rows merged with the members already stored)."""

from datetime import date
from typing import Any

from laborcoop.accounts.access import region_code_in_scope
from laborcoop.core.validation.idcard import age_on
from laborcoop.core.validation.issues import Issues
from laborcoop.intake.services.persons.parse import Parsed, default_employment
from laborcoop.registry import choices as c
from laborcoop.registry.models import Household
from laborcoop.registry.validation.household import (
    NO_HEAD,
    RELATION_IMPLIED_SEX,
    RELATION_SEX_MISMATCH,
    MemberFacts,
    check_household_members,
)
from laborcoop.registry.validation.person import check_person

ID_ELSEWHERE = "该证件号码已在其他地区登记"
HOUSEHOLD_ELSEWHERE = "该户编号已在其他地区登记"
ID_TWICE_IN_FILE = "证件号码与第 {row} 行重复"

# Validation field names (registry.validation) -> the column that holds the value.
_FIELD_COLUMN = {
    "id_number": "id_number",
    "sex": "id_number",
    "birth_date": "id_number",
    "phone": "phone",
    "name": "name",
    "relation": "relation",
    "education": "education",
    "student_status": "student_status",
    "health": "health",
    "labor_skill": "labor_skill",
    "employment_status": "employment_status",
}
_SEX_LABELS = dict(c.Sex.choices)
_HEAD, _SPOUSE = c.Relation.HEAD.value, c.Relation.SPOUSE.value


def _plainly_valid(members: list[MemberFacts]) -> bool:
    """The common household, checked cheaply: one 户主, at most one 配偶 of the other sex, no ID twice.
    (Relations are already checked against the code list when the rows are parsed.) False means "run the
    full check", not "invalid"."""
    heads = [m for m in members if m.relation == _HEAD]
    spouses = [m for m in members if m.relation == _SPOUSE]
    if len(heads) != 1 or len(spouses) > 1 or (spouses and spouses[0].sex == heads[0].sex):
        return False
    digests = [m.id_hash for m in members if m.id_hash]
    return len(digests) == len(set(digests))


def _facts(p: Parsed) -> MemberFacts:
    return MemberFacts(
        label=f"第 {p.row} 行 {p.laborer['name']}",
        relation=p.laborer["relation"],
        sex=p.laborer["sex"],
        id_hash=p.id_hash,
        index=p.row,
    )


class RowValidator:
    """The checks of one file. The ID numbers seen in earlier chunks are file-wide state: a chunk's become
    permanent only in `chunk_committed`, so a chunk that is rolled back and redone sees the same state."""

    def __init__(self, *, user: Any, today: date) -> None:
        self.user = user
        self.today = today
        self._seen: dict[str, int] = {}
        self._pending_seen: dict[str, int] = {}
        self._person_memo: dict[tuple[Any, ...], Issues] = {}

    def start_chunk(self) -> None:
        self._pending_seen = {}

    def chunk_committed(self) -> None:
        self._seen.update(self._pending_seen)
        self._pending_seen = {}

    def chunk_rolled_back(self) -> None:
        self._pending_seen = {}

    def check_repeats(self, rows: list[Parsed]) -> list[Parsed]:
        """The rows whose ID number no earlier row of the file has."""
        for p in rows:
            first = self._seen.get(p.id_hash) or self._pending_seen.get(p.id_hash)
            if first is not None:
                p.error("id_number", ID_TWICE_IN_FILE.format(row=first))
            else:
                self._pending_seen[p.id_hash] = p.row
        return [p for p in rows if not p.rejected]

    def check_stored(
        self, rows: list[Parsed], laborers: dict[str, Any], households: dict[str, Household]
    ) -> list[Parsed]:
        """The rows whose stored laborer and household lie in the user's scope and that pass check_person."""
        for p in rows:
            existing = laborers.get(p.id_hash)
            if existing is not None and not region_code_in_scope(self.user, existing.region_id):
                p.error("id_number", ID_ELSEWHERE)
            household = households.get(p.household_no)
            if household is not None and not region_code_in_scope(self.user, household.region_id):
                p.error("household_no", HOUSEHOLD_ELSEWHERE)
            if not p.rejected:
                self.check_person(p, existing)
        return [p for p in rows if not p.rejected]

    def check_person(self, p: Parsed, existing: Any) -> None:
        """check_person on the row's values, the stored laborer's (`existing`) for the columns it lacks."""
        values = p.laborer

        def current(name: str, default: Any) -> Any:
            if name in values:
                return values[name]
            return getattr(existing, name) if existing is not None else default

        employment = current("employment_status", None)
        if employment is None:
            employment = default_employment(values)
        issues = self._person_issues(
            values["birth_date"],
            values.get("sex", ""),
            current("labor_skill", ""),
            current("education", ""),
            current("student_status", ""),
            tuple(current("health", [])),
            employment,
        )
        for name, messages in issues.errors.items():
            for msg in messages:
                p.error(_FIELD_COLUMN.get(name, name), msg)
        for name, messages in issues.warnings.items():
            for msg in messages:
                p.warn(_FIELD_COLUMN.get(name, name), msg, name)
        relation, sex = values.get("relation", ""), values.get("sex", "")
        expected = RELATION_IMPLIED_SEX.get(relation)
        if expected and sex and sex != expected:
            msg = RELATION_SEX_MISMATCH.format(label=values["name"], relation=relation, sex=_SEX_LABELS[sex])
            p.warn("relation", msg, "relation")

    def _person_issues(
        self,
        birth: date,
        sex: str,
        labor_skill: str,
        education: str,
        student_status: str,
        health: tuple[str, ...],
        employment: str,
    ) -> Issues:
        """check_person, memoised: its outcome depends on the birth date only through the age, and a file
        repeats a few hundred combinations (the code lists' `values` are rebuilt on every access)."""
        key = (age_on(birth, self.today), sex, labor_skill, education, student_status, health, employment)
        found = self._person_memo.get(key)
        if found is None:
            found = self._person_memo[key] = check_person(
                birth_date=birth,
                sex=sex,
                labor_skill=labor_skill,
                education=education,
                student_status=student_status,
                health=list(health),
                employment_status=employment,
                today=self.today,
            )
        return found

    @staticmethod
    def check_household(base: list[MemberFacts], group: list[Parsed]) -> list[Parsed]:
        """The group's rows that keep the household valid: in file order, a row that adds an error (a second
        户主 or 配偶, a same-sex spouse) is rejected; a household left without 户主 rejects all its rows.
        `base` holds the household's stored members that are not rows of the chunk."""
        facts = [_facts(p) for p in group]
        if _plainly_valid(base + facts) or not check_household_members(base + facts).has_errors:
            return group

        def errors(members: list[MemberFacts]) -> set[str]:
            found = check_household_members(members).errors
            return {msg for messages in found.values() for msg in messages if msg != NO_HEAD}

        accepted: list[Parsed] = []
        accepted_facts: list[MemberFacts] = []
        current = errors(base)
        for p, fact in zip(group, facts, strict=True):
            found = errors(base + accepted_facts + [fact])
            new = found - current
            if new:
                for msg in sorted(new):
                    p.error("relation", msg)
                continue
            accepted.append(p)
            accepted_facts.append(fact)
            current = found
        if accepted and not any(f.relation == c.Relation.HEAD for f in base + accepted_facts):
            for p in accepted:
                p.error("relation", NO_HEAD)
            return []
        return accepted
