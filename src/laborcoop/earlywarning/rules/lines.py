"""Wage and social-insurance rules: 工资连续未报, 工资低于标准, 在岗未参保.

The wage and insurance lines are reported by employers, so jobs without one (自主就业, 创业) are not checked.
"Complete months" are the months before the current one."""

from collections.abc import Iterator
from typing import Any

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When

from laborcoop.earlywarning.choices import Severity
from laborcoop.earlywarning.rules.base import (
    RECORD,
    Finding,
    Param,
    Rule,
    RuleContext,
    add_months,
    json_text,
    month_label,
    month_start,
    sql_finding,
    text,
)
from laborcoop.employment import choices as ec
from laborcoop.employment.models import EmploymentRecord, InsuranceMonth, WageMonth
from laborcoop.employment.records.validation import WAGE_LOW_LIMIT

NO_EMPLOYER_CHANNELS = [ec.Channel.SELF_EMPLOYED, ec.Channel.BUSINESS]
RECORD_FIELDS = ("pk", "laborer_id", "laborer__household_id", "laborer__region_id")
EMPLOYER_MISSING = "务工单位未填"


def _employer(name: str) -> str:
    return name or EMPLOYER_MISSING


def employer_expr() -> Case:
    """The employer's name, or 务工单位未填, computed in the database."""
    return Case(
        When(employer_name="", then=Value(EMPLOYER_MISSING)), default=F("employer_name"), output_field=CharField()
    )


class WageMissing(Rule):
    """An ongoing job at least N months old with no wage month in the last N complete months (the job began
    before the last of them), where wages are reported at all: the job is at an enterprise on the platform
    (which reports its payroll), or wages of this job were reported before and then stopped. Nobody reports
    the wages of casual work away from home month by month, so those jobs are not checked (on the demo data
    they were half of this rule's warnings, none of them actionable)."""

    code = "wage_missing"
    title = "工资连续未报"
    description = (
        "平台企业的在岗就业记录（或曾报送过工资的记录）连续多个完整月份（默认2个月）没有工资发放记录"
        "（自主就业、创业除外）。"
    )
    subject = RECORD
    severity = Severity.MEDIUM
    params = (Param("months", 2, 1, 12, "连续几个月无工资记录预警"),)

    def sql_findings(self, ctx: RuleContext) -> list[QuerySet[Any]]:
        months = ctx.params["months"]
        current = month_start(ctx.today)
        first = add_months(current, -months)
        last = add_months(current, -1)
        paid = WageMonth.objects.filter(record_id=OuterRef("pk"), month__gte=first, month__lt=current)
        reported_before = WageMonth.objects.filter(record_id=OuterRef("pk"), month__lt=first)
        records = (
            EmploymentRecord.objects.filter(
                end_date__isnull=True, start_date__lt=last, start_date__lte=add_months(ctx.today, -months)
            )
            .exclude(channel__in=NO_EMPLOYER_CHANNELS)
            .filter(ctx.laborer_scope_q("laborer__"))
            .filter(Q(enterprise__isnull=False) | Exists(reported_before))
            .filter(~Exists(paid))
            .order_by()
        )
        period = month_label(first) if first == last else f"{month_label(first)}至{month_label(last)}"
        return [
            sql_finding(
                records,
                key=self.key_expr("pk"),
                region="laborer__region_id",
                laborer="laborer_id",
                household="laborer__household_id",
                detail=text(employer_expr(), f"：{period}无工资发放记录"),
                data=json_text(
                    record=(F("pk"), False),
                    **{"from": (Value(first.isoformat()), True), "to": (Value(last.isoformat()), True)},
                ),
            )
        ]


class WageLow(Rule):
    """The latest wage month of an ongoing job, or (no wage month yet) its recorded monthly wage, below the
    threshold (400 元 by default, the checkers' limit; a province may set its minimum wage)."""

    code = "wage_low"
    title = "工资低于标准"
    description = "在岗就业记录最近一个月实发工资（无工资记录时为登记的月收入）低于标准（默认400元）。"
    subject = RECORD
    severity = Severity.LOW
    params = (Param("threshold", WAGE_LOW_LIMIT, 100, 30000, "月工资低于多少元预警"),)

    def findings(self, ctx: RuleContext) -> Iterator[Finding]:
        threshold = ctx.params["threshold"]
        later = WageMonth.objects.filter(record_id=OuterRef("record_id"), month__gt=OuterRef("month"))
        paid_low = (
            WageMonth.objects.filter(amount__lt=threshold, record__end_date__isnull=True)
            .filter(ctx.laborer_scope_q("laborer__"))
            .filter(~Exists(later))
            .order_by()
            .values_list("record_id", "laborer_id", "laborer__household_id", "laborer__region_id", "amount", "month")
        )
        for pk, laborer_id, household_id, region_id, amount, month in paid_low.iterator(chunk_size=5000):
            yield Finding(
                self.key(pk),
                region_id,
                laborer_id,
                household_id,
                f"{month_label(month)}实发工资 {amount} 元，低于 {threshold} 元",
                {"record": pk, "amount": amount, "month": month.isoformat()},
            )
        any_wage = WageMonth.objects.filter(record_id=OuterRef("pk"))
        stated_low = (
            EmploymentRecord.objects.filter(end_date__isnull=True, monthly_wage__lt=threshold)
            .filter(ctx.laborer_scope_q("laborer__"))
            .filter(~Exists(any_wage))
            .order_by()
            .values_list(*RECORD_FIELDS, "monthly_wage")
        )
        for pk, laborer_id, household_id, region_id, wage in stated_low.iterator(chunk_size=5000):
            yield Finding(
                self.key(pk),
                region_id,
                laborer_id,
                household_id,
                f"登记月收入 {wage} 元，低于 {threshold} 元",
                {"record": pk, "monthly_wage": wage},
            )


class InsuranceMissing(Rule):
    """An ongoing job at least N months old under a signed labor contract that names no insurance type and
    for which no insurance month of the laborer was reported in the last M complete months or the current
    one. A labor contract makes employee social insurance compulsory; casual work without a contract is
    covered by the residents' schemes (城乡居民养老/医疗) that no employer reports, and the field checkers do
    not ask for insurance there (on the demo data those jobs were half of all 630 warnings)."""

    code = "insurance_missing"
    title = "在岗未参保"
    description = (
        "已签劳动合同、在岗满规定月数（默认3个月）的就业记录未登记参保险种，且最近几个月（默认2个月）无参保缴费记录。"
    )
    subject = RECORD
    severity = Severity.MEDIUM
    params = (
        Param("months", 3, 1, 24, "在岗满几个月检查"),
        Param("recent_months", 2, 1, 12, "最近几个月无参保缴费记录"),
    )

    def sql_findings(self, ctx: RuleContext) -> list[QuerySet[Any]]:
        months, recent = ctx.params["months"], ctx.params["recent_months"]
        since = add_months(month_start(ctx.today), -recent)
        paid = InsuranceMonth.objects.filter(laborer_id=OuterRef("laborer_id"), month__gte=since)
        records = (
            EmploymentRecord.objects.filter(
                end_date__isnull=True,
                start_date__lte=add_months(ctx.today, -months),
                insurance_types=[],
                contract_signed=True,
            )
            .exclude(channel__in=NO_EMPLOYER_CHANNELS)
            .filter(ctx.laborer_scope_q("laborer__"))
            .filter(~Exists(paid))
            .order_by()
        )
        return [
            sql_finding(
                records,
                key=self.key_expr("pk"),
                region="laborer__region_id",
                laborer="laborer_id",
                household="laborer__household_id",
                detail=text(
                    employer_expr(),
                    "：",
                    F("start_date"),
                    f" 起在岗，未登记参保险种，{month_label(since)}以来无参保缴费记录",
                ),
                data=json_text(record=(F("pk"), False), start_date=(F("start_date"), True)),
            )
        ]
