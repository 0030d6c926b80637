"""The audit trail in the reader's words: field labels, code-list labels, region names, people's names."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laborcoop.audit.presenting import ChangeRow, actor_name, change_rows, describe_entries
from laborcoop.core.models import AuditEntry
from tests.factories import LaborerFactory

pytestmark = pytest.mark.django_db


def entry(changes: dict[str, Any], *, object_type: str = "registry.laborer", actor: Any = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type=object_type,
        object_id="1",
        object_repr="向金花",
        changes=changes,
    )


def test_fields_codes_regions_and_lists_are_shown_in_words(regions: dict[str, Any]) -> None:
    rows = change_rows(
        entry(
            {
                "employment_status": ["unemployed", "employed"],
                "sex": ["1", "2"],
                "work_area": ["", "03"],
                "region": ["433122108201", "433122107201"],
                "health": [["健康"], ["长期慢性病", "残疾"]],
                "provides_meals": [False, True],
                "matching": ["", "人找岗位：推荐2个岗位"],
                "no_such_field": ["a", "b"],
            }
        )
    )
    by_label = {row.label: row for row in rows}
    assert by_label["就业状态"] == ChangeRow("就业状态", "未就业", "已就业")
    assert by_label["性别"] == ChangeRow("性别", "男", "女")
    assert by_label["务工地域"].before == "（空）"
    assert by_label["务工地域"].after != "03"  # the code list's label, not the code
    region = next(row for row in rows if "浦市镇" in row.before)  # the village by its name, not its code
    assert "泸溪县" in region.before
    assert "433122" not in region.before + region.after
    assert by_label["健康状况"].after == "长期慢性病、残疾"
    assert by_label["人岗匹配"].after == "人找岗位：推荐2个岗位"
    assert by_label["no_such_field"] == ChangeRow("no_such_field", "a", "b")  # unknown keys stay as stored


def test_the_actor_is_named_by_name_with_the_login_in_brackets(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    officer.first_name = "田经办"
    officer.save()
    assert actor_name(entry({}, actor=officer)) == f"田经办（{officer.username}）"
    assert actor_name(entry({})) == "系统"


def test_history_page_shows_labels_not_field_names(users: dict[str, Any]) -> None:
    laborer = LaborerFactory(name="向金花")
    officer = users["county_officer"]
    AuditEntry.objects.create(
        actor=officer,
        action=AuditEntry.Action.UPDATE,
        object_type="registry.laborer",
        object_id=str(laborer.pk),
        object_repr=laborer.name,
        region_code=laborer.region_id,
        changes={"employment_status": ["unemployed", "employed"]},
    )
    client = Client()
    client.force_login(officer)
    html = client.get(reverse("audit:history", args=["laborer", laborer.pk])).content.decode()
    assert "就业状态" in html
    assert "未就业 → 已就业" in html
    assert "employment_status" not in html
    assert "unemployed" not in html


def test_a_page_of_rows_names_its_regions_in_one_query(regions: dict[str, Any]) -> None:
    """Region names come for the whole page at once, not a query (or two) per value."""
    few = [entry({"region": ["433122108201", "433122107201"]}) for _ in range(2)]
    many = few + [entry({"region": ["433122107201", "433122108201"]}) for _ in range(20)]
    with CaptureQueriesContext(connection) as small:
        describe_entries(few)
    with CaptureQueriesContext(connection) as large:
        described = describe_entries(many)
    assert len(large.captured_queries) == len(small.captured_queries) == 1
    assert all("泸溪县" in d.changes[0].before for d in described)
