"""Household rules: 零就业家庭, 户主不唯一, 电话多户共用, 监测户无帮扶措施."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from laborcoop.earlywarning.choices import Severity
from laborcoop.earlywarning.rules.base import (
    HOUSEHOLD,
    Finding,
    Param,
    Rule,
    RuleContext,
    add_months,
    clip,
    json_text,
    sql_finding,
    text,
)
from laborcoop.employment.models import EmploymentRecord
from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation
from laborcoop.registry import choices as rc
from laborcoop.registry.models import Household, Laborer, VitalStatus

# Members with work that is not an employment record (务农) or without need of a job (无就业需求).
NOT_TO_PLACE = [rc.EmploymentStatus.FARMING, rc.EmploymentStatus.NOT_IN_LABOR_FORCE]


class ZeroEmployment(Rule):
    """A household with working-age labor and nobody in work. "In work" is an ongoing employment record of a
    living member: the records are the truth. `Laborer.employment_status` does not count (a status of
    已就业 without a record is the status_contradiction warning, which asks for the record).

    The field checkers' exits (shared/domain.md): a member who refused N recommended jobs, or has been
    unreachable for N days, no longer counts as labor to be placed, so a household whose labor is all of
    that kind leaves the list. Working the family land (就业状态 务农) is a form of employment in the poverty
    system's 就业形式, so a household where a living member farms is not 零就业; a member recorded as
    无就业需求 is not labor to be placed either (on the demo data these were 60 of the 136 households)."""

    code = "zero_employment"
    title = "零就业家庭"
    description = (
        "家庭有待就业的劳动力（16-59周岁、有劳动能力、非在校生、非务农或无就业需求）但无人在岗就业"
        "（以就业记录为准，有成员务农的家庭除外），须在时限内消除。"
    )
    subject = HOUSEHOLD
    severity = Severity.HIGH
    params = (
        Param("due_days", 30, 1, 365, "消除时限（天）"),
        Param("refused_referrals", 3, 1, 50, "拒绝推荐岗位达到几次的成员不再计入"),
        Param("unreachable_days", 90, 7, 730, "无法联系超过多少天的成员不再计入"),
    )

    def sql_findings(self, ctx: RuleContext) -> list[QuerySet[Any]]:
        p = ctx.params
        refused = (
            Recommendation.objects.filter(state=RecState.DECLINED)
            .order_by()
            .values("laborer_id")
            .annotate(n=Count("id"))
            .filter(n__gte=p["refused_referrals"])
            .values("laborer_id")
        )
        employed = EmploymentRecord.objects.filter(
            end_date__isnull=True,
            laborer__household_id=OuterRef("household_id"),
            laborer__vital_status=VitalStatus.NORMAL,
        )
        farming = Laborer.objects.filter(
            household_id=OuterRef("household_id"),
            vital_status=VitalStatus.NORMAL,
            employment_status=rc.EmploymentStatus.FARMING,
        )
        labor = (
            ctx.laborers()
            .filter(ctx.working_age_labor_q())
            .exclude(employment_status__in=NOT_TO_PLACE)
            .filter(~Exists(farming))
            .exclude(unreachable=True, unreachable_since__lte=ctx.today - timedelta(days=p["unreachable_days"]))
            .exclude(pk__in=refused)
            .filter(~Exists(employed))
            .order_by()
            .values("household_id", "household__region_id")
            .annotate(n=Count("id"))
        )
        return [
            sql_finding(
                labor,
                key=self.key_expr("household_id"),
                region="household__region_id",
                laborer=None,
                household="household_id",
                detail=text("家庭有劳动力 ", F("n"), " 人，无人在岗就业"),
                data=json_text(labor=(F("n"), False)),
                due=ctx.today + timedelta(days=p["due_days"]),
            )
        ]


class HouseholdHead(Rule):
    """Exactly one 户主 among the living members (a deceased or moved-away head must be replaced)."""

    code = "household_head"
    title = "户主不唯一"
    description = "家庭在世成员中没有户主或有多名户主（与户主关系须恰有一名“户主”）。"
    subject = HOUSEHOLD
    severity = Severity.MEDIUM
    on_employment_change = False

    def findings(self, ctx: RuleContext) -> Iterator[Finding]:
        rows = (
            ctx.laborers()
            .order_by()
            .values_list("household_id", "household__region_id")
            .annotate(heads=Count("id", filter=Q(relation=rc.Relation.HEAD)))
            .exclude(heads=1)
        )
        for household_id, region_id, heads in rows.iterator(chunk_size=5000):
            detail = "家庭在世成员中没有户主" if heads == 0 else f"家庭中有 {heads} 名户主"
            yield Finding(self.key(household_id), region_id, None, household_id, detail, {"heads": heads})


class SharedPhone(Rule):
    """The same phone number (a member's or the household's) on more than one household: one warning on
    each household concerned. Deceased and moved-away members' numbers are not counted."""

    code = "shared_phone"
    title = "电话多户共用"
    description = "同一联系电话（成员电话或户联系电话）登记在两户及以上家庭。"
    subject = HOUSEHOLD
    severity = Severity.LOW
    on_employment_change = False

    def findings(self, ctx: RuleContext) -> Iterator[Finding]:
        by_household: dict[int, list[tuple[str, int]]] = defaultdict(list)
        regions: dict[int, str] = {}
        for household_id, region_id, masked, n in self._rows(ctx):
            by_household[household_id].append((masked, n))
            regions[household_id] = region_id
        for household_id, phones in by_household.items():
            phones.sort()
            detail = "；".join(f"电话 {masked} 同时登记在 {n} 户" for masked, n in phones)
            data = {"phones": [masked for masked, _ in phones], "households": max(n for _, n in phones)}
            yield Finding(self.key(household_id), regions[household_id], None, household_id, clip(detail), data)

    def _rows(self, ctx: RuleContext) -> list[tuple[int, str, str, int]]:
        """(household id, region, masked phone, households with that phone) for the households of the run's
        scope. Numbers are compared by their keyed hash (registry EncryptedPhone); the count is over every
        household (a number shared with a household elsewhere counts)."""
        lab, hh = Laborer._meta.db_table, Household._meta.db_table
        params: list[Any] = [VitalStatus.NORMAL]
        narrow_l = narrow_h = ""
        if ctx.household_ids is not None:
            # A run over a few households: only their numbers (through the indexed hashes).
            hashes = self._hashes_of(ctx.household_ids)
            if not hashes:
                return []
            marks = ", ".join(["%s"] * len(hashes))
            narrow_l = f" AND phone_hash IN ({marks})"
            narrow_h = f" AND phone_hash IN ({marks})"
            params = [VitalStatus.NORMAL, *hashes, *hashes]
        scope = Household.objects.filter(ctx.region_q("region"))
        if ctx.household_ids is not None:
            scope = scope.filter(pk__in=sorted(ctx.household_ids))
        scope_sql, scope_params = scope.values("pk").query.sql_with_params()
        sql = f"""
            WITH p AS (
                SELECT phone_hash, phone_masked, household_id AS hid FROM {lab}
                WHERE phone_hash <> '' AND vital_status = %s{narrow_l}
                UNION ALL
                SELECT phone_hash, phone_masked, id AS hid FROM {hh} WHERE phone_hash <> ''{narrow_h}
            ), shared_phones AS (
                -- MIN <> MAX: on more than one household, as a plain (hashable) aggregate over every number
                SELECT phone_hash FROM p GROUP BY phone_hash HAVING MIN(hid) <> MAX(hid)
            ), pairs AS (
                SELECT DISTINCT p.phone_hash, p.phone_masked, p.hid
                FROM p JOIN shared_phones s ON s.phone_hash = p.phone_hash
            ), counts AS (
                SELECT phone_hash, COUNT(DISTINCT hid) AS n FROM pairs GROUP BY phone_hash
            )
            SELECT DISTINCT pairs.hid, h.region_code, pairs.phone_masked, counts.n
            FROM pairs JOIN counts ON counts.phone_hash = pairs.phone_hash JOIN {hh} h ON h.id = pairs.hid
            WHERE pairs.hid IN ({scope_sql})
        """  # noqa: S608 (table names from the models, values as parameters)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *scope_params])
            return [(int(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in cursor.fetchall()]

    @staticmethod
    def _hashes_of(household_ids: frozenset[int]) -> list[str]:
        ids = sorted(household_ids)
        members = Laborer.objects.filter(household_id__in=ids, vital_status=VitalStatus.NORMAL).exclude(phone_hash="")
        own = Household.objects.filter(pk__in=ids).exclude(phone_hash="")
        return sorted(set(members.values_list("phone_hash", flat=True)) | set(own.values_list("phone_hash", flat=True)))


class MonitoredNoMeasure(Rule):
    """A monitored household (监测对象类别 set, risk not eliminated) with working-age labor and no
    development measure N months after identification. The platform's development measure is employment:
    a member's job that was ongoing at some time since identification (an ongoing record, or one that ended
    on or after `identified_on`). The platform keeps no training or other service records yet (the walk-in
    log is a registry check only), so nothing else counts."""

    code = "monitored_no_measure"
    title = "监测户无帮扶措施"
    description = (
        "监测户（脱贫不稳定户、边缘易致贫户、突发严重困难户）有劳动力，识别后超过规定月数仍无开发式帮扶（就业）措施。"
    )
    subject = HOUSEHOLD
    severity = Severity.HIGH
    params = (Param("months", 6, 1, 36, "识别后几个月内须落实帮扶措施"),)

    def findings(self, ctx: RuleContext) -> Iterator[Finding]:
        months = ctx.params["months"]
        labor = Laborer.objects.filter(ctx.working_age_labor_q(), household_id=OuterRef("pk"))
        measure = EmploymentRecord.objects.filter(laborer__household_id=OuterRef("pk")).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("identified_on"))
        )
        rows = (
            ctx.households()
            .exclude(monitor_category="")
            .exclude(risk_eliminated=True)
            .filter(identified_on__lte=add_months(ctx.today, -months))
            .filter(Exists(labor))
            .filter(~Exists(measure))
            .order_by()
            .values_list("pk", "region_id", "monitor_category", "identified_on")
        )
        for household_id, region_id, category, identified_on in rows.iterator(chunk_size=5000):
            assert identified_on is not None  # filtered above
            due = add_months(identified_on, months)
            detail = f"{category}，{identified_on:%Y-%m-%d} 识别，{months} 个月内未落实就业等开发式帮扶措施"
            yield Finding(
                self.key(household_id),
                region_id,
                None,
                household_id,
                detail,
                {"identified_on": identified_on.isoformat(), "category": category},
                due,
                True,
            )
