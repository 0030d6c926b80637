"""Employment-record rules: 离岗未及时联系, 就业渠道与务工地域矛盾, 在校生或未满16周岁务工, 公益岗人员年满70周岁."""

from collections.abc import Iterator
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from laborcoop.earlywarning.choices import Severity
from laborcoop.earlywarning.rules.base import RECORD, Finding, Param, Rule, RuleContext
from laborcoop.employment import choices as ec
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records.validation import WORKING_AGE_MIN
from laborcoop.registry.choices import WorkArea
from laborcoop.tracking.choices import ContactOutcome
from laborcoop.tracking.models import FollowUp

RECORD_FIELDS = ("pk", "laborer_id", "laborer__household_id", "laborer__region_id")


def _employer(name: str) -> str:
    return name or "务工单位未填"


class LeaveNoContact(Rule):
    """A job ended, the contact deadline (end + the tracking setting 离岗后联系时限, 7 days by default) has
    passed, and nobody reached the person since the end: no follow-up on or after the end date whose outcome
    is a contact (an attempt marked 未联系上 is not a contact; repeated failures are the unreachable warning).
    A new job started since the end clears it, and endings older than the look-back are left alone (old
    imported history would otherwise raise warnings nobody can act on)."""

    code = "leave_no_contact"
    title = "离岗未及时联系"
    description = "就业记录结束后，超过离岗后联系时限（跟踪参数，默认7天）仍无成功联系的寻访记录。"
    subject = RECORD
    severity = Severity.HIGH
    params = (Param("lookback_days", 180, 30, 730, "只检查最近多少天内的离岗"),)
    tracking_params = ("leave_contact_days",)

    def findings(self, ctx: RuleContext) -> Iterator[Finding]:
        days = ctx.params["leave_contact_days"]
        contact = FollowUp.objects.filter(
            laborer_id=OuterRef("laborer_id"), contacted_on__gte=OuterRef("end_date")
        ).exclude(outcome=ContactOutcome.NOT_REACHED)
        later = EmploymentRecord.objects.filter(
            ~Q(pk=OuterRef("pk")), laborer_id=OuterRef("laborer_id"), start_date__gte=OuterRef("end_date")
        )
        rows = (
            EmploymentRecord.objects.filter(
                end_date__lt=ctx.today - timedelta(days=days),
                end_date__gte=ctx.today - timedelta(days=ctx.params["lookback_days"]),
            )
            .filter(ctx.laborer_scope_q("laborer__"))
            .filter(~Exists(contact), ~Exists(later))
            .order_by()
            .values_list(*RECORD_FIELDS, "end_date", "employer_name")
        )
        for pk, laborer_id, household_id, region_id, end, employer in rows.iterator(chunk_size=5000):
            yield Finding(
                self.key(pk),
                region_id,
                laborer_id,
                household_id,
                f"{end:%Y-%m-%d} 从{_employer(employer)}离岗，{days} 天内无成功联系的寻访记录",
                {"record": pk, "end_date": end.isoformat()},
                end + timedelta(days=days),
                True,
            )


class ChannelContradiction(Rule):
    """Channel 公益性岗位 or 帮扶车间 on work outside the home county (employment.records.validation refuses it on new
    records; old imports keep it). `end_date` before `start_date` is not checked here: the database refuses
    it (constraint employment_end_after_start)."""

    code = "channel_contradiction"
    title = "就业渠道与务工地域矛盾"
    description = "就业渠道为公益性岗位或帮扶车间，但务工地域不在县内。"
    subject = RECORD
    severity = Severity.MEDIUM

    def findings(self, ctx: RuleContext) -> Iterator[Finding]:
        rows = (
            EmploymentRecord.objects.filter(channel__in=sorted(ec.IN_COUNTY_CHANNELS))
            .exclude(work_area__in=[WorkArea.IN_COUNTY, ""])
            .filter(ctx.laborer_scope_q("laborer__"))
            .order_by()
            .values_list(*RECORD_FIELDS, "channel", "work_area")
        )
        for pk, laborer_id, household_id, region_id, channel, area in rows.iterator(chunk_size=5000):
            area_label = WorkArea(area).label if area in WorkArea.values else area
            yield Finding(
                self.key(pk),
                region_id,
                laborer_id,
                household_id,
                f"就业渠道为“{channel}”，但务工地域为“{area_label}”（该渠道只能在县内）",
                {"record": pk, "channel": channel, "work_area": area},
            )


def _yyyymmdd(field: str) -> CombinedExpression:
    """A date as the integer YYYYMMDD (portable: the difference of two such numbers, divided by 10000, is the
    age in whole years)."""
    return ExtractYear(field) * 10000 + ExtractMonth(field) * 100 + ExtractDay(field)


class MinorWorking(Rule):
    """An ongoing job of someone in school (在校生状况 set), or of someone who was under 16 when it began."""

    code = "minor_working"
    title = "在校生或未满16周岁务工"
    description = "在校生登记为在岗务工，或开始务工时未满16周岁。"
    subject = RECORD
    severity = Severity.HIGH

    def findings(self, ctx: RuleContext) -> Iterator[Finding]:
        rows = (
            EmploymentRecord.objects.filter(end_date__isnull=True)
            .filter(ctx.laborer_scope_q("laborer__"))
            .annotate(
                start_age_num=_yyyymmdd("start_date") - _yyyymmdd("laborer__birth_date"),
            )
            .filter(~Q(laborer__student_status="") | Q(start_age_num__lt=WORKING_AGE_MIN * 10000))
            .order_by()
            .values_list(*RECORD_FIELDS, "laborer__student_status", "start_date", "start_age_num")
        )
        for pk, laborer_id, household_id, region_id, school, start, age_num in rows.iterator(chunk_size=5000):
            if school:
                detail, data = f"在校生（{school}）登记为在岗务工", {"student_status": school}
            else:
                age = max(int(age_num) // 10000, 0)
                detail, data = f"开始务工时（{start:%Y-%m-%d}）未满16周岁（{age} 周岁）", {"age_at_start": age}
            yield Finding(self.key(pk), region_id, laborer_id, household_id, detail, {"record": pk, **data})


class PublicWelfareElderly(Rule):
    """A 公益性岗位 holder at or above the age limit (70 by default)."""

    code = "public_welfare_elderly"
    title = "公益岗人员年龄超限"
    description = "公益性岗位在岗人员年满规定年龄（默认70周岁）。"
    subject = RECORD
    severity = Severity.MEDIUM
    params = (Param("age", 70, 55, 90, "年满几周岁预警"),)

    def findings(self, ctx: RuleContext) -> Iterator[Finding]:
        limit = ctx.params["age"]
        rows = (
            EmploymentRecord.objects.filter(end_date__isnull=True, channel=ec.Channel.PUBLIC_WELFARE)
            .filter(ctx.laborer_scope_q("laborer__"), laborer__birth_date__lte=ctx.born_on_or_before(limit))
            .order_by()
            .values_list(*RECORD_FIELDS, "laborer__birth_date")
        )
        today = ctx.today
        for pk, laborer_id, household_id, region_id, birth in rows.iterator(chunk_size=5000):
            age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
            yield Finding(
                self.key(pk),
                region_id,
                laborer_id,
                household_id,
                f"公益性岗位在岗人员已 {age} 周岁（年满 {limit} 周岁须调整岗位）",
                {"record": pk, "age": age},
            )
