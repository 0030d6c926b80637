"""Checks across the members of one household: 户主, 配偶 and duplicate ID numbers.

Errors: no 户主 or several, several 配偶, 户主 and 配偶 of the same sex, one ID number twice, a relation
outside the code list. Warning: a relation that implies a sex (之子, 之母, ...) recorded with the other sex.
Messages name the members by their `label`, so the household form and the import can show them.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from laborcoop.core.validation.issues import Issues
from laborcoop.registry import choices as c

RELATION_FIELD = "relation"
ID_FIELD = "id_number"

NO_HEAD = "家庭中没有户主"
MANY_HEADS = "家庭中只能有一位户主，现有 {count} 位：{labels}"
MANY_SPOUSES = "家庭中最多有一位配偶，现有 {count} 位：{labels}"
SAME_SEX_SPOUSE = "户主（{head}）与配偶（{spouse}）性别相同，请核对"
DUPLICATE_ID = "{labels} 的身份证号相同"
BAD_RELATION = "{label}：与户主关系“{value}”不在代码表中"
RELATION_SEX_MISMATCH = "{label}：与户主关系为“{relation}”，性别却为{sex}，请核对"

_MALE, _FEMALE = c.Sex.MALE.value, c.Sex.FEMALE.value
# Relations that imply the member's sex.
RELATION_IMPLIED_SEX: dict[str, str] = {
    c.Relation.SON: _MALE,
    c.Relation.DAUGHTER: _FEMALE,
    c.Relation.DAUGHTER_IN_LAW: _FEMALE,
    c.Relation.SON_IN_LAW: _MALE,
    c.Relation.GRANDSON: _MALE,
    c.Relation.GRANDDAUGHTER: _FEMALE,
    c.Relation.DAUGHTERS_SON: _MALE,
    c.Relation.DAUGHTERS_DAUGHTER: _FEMALE,
    c.Relation.FATHER: _MALE,
    c.Relation.MOTHER: _FEMALE,
    c.Relation.WIFES_FATHER: _MALE,
    c.Relation.WIFES_MOTHER: _FEMALE,
    c.Relation.HUSBANDS_FATHER: _MALE,
    c.Relation.HUSBANDS_MOTHER: _FEMALE,
    c.Relation.GRANDFATHER: _MALE,
    c.Relation.GRANDMOTHER: _FEMALE,
    c.Relation.MATERNAL_GRANDFATHER: _MALE,
    c.Relation.MATERNAL_GRANDMOTHER: _FEMALE,
    c.Relation.GREAT_GRANDSON: _MALE,
    c.Relation.GREAT_GRANDDAUGHTER: _FEMALE,
    c.Relation.NEPHEW: _MALE,
    c.Relation.NIECE: _FEMALE,
    c.Relation.SISTER_IN_LAW: _FEMALE,
    c.Relation.UNCLE: _MALE,
}
_SEX_LABELS = dict(c.Sex.choices)


@dataclass(frozen=True)
class MemberFacts:
    """What the household checks need about one member.

    `label` names the member in messages (e.g. "第 2 行 张三" or "张三"); `index` is the member's position
    (form or row number) for callers that map messages back. `id_hash` is any stable key of the ID number:
    the keyed hash (registry.identity.id_number_hash) or the normalized ID; "" when unknown (not compared).
    `sex` is choices.Sex ("1"/"2"), normally taken from the ID.
    """

    label: str
    relation: str
    sex: str
    id_hash: str = ""
    index: int | None = None


def _labels(members: Iterable[MemberFacts]) -> str:
    return "、".join(m.label for m in members)


def check_household_members(members: Sequence[MemberFacts]) -> Issues:
    """Check the members of one household (an empty list reports the missing 户主)."""
    issues = Issues()
    for m in members:
        if m.relation not in c.Relation.values:
            issues.error(RELATION_FIELD, BAD_RELATION.format(label=m.label, value=m.relation))
        expected = RELATION_IMPLIED_SEX.get(m.relation)
        if expected and m.sex in _SEX_LABELS and m.sex != expected:
            issues.warn(
                RELATION_FIELD,
                RELATION_SEX_MISMATCH.format(label=m.label, relation=m.relation, sex=_SEX_LABELS[m.sex]),
            )

    heads = [m for m in members if m.relation == c.Relation.HEAD]
    spouses = [m for m in members if m.relation == c.Relation.SPOUSE]
    if not heads:
        issues.error(RELATION_FIELD, NO_HEAD)
    elif len(heads) > 1:
        issues.error(RELATION_FIELD, MANY_HEADS.format(count=len(heads), labels=_labels(heads)))
    if len(spouses) > 1:
        issues.error(RELATION_FIELD, MANY_SPOUSES.format(count=len(spouses), labels=_labels(spouses)))
    if len(heads) == 1:
        head = heads[0]
        for spouse in spouses:
            if head.sex and head.sex == spouse.sex:
                issues.error(RELATION_FIELD, SAME_SEX_SPOUSE.format(head=head.label, spouse=spouse.label))

    by_id: dict[str, list[MemberFacts]] = {}
    for m in members:
        if m.id_hash:
            by_id.setdefault(m.id_hash, []).append(m)
    for same in by_id.values():
        if len(same) > 1:
            issues.error(ID_FIELD, DUPLICATE_ID.format(labels=_labels(same)))

    return issues
