"""What a warning rule is, what it produces, and the context it is evaluated in.

A rule is a small class: a code, a Chinese title and description, the kind of subject it warns about, a
default severity and named thresholds (`Param`, overridable per province in WarningSettings). The subjects
whose condition holds are computed set-based with a few ORM queries (semi/anti joins and aggregates, never a
query per subject), either
- in SQL: `sql_findings(ctx)` returns querysets of the staging columns (detail and data built by the
  database), which the engine stages with INSERT ... SELECT: the rules with many findings; or
- in Python: `findings(ctx)` yields one `Finding` per subject (rules that group or format in Python).
The engine (earlywarning.engine) stages the findings and diffs them against the live warnings.

Subjects: "L<laborer id>", "H<household id>", "R<employment record id>". Every finding names the laborer's
household (household rules: the household itself), so that a run over a set of households can tell exactly
which live warnings it re-evaluated.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.db.models import BigIntegerField, BooleanField, CharField, DateField, Expression, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from laborcoop.earlywarning.choices import Severity
from laborcoop.registry import choices as rc
from laborcoop.registry.models import Household, Laborer, VitalStatus

LABORER = "laborer"
HOUSEHOLD = "household"
RECORD = "record"
SUBJECT_PREFIX = {LABORER: "L", HOUSEHOLD: "H", RECORD: "R"}
SUBJECT_LABELS = {LABORER: "人员", HOUSEHOLD: "家庭", RECORD: "就业记录"}

DETAIL_MAX = 300


@dataclass(frozen=True)
class Param:
    """A threshold of a rule: default, allowed range (checked when a province admin sets it) and its label."""

    name: str
    default: int
    minimum: int
    maximum: int
    label: str


# The columns a rule's SQL findings select (see Rule.sql_findings), in the staging table's terms.
SQL_COLUMNS = ("s_key", "s_region", "s_laborer", "s_household", "s_detail", "s_data", "s_due", "s_due_data")


def text(*parts: Any) -> Concat:
    """A text built in the database from constant strings and expressions (F names for bare strings are not
    taken: pass F("field") explicitly)."""
    items = [Value(p) if isinstance(p, str) else p for p in parts]
    if len(items) == 1:
        items.append(Value(""))
    return Concat(*items, output_field=CharField())


def json_text(**fields: Any) -> Concat:
    """A JSON object text built in the database. Values: numbers and dates as expressions (dates quoted), or
    constant strings (already safe: codes and dates, never free text)."""
    parts: list[Any] = []
    for i, (name, (expr, quoted)) in enumerate(fields.items()):
        parts.append(Value(("{" if i == 0 else ", ") + f'"{name}": ' + ('"' if quoted else "")))
        parts.append(expr)
        if quoted:
            parts.append(Value('"'))
    parts.append(Value("}"))
    return Concat(*parts, output_field=CharField())


def sql_finding(
    qs: QuerySet[Any],
    *,
    key: Expression,
    region: str,
    laborer: str | None,
    household: str,
    detail: Expression,
    data: Expression,
    due: date | None = None,
) -> QuerySet[Any]:
    """`qs` narrowed to the staging columns (SQL_COLUMNS): the engine inserts them with INSERT ... SELECT, so
    the findings never leave the database. `region`, `laborer` and `household` name fields of `qs`."""
    return qs.values(
        s_key=key,
        s_region=F(region),
        s_laborer=F(laborer) if laborer else Cast(Value(None), BigIntegerField()),
        s_household=F(household),
        s_detail=detail,
        s_data=data,
        s_due=Cast(Value(due), DateField()),
        s_due_data=Value(False, output_field=BooleanField()),
    )


class Finding(NamedTuple):
    """One subject whose condition holds. `due_date` is the deadline to clear it (None: none); when
    `due_from_data` the deadline follows the data (a re-run updates it), otherwise it is fixed at first sight."""

    subject_key: str
    region_id: str
    laborer_id: int | None
    household_id: int
    detail: str
    data: dict[str, Any]
    due_date: date | None = None
    due_from_data: bool = False


def add_years(day: date, years: int) -> date:
    """`day` moved by whole years (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover (28 always exists)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_label(day: date) -> str:
    return f"{day.year}年{day.month}月"


def clip(text: str) -> str:
    return text if len(text) <= DETAIL_MAX else text[: DETAIL_MAX - 1] + "…"


@dataclass
class RuleContext:
    """Where and when a rule is evaluated.

    - `today`: the day of the run;
    - `params`: the rule's thresholds in force for this group of provinces;
    - `region_filter`: a function of a region field name returning the filter of this province group and of
      the run's region (a code-range Q; empty for "everywhere");
    - `household_ids`: a run over a set of households (None: every household).
    """

    today: date
    params: dict[str, int]
    region_filter: Any = None
    household_ids: frozenset[int] | None = None
    tracking: dict[str, int] = field(default_factory=dict)

    def region_q(self, region_field: str) -> Q:
        return self.region_filter(region_field) if self.region_filter is not None else Q()

    def born_on_or_before(self, years: int) -> date:
        """People born on or before this day are at least `years` old today."""
        return add_years(self.today, -years)

    def working_age_labor_q(self, prefix: str = "") -> Q:
        """A living laborer with labor ability (劳动技能 普通/技能/弱半劳动力), aged 16-59, not in school."""
        p = prefix
        return Q(
            **{
                f"{p}labor_skill__in": sorted(rc.HAS_LABOR),
                f"{p}student_status": "",
                f"{p}vital_status": VitalStatus.NORMAL,
                f"{p}birth_date__lte": self.born_on_or_before(16),
                f"{p}birth_date__gt": self.born_on_or_before(60),
            }
        )

    def laborers(self) -> QuerySet[Laborer]:
        """Living laborers of this run's scope (person rules ignore the deceased and those moved away)."""
        qs = Laborer.objects.filter(self.region_q("region"), vital_status=VitalStatus.NORMAL)
        if self.household_ids is not None:
            qs = qs.filter(household_id__in=sorted(self.household_ids))
        return qs

    def laborer_scope_q(self, prefix: str) -> Q:
        """The run's scope as a filter on a related laborer (`prefix` = "laborer__"), living only."""
        q = self.region_q(f"{prefix}region") & Q(**{f"{prefix}vital_status": VitalStatus.NORMAL})
        if self.household_ids is not None:
            q &= Q(**{f"{prefix}household_id__in": sorted(self.household_ids)})
        return q

    def households(self) -> QuerySet[Household]:
        qs = Household.objects.filter(self.region_q("region"))
        if self.household_ids is not None:
            qs = qs.filter(pk__in=sorted(self.household_ids))
        return qs


class Rule:
    """Base of the warning rules (see the module docstring). Subclasses set the class attributes and
    implement `findings`."""

    code: str = ""
    title: str = ""
    description: str = ""
    subject: str = LABORER
    severity: str = Severity.MEDIUM
    params: tuple[Param, ...] = ()
    # Re-evaluated right after employment records change (employment_changed); the others follow registry
    # and follow-up changes and the nightly run.
    on_employment_change: bool = True
    # Thresholds taken from the tracking settings (TrackingSettings) rather than from the rule's own.
    tracking_params: tuple[str, ...] = ()

    def defaults(self) -> dict[str, int]:
        return {p.name: p.default for p in self.params}

    def key(self, pk: int) -> str:
        return f"{SUBJECT_PREFIX[self.subject]}{pk}"

    def key_expr(self, field: str = "pk") -> Concat:
        return text(SUBJECT_PREFIX[self.subject], F(field))

    def sql_findings(self, ctx: RuleContext) -> list[QuerySet[Any]] | None:
        """Rules with many findings compute them in SQL (querysets of SQL_COLUMNS, see sql_finding); the
        others return None and yield them from `findings`."""
        return None

    def findings(self, ctx: RuleContext) -> Iterator[Finding]:  # pragma: no cover (abstract)
        raise NotImplementedError
