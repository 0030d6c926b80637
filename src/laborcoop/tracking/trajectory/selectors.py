"""The employment trajectory of one laborer (就业轨迹): what the laborer page's chart and
`GET /api/v1/laborers/{id}/trajectory/` show, built from the records, wage months, insurance months,
follow-ups and recommendations, with the derived status of tracking.status.services.

How overlapping sources are resolved (deterministically, from the data alone):
- **Segments**: each record that has started, ordered by start date (then id), covers its own period, cut
  short at the day before the next record starts when they overlap (a new job means the previous one ended,
  whatever its stored end date says: `clipped` is then set). A record wholly covered by a later one on the same
  start day (impossible through the services, possible in old data) is dropped. Records that start after
  today are listed as `upcoming`, not drawn.
- **Spells** merge the segments with tracking.status.services.merge_spells (gaps of up to 31 days are a job change,
  not unemployment); **gaps** are the periods between spells and since the end of the last one.
- **Moves**: each segment whose work county differs from the previous segment's (the first one from the home
  county), with the 务工地域 of the destination.
- **Income** per month: the sum of the reported wage months (WageMonth) of that month when there are any
  ("reported"), else the declared monthly wage of the segment covering most of that month ("declared").

Every read goes through the access layer with the caller's scope; the caller fetched the laborer through
registry.access.access_laborer (output side). Seven queries whatever the length of the history.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from django.utils import timezone

from laborcoop.accounts.access import require_cap, require_region_in_scope, scoped_queryset
from laborcoop.accounts.capabilities import Cap
from laborcoop.employment.access import records_for
from laborcoop.employment.choices import EndReason, InsuranceType, TrackStatus
from laborcoop.employment.models import EmploymentRecord, InsuranceMonth, WageMonth
from laborcoop.matching.access import recommendations_for
from laborcoop.regions.models import Region
from laborcoop.registry.choices import WorkArea
from laborcoop.registry.models import Laborer
from laborcoop.tracking.models import FollowUp
from laborcoop.tracking.settings.selectors import tracking_settings_for
from laborcoop.tracking.status.services import (
    FOLLOWUP_STATUS,
    RecordFacts,
    derive_state,
    merge_spells,
    month_start,
    resolve_overlaps,
    whole_months,
)

REPORTED = "reported"
DECLARED = "declared"


@dataclass(frozen=True)
class Segment:
    record_id: int
    start: date
    end: date | None  # None: ongoing
    employer_name: str
    work_region_code: str
    work_region_name: str
    work_area: str
    work_area_label: str
    monthly_wage: int | None
    contract_signed: bool | None
    insurance_types: tuple[str, ...]
    end_reason: str
    end_reason_label: str
    clipped: bool  # cut short by a later record that overlaps it


@dataclass(frozen=True)
class EmployedSpell:
    start: date
    end: date | None  # None: ongoing
    months: int  # whole months from start to end (or today)
    record_ids: tuple[int, ...]


@dataclass(frozen=True)
class Gap:
    start: date
    end: date | None  # None: still without work today
    days: int


@dataclass(frozen=True)
class Move:
    on: date
    from_code: str
    from_name: str
    to_code: str
    to_name: str
    work_area: str
    work_area_label: str


@dataclass(frozen=True)
class IncomeMonth:
    month: date
    amount: int
    kind: str  # "reported" (wage months) or "declared" (the record's monthly wage)
    record_id: int | None


@dataclass(frozen=True)
class InsuredMonth:
    month: date
    insurance_types: tuple[str, ...]


@dataclass(frozen=True)
class FollowUpItem:
    id: int
    contacted_on: date
    method: str
    method_label: str
    outcome: str
    outcome_label: str


@dataclass(frozen=True)
class RecommendationItem:
    id: int
    job_id: int
    job_title: str
    employer_name: str
    state: str
    state_label: str
    recommended_on: date
    interview_at: Any
    hire_date: date | None


@dataclass(frozen=True)
class StatusInfo:
    status: str
    label: str
    since: date | None
    stable_months: int
    stable_months_required: int
    last_end_date: date | None
    last_end_reason: str
    last_work_area: str


@dataclass(frozen=True)
class Trajectory:
    laborer_id: int
    today: date
    home_county_code: str
    home_county_name: str
    status: StatusInfo
    segments: list[Segment]
    upcoming: list[Segment]
    spells: list[EmployedSpell]
    gaps: list[Gap]
    moves: list[Move]
    income: list[IncomeMonth]
    insurance: list[InsuredMonth]
    followups: list[FollowUpItem]
    recommendations: list[RecommendationItem]

    @property
    def is_empty(self) -> bool:
        return not (self.segments or self.upcoming or self.followups or self.recommendations or self.insurance)


# --- pure pieces ---------------------------------------------------------------------------------------------


def _segment(record: EmploymentRecord, end: date | None, clipped: bool) -> Segment:
    return Segment(
        record_id=record.pk,
        start=record.start_date,
        end=end,
        employer_name=record.employer_name,
        work_region_code=record.work_region_id,
        work_region_name=record.work_region.name,
        work_area=record.work_area,
        work_area_label=str(WorkArea(record.work_area).label) if record.work_area in WorkArea.values else "",
        monthly_wage=record.monthly_wage,
        contract_signed=record.contract_signed,
        insurance_types=tuple(record.insurance_types or ()),
        end_reason=record.end_reason if end == record.end_date else "",
        end_reason_label=str(EndReason(record.end_reason).label)
        if record.end_reason in EndReason.values and end == record.end_date
        else "",
        clipped=clipped,
    )


def _facts(record: EmploymentRecord) -> RecordFacts:
    return RecordFacts(
        id=record.pk,
        start=record.start_date,
        end=record.end_date,
        end_reason=record.end_reason,
        work_area=record.work_area,
        contract_signed=record.contract_signed,
        insured_declared=bool(record.insurance_types),
    )


def segments_of(records: Sequence[EmploymentRecord]) -> list[Segment]:
    """The started records as non-overlapping segments (tracking.status.services.resolve_overlaps), by start."""
    by_id = {r.pk: r for r in records}
    segments = []
    for facts in resolve_overlaps(_facts(r) for r in records):
        record = by_id[facts.id]
        segments.append(_segment(record, facts.end, clipped=facts.end != record.end_date))
    return segments


def spells_and_gaps(segments: Sequence[Segment], today: date) -> tuple[list[EmployedSpell], list[Gap]]:
    spells: list[EmployedSpell] = []
    for spell in merge_spells((s.start, s.end) for s in segments):
        ids = tuple(
            s.record_id for s in segments if s.start >= spell.start and (spell.end is None or s.start <= spell.end)
        )
        months = whole_months(spell.start, spell.end or today)
        spells.append(EmployedSpell(start=spell.start, end=spell.end, months=months, record_ids=ids))
    gaps: list[Gap] = []
    for before, after in pairwise(spells):
        assert before.end is not None
        start, end = before.end + timedelta(days=1), after.start - timedelta(days=1)
        gaps.append(Gap(start=start, end=end, days=(end - start).days + 1))
    if spells and spells[-1].end is not None and spells[-1].end < today:
        start = spells[-1].end + timedelta(days=1)
        gaps.append(Gap(start=start, end=None, days=(today - start).days + 1))
    return spells, gaps


def moves_of(segments: Sequence[Segment], *, home_code: str, home_name: str) -> list[Move]:
    moves: list[Move] = []
    here_code, here_name = home_code, home_name
    for s in segments:
        if s.work_region_code != here_code:
            moves.append(
                Move(
                    on=s.start,
                    from_code=here_code,
                    from_name=here_name,
                    to_code=s.work_region_code,
                    to_name=s.work_region_name,
                    work_area=s.work_area,
                    work_area_label=s.work_area_label,
                )
            )
        here_code, here_name = s.work_region_code, s.work_region_name
    return moves


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _days_in(segment: Segment, month: date, today: date) -> int:
    last = _next_month(month) - timedelta(days=1)
    start, end = max(segment.start, month), min(segment.end or today, last)
    return max((end - start).days + 1, 0)


def income_of(segments: Sequence[Segment], wages: dict[date, int], today: date) -> list[IncomeMonth]:
    """One entry per month with a reported wage or a segment with a declared wage, up to today's month."""
    months: set[date] = set(wages)
    for s in segments:
        month, last = month_start(s.start), month_start(s.end or today)
        while month <= last:
            months.add(month)
            month = _next_month(month)
    found: list[IncomeMonth] = []
    for month in sorted(m for m in months if m <= month_start(today)):
        if month in wages:
            found.append(IncomeMonth(month=month, amount=wages[month], kind=REPORTED, record_id=None))
            continue
        covering = [(s, _days_in(s, month, today)) for s in segments]
        covering = [(s, days) for s, days in covering if days > 0 and s.monthly_wage]
        if covering:
            best = max(covering, key=lambda item: (item[1], item[0].start))[0]
            assert best.monthly_wage is not None
            found.append(IncomeMonth(month=month, amount=best.monthly_wage, kind=DECLARED, record_id=best.record_id))
    return found


# --- the selector --------------------------------------------------------------------------------------------


def laborer_trajectory(*, user: Any, laborer: Laborer, today: date | None = None) -> Trajectory:
    """The trajectory of a laborer the caller fetched through access_laborer (registry view capability)."""
    require_cap(user, Cap.REGISTRY_VIEW)
    require_region_in_scope(user, laborer.region_id)
    day = today or timezone.localdate()
    records = list(records_for(user).filter(laborer_id=laborer.pk).select_related("work_region"))
    started = [r for r in records if r.start_date <= day]
    segments = segments_of(started)
    upcoming = [_segment(r, r.end_date, False) for r in sorted(records, key=lambda r: r.start_date) if r not in started]
    spells, gaps = spells_and_gaps(segments, day)

    home_code = laborer.region_id[:6] + "000000"
    home_name = Region.objects.filter(pk=home_code).values_list("name", flat=True).first() or home_code
    moves = moves_of(segments, home_code=home_code, home_name=home_name)

    wage_rows = scoped_queryset(user, WageMonth.objects.filter(laborer_id=laborer.pk), Cap.REGISTRY_VIEW)
    wages: dict[date, int] = defaultdict(int)
    for month, amount in wage_rows.values_list("month", "amount"):
        wages[month_start(month)] += amount
    income = income_of(segments, dict(wages), day)

    insurance_rows = scoped_queryset(user, InsuranceMonth.objects.filter(laborer_id=laborer.pk), Cap.REGISTRY_VIEW)
    by_month: dict[date, set[str]] = defaultdict(set)
    for month, kind in insurance_rows.values_list("month", "insurance_type"):
        by_month[month_start(month)].add(kind)
    order = {value: i for i, value in enumerate(InsuranceType.values)}
    insurance = [
        InsuredMonth(month=m, insurance_types=tuple(sorted(kinds, key=lambda k: order.get(k, 99))))
        for m, kinds in sorted(by_month.items())
    ]

    followup_rows = scoped_queryset(user, FollowUp.objects.filter(laborer_id=laborer.pk), Cap.REGISTRY_VIEW)
    followups = [
        FollowUpItem(
            id=f.pk,
            contacted_on=f.contacted_on,
            method=f.method,
            method_label=f.get_method_display(),
            outcome=f.outcome,
            outcome_label=f.get_outcome_display(),
        )
        for f in followup_rows.order_by("contacted_on", "id")
    ]
    recommendations = [
        RecommendationItem(
            id=rec.pk,
            job_id=rec.job_id,
            job_title=rec.job.title,
            employer_name=rec.job.enterprise.name,
            state=rec.state,
            state_label=rec.get_state_display(),
            recommended_on=rec.created_at.date(),
            interview_at=rec.interview_at,
            hire_date=rec.hire_date,
        )
        for rec in recommendations_for(user).filter(laborer_id=laborer.pk).order_by("created_at", "id")
    ]

    required = tracking_settings_for(laborer.region_id)["stable_months"]
    last_insured = max(by_month) if by_month else None
    state = derive_state(
        records=[_facts(r) for r in started],
        today=day,
        stable_months_required=required,
        last_insurance_month=last_insured,
        followups=[(f.contacted_on, f.id, f.outcome) for f in followups if f.outcome in FOLLOWUP_STATUS],
    )
    status = StatusInfo(
        status=state.status,
        label=str(TrackStatus(state.status).label),
        since=state.since,
        stable_months=state.stable_months,
        stable_months_required=required,
        last_end_date=state.last_end_date,
        last_end_reason=state.last_end_reason,
        last_work_area=state.last_work_area,
    )
    return Trajectory(
        laborer_id=laborer.pk,
        today=day,
        home_county_code=home_code,
        home_county_name=home_name,
        status=status,
        segments=segments,
        upcoming=upcoming,
        spells=spells,
        gaps=gaps,
        moves=moves,
        income=income,
        insurance=insurance,
        followups=followups,
        recommendations=recommendations,
    )
