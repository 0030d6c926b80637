"""Reads of early warnings. Every function takes the acting user and goes through earlywarning.access."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from laborcoop.accounts.access import region_code_in_scope, region_prefix, user_can
from laborcoop.accounts.models import User
from laborcoop.earlywarning.access import ACT_CAP, VIEW_CAP, warnings_for
from laborcoop.earlywarning.choices import LIVE_STATUSES, Severity, WarningStatus
from laborcoop.earlywarning.models import EarlyWarning
from laborcoop.earlywarning.rules import RULES, RULES_BY_CODE
from laborcoop.regions.models import PREFIX_LENGTH, Region, level_of_code, prefix_of_code
from laborcoop.regions.scope import in_subtree_q, is_region_code
from laborcoop.registry import choices as rc
from laborcoop.registry.models import Laborer

STATUS_LIVE = ""  # the default filter: every warning not 已消除
STATUS_ALL = "all"
SORT_OLDEST = "age"
SORT_NEWEST = "-age"
OWNER_CANDIDATES_MAX = 200


@dataclass(frozen=True)
class WarningFilters:
    rule: str = ""
    severity: str = ""
    status: str = STATUS_LIVE  # "" live, a WarningStatus value, or "all"
    region: str = ""  # a 12-digit code: narrows to its subtree (within the user's scope)
    min_age: int | None = None  # days since the warning was first raised
    overdue: bool = False  # open, with a due date before today
    laborer: int | None = None
    household: int | None = None
    sort: str = SORT_OLDEST

    def without_rule_and_severity(self) -> "WarningFilters":
        return WarningFilters(status=self.status, region=self.region, min_age=self.min_age, overdue=self.overdue)


def age_days(warning: EarlyWarning, today: date) -> int:
    """Whole days since the warning was first raised."""
    return (today - timezone.localdate(warning.created_at)).days


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(qs: QuerySet[EarlyWarning], f: WarningFilters, today: date) -> QuerySet[EarlyWarning]:
    if f.status == STATUS_LIVE:
        qs = qs.filter(status__in=LIVE_STATUSES)
    elif f.status in WarningStatus.values:
        qs = qs.filter(status=f.status)
    if f.rule:
        qs = qs.filter(rule=f.rule)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if is_region_code(f.region):
        qs = qs.filter(in_subtree_q(prefix_of_code(f.region)))
    if f.min_age:
        # Raised at least `min_age` whole days ago: before the start of (today - min_age + 1).
        qs = qs.filter(created_at__lt=start_of_day(today - timedelta(days=f.min_age - 1)))
    if f.overdue:
        qs = qs.filter(status=WarningStatus.OPEN, due_date__lt=today)
    if f.laborer is not None:
        qs = qs.filter(laborer_id=f.laborer)
    if f.household is not None:
        qs = qs.filter(household_id=f.household)
    return qs


def warning_list(*, user: Any, filters: WarningFilters | None = None) -> QuerySet[EarlyWarning]:
    """Warnings in the user's subtree, oldest first (sort by age), with the subject, region and owner in the
    same query."""
    f = filters or WarningFilters()
    qs = _filtered(warnings_for(user), f, timezone.localdate())
    order = ["created_at", "id"] if f.sort != SORT_NEWEST else ["-created_at", "-id"]
    return qs.select_related("laborer", "household", "region", "owner").order_by(*order)


SEVERITY_RANK: dict[str, int] = {Severity.HIGH.value: 0, Severity.MEDIUM.value: 1, Severity.LOW.value: 2}


@dataclass
class PersonGroup:
    """One person's warnings in a household group (laborer None: the household's own warnings)."""

    laborer: Laborer | None
    warnings: list[EarlyWarning] = field(default_factory=list)

    @property
    def rule_titles(self) -> list[str]:
        return [RULES_BY_CODE[w.rule].title if w.rule in RULES_BY_CODE else w.rule for w in self.warnings]


@dataclass
class HouseholdGroup:
    """The warnings of one household: the household's own and each member's, with the householder's name."""

    household_id: int
    household_no: str
    head_name: str
    region_name: str
    persons: list[PersonGroup] = field(default_factory=list)

    @property
    def warnings(self) -> list[EarlyWarning]:
        return [w for p in self.persons for w in p.warnings]

    @property
    def count(self) -> int:
        return len(self.warnings)

    @property
    def people(self) -> int:
        return sum(1 for p in self.persons if p.laborer is not None)

    @property
    def severity(self) -> str:
        return min((w.severity for w in self.warnings), key=lambda s: SEVERITY_RANK.get(s, 9), default="")


def warning_household_page(*, user: Any, filters: WarningFilters | None = None) -> QuerySet[Any]:
    """The households with warnings the filters select, one row each ({household_id, n, first, last}),
    oldest warning first (or newest with sort "-age"): the list pages over these. One grouped query."""
    f = filters or WarningFilters()
    qs = _filtered(warnings_for(user), f, timezone.localdate())
    grouped = (
        qs.order_by().values("household_id").annotate(n=Count("id"), first=Min("created_at"), last=Max("created_at"))
    )
    if f.sort == SORT_NEWEST:
        return grouped.order_by("-last", "-household_id")
    return grouped.order_by("first", "household_id")


def warning_groups(*, user: Any, filters: WarningFilters | None, household_ids: list[int]) -> list[HouseholdGroup]:
    """The warnings of the given households (a page of warning_household_page) that the filters select,
    grouped per household and, inside it, per person (the household's own first, then members by the age of
    their oldest warning), with the householder's name. Three queries."""
    f = filters or WarningFilters()
    if not household_ids:
        return []
    rows = list(
        _filtered(warnings_for(user), f, timezone.localdate())
        .filter(household_id__in=household_ids)
        .select_related("laborer", "household", "region", "owner")
        .order_by("created_at", "id")
    )
    heads: dict[int, str] = {}
    for hid, name in (
        Laborer.objects.filter(household_id__in=household_ids, relation=rc.Relation.HEAD)
        .order_by("id")
        .values_list("household_id", "name")
    ):
        heads.setdefault(hid, name)
    groups: dict[int, HouseholdGroup] = {}
    for hid in household_ids:
        groups[hid] = HouseholdGroup(household_id=hid, household_no="", head_name=heads.get(hid, ""), region_name="")
    for w in rows:
        group = groups.get(w.household_id) if w.household_id is not None else None
        if group is None:
            continue
        if w.household is not None:
            group.household_no = w.household.household_no
        if not group.region_name or w.laborer_id is None:
            group.region_name = w.region.name
        person = next((p for p in group.persons if (p.laborer.pk if p.laborer else None) == w.laborer_id), None)
        if person is None:
            person = PersonGroup(laborer=w.laborer)
            group.persons.append(person)
        person.warnings.append(w)
    for group in groups.values():
        group.persons.sort(key=lambda p: p.laborer is not None)  # the household's own first, stable otherwise
    return [groups[hid] for hid in household_ids if groups[hid].persons]


@dataclass
class RuleCount:
    code: str
    title: str
    by_severity: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_severity.values())


@dataclass
class WarningSummary:
    rules: list[RuleCount]
    by_severity: dict[str, int]
    total: int
    overdue: int
    households: int = 0
    people: int = 0


def warning_summary(*, user: Any, filters: WarningFilters | None = None) -> WarningSummary:
    """Counts per rule and severity of the warnings the filters select (ignoring their rule and severity, so
    the card shows every rule), the number of overdue open ones, and how many households and people they
    concern. Three queries."""
    base = (filters or WarningFilters()).without_rule_and_severity()
    today = timezone.localdate()
    qs = _filtered(warnings_for(user), base, today)
    counts: dict[str, dict[str, int]] = {}
    for rule, severity, n in qs.order_by().values_list("rule", "severity").annotate(n=Count("id")):
        counts.setdefault(rule, {})[severity] = n
    rules = [RuleCount(r.code, r.title, counts.get(r.code, {})) for r in RULES if r.code in counts]
    by_severity = {s: sum(c.get(s, 0) for c in counts.values()) for s in Severity.values}
    overdue = qs.filter(status=WarningStatus.OPEN, due_date__lt=today).count()
    spread = qs.order_by().aggregate(
        households=Count("household_id", distinct=True), people=Count("laborer_id", distinct=True)
    )
    return WarningSummary(
        rules=rules,
        by_severity=by_severity,
        total=sum(by_severity.values()),
        overdue=overdue,
        households=spread["households"],
        people=spread["people"],
    )


@dataclass
class RegionCount:
    code: str
    name: str
    open: int = 0
    handled: int = 0
    dismissed: int = 0
    high: int = 0
    overdue: int = 0

    @property
    def live(self) -> int:
        return self.open + self.handled + self.dismissed


def warning_region_counts(*, user: Any, filters: WarningFilters | None = None) -> list[RegionCount]:
    """Live warnings per child region of the selected region (or of the user's home region): a drill-down
    table. One grouped query on the code prefix of the child level."""
    f = filters or WarningFilters()
    today = timezone.localdate()
    prefix = region_prefix(user)
    selected = f.region if is_region_code(f.region) and region_code_in_scope(user, f.region) else ""
    parent_code = selected or (user.home_region_id if prefix else "")
    level = level_of_code(parent_code) if parent_code else 0
    child_len = PREFIX_LENGTH.get(level + 1)
    if child_len is None:
        return []
    parent_filter = Q(parent_id=parent_code) if parent_code else Q(level=1)
    children = list(Region.objects.filter(parent_filter, valid_to__isnull=True).order_by("code"))
    rows = {r.prefix: RegionCount(code=r.code, name=r.name) for r in children}
    qs = _filtered(warnings_for(user), WarningFilters(rule=f.rule, severity=f.severity, region=selected), today)
    grouped = (
        qs.filter(status__in=LIVE_STATUSES)
        .order_by()
        .annotate(g=Substr("region", 1, child_len))
        .values("g")
        .annotate(
            open=Count("id", filter=Q(status=WarningStatus.OPEN)),
            handled=Count("id", filter=Q(status=WarningStatus.HANDLED)),
            dismissed=Count("id", filter=Q(status=WarningStatus.DISMISSED)),
            high=Count("id", filter=Q(severity=Severity.HIGH)),
            overdue=Count("id", filter=Q(status=WarningStatus.OPEN, due_date__lt=today)),
        )
    )
    for item in grouped:
        row = rows.get(item["g"])
        if row is None:
            continue
        row.open, row.handled, row.dismissed = item["open"], item["handled"], item["dismissed"]
        row.high, row.overdue = item["high"], item["overdue"]
    return [row for row in rows.values() if row.live]


def laborer_warnings(*, user: Any, laborer: Laborer) -> list[EarlyWarning]:
    """The live warnings on a laborer the caller fetched through access_laborer, and those on their
    household; empty for users who may not see warnings."""
    if not user_can(user, VIEW_CAP):
        return []
    return list(
        warnings_for(user)
        .filter(status__in=LIVE_STATUSES)
        .filter(Q(laborer_id=laborer.pk) | Q(household_id=laborer.household_id, laborer__isnull=True))
        .select_related("owner")
        .order_by("created_at", "id")
    )


def warning_row(*, user: Any, warning_id: int) -> EarlyWarning:
    """One warning as a list row shows it (after an action)."""
    return warning_list(user=user, filters=WarningFilters(status=STATUS_ALL)).get(pk=warning_id)


def owner_candidates(*, user: Any) -> list[User]:
    """Users the caller may assign warnings to: active users whose home region is inside the caller's
    subtree and who may act on warnings (the caller first)."""
    prefix = region_prefix(user)
    if prefix is None:
        return []
    qs = User.objects.filter(is_active=True, home_region__isnull=False)
    if prefix:
        qs = qs.filter(in_subtree_q(prefix, "home_region"))
    found = [u for u in qs.order_by("home_region_id", "username")[: OWNER_CANDIDATES_MAX * 2] if user_can(u, ACT_CAP)]
    found.sort(key=lambda u: (u.pk != user.pk, u.home_region_id or "", u.username))
    return found[:OWNER_CANDIDATES_MAX]
