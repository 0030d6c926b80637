"""Geometry of the trajectory chart on the laborer page (an inline SVG drawn by the template
tracking/_trajectory_chart.html): pure computation from a Trajectory, no JavaScript, no library.

Lanes, top to bottom, on one month axis: employment segments as bars coloured by 务工地域, unemployment gaps
hatched; the monthly income as a line (filled dots: reported wage months, hollow: the declared wage); one
tick per insured month; one diamond per follow-up, coloured by its outcome; the axis with month or year
labels. At most MAX_MONTHS months are drawn (the most recent); the table under the chart lists everything.

Phones get a chart of their own rather than the desktop one scaled down to a third (whose 10 px labels would
shrink to 4 px): PHONE_WIDTH units wide, drawn 1:1 on a 390 px screen, over the last PHONE_MONTHS months,
with an axis label every half year. The page carries both; the style sheet shows the one that fits.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from laborcoop.registry.choices import WorkArea
from laborcoop.tracking.choices import ContactOutcome
from laborcoop.tracking.status.services import add_months, month_start
from laborcoop.tracking.trajectory.selectors import REPORTED, Trajectory

WIDTH = 720
LEFT = 48  # room for the lane labels
RIGHT = 12
BAR_Y, BAR_H = 14, 24
WAGE_TOP, WAGE_BOTTOM = 52, 122
INSURANCE_Y, INSURANCE_H = 132, 12
FOLLOWUP_Y = 160
AXIS_Y = 176
HEIGHT = 196
MIN_MONTHS = 12
MAX_MONTHS = 120
LABEL_WIDTH = 40  # an axis label ("2025-07" at 10 units)
PHONE_WIDTH = 320
PHONE_MONTHS = 24

AREA_COLOURS: dict[str, str] = {
    WorkArea.IN_COUNTY: "#2e7d32",
    WorkArea.IN_PROVINCE: "#1565c0",
    WorkArea.OUT_OF_PROVINCE: "#e65100",
    WorkArea.OTHER: "#6b7280",
}
OUTCOME_COLOURS: dict[str, str] = {
    ContactOutcome.WORKING: "#2e7d32",
    ContactOutcome.NOT_WORKING: "#b54708",
    ContactOutcome.RETURNED: "#7c3aed",
    ContactOutcome.NOT_REACHED: "#9aa5b1",
}
WAGE_COLOUR = "#b42318"
INSURANCE_COLOUR = "#027a48"


@dataclass(frozen=True)
class Rect:
    x: float
    width: float
    title: str
    fill: str = ""
    record_id: int | None = None


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    title: str
    filled: bool = True
    fill: str = ""


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str
    kind: str  # "bar", "gap", "line", "tick", "marker"


@dataclass(frozen=True)
class TimelineChart:
    width: int
    height: int
    first_month: date
    last_month: date
    months: int
    description: str
    bars: list[Rect] = field(default_factory=list)
    gaps: list[Rect] = field(default_factory=list)
    wage_lines: list[str] = field(default_factory=list)  # "x,y x,y ..." per run of consecutive months
    wage_dots: list[Dot] = field(default_factory=list)
    wage_max: int = 0
    insurance_ticks: list[Dot] = field(default_factory=list)
    followup_markers: list[Dot] = field(default_factory=list)
    axis_labels: list[Label] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    truncated: bool = False
    right: int = WIDTH - RIGHT
    variant: str = "wide"  # "wide" (desktop) or "phone": told apart in element ids and by the style sheet

    # Fixed geometry, for the template.
    left: int = LEFT
    bar_y: int = BAR_Y
    bar_h: int = BAR_H
    wage_top: int = WAGE_TOP
    wage_bottom: int = WAGE_BOTTOM
    insurance_y: int = INSURANCE_Y
    insurance_h: int = INSURANCE_H
    followup_y: int = FOLLOWUP_Y
    axis_y: int = AXIS_Y


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


class _Axis:
    def __init__(self, first: date, months: int, width: int = WIDTH) -> None:
        self.first = first
        self.months = months
        self.width = width
        self.unit = (width - RIGHT - LEFT) / months

    def x(self, day: date) -> float:
        """The x of the start of `day`, clamped to the plot."""
        month = month_start(day)
        days = (add_months(month, 1) - month).days
        index = _months_between(self.first, month) + (day.day - 1) / days
        return round(LEFT + min(max(index, 0.0), float(self.months)) * self.unit, 1)

    def centre(self, month: date) -> float:
        return round(LEFT + (_months_between(self.first, month) + 0.5) * self.unit, 1)

    def shows(self, month: date) -> bool:
        return 0 <= _months_between(self.first, month) < self.months


def _wage_y(amount: int, wage_max: int) -> float:
    return round(WAGE_BOTTOM - amount / wage_max * (WAGE_BOTTOM - WAGE_TOP), 1)


def _nice_max(amount: int) -> int:
    return max(1000, -(-amount // 1000) * 1000)


def _axis_labels(axis: _Axis) -> list[Label]:
    labels: list[Label] = []
    every_year = 2 if axis.months > 72 else 1
    # Quarterly labels need 13 units a month, half-yearly ones 7.
    step = 3 if axis.unit * 3 >= LABEL_WIDTH else 6
    for i in range(axis.months):
        month = add_months(axis.first, i)
        if axis.months <= 24:
            on_step = (month.month - 1) % step == 0
            # The first month is labelled too, unless the next label follows too closely to fit.
            first_fits = i == 0 and (step - (month.month - 1) % step) % step * axis.unit >= LABEL_WIDTH
            if on_step or first_fits:
                labels.append(Label(axis.x(month), f"{month:%Y-%m}"))
        elif month.month == 1 and month.year % every_year == 0:
            labels.append(Label(axis.x(month), f"{month.year}年"))
    return labels


def _span(trajectory: Trajectory) -> tuple[date, date]:
    last = month_start(trajectory.today)
    starts = [s.start for s in trajectory.segments]
    starts += [i.month for i in trajectory.income] + [i.month for i in trajectory.insurance]
    starts += [f.contacted_on for f in trajectory.followups]
    first = month_start(min(starts)) if starts else last
    return min(first, last), last


def _describe(trajectory: Trajectory, first: date, last: date, truncated: bool, max_months: int) -> str:
    t = trajectory
    worked = sum(s.months for s in t.spells)
    text = (
        f"{first:%Y年%m月}至{last:%Y年%m月}：{len(t.spells)}段连续就业（共约{worked}个月），"
        f"{len(t.gaps)}段未就业，{len(t.moves)}次务工地变动；"
        f"{sum(1 for i in t.income if i.kind == REPORTED)}个月有工资发放记录，{len(t.insurance)}个月参保，"
        f"{len(t.followups)}次寻访。当前状态：{t.status.label}。"
    )
    if truncated:
        text += f"图中只显示最近{max_months}个月，完整记录见下表。"
    return text


def timeline_chart(
    trajectory: Trajectory, *, width: int = WIDTH, max_months: int = MAX_MONTHS, variant: str = "wide"
) -> TimelineChart | None:
    """The chart of a trajectory; None when there is nothing to draw (no record, wage, insurance or visit).
    `width` and `max_months` give the phone chart (phone_chart)."""
    t = trajectory
    if not (t.segments or t.income or t.insurance or t.followups):
        return None
    first, last = _span(t)
    truncated = _months_between(first, last) + 1 > max_months
    months = min(max(_months_between(first, last) + 1, MIN_MONTHS), max_months)
    first = add_months(last, -(months - 1))
    axis = _Axis(first, months, width)
    tomorrow = t.today + timedelta(days=1)
    plot_end = add_months(last, 1)

    bars: list[Rect] = []
    for s in t.segments:
        end = (s.end + timedelta(days=1)) if s.end else tomorrow
        x0, x1 = axis.x(s.start), axis.x(min(end, plot_end))
        if end <= first or x1 <= x0:
            continue
        period = f"{s.start:%Y-%m-%d} 至 {s.end:%Y-%m-%d}" if s.end else f"{s.start:%Y-%m-%d} 至今"
        title = f"{s.employer_name or '务工'} · {s.work_region_name} · {s.work_area_label} · {period}"
        bars.append(Rect(x0, round(x1 - x0, 1), title, AREA_COLOURS.get(s.work_area, "#6b7280"), s.record_id))
    gaps: list[Rect] = []
    for g in t.gaps:
        end = (g.end + timedelta(days=1)) if g.end else tomorrow
        x0, x1 = axis.x(g.start), axis.x(min(end, plot_end))
        if end <= first or x1 <= x0:
            continue
        period = f"{g.start:%Y-%m-%d} 至 {g.end:%Y-%m-%d}" if g.end else f"{g.start:%Y-%m-%d} 至今"
        gaps.append(Rect(x0, round(x1 - x0, 1), f"未就业 {period}（{g.days}天）"))

    shown_income = [i for i in t.income if axis.shows(i.month)]
    wage_max = _nice_max(max((i.amount for i in shown_income), default=0))
    wage_dots: list[Dot] = []
    wage_lines: list[str] = []
    run: list[str] = []
    previous: date | None = None
    for i in shown_income:
        x, y = axis.centre(i.month), _wage_y(i.amount, wage_max)
        kind = "实发" if i.kind == REPORTED else "申报月收入"
        wage_dots.append(Dot(x, y, f"{i.month:%Y-%m} {kind} {i.amount} 元", filled=i.kind == REPORTED))
        if previous is not None and add_months(previous, 1) != i.month:
            if len(run) > 1:
                wage_lines.append(" ".join(run))
            run = []
        run.append(f"{x},{y}")
        previous = i.month
    if len(run) > 1:
        wage_lines.append(" ".join(run))

    ticks = [
        Dot(axis.centre(m.month), INSURANCE_Y, f"{m.month:%Y-%m} 参保：{'、'.join(m.insurance_types)}")
        for m in t.insurance
        if axis.shows(m.month)
    ]
    markers = [
        Dot(
            axis.x(f.contacted_on),
            FOLLOWUP_Y,
            f"{f.contacted_on:%Y-%m-%d} {f.method_label}寻访：{f.outcome_label}",
            fill=OUTCOME_COLOURS.get(f.outcome, "#9aa5b1"),
        )
        for f in t.followups
        if axis.shows(month_start(f.contacted_on))
    ]
    legend = [LegendItem(str(label), AREA_COLOURS[value], "bar") for value, label in WorkArea.choices]
    legend += [
        LegendItem("未就业", "#9aa5b1", "gap"),
        LegendItem("月收入（实心：工资发放记录；空心：申报月收入）", WAGE_COLOUR, "line"),
        LegendItem("参保月份", INSURANCE_COLOUR, "tick"),
    ]
    legend += [
        LegendItem(f"寻访：{label}", OUTCOME_COLOURS[value], "marker") for value, label in ContactOutcome.choices
    ]
    return TimelineChart(
        width=width,
        right=width - RIGHT,
        variant=variant,
        height=HEIGHT,
        first_month=first,
        last_month=last,
        months=months,
        description=_describe(t, first, last, truncated, max_months),
        bars=bars,
        gaps=gaps,
        wage_lines=wage_lines,
        wage_dots=wage_dots,
        wage_max=wage_max,
        insurance_ticks=ticks,
        followup_markers=markers,
        axis_labels=_axis_labels(axis),
        legend=legend,
        truncated=truncated,
    )


def phone_chart(trajectory: Trajectory) -> TimelineChart | None:
    """The chart for a phone screen: narrower, over the last PHONE_MONTHS months."""
    return timeline_chart(trajectory, width=PHONE_WIDTH, max_months=PHONE_MONTHS, variant="phone")
