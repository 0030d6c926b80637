"""The derived-status rules (tracking.status.services.derive_state and its helpers), without the database: each
rule with a positive and a negative case."""

from datetime import date, timedelta

import pytest

from laborcoop.employment.choices import EndReason, TrackStatus
from laborcoop.registry.choices import WorkArea
from laborcoop.tracking.choices import ContactOutcome
from laborcoop.tracking.status.services import (
    RecordFacts,
    Spell,
    StateValues,
    add_months,
    current_spell_start,
    derive_state,
    merge_spells,
    resolve_overlaps,
    whole_months,
)

TODAY = date(2025, 6, 15)


def rec(
    pk: int,
    start: date,
    end: date | None = None,
    *,
    area: str = WorkArea.OUT_OF_PROVINCE,
    contract: bool | None = True,
    insured: bool = True,
    reason: str = "",
) -> RecordFacts:
    return RecordFacts(
        id=pk,
        start=start,
        end=end,
        end_reason=reason or (EndReason.RESIGNED if end else ""),
        work_area=area,
        contract_signed=contract,
        insured_declared=insured,
    )


def state(*records: RecordFacts, required: int = 3, **kwargs: object) -> StateValues:
    return derive_state(records=list(records), today=TODAY, stable_months_required=required, **kwargs)  # type: ignore[arg-type]


# --- calendar helpers


@pytest.mark.parametrize(
    ("start", "today", "months"),
    [
        (date(2025, 3, 15), date(2025, 6, 15), 3),
        (date(2025, 3, 16), date(2025, 6, 15), 2),
        (date(2025, 1, 31), date(2025, 2, 28), 1),  # clamped to the end of February
        (date(2025, 1, 31), date(2025, 2, 27), 0),
        (date(2024, 6, 15), date(2025, 6, 15), 12),
        (date(2025, 7, 1), date(2025, 6, 15), 0),  # not started yet
    ],
)
def test_whole_months(start: date, today: date, months: int) -> None:
    assert whole_months(start, today) == months


def test_add_months_clamps_and_crosses_years() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_months(date(2025, 3, 1), -3) == date(2024, 12, 1)


# --- spells


def test_spells_merge_overlapping_adjacent_and_near_records() -> None:
    periods = [
        (date(2024, 5, 1), date(2024, 8, 31)),  # overlaps the first
        (date(2024, 1, 1), date(2024, 6, 30)),
        (date(2024, 9, 30), date(2024, 12, 31)),  # 30 days after: same spell
        (date(2025, 2, 1), None),  # 32 days after: a new spell
    ]
    assert merge_spells(periods) == [Spell(date(2024, 1, 1), date(2024, 12, 31)), Spell(date(2025, 2, 1), None)]


def test_spell_gap_of_exactly_31_days_is_one_spell_and_32_is_two() -> None:
    assert len(merge_spells([(date(2024, 1, 1), date(2024, 1, 31)), (date(2024, 3, 2), None)])) == 1
    assert len(merge_spells([(date(2024, 1, 1), date(2024, 1, 31)), (date(2024, 3, 3), None)])) == 2


def test_an_open_record_absorbs_later_records() -> None:
    assert merge_spells([(date(2024, 1, 1), None), (date(2024, 6, 1), date(2024, 7, 1))]) == [
        Spell(date(2024, 1, 1), None)
    ]


def test_overlaps_are_resolved_by_the_later_start() -> None:
    early_open = rec(1, date(2024, 1, 1))  # never ended in the data
    later = rec(2, date(2024, 6, 1), date(2024, 9, 30))
    same_day = rec(3, date(2024, 6, 1), date(2024, 7, 1))  # same start day: the higher id wins
    resolved = resolve_overlaps([later, early_open, same_day])
    assert [(r.id, r.start, r.end) for r in resolved] == [
        (1, date(2024, 1, 1), date(2024, 5, 31)),
        (3, date(2024, 6, 1), date(2024, 7, 1)),
    ]
    assert resolved[0].end_reason == ""  # cut short, not ended by the person
    assert resolve_overlaps([later]) == [later]


# --- employed / stable


def test_ongoing_record_is_employed_since_the_start_of_the_spell() -> None:
    result = state(rec(1, date(2025, 1, 1), date(2025, 3, 31)), rec(2, date(2025, 4, 20)), required=12)
    assert result == StateValues(
        status=TrackStatus.EMPLOYED,
        since=date(2025, 1, 1),
        stable_months=5,
        last_end_date=date(2025, 3, 31),
        last_end_reason=EndReason.RESIGNED,
        last_work_area=WorkArea.OUT_OF_PROVINCE,
    )


def test_a_gap_over_31_days_starts_a_new_spell() -> None:
    result = state(rec(1, date(2024, 1, 1), date(2025, 1, 31)), rec(2, date(2025, 4, 1)))
    assert (result.status, result.since, result.stable_months) == (TrackStatus.EMPLOYED, date(2025, 4, 1), 2)
    joined = state(rec(1, date(2024, 1, 1), date(2025, 3, 15)), rec(2, date(2025, 4, 1)))
    assert (joined.status, joined.since, joined.stable_months) == (TrackStatus.STABLE, date(2024, 1, 1), 17)


def test_stable_after_three_whole_months_with_contract_and_insurance() -> None:
    assert state(rec(1, date(2025, 3, 15))).status == TrackStatus.STABLE
    assert state(rec(1, date(2025, 3, 16))).status == TrackStatus.EMPLOYED  # one day short


def test_stable_needs_a_signed_contract() -> None:
    assert state(rec(1, date(2024, 1, 1), contract=False)).status == TrackStatus.EMPLOYED
    assert state(rec(1, date(2024, 1, 1), contract=None)).status == TrackStatus.EMPLOYED


def test_stable_needs_insurance_declared_or_paid() -> None:
    assert state(rec(1, date(2024, 1, 1), insured=False)).status == TrackStatus.EMPLOYED
    paid_recently = state(rec(1, date(2024, 1, 1), insured=False), last_insurance_month=date(2025, 4, 1))
    assert paid_recently.status == TrackStatus.STABLE


def test_insurance_months_of_the_spell_override_the_declaration() -> None:
    # Declared insured, but the monthly rows of this spell stopped in March: more than two months ago.
    stopped = state(rec(1, date(2024, 1, 1), insured=True), last_insurance_month=date(2025, 3, 1))
    assert stopped.status == TrackStatus.EMPLOYED
    # Rows from an earlier job (before this spell) do not count against the declaration.
    earlier_job = state(rec(1, date(2025, 1, 1), insured=True), last_insurance_month=date(2024, 6, 1))
    assert earlier_job.status == TrackStatus.STABLE


def test_only_the_current_record_contract_counts() -> None:
    result = state(
        rec(1, date(2024, 1, 1), date(2025, 1, 31), contract=True), rec(2, date(2025, 2, 10), contract=False)
    )
    assert (result.status, result.since, result.stable_months) == (TrackStatus.EMPLOYED, date(2024, 1, 1), 17)


def test_threshold_comes_from_the_caller() -> None:
    assert state(rec(1, date(2025, 1, 1)), required=6).status == TrackStatus.EMPLOYED
    assert state(rec(1, date(2025, 1, 1)), required=5).status == TrackStatus.STABLE


# --- returned / unemployed / never


def test_last_job_outside_the_county_ended_is_returned() -> None:
    for area in (WorkArea.IN_PROVINCE, WorkArea.OUT_OF_PROVINCE):
        result = state(rec(1, date(2024, 1, 1), date(2025, 5, 1), area=area, reason=EndReason.DISMISSED))
        assert result == StateValues(
            status=TrackStatus.RETURNED,
            since=date(2025, 5, 1),
            last_end_date=date(2025, 5, 1),
            last_end_reason=EndReason.DISMISSED,
            last_work_area=area,
        )


def test_last_job_in_the_county_ended_is_unemployed() -> None:
    result = state(
        rec(1, date(2023, 1, 1), date(2023, 12, 31), area=WorkArea.OUT_OF_PROVINCE),
        rec(2, date(2024, 3, 1), date(2025, 5, 1), area=WorkArea.IN_COUNTY),
    )
    assert (result.status, result.since, result.last_work_area) == (
        TrackStatus.UNEMPLOYED,
        date(2025, 5, 1),
        WorkArea.IN_COUNTY,
    )


def test_follow_up_after_the_end_overrides_the_area_rule() -> None:
    ended_away = rec(1, date(2024, 1, 1), date(2025, 5, 1), area=WorkArea.OUT_OF_PROVINCE)
    not_working = [(date(2025, 5, 10), 7, ContactOutcome.NOT_WORKING)]
    assert state(ended_away, followups=not_working).status == TrackStatus.UNEMPLOYED
    ended_here = rec(1, date(2024, 1, 1), date(2025, 5, 1), area=WorkArea.IN_COUNTY)
    returned = [(date(2025, 5, 10), 8, ContactOutcome.RETURNED)]
    assert state(ended_here, followups=returned).status == TrackStatus.RETURNED


def test_follow_ups_before_the_end_or_uninformative_are_ignored() -> None:
    ended_away = rec(1, date(2024, 1, 1), date(2025, 5, 1), area=WorkArea.OUT_OF_PROVINCE)
    before = [(date(2025, 4, 30), 1, ContactOutcome.NOT_WORKING)]
    assert state(ended_away, followups=before).status == TrackStatus.RETURNED
    # The latest informative follow-up wins; "not reached" says nothing.
    mixed = [
        (date(2025, 5, 5), 2, ContactOutcome.NOT_WORKING),
        (date(2025, 5, 20), 3, ContactOutcome.RETURNED),
        (date(2025, 6, 1), 4, ContactOutcome.NOT_REACHED),
    ]
    assert state(ended_away, followups=mixed).status == TrackStatus.RETURNED


def test_no_started_record_is_never() -> None:
    assert state() == StateValues(status=TrackStatus.NEVER)
    assert state(rec(1, date(2025, 7, 1))) == StateValues(status=TrackStatus.NEVER)  # starts next month
    assert state(rec(1, date(2025, 6, 15))).status == TrackStatus.EMPLOYED  # starts today


def test_an_open_record_overlapped_by_a_later_ended_one_is_not_current() -> None:
    result = state(rec(1, date(2024, 1, 1)), rec(2, date(2025, 1, 1), date(2025, 5, 1), area=WorkArea.IN_COUNTY))
    assert (result.status, result.since) == (TrackStatus.UNEMPLOYED, date(2025, 5, 1))


def test_whole_months_matches_the_calendar_definition() -> None:
    """The closed formula equals "the largest n with add_months(start, n) <= today" over two leap years."""
    starts = [date(2023, 1, 1) + timedelta(days=d) for d in range(0, 800, 7)]
    days = [date(2024, 1, 1) + timedelta(days=d) for d in range(0, 500, 3)]
    for start in starts:
        for today in days:
            expected = 0
            while today >= start and add_months(start, expected + 1) <= today:
                expected += 1
            assert whole_months(start, today) == expected, (start, today)


def test_current_spell_start_walks_back_over_short_gaps() -> None:
    records = resolve_overlaps(
        [
            rec(1, date(2023, 1, 1), date(2023, 3, 31)),
            rec(2, date(2023, 6, 1), date(2023, 12, 31)),  # 62 days later: a new spell
            rec(3, date(2024, 1, 31), date(2024, 5, 31)),  # 31 days later: same spell
            rec(4, date(2024, 6, 1)),
        ]
    )
    assert current_spell_start(records) == date(2023, 6, 1)
    assert current_spell_start(records) == merge_spells((r.start, r.end) for r in records)[-1].start
