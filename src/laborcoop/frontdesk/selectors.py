"""Reads of the duplicate queue, scoped through frontdesk.access."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from laborcoop.frontdesk.access import merge_records_for, pairs_for
from laborcoop.frontdesk.models import DuplicatePair, MergeRecord
from laborcoop.regions.selectors import region_path_name
from laborcoop.registry.models import Laborer


def pair_list(*, user: Any, status: str = DuplicatePair.Status.OPEN) -> QuerySet[DuplicatePair]:
    """The pairs in the user's subtree with one status, best matches first (one query per page)."""
    qs = pairs_for(user)
    if status in DuplicatePair.Status.values:
        qs = qs.filter(status=status)
    return qs.select_related("laborer_a__region", "laborer_b__region", "reviewed_by").order_by("-score", "id")


def open_pairs_of_laborer(*, user: Any, laborer: Laborer) -> list[DuplicatePair]:
    """Open pairs involving a laborer the caller obtained through access_laborer. A pair's region contains
    both laborers, so the scope filter also guarantees the other laborer is visible to the user."""
    qs = pairs_for(user).filter(Q(laborer_a=laborer) | Q(laborer_b=laborer), status=DuplicatePair.Status.OPEN)
    return list(qs.select_related("laborer_a__region", "laborer_b__region").order_by("-score", "id")[:5])


def pair_merge_record(*, user: Any, pair: DuplicatePair) -> MergeRecord | None:
    """The latest merge of a pair (the caller already obtained the pair through access_pair)."""
    return merge_records_for(user).filter(pair=pair).select_related("merged_by", "undone_by").first()


@dataclass(frozen=True)
class CompareRow:
    label: str
    left: str
    right: str

    @property
    def differs(self) -> bool:
        return self.left != self.right


def _phone(laborer: Laborer) -> str:
    return laborer.phone_masked or "—"


_COMPARED: list[tuple[str, Any]] = [
    ("姓名", lambda p: p.name),
    ("证件号码", lambda p: p.id_masked),
    ("性别", lambda p: p.get_sex_display()),
    ("出生日期", lambda p: p.birth_date.isoformat()),
    ("所在村", lambda p: region_path_name(p.region_id) or p.region_id),
    ("户编号", lambda p: p.household.household_no),
    ("与户主关系", lambda p: p.get_relation_display()),
    ("民族", lambda p: p.ethnicity or "—"),
    ("文化程度", lambda p: p.get_education_display() or "—"),
    ("健康状况", lambda p: "、".join(p.health or []) or "—"),
    ("劳动技能", lambda p: p.get_labor_skill_display()),
    ("联系电话", _phone),
    ("工种/技能", lambda p: p.skills or "—"),
    ("就业状态", lambda p: p.get_employment_status_display()),
    ("务工单位", lambda p: p.employer_name or "—"),
    ("登记时间", lambda p: f"{p.created_at:%Y-%m-%d}"),
]


def compare_laborers(left: Laborer, right: Laborer) -> list[CompareRow]:
    """Side-by-side values (masked ID and phone) of two laborers the caller may see."""
    return [CompareRow(label, str(get(left)), str(get(right))) for label, get in _COMPARED]
