"""Person rules: 失业超过期限, 无法联系, 就业状态与记录矛盾, 就业记录重叠."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from laborcoop.earlywarning.choices import Severity
from laborcoop.earlywarning.rules.base import LABORER, Finding, Param, Rule, RuleContext, json_text, sql_finding, text
from laborcoop.employment import choices as ec
from laborcoop.employment.models import EmploymentRecord, EmploymentState
from laborcoop.registry.choices import EmploymentStatus

FAR_FUTURE = date(9999, 12, 31)


class LongUnemployed(Rule):
    """The derived status (employment.EmploymentState) says 失业 or 返乡 for more than N days, for a
    living working-age laborer with labor ability (people who left work because of age or lost ability are
    not to be placed) who is to be placed: someone recorded as 务农 (back on the family land, a 就业形式 of
    the poverty system) or 无就业需求 is not unemployed (on the demo data: 21 of 77 warnings)."""

    code = "long_unemployed"
    title = "失业超过期限"
    description = "离岗后处于失业或返乡状态超过规定天数（16-59周岁、有劳动能力、非在校生，务农或无就业需求的除外）。"
    subject = LABORER
    severity = Severity.MEDIUM
    params = (Param("days", 30, 7, 365, "失业超过几天预警"),)

    def sql_findings(self, ctx: RuleContext) -> list[QuerySet[Any]]:
        cutoff = ctx.today - timedelta(days=ctx.params["days"])
        states = EmploymentState.objects.filter(
            status__in=[ec.TrackStatus.UNEMPLOYED, ec.TrackStatus.RETURNED], since__lt=cutoff
        ).filter(ctx.laborer_scope_q("laborer__"), ctx.working_age_labor_q("laborer__"))
        states = states.exclude(
            laborer__employment_status__in=[EmploymentStatus.FARMING, EmploymentStatus.NOT_IN_LABOR_FORCE]
        )
        label = Case(
            When(status=ec.TrackStatus.RETURNED, then=Value(ec.TrackStatus.RETURNED.label)),
            default=Value(ec.TrackStatus.UNEMPLOYED.label),
            output_field=CharField(),
        )
        return [
            sql_finding(
                states.order_by(),
                key=self.key_expr("laborer_id"),
                region="laborer__region_id",
                laborer="laborer_id",
                household="laborer__household_id",
                detail=text(label, "，自 ", F("since"), " 起无在岗就业记录"),
                data=json_text(status=(F("status"), True), since=(F("since"), True)),
            )
        ]


class Unreachable(Rule):
    """Marked unreachable by the follow-up work (three failed contacts by default)."""

    code = "unreachable"
    title = "无法联系"
    description = "跟踪寻访连续多次未联系上，已标记为无法联系。"
    subject = LABORER
    severity = Severity.MEDIUM
    on_employment_change = False

    def findings(self, ctx: RuleContext) -> Iterator[Finding]:
        rows = (
            ctx.laborers()
            .filter(unreachable=True)
            .order_by()
            .values_list("pk", "household_id", "region_id", "unreachable_since")
        )
        for laborer_id, household_id, region_id, since in rows.iterator(chunk_size=5000):
            detail = f"自 {since:%Y-%m-%d} 起无法联系" if since else "已标记为无法联系"
            data = {"since": since.isoformat()} if since else {}
            yield Finding(self.key(laborer_id), region_id, laborer_id, household_id, detail, data)


class StatusContradiction(Rule):
    """The laborer's 就业状态 against the records: 已就业 without an ongoing record, or an ongoing record while
    the status says otherwise (the services keep them in step; old imports and hand edits do not)."""

    code = "status_contradiction"
    title = "就业状态与记录矛盾"
    description = "人员就业状态为“已就业”但没有在岗就业记录，或有在岗就业记录但就业状态不是“已就业”。"
    subject = LABORER
    severity = Severity.MEDIUM

    def sql_findings(self, ctx: RuleContext) -> list[QuerySet[Any]]:
        ongoing = EmploymentRecord.objects.filter(laborer_id=OuterRef("pk"), end_date__isnull=True)
        status_label = Case(
            *[When(employment_status=value, then=Value(str(label))) for value, label in EmploymentStatus.choices],
            default=F("employment_status"),
            output_field=CharField(),
        )
        no_record = ctx.laborers().filter(employment_status=EmploymentStatus.EMPLOYED).filter(~Exists(ongoing))
        with_record = ctx.laborers().exclude(employment_status=EmploymentStatus.EMPLOYED).filter(Exists(ongoing))
        cases = [
            (no_record, text("就业状态为“已就业”，但没有在岗的就业记录")),
            (with_record, text("有在岗的就业记录，但就业状态为“", status_label, "”")),
        ]
        return [
            sql_finding(
                qs.order_by(),
                key=self.key_expr("pk"),
                region="region_id",
                laborer="pk",
                household="household_id",
                detail=detail,
                data=json_text(employment_status=(F("employment_status"), True)),
            )
            for qs, detail in cases
        ]


class RecordOverlap(Rule):
    """Two records of one laborer whose periods overlap (as employment.records.validation defines it: handing over on
    one day is not an overlap). The services refuse them; old imports and merges of duplicates leave them."""

    code = "record_overlap"
    title = "就业记录重叠"
    description = "同一人员的两条就业记录时间段重叠（含同时有两份在岗工作）。"
    subject = LABORER
    severity = Severity.HIGH

    def findings(self, ctx: RuleContext) -> Iterator[Finding]:
        other = EmploymentRecord.objects.filter(laborer_id=OuterRef("laborer_id")).filter(
            ~Q(pk=OuterRef("pk")),
            start_date__lt=Coalesce(OuterRef("end_date"), Value(FAR_FUTURE)),
        )
        other = other.filter(Q(end_date__isnull=True) | Q(end_date__gt=OuterRef("start_date")))
        rows = (
            EmploymentRecord.objects.filter(ctx.laborer_scope_q("laborer__"))
            .filter(Exists(other))
            .order_by()
            .values_list("laborer_id", "laborer__household_id", "laborer__region_id", "pk")
        )
        records: dict[int, list[int]] = defaultdict(list)
        where: dict[int, tuple[int, str]] = {}
        for laborer_id, household_id, region_id, pk in rows.iterator(chunk_size=5000):
            records[laborer_id].append(pk)
            where[laborer_id] = (household_id, region_id)
        for laborer_id, pks in records.items():
            household_id, region_id = where[laborer_id]
            pks.sort()
            yield Finding(
                self.key(laborer_id),
                region_id,
                laborer_id,
                household_id,
                f"{len(pks)} 条就业记录的时间段相互重叠",
                {"records": pks},
            )
