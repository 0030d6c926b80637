"""Checks on employment records, after the rules of the field checkers (shared/domain.md).

Pure functions over plain values: the services, the forms (through the services) and the WORK import all
call them, so a record is judged the same way wherever it comes from. Errors block a save; warnings are
stored on the record (`warnings`) and shown.

Periods: a record covers the days from `start_date` to `end_date` (inclusive; None = ongoing). Handing over on
one day (the old job ends on the day the new one starts) is not an overlap; anything more is.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from laborcoop.core.validation.idcard import age_on
from laborcoop.core.validation.issues import Issues
from laborcoop.employment.choices import IN_COUNTY_CHANNELS
from laborcoop.employment.models import WAGE_MAX, WAGE_MIN
from laborcoop.registry.choices import WorkArea

END_BEFORE_START = "结束时间不能早于开始时间"
END_IN_FUTURE = "结束时间不能晚于今天"
START_TOO_FAR_AHEAD = "开始时间不能晚于今天一个月以上"
UNDER_WORKING_AGE = "未满16周岁不得登记务工（开始时间时 {age} 周岁）"
WAGE_OUT_OF_RANGE = "务工月收入应在 100 至 30000 元之间"
WAGE_LOW = "务工月收入低于 400 元，请核对"
CHANNEL_NOT_IN_COUNTY = "就业渠道为“{channel}”的只能在县内就业，当前务工地域为“{area}”，请核对就业渠道或务工所在县"
OVERLAP = "与已有就业记录（{start} 至 {end}）时间重叠，请先结束上一份工作或核对开始时间"
NOT_WORKING_BUT_OPEN = "“是否已务工”为“否”，但未填写结束时间（表示仍在务工），前后矛盾"
CURRENT_MISSING = "在岗人员应填写{label}"
ONGOING = "至今"

WORKING_AGE_MIN = 16
WAGE_LOW_LIMIT = 400

# Fields a current worker should have (shared/domain.md), with their labels for CURRENT_MISSING.
CURRENT_WORKER_FIELDS = {
    "monthly_wage": "务工月收入",
    "employer_name": "务工企业名称",
    "industry": "所属行业",
    "channel": "就业渠道",
    "point_to_point": "是否点对点输送",
}


@dataclass(frozen=True)
class Period:
    start: date
    end: date | None  # None: ongoing
    label: str = ""  # how the other record is named in messages (defaults to its dates)


def add_one_month(day: date) -> date:
    """The same day next month, clamped to the month's last day (01-31 -> 02-28)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def work_area_of(home_code: str, work_code: str) -> str:
    """务工地域 from the laborer's home region code and the work county code (12-digit codes)."""
    if home_code[:6] == work_code[:6]:
        return WorkArea.IN_COUNTY
    if home_code[:2] == work_code[:2]:
        return WorkArea.IN_PROVINCE
    return WorkArea.OUT_OF_PROVINCE


def periods_overlap(a: Period, b: Period) -> bool:
    if a.start == b.start:
        return True
    latest_start = max(a.start, b.start)
    ends = [e for e in (a.end, b.end) if e is not None]
    earliest_end = min(ends) if ends else None
    return earliest_end is None or latest_start < earliest_end


def check_dates(*, start_date: date, end_date: date | None, birth_date: date | None, today: date) -> Issues:
    issues = Issues()
    if end_date is not None and end_date < start_date:
        issues.error("end_date", END_BEFORE_START)
    if end_date is not None and end_date > today:
        issues.error("end_date", END_IN_FUTURE)
    if start_date > add_one_month(today):
        issues.error("start_date", START_TOO_FAR_AHEAD)
    if birth_date is not None:
        age = age_on(birth_date, start_date)
        if age < WORKING_AGE_MIN:
            issues.error("start_date", UNDER_WORKING_AGE.format(age=max(age, 0)))
    return issues


def check_wage(monthly_wage: int | None) -> Issues:
    issues = Issues()
    if monthly_wage is None:
        return issues
    if not WAGE_MIN <= monthly_wage <= WAGE_MAX:
        issues.error("monthly_wage", WAGE_OUT_OF_RANGE)
    elif monthly_wage < WAGE_LOW_LIMIT:
        issues.warn("monthly_wage", WAGE_LOW)
    return issues


def check_channel(*, channel: str, work_area: str) -> Issues:
    issues = Issues()
    if channel in IN_COUNTY_CHANNELS and work_area and work_area != WorkArea.IN_COUNTY:
        issues.error("channel", CHANNEL_NOT_IN_COUNTY.format(channel=channel, area=WorkArea(work_area).label))
    return issues


def check_current_fields(*, end_date: date | None, values: dict[str, object]) -> Issues:
    """Warnings for an ongoing record that lacks what the checkers expect of a current worker."""
    issues = Issues()
    if end_date is not None:
        return issues
    for name, label in CURRENT_WORKER_FIELDS.items():
        if values.get(name) in (None, ""):
            issues.warn(name, CURRENT_MISSING.format(label=label))
    return issues


def check_overlap(*, period: Period, others: Iterable[Period]) -> Issues:
    """Errors for every other record of the same laborer whose period overlaps `period`."""
    issues = Issues()
    for other in sorted(others, key=lambda p: p.start):
        if periods_overlap(period, other):
            end = other.end.isoformat() if other.end else ONGOING
            issues.error("start_date", OVERLAP.format(start=other.start.isoformat(), end=end))
    return issues


def check_is_working(*, is_working: bool | None, end_date: date | None) -> Issues:
    """是否已务工=否 with an open end date is a contradiction (the 已外出务工 sheet's own column)."""
    issues = Issues()
    if is_working is False and end_date is None:
        issues.error("end_date", NOT_WORKING_BUT_OPEN)
    return issues


def check_record(
    *,
    start_date: date,
    end_date: date | None,
    birth_date: date | None,
    monthly_wage: int | None,
    channel: str,
    work_area: str,
    current_values: dict[str, object],
    others: Iterable[Period],
    today: date,
) -> Issues:
    """Every rule on one record: dates and age, wage, channel vs 务工地域, overlap with the laborer's other
    records, missing fields of a current worker."""
    issues = Issues()
    issues.merge(check_dates(start_date=start_date, end_date=end_date, birth_date=birth_date, today=today))
    issues.merge(check_wage(monthly_wage))
    issues.merge(check_channel(channel=channel, work_area=work_area))
    if end_date is None or end_date >= start_date:
        issues.merge(check_overlap(period=Period(start_date, end_date), others=others))
    issues.merge(check_current_fields(end_date=end_date, values=current_values))
    return issues
