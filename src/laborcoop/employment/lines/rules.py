"""Checks on wage and social-insurance months (工资发放、参保缴费), after the employment record's rules.

Pure functions over plain values: the services, the enterprise reports (form, upload, API) and the
comparison with 社保参保 lists all call them, so a month is judged the same way wherever it comes from.

A month is stored as its first day. It must lie within the record's period: from the month of the start
date to the month of the end date (ongoing records: the current month); future months are refused.
"""

from datetime import date

from laborcoop.core.validation.issues import Issues
from laborcoop.employment import choices as c
from laborcoop.employment.models import WAGE_MAX, WAGE_MIN
from laborcoop.employment.records.validation import WAGE_LOW_LIMIT

MONTH_REQUIRED = "请填写月份"
MONTH_IN_FUTURE = "不能填报未来月份（{month}）"
MONTH_BEFORE_START = "月份 {month} 早于该就业记录的开始时间（{start}）"
MONTH_AFTER_END = "月份 {month} 晚于该就业记录的结束时间（{end}）"
AMOUNT_REQUIRED = "请填写实发工资"
AMOUNT_OUT_OF_RANGE = f"实发工资应在 {WAGE_MIN} 至 {WAGE_MAX} 元之间"
AMOUNT_LOW = f"实发工资低于 {WAGE_LOW_LIMIT} 元，请核对"
PAID_ON_IN_FUTURE = "发放日期不能晚于今天"
PAID_ON_BEFORE_MONTH = "发放日期不能早于工资所属月份"
INSURANCE_TYPE_REQUIRED = "请选择险种"
INSURANCE_TYPE_UNKNOWN = "险种“{value}”不在代码表中"


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_label(month: date) -> str:
    return f"{month:%Y-%m}"


def check_month(*, month: date | None, start_date: date, end_date: date | None, today: date) -> Issues:
    """The month lies within the record's period and is not in the future (field `month`)."""
    issues = Issues()
    if month is None:
        issues.error("month", MONTH_REQUIRED)
        return issues
    month = month_start(month)
    if month > month_start(today):
        issues.error("month", MONTH_IN_FUTURE.format(month=month_label(month)))
    elif month < month_start(start_date):
        issues.error("month", MONTH_BEFORE_START.format(month=month_label(month), start=start_date.isoformat()))
    elif end_date is not None and month > month_start(end_date):
        issues.error("month", MONTH_AFTER_END.format(month=month_label(month), end=end_date.isoformat()))
    return issues


def check_amount(amount: int | None) -> Issues:
    """100-30000 元, like the record's monthly wage; under 400 a warning that needs confirmation."""
    issues = Issues()
    if amount is None:
        issues.error("amount", AMOUNT_REQUIRED)
    elif not WAGE_MIN <= amount <= WAGE_MAX:
        issues.error("amount", AMOUNT_OUT_OF_RANGE)
    elif amount < WAGE_LOW_LIMIT:
        issues.warn("amount", AMOUNT_LOW)
    return issues


def check_paid_on(*, paid_on: date | None, month: date | None, today: date) -> Issues:
    issues = Issues()
    if paid_on is None:
        return issues
    if paid_on > today:
        issues.error("paid_on", PAID_ON_IN_FUTURE)
    elif month is not None and paid_on < month_start(month):
        issues.error("paid_on", PAID_ON_BEFORE_MONTH)
    return issues


def check_insurance_type(value: str) -> Issues:
    issues = Issues()
    if not value:
        issues.error("insurance_type", INSURANCE_TYPE_REQUIRED)
    elif value not in c.InsuranceType.values:
        issues.error("insurance_type", INSURANCE_TYPE_UNKNOWN.format(value=value))
    return issues


def insurance_type_code(text: str) -> str | None:
    """The code of an insurance type written as code or label, or as the words of 人社 lists
    ("企业职工基本养老保险", "城乡居民基本医疗保险", "工伤"); None when it names none of them."""
    value = "".join((text or "").split())
    if not value:
        return None
    if value in c.InsuranceType.values:
        return value
    for code, label in c.InsuranceType.choices:
        if value == label:
            return str(code)
    resident = "居民" in value or "城乡" in value
    if "养老" in value:
        return c.InsuranceType.RESIDENT_PENSION if resident else c.InsuranceType.EMPLOYEE_PENSION
    if "医疗" in value or "医保" in value:
        return c.InsuranceType.RESIDENT_MEDICAL if resident else c.InsuranceType.EMPLOYEE_MEDICAL
    if "失业" in value:
        return c.InsuranceType.UNEMPLOYMENT
    if "工伤" in value:
        return c.InsuranceType.WORK_INJURY
    return None
