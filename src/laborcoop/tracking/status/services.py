"""The derived employment status of a laborer (就业状态, `EmploymentState`, one row per laborer; the model stays
in employment.models, no migration: tracking computes and writes the rows, see tracking.status).

Rules (evaluated on `today`; records that start after `today` are ignored until they start):

- **Spells.** A laborer's records, sorted by start date, form continuous spells: a record that starts on or
  before the previous spell's end plus `SPELL_GAP_DAYS` (31) days continues that spell (overlapping and
  adjacent records, and a job change within a month, are one spell); an ongoing record (no end date) keeps the
  spell open.
- **在岗 / 稳定就业.** An ongoing record (end date empty) makes the laborer employed; `since` is the start of the
  spell that contains it and `stable_months` the whole months from that start to `today` (calendar months: a
  spell starting on 31 January has one whole month on 28/29 February). The laborer is **stable** when
  `stable_months` >= the province's `stable_months` setting (tracking_settings_for, default 3) AND the ongoing
  record has `contract_signed` AND the laborer is insured:
    * when InsuranceMonth rows exist for a month of the current spell (reports or 社保 lists), they decide:
      insured iff one of them is for the current month or one of the `INSURANCE_LOOKBACK_MONTHS` (2) months
      before it (reports lag by up to two months; a gap longer than that means the insurance stopped);
    * otherwise the record's declaration decides: insured iff `insurance_types` is not empty.
  Contract and insurance of earlier records in the spell do not count: the subsidy rules ask about the job held.
- **返乡 / 失业.** No ongoing record but earlier records: the most recently ended record (latest end date, then
  latest start, then highest id) gives `since` = `last_end_date`, `last_end_reason`. The laborer has returned
  home (返乡) when that job was outside the home county (务工地域 省内县外 or 省外), else is unemployed (失业) —
  unless a follow-up (tracking.FollowUp) on or after that end date says otherwise: the latest one with outcome
  "联系上，已返乡" makes the laborer returned, "联系上，未就业" unemployed (other outcomes say nothing about
  where the person is: "未联系上", and "联系上，在岗" without a record, which the officer must enter as a record).
- **无就业记录.** No record that has started.
- `last_work_area` is the 务工地域 of the most recent record (the ongoing one when employed); `last_end_date` and
  `last_end_reason` describe the most recently ended record for every status (for the employed: the job held
  before the current spell or within it), empty when none ended.
- **Deceased / moved laborers** (`Laborer.vital_status`) keep a computed status (their history stays true);
  the counts (tracking.status.selectors) and the early warnings leave them out.

Overlapping records (the services never store them; old or bulk-loaded data may hold them) are resolved
first: the later start wins, the earlier record counts as ended the day before (resolve_overlaps).

Writing: `employment_states_refresh(ids)` inside the transaction of every employment write (the receivers of
`employment_changed` and of the wage/insurance lines' `employment_states_stale`, tracking.status.receivers),
`employment_states_refresh_all()` nightly (the command `refresh_employment_states` and the task in
tracking.status.tasks), because statuses change as time passes (someone becomes stable three months after
starting without any write). Both are set-based: a handful of queries per chunk of laborers, whatever the
chunk's size, and rows whose values did not change are not rewritten (so `computed_at` is the time the row last
changed). The SQL of the writes is in tracking.status.store. Follow-ups are not an employment write: whoever
logs one should call `employment_states_refresh([laborer_id])` in the same transaction (otherwise the nightly
run catches up).
"""

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Max, Q
from django.utils import timezone

from laborcoop.employment.choices import TrackStatus
from laborcoop.employment.models import EmploymentRecord, InsuranceMonth
from laborcoop.regions.scope import in_subtree_q, province_code_of
from laborcoop.registry.choices import WorkArea
from laborcoop.registry.models import Laborer
from laborcoop.tracking.choices import ContactOutcome
from laborcoop.tracking.models import FollowUp
from laborcoop.tracking.settings.selectors import tracking_settings_for
from laborcoop.tracking.status.store import (
    StateRow,
    chunks,
    states_insert,
    states_stored,
    states_update_unless_changed,
)

logger = logging.getLogger(__name__)

SPELL_GAP_DAYS = 31
INSURANCE_LOOKBACK_MONTHS = 2
OUTSIDE_HOME_COUNTY = frozenset({WorkArea.IN_PROVINCE, WorkArea.OUT_OF_PROVINCE})
# Follow-up outcomes that say where a person without a job is, and the status each one sets.
FOLLOWUP_STATUS: dict[str, str] = {
    ContactOutcome.RETURNED: TrackStatus.RETURNED,
    ContactOutcome.NOT_WORKING: TrackStatus.UNEMPLOYED,
}
IN_LIST_CHUNK = 1000  # ids per IN (...) list: far below SQLite's variable limit
DEFAULT_BATCH = 5000


# --- calendar helpers ----------------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the end of a shorter month (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


def whole_months(start: date, today: date) -> int:
    """Whole calendar months from `start` to `today` (0 when `today` is before `start`)."""
    if today < start:
        return 0
    months = (today.year - start.year) * 12 + today.month - start.month
    # `start` moved by `months` lands on start.day, clamped to the month's end: past today only when
    # start.day > today.day and today is not the last day of its month.
    if start.day > today.day and (today + timedelta(days=1)).day != 1:
        months -= 1
    return months


# --- the pure rules ------------------------------------------------------------------------------------------


class RecordFacts(NamedTuple):
    """What the rules read of one record (a tuple: the nightly run makes one per record)."""

    id: int
    start: date
    end: date | None
    end_reason: str
    work_area: str
    contract_signed: bool | None
    insured_declared: bool


@dataclass(frozen=True)
class Spell:
    """A continuous period of employment (records less than SPELL_GAP_DAYS apart); `end` None: ongoing."""

    start: date
    end: date | None


@dataclass(frozen=True)
class StateValues:
    status: str
    since: date | None = None
    stable_months: int = 0
    last_end_date: date | None = None
    last_end_reason: str = ""
    last_work_area: str = ""


NEVER = StateValues(status=TrackStatus.NEVER)


def merge_spells(periods: Iterable[tuple[date, date | None]], *, gap_days: int = SPELL_GAP_DAYS) -> list[Spell]:
    """Continuous spells of (start, end) periods in any order; overlapping, adjacent and nearly adjacent
    (<= gap_days apart) periods are merged. Deterministic: depends only on the set of periods."""
    spells: list[Spell] = []
    for start, end in sorted(periods, key=lambda p: (p[0], p[1] is None, p[1] or p[0])):
        if spells:
            last = spells[-1]
            if last.end is None or start <= last.end + timedelta(days=gap_days):
                merged_end = None if last.end is None or end is None else max(last.end, end)
                spells[-1] = Spell(last.start, merged_end)
                continue
        spells.append(Spell(start, end))
    return spells


def resolve_overlaps(records: Iterable[RecordFacts]) -> list[RecordFacts]:
    """The records by start (then id), each cut short at the day before the next one starts when they overlap
    (a new job means the previous one ended, whatever its stored end says), records wholly covered by a later
    one (same start day: the higher id) dropped. The services never store overlaps; older or bulk-loaded data
    may hold them."""
    ordered = sorted(records, key=lambda r: (r.start, r.id))
    if len(ordered) < 2:
        return ordered
    resolved: list[RecordFacts] = []
    for i, record in enumerate(ordered):
        following = ordered[i + 1] if i + 1 < len(ordered) else None
        if following is not None and (record.end is None or record.end >= following.start):
            cut = following.start - timedelta(days=1)
            if cut < record.start:
                continue
            record = record._replace(end=cut, end_reason="")
        resolved.append(record)
    return resolved


def current_spell_start(resolved: Sequence[RecordFacts]) -> date:
    """The start of the spell containing the last of `resolved` (resolve_overlaps' output: sorted, no
    overlaps), walking back while the previous record ended at most SPELL_GAP_DAYS before. Same result as
    merge_spells(...)[-1].start, without building every spell."""
    start = resolved[-1].start
    for record in reversed(resolved[:-1]):
        assert record.end is not None
        if record.end + timedelta(days=SPELL_GAP_DAYS) < start:
            break
        start = record.start
    return start


def latest_ended(records: Sequence[RecordFacts]) -> RecordFacts | None:
    ended = [r for r in records if r.end is not None]
    return max(ended, key=lambda r: (r.end, r.start, r.id)) if ended else None


def is_insured(*, record: RecordFacts, spell_start: date, last_insurance_month: date | None, today: date) -> bool:
    """Monthly insurance rows of the current spell decide when there are any; else the record's declaration."""
    if last_insurance_month is not None and last_insurance_month >= month_start(spell_start):
        return last_insurance_month >= add_months(month_start(today), -INSURANCE_LOOKBACK_MONTHS)
    return record.insured_declared


def derive_state(
    *,
    records: Sequence[RecordFacts],
    today: date,
    stable_months_required: int,
    last_insurance_month: date | None = None,
    followups: Sequence[tuple[date, int, str]] = (),
    resolved: bool = False,
) -> StateValues:
    """The status of one laborer from their records (any order), the latest month of their insurance rows and
    their follow-ups as (contacted_on, id, outcome). Pure: the module docstring states the rules.
    `resolved`: the records are resolve_overlaps' output for records started by `today` (the nightly run)."""
    started = list(records) if resolved else resolve_overlaps(r for r in records if r.start <= today)
    if not started:
        return NEVER
    newest = started[-1]  # resolved records are ordered by (start, id)
    ended = latest_ended(started)
    last_end_date = ended.end if ended else None
    last_end_reason = ended.end_reason if ended else ""
    current = started[-1] if started[-1].end is None else None
    if current is not None:
        spell_start = current_spell_start(started)
        months = whole_months(spell_start, today)
        stable = (
            months >= stable_months_required
            and current.contract_signed is True
            and is_insured(
                record=current, spell_start=spell_start, last_insurance_month=last_insurance_month, today=today
            )
        )
        return StateValues(
            status=TrackStatus.STABLE if stable else TrackStatus.EMPLOYED,
            since=spell_start,
            stable_months=months,
            last_end_date=last_end_date,
            last_end_reason=last_end_reason,
            last_work_area=newest.work_area,
        )
    assert ended is not None
    assert ended.end is not None
    status: str = TrackStatus.RETURNED if ended.work_area in OUTSIDE_HOME_COUNTY else TrackStatus.UNEMPLOYED
    told = [f for f in followups if f[0] >= ended.end and f[2] in FOLLOWUP_STATUS]
    if told:
        status = FOLLOWUP_STATUS[max(told)[2]]
    return StateValues(
        status=status,
        since=ended.end,
        last_end_date=last_end_date,
        last_end_reason=last_end_reason,
        last_work_area=newest.work_area,
    )


# --- loading and writing -------------------------------------------------------------------------------------

_RECORD_COLUMNS = (
    "laborer_id",
    "id",
    "start_date",
    "end_date",
    "end_reason",
    "work_area",
    "contract_signed",
    "insured",
)


class _Settings:
    """stable_months per province, one query per province met."""

    def __init__(self) -> None:
        self._by_province: dict[str, int] = {}

    def stable_months(self, region_code: str) -> int:
        province = province_code_of(region_code)
        if province not in self._by_province:
            self._by_province[province] = tracking_settings_for(province)["stable_months"]
        return self._by_province[province]


def _records_by_laborer(record_q: Q, today: date) -> dict[int, list[RecordFacts]]:
    found: dict[int, list[RecordFacts]] = defaultdict(list)
    # Only whether insurance was declared matters: asked of the database, the JSON is never decoded.
    insured = ExpressionWrapper(~Q(insurance_types=[]), output_field=BooleanField())
    rows = (
        EmploymentRecord.objects.filter(record_q, start_date__lte=today)
        .annotate(insured=insured)
        .values_list(*_RECORD_COLUMNS)
        .order_by()
    )
    for laborer_id, pk, start, end, reason, area, contract, declared in rows:
        found[laborer_id].append(RecordFacts(pk, start, end, reason, area, contract, bool(declared)))
    return {laborer_id: resolve_overlaps(mine) for laborer_id, mine in found.items()}


def _compute(
    laborers: Sequence[tuple[int, str]], record_q: Q, *, today: date, settings: _Settings
) -> dict[int, StateRow]:
    """laborer id -> the row to store for `laborers` [(id, home region code)]; `record_q` (on `laborer_id`)
    selects at least their records, insurance months and follow-ups. Three queries at most, whatever the
    number of laborers."""
    records = _records_by_laborer(record_q, today)
    region_of = dict(laborers)
    # Insurance matters only for someone who is otherwise stable: contract signed and enough months.
    candidates: list[int] = []
    without_job: dict[int, date] = {}
    for laborer_id, mine in records.items():
        if laborer_id not in region_of:
            continue
        current = mine[-1] if mine[-1].end is None else None
        if current is None:
            ended = latest_ended(mine)
            assert ended is not None
            assert ended.end is not None
            without_job[laborer_id] = ended.end
        elif current.contract_signed is True and whole_months(
            current_spell_start(mine), today
        ) >= settings.stable_months(region_of[laborer_id]):
            candidates.append(laborer_id)
    # The same selection as the records (an id range, a subquery or a short list): no long IN (...) lists.
    insurance: dict[int, date] = {}
    if candidates:
        latest = (
            InsuranceMonth.objects.filter(record_q).order_by().values_list("laborer_id").annotate(last=Max("month"))
        )
        insurance = dict(latest)
    followups: dict[int, list[tuple[date, int, str]]] = defaultdict(list)
    if without_job:
        contacts = FollowUp.objects.filter(
            record_q, outcome__in=list(FOLLOWUP_STATUS), contacted_on__gte=min(without_job.values())
        ).values_list("laborer_id", "contacted_on", "id", "outcome")
        for laborer_id, contacted_on, pk, outcome in contacts.order_by():
            followups[laborer_id].append((contacted_on, pk, outcome))
    result: dict[int, StateRow] = {}
    never = _as_row("", NEVER)[1:]
    for laborer_id, region in laborers:
        resolved = records.get(laborer_id)
        if not resolved:
            result[laborer_id] = (region, *never)
            continue
        state = derive_state(
            records=resolved,
            today=today,
            stable_months_required=settings.stable_months(region),
            last_insurance_month=insurance.get(laborer_id),
            followups=followups.get(laborer_id, ()),
            resolved=True,
        )
        result[laborer_id] = _as_row(region, state)
    return result


def _as_row(region: str, state: StateValues) -> StateRow:
    return (
        region,
        str(state.status),
        state.since,
        state.stable_months,
        state.last_end_date,
        state.last_end_reason,
        state.last_work_area,
    )


def _changes(computed: dict[int, StateRow], stored: dict[int, StateRow]) -> tuple[list[int], list[int]]:
    """(ids without a stored row, ids whose stored row differs), ascending."""
    new = [pk for pk in computed if pk not in stored]
    changed = [pk for pk, row in computed.items() if pk in stored and stored[pk] != row]
    return sorted(new), sorted(changed)


def employment_states_refresh(laborer_ids: Iterable[int], *, today: date | None = None) -> int:
    """Recompute and store the status of these laborers; returns the number of rows created or changed.

    Call it inside the transaction that changed their records, wage or insurance months or follow-ups, holding
    the laborers' row locks (the employment services, the lines services and the work import do): the rows
    are then written from the data the transaction sees. A few queries per 1000 laborers."""
    day = today or timezone.localdate()
    ids = sorted({int(pk) for pk in laborer_ids})
    settings = _Settings()
    written = 0
    for chunk in chunks(ids, IN_LIST_CHUNK):
        laborers = list(Laborer.objects.filter(pk__in=chunk).order_by().values_list("pk", "region_id"))
        computed = _compute(laborers, Q(laborer_id__in=chunk), today=day, settings=settings)
        new, changed = _changes(computed, states_stored(Q(laborer_id__in=chunk)))
        states_insert(new + changed, computed, update=True)
        written += len(new) + len(changed)
    return written


def _laborer_batches(region_prefix: str, batch_size: int) -> Iterator[list[tuple[int, str]]]:
    """(id, region) of the laborers of a subtree by ascending id, `batch_size` at a time (keyset paging)."""
    last = 0
    base = Laborer.objects.filter(in_subtree_q(region_prefix, "region")).order_by("pk")
    while True:
        batch = list(base.filter(pk__gt=last).values_list("pk", "region_id")[:batch_size])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def employment_states_refresh_all(
    *, today: date | None = None, region_prefix: str = "", batch_size: int = DEFAULT_BATCH
) -> int:
    """The nightly run: recompute the status of every laborer of a subtree ('' = all), a chunk of
    `batch_size` laborers (by id) per transaction; returns the number of rows created or changed.

    Memory is bounded by the chunk; no lock is taken. Concurrent writes (whose receivers store the status in
    their own transaction) are never overwritten with what was read before them: the stored states are read
    before the records, new rows are inserted with ON CONFLICT DO NOTHING, and a changed row is updated only
    where it still holds the values read. Rows whose status did not change are not written."""
    day = today or timezone.localdate()
    settings = _Settings()
    written = 0
    base = Laborer.objects.filter(in_subtree_q(region_prefix, "region")).order_by("pk")
    for laborers in _laborer_batches(region_prefix, batch_size):
        ids = [pk for pk, _ in laborers]
        # The whole table: every laborer of an id range, read by range. A subtree's ids are scattered: the batch
        # is selected again as a subquery (a list of thousands of ids costs more to send than to read).
        record_q = Q(laborer_id__gte=ids[0], laborer_id__lte=ids[-1])
        if region_prefix:  # the range as well: it lets the database read by index rather than scan
            record_q &= Q(laborer_id__in=base.filter(pk__gte=ids[0], pk__lte=ids[-1]).values("pk"))
        with transaction.atomic():
            stored = states_stored(record_q)  # before the records: see the docstring
            computed = _compute(laborers, record_q, today=day, settings=settings)
            new, changed = _changes(computed, stored)
            states_insert(new, computed, update=False)
            states_update_unless_changed(changed, computed, stored)
            written += len(new) + len(changed)
    logger.info("employment states refreshed: %s rows written (prefix %r)", written, region_prefix)
    return written
