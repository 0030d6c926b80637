"""Reconciliation of the two sides' counts (两地数据对账) for a pair of regions: the user's own region (their home
region, or a region of their subtree) and a counterpart on the other side (a province, prefecture or county).

For each direction (our laborers working there: we are the output side; their laborers working here: we are the
input side):
- the output side's number: ongoing employment records with the home in the one region and the work county in
  the other;
- the input side's number: destination notices of those records confirmed by the input side (已确认到岗);
- the differences, which explain the gap exactly (output - input = unconfirmed + not_arrived - ended_confirmed):
  ongoing records the input side has not confirmed (no notice, or 待确认), ongoing records reported 未到岗, and
  ended records whose notice still stands confirmed.

Records are read by their own `region` / `work_region` (a notice follows its record), so a laborer who moved
home is counted where they live now. The lists show the output side's own laborers by name and the other
side's with a masked identity (surname, last four ID digits) only.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat, Substr

from laborcoop.accounts.access import require_cap, require_region_in_scope, user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.employment.models import EmploymentRecord
from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.scope import code_in_subtree, in_subtree_q
from laborcoop.regions.selectors import normalize_code
from laborcoop.tracking.choices import NoticeStatus

LIST_LIMIT = 50  # rows shown per list of differences (the counts are always complete)

COUNTERPART_REQUIRED = "请选择对方地区。"
COUNTERPART_UNKNOWN = "对方地区代码无效或不存在。"
COUNTERPART_LEVEL = "对方地区须为省、市（州）或县（市、区）。"
COUNTERPART_OVERLAPS = "对方地区不能与本方地区相同或互相包含。"
NO_OWN_REGION = "您的账号没有所属区划，请指定本方地区。"
OWN_REGION_UNKNOWN = "本方地区代码无效或不存在。"

SIDE_OUTPUT = "output"
SIDE_INPUT = "input"


@dataclass(frozen=True)
class Difference:
    """One record behind a difference, as the user may see it."""

    record_id: int
    laborer_id: int | None  # only for the user's own laborers (a link to the laborer page)
    name: str  # clear for the user's own laborers, masked otherwise
    id_text: str  # the masked ID for own laborers, the last four digits otherwise
    home_name: str
    work_name: str
    employer_name: str
    start_date: date
    end_date: date | None
    notice_id: int | None
    notice_status: str  # "" when there is no notice
    note: str

    @property
    def notice_status_label(self) -> str:
        return str(NoticeStatus(self.notice_status).label) if self.notice_status else "未通报"


@dataclass
class Direction:
    home: Region  # the output side
    work: Region  # the input side
    user_side: str  # which side the user is on
    output_count: int = 0  # ongoing records
    input_count: int = 0  # confirmed notices
    unconfirmed_count: int = 0
    not_arrived_count: int = 0
    ended_confirmed_count: int = 0
    unconfirmed: list[Difference] = field(default_factory=list)
    not_arrived: list[Difference] = field(default_factory=list)
    ended_confirmed: list[Difference] = field(default_factory=list)

    @property
    def difference(self) -> int:
        return self.output_count - self.input_count

    @property
    def balanced(self) -> bool:
        return not (self.unconfirmed_count or self.not_arrived_count or self.ended_confirmed_count)


@dataclass
class Reconciliation:
    mine: Region
    counterpart: Region
    outflow: Direction  # our laborers working in the counterpart
    inflow: Direction  # the counterpart's laborers working here


def _region(code: str, error: str, field_name: str) -> Region:
    full = normalize_code(code or "")
    region = Region.objects.filter(code=full).first() if full else None
    if region is None:
        raise ValidationError({field_name: [error]}, code="unknown_region")
    return region


def _own_region(user: Any, code: str) -> Region:
    if code:
        region = _region(code, OWN_REGION_UNKNOWN, "region")
        require_region_in_scope(user, region.code)
        return region
    if user.home_region_id is None:
        raise ValidationError({"region": [NO_OWN_REGION]}, code="no_own_region")
    return user.home_region


def reconciliation_for(*, user: Any, counterpart_code: str, region_code: str = "") -> Reconciliation:
    """The reconciliation of the user's region (their home region, or `region_code` inside their subtree) with
    a counterpart. Raises PermissionDeniedError without the statistics capability, ObjectNotFound for a region
    outside the subtree, ValidationError (field -> Chinese message) for a bad counterpart. Ten queries."""
    require_cap(user, Cap.STATS_VIEW)
    mine = _own_region(user, region_code)
    if not counterpart_code:
        raise ValidationError({"counterpart": [COUNTERPART_REQUIRED]}, code="counterpart_required")
    other = _region(counterpart_code, COUNTERPART_UNKNOWN, "counterpart")
    if other.level > RegionLevel.COUNTY:
        raise ValidationError({"counterpart": [COUNTERPART_LEVEL]}, code="counterpart_level")
    if code_in_subtree(other.code, mine.prefix) or code_in_subtree(mine.code, other.prefix):
        raise ValidationError({"counterpart": [COUNTERPART_OVERLAPS]}, code="counterpart_overlaps")
    own_names = user_can(user, Cap.REGISTRY_VIEW)
    return Reconciliation(
        mine=mine,
        counterpart=other,
        outflow=_direction(home=mine, work=other, user_side=SIDE_OUTPUT, clear_names=own_names),
        inflow=_direction(home=other, work=mine, user_side=SIDE_INPUT, clear_names=False),
    )


_ONGOING = Q(end_date__isnull=True)
_CONFIRMED = Q(destination_notice__status=NoticeStatus.CONFIRMED)
_UNCONFIRMED = _ONGOING & (Q(destination_notice__isnull=True) | Q(destination_notice__status=NoticeStatus.SENT))
_NOT_ARRIVED = _ONGOING & Q(destination_notice__status=NoticeStatus.NOT_ARRIVED)
_ENDED_CONFIRMED = Q(end_date__isnull=False) & _CONFIRMED


def _direction(*, home: Region, work: Region, user_side: str, clear_names: bool) -> Direction:
    records = EmploymentRecord.objects.filter(
        in_subtree_q(home.prefix, "region"), in_subtree_q(work.prefix, "work_region")
    )
    totals = records.aggregate(
        output_count=Count("id", filter=_ONGOING),
        input_count=Count("id", filter=_CONFIRMED),
        unconfirmed_count=Count("id", filter=_UNCONFIRMED),
        not_arrived_count=Count("id", filter=_NOT_ARRIVED),
        ended_confirmed_count=Count("id", filter=_ENDED_CONFIRMED),
    )
    direction = Direction(home=home, work=work, user_side=user_side, **totals)
    if direction.unconfirmed_count:
        direction.unconfirmed = _rows(records.filter(_UNCONFIRMED), clear_names=clear_names)
    if direction.not_arrived_count:
        direction.not_arrived = _rows(records.filter(_NOT_ARRIVED), clear_names=clear_names)
    if direction.ended_confirmed_count:
        direction.ended_confirmed = _rows(records.filter(_ENDED_CONFIRMED), clear_names=clear_names)
    return direction


def _home_county_name() -> Subquery:
    county = Concat(Substr(OuterRef("region_id"), 1, 6), Value("000000"), output_field=CharField())
    return Subquery(Region.objects.filter(code=county).values("name")[:1])


def _rows(records: QuerySet[EmploymentRecord], *, clear_names: bool) -> list[Difference]:
    """The first LIST_LIMIT records of a difference. The other side's people: only the surname and the last
    four ID digits are selected."""
    common: dict[str, Any] = {
        "work_name": F("work_region__name"),
        "notice_id": F("destination_notice__id"),
        "notice_status": F("destination_notice__status"),
        "note": F("destination_notice__note"),
    }
    base = ["id", "employer_name", "start_date", "end_date"]
    qs = records.order_by("-start_date", "-id")
    if clear_names:
        rows = qs.values(
            *base,
            laborer_ref=F("laborer_id"),
            name=F("laborer__name"),
            id_text=F("laborer__id_masked"),
            home_name=F("region__name"),
            **common,
        )
    else:
        rows = qs.values(
            *base,
            name=Concat(Substr("laborer__name", 1, 1), Value("**"), output_field=CharField()),
            id_text=F("laborer__id_last4"),
            home_name=_home_county_name(),
            **common,
        )
    return [
        Difference(
            record_id=row["id"],
            laborer_id=row.get("laborer_ref"),
            name=row["name"],
            id_text=row["id_text"] or "",
            home_name=row["home_name"] or "",
            work_name=row["work_name"] or "",
            employer_name=row["employer_name"],
            start_date=row["start_date"],
            end_date=row["end_date"],
            notice_id=row["notice_id"],
            notice_status=row["notice_status"] or "",
            note=row["note"] or "",
        )
        for row in rows[:LIST_LIMIT]
    ]
