"""Every rule of employment.records.validation, each with a case that passes and one that fails."""

from datetime import date

import pytest

from laborcoop.employment.records import validation as v
from laborcoop.registry.choices import WorkArea

TODAY = date(2025, 6, 15)
ADULT = date(1990, 5, 17)


def test_end_before_start() -> None:
    assert v.check_dates(
        start_date=date(2025, 3, 1), end_date=date(2025, 2, 28), birth_date=None, today=TODAY
    ).errors == {"end_date": [v.END_BEFORE_START]}
    assert not v.check_dates(
        start_date=date(2025, 3, 1), end_date=date(2025, 3, 1), birth_date=None, today=TODAY
    ).has_errors


def test_end_in_future() -> None:
    issues = v.check_dates(start_date=date(2025, 3, 1), end_date=date(2025, 6, 16), birth_date=None, today=TODAY)
    assert issues.errors == {"end_date": [v.END_IN_FUTURE]}
    assert not v.check_dates(start_date=date(2025, 3, 1), end_date=TODAY, birth_date=None, today=TODAY).has_errors


def test_start_more_than_a_month_ahead() -> None:
    assert v.check_dates(start_date=date(2025, 7, 16), end_date=None, birth_date=None, today=TODAY).errors == {
        "start_date": [v.START_TOO_FAR_AHEAD]
    }
    assert not v.check_dates(start_date=date(2025, 7, 15), end_date=None, birth_date=None, today=TODAY).has_errors


def test_add_one_month_clamps_to_month_end() -> None:
    assert v.add_one_month(date(2025, 1, 31)) == date(2025, 2, 28)
    assert v.add_one_month(date(2025, 12, 15)) == date(2026, 1, 15)


def test_no_work_before_16() -> None:
    birth = date(2009, 6, 20)
    young = v.check_dates(start_date=date(2025, 6, 19), end_date=None, birth_date=birth, today=TODAY)
    assert young.errors == {"start_date": [v.UNDER_WORKING_AGE.format(age=15)]}
    assert not v.check_dates(start_date=date(2025, 6, 20), end_date=None, birth_date=birth, today=TODAY).has_errors


@pytest.mark.parametrize(
    ("wage", "errors", "warnings"),
    [
        (99, {"monthly_wage": [v.WAGE_OUT_OF_RANGE]}, {}),
        (100, {}, {"monthly_wage": [v.WAGE_LOW]}),
        (399, {}, {"monthly_wage": [v.WAGE_LOW]}),
        (400, {}, {}),
        (30000, {}, {}),
        (30001, {"monthly_wage": [v.WAGE_OUT_OF_RANGE]}, {}),
        (None, {}, {}),
    ],
)
def test_wage_range(wage: int | None, errors: dict[str, list[str]], warnings: dict[str, list[str]]) -> None:
    issues = v.check_wage(wage)
    assert (issues.errors, issues.warnings) == (errors, warnings)


@pytest.mark.parametrize("channel", ["公益性岗位", "帮扶车间"])
def test_in_county_channels_outside_county(channel: str) -> None:
    issues = v.check_channel(channel=channel, work_area=WorkArea.IN_PROVINCE)
    assert issues.errors == {"channel": [v.CHANNEL_NOT_IN_COUNTY.format(channel=channel, area="省内县外")]}
    assert not v.check_channel(channel=channel, work_area=WorkArea.IN_COUNTY).has_errors
    assert not v.check_channel(channel="外出务工", work_area=WorkArea.OUT_OF_PROVINCE).has_errors


def test_overlap() -> None:
    ongoing = v.Period(date(2024, 1, 1), None)
    ended = v.Period(date(2023, 1, 1), date(2023, 12, 31))
    issues = v.check_overlap(period=v.Period(date(2024, 6, 1), None), others=[ongoing, ended])
    assert issues.errors == {"start_date": [v.OVERLAP.format(start="2024-01-01", end=v.ONGOING)]}
    inside = v.check_overlap(period=v.Period(date(2023, 5, 1), date(2023, 6, 1)), others=[ended])
    assert inside.errors == {"start_date": [v.OVERLAP.format(start="2023-01-01", end="2023-12-31")]}
    # Handing over on the last day of the old job is not an overlap; later periods neither.
    assert not v.check_overlap(period=v.Period(date(2023, 12, 31), date(2023, 12, 31)), others=[ended]).has_errors
    assert not v.check_overlap(period=v.Period(date(2022, 1, 1), date(2022, 12, 31)), others=[ended]).has_errors
    # The same start date is always an overlap (two records of one job).
    assert v.check_overlap(period=v.Period(date(2023, 1, 1), date(2023, 1, 1)), others=[ended]).has_errors


def test_is_working_no_with_open_end() -> None:
    assert v.check_is_working(is_working=False, end_date=None).errors == {"end_date": [v.NOT_WORKING_BUT_OPEN]}
    assert not v.check_is_working(is_working=False, end_date=date(2024, 1, 1)).has_errors
    assert not v.check_is_working(is_working=True, end_date=None).has_errors


def test_current_worker_fields_are_warnings() -> None:
    issues = v.check_current_fields(end_date=None, values={"monthly_wage": 3000, "employer_name": "甲公司"})
    assert issues.warnings == {
        "industry": [v.CURRENT_MISSING.format(label="所属行业")],
        "channel": [v.CURRENT_MISSING.format(label="就业渠道")],
        "point_to_point": [v.CURRENT_MISSING.format(label="是否点对点输送")],
    }
    assert not v.check_current_fields(end_date=date(2024, 1, 1), values={}).has_warnings


@pytest.mark.parametrize(
    ("home", "work", "area"),
    [
        ("433122107201", "433122000000", WorkArea.IN_COUNTY),
        ("433122107201", "433123000000", WorkArea.IN_PROVINCE),
        ("433122107201", "430102000000", WorkArea.IN_PROVINCE),
        ("433122107201", "440306000000", WorkArea.OUT_OF_PROVINCE),
    ],
)
def test_work_area_of(home: str, work: str, area: str) -> None:
    assert v.work_area_of(home, work) == area


def test_check_record_combines_rules() -> None:
    issues = v.check_record(
        start_date=date(2025, 1, 1),
        end_date=None,
        birth_date=ADULT,
        monthly_wage=50,
        channel="帮扶车间",
        work_area=WorkArea.OUT_OF_PROVINCE,
        current_values={
            "monthly_wage": 50,
            "employer_name": "甲",
            "industry": "C",
            "channel": "帮扶车间",
            "point_to_point": True,
        },
        others=[v.Period(date(2024, 1, 1), None)],
        today=TODAY,
    )
    assert issues.errors == {
        "monthly_wage": [v.WAGE_OUT_OF_RANGE],
        "channel": [v.CHANNEL_NOT_IN_COUNTY.format(channel="帮扶车间", area="省外")],
        "start_date": [v.OVERLAP.format(start="2024-01-01", end=v.ONGOING)],
    }
    assert issues.warnings == {}
