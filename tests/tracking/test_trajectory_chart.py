"""The trajectory chart: the geometry (tracking.trajectory.chart) and the block on the laborer page (inline SVG with
title, description and a table fallback)."""

import itertools
import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from laborcoop.employment.choices import EndReason
from laborcoop.tracking.trajectory.chart import (
    LABEL_WIDTH,
    LEFT,
    MAX_MONTHS,
    PHONE_MONTHS,
    PHONE_WIDTH,
    RIGHT,
    WIDTH,
    phone_chart,
    timeline_chart,
)
from laborcoop.tracking.trajectory.selectors import laborer_trajectory
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import LaborerFactory
from tests.tracking.test_trajectory import History, build_history

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 15)


@pytest.fixture
def history(users: dict[str, Any]) -> History:
    return build_history(users["broker"])


def page(user: Any, laborer_id: int) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("registry:laborer_detail", args=[laborer_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_geometry_of_a_history(users: dict[str, Any], history: History) -> None:
    t = laborer_trajectory(user=users["county_officer"], laborer=history.laborer, today=TODAY)
    chart = timeline_chart(t)
    assert chart is not None
    assert (chart.first_month, chart.last_month, chart.months) == (date(2023, 1, 1), date(2025, 6, 1), 30)
    assert [b.record_id for b in chart.bars] == [history.r1.pk, history.r2.pk, history.r3.pk, history.r4.pk]
    assert [b.fill for b in chart.bars] == ["#1565c0", "#e65100", "#e65100", "#2e7d32"]  # 02, 03, 03, 01
    # Bars follow each other left to right without overlapping, inside the plot.
    for left, right in zip(chart.bars, chart.bars[1:], strict=False):
        assert left.x + left.width <= right.x + 0.11
    assert chart.bars[0].x >= LEFT
    unit = (WIDTH - RIGHT - LEFT) / 30
    assert chart.bars[-1].x + chart.bars[-1].width == pytest.approx(LEFT + (29 + 15 / 30) * unit, abs=0.2)
    assert len(chart.gaps) == 1
    assert chart.gaps[0].title == "未就业 2024-09-01 至 2024-12-31（122天）"
    assert len(chart.wage_dots) == 26
    assert sum(1 for d in chart.wage_dots if d.filled) == 2  # reported months
    assert len(chart.wage_lines) == 2  # runs of consecutive months: 2023-01..2024-08 and 2025-01..06
    assert len(chart.insurance_ticks) == 2
    assert len(chart.followup_markers) == 1
    assert chart.wage_max == 6000
    assert "2段连续就业" in chart.description
    assert "1段未就业" in chart.description


def test_nothing_to_draw() -> None:
    laborer_free = LaborerFactory.build(pk=1, region_id="433122107201")
    from laborcoop.tracking.trajectory.selectors import StatusInfo, Trajectory

    empty = Trajectory(
        laborer_id=laborer_free.pk,
        today=TODAY,
        home_county_code="433122000000",
        home_county_name="泸溪县",
        status=StatusInfo("never", "无就业记录", None, 0, 3, None, "", ""),
        segments=[],
        upcoming=[],
        spells=[],
        gaps=[],
        moves=[],
        income=[],
        insurance=[],
        followups=[],
        recommendations=[],
    )
    assert timeline_chart(empty) is None


def test_a_long_history_is_cut_to_the_last_months(users: dict[str, Any]) -> None:
    laborer = LaborerFactory()
    EmploymentRecordFactory(
        laborer=laborer, start_date=date(2010, 3, 1), end_date=date(2012, 1, 31), end_reason=EndReason.RESIGNED
    )
    EmploymentRecordFactory(laborer=laborer, start_date=date(2020, 1, 1))
    chart = timeline_chart(laborer_trajectory(user=users["county_officer"], laborer=laborer, today=TODAY))
    assert chart is not None
    assert (chart.months, chart.first_month, chart.truncated) == (MAX_MONTHS, date(2015, 7, 1), True)
    assert len(chart.bars) == 1  # the 2010 job is before the axis (listed in the table)
    assert len(chart.gaps) == 1  # the gap 2012-2019 is drawn from the axis start
    assert chart.gaps[0].x == LEFT
    assert "最近120个月" in chart.description


def test_laborer_page_renders_an_accessible_svg(users: dict[str, Any], history: History) -> None:
    body = page(users["county_officer"], history.laborer.pk)
    section = body[body.index('id="employment-trajectory"') :]
    svg = section[section.index("<svg") : section.index("</svg>")]
    assert 'role="img"' in svg
    pk = history.laborer.pk
    assert f'aria-labelledby="trajectory-title-{pk}-wide trajectory-desc-{pk}-wide"' in svg
    assert f'<title id="trajectory-title-{pk}-wide">向金花的就业轨迹图</title>' in svg
    assert "<desc" in svg
    assert len(re.findall(r'<rect class="bar"', svg)) == 4
    assert len(re.findall(r'<rect class="gap"', svg)) == 1
    assert len(re.findall(r'class="insurance-tick"', svg)) == 2
    assert len(re.findall(r'class="followup-marker"', svg)) == 1
    assert "<script" not in section
    assert not re.search(r'(?:x|width)="\d+,\d', svg)  # numbers are never localised with a decimal comma
    table = section[
        section.index('id="trajectory-segments"') : section.index("</table>", section.index('id="trajectory-segments"'))
    ]
    assert table.count("<tr>") == 5  # header + 4 segments
    assert "与下一段记录重叠" in table
    assert "当前状态" in section
    assert 'data-status="employed"' in section


def test_laborer_page_without_anything(users: dict[str, Any]) -> None:
    laborer = LaborerFactory()
    body = page(users["county_officer"], laborer.pk)
    section = body[body.index('id="employment-trajectory"') :]
    assert "<svg" not in section[: section.index("</section>")]
    assert "暂无就业、参保、寻访或推荐记录" in section
    assert 'data-status="never"' in section


def test_laborer_page_out_of_scope_shows_nothing(users: dict[str, Any], history: History) -> None:
    client = Client()
    client.force_login(users["other_county_officer"])
    response = client.get(reverse("registry:laborer_detail", args=[history.laborer.pk]))
    assert response.status_code == 404
    assert "就业轨迹" not in response.content.decode()


def test_the_phone_chart_is_narrow_recent_and_labelled_half_yearly(users: dict[str, Any], history: History) -> None:
    """A phone gets its own geometry (not the desktop chart shrunk to a third): PHONE_WIDTH units over the last
    PHONE_MONTHS months, axis labels far enough apart to be read, and its own element ids."""
    t = laborer_trajectory(user=users["county_officer"], laborer=history.laborer, today=TODAY)
    chart = phone_chart(t)
    assert chart is not None
    assert (chart.width, chart.months, chart.variant) == (PHONE_WIDTH, PHONE_MONTHS, "phone")
    assert (chart.first_month, chart.last_month) == (date(2023, 7, 1), date(2025, 6, 1))
    assert chart.truncated
    assert "最近24个月" in chart.description
    xs = [label.x for label in chart.axis_labels]
    assert len(xs) >= 3
    assert all(b - a >= LABEL_WIDTH for a, b in itertools.pairwise(xs))
    assert all(b.x >= LEFT for b in chart.bars)
    assert all(b.x + b.width <= PHONE_WIDTH - RIGHT + 0.2 for b in chart.bars)
    body = page(users["county_officer"], history.laborer.pk)
    assert 'class="trajectory-chart trajectory-wide"' in body
    assert 'class="trajectory-chart trajectory-phone"' in body
    assert f'id="gap-hatch-{history.laborer.pk}-phone"' in body
