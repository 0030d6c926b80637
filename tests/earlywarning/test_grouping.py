"""The warning list grouped per household and person, with the householder's name and readable days (issue 13
item 19): one group per household (its own warnings first, then each member's), "户主 … 家" instead of the
18-digit household number, 今天 instead of "0 天", and "逾期 N 天" for an overdue one."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laborcoop.earlywarning.models import EarlyWarning, WarningSettings
from laborcoop.earlywarning.selectors import WarningFilters, warning_groups, warning_household_page
from laborcoop.employment import choices as ec
from laborcoop.employment.models import EmploymentState
from laborcoop.registry import choices as rc
from tests.earlywarning.conftest import run
from tests.factories import HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db

LIST = reverse("earlywarning:list")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def family(regions: Any) -> dict[str, Any]:
    """向大山's household: a zero-employment household warning, and his wife 向金花 with two warnings of her own
    (unreachable, long unemployed); a second household with one warning."""
    today = timezone.localdate()
    # The factories share one phone number: keep 电话多户共用 out of these counts.
    WarningSettings.objects.create(province_id="430000000000", values={"shared_phone": {"enabled": False}})
    household = HouseholdFactory()
    head = LaborerFactory(
        household=household, name="向大山", relation=rc.Relation.HEAD, employment_status=rc.EmploymentStatus.UNEMPLOYED
    )
    wife = LaborerFactory(
        household=household,
        name="向金花",
        relation=rc.Relation.SPOUSE,
        sex="2",
        unreachable=True,
        unreachable_since=today - timedelta(days=10),
        employment_status=rc.EmploymentStatus.UNEMPLOYED,
    )
    EmploymentState.objects.create(
        laborer=wife, region_id=wife.region_id, status=ec.TrackStatus.UNEMPLOYED, since=today - timedelta(days=90)
    )
    other = LaborerFactory(name="田小妹", relation=rc.Relation.HEAD, unreachable=True, household=HouseholdFactory())
    run(today=today)
    return {"household": household, "head": head, "wife": wife, "other": other}


def test_groups_per_household_then_person(users: dict[str, Any], family: dict[str, Any]) -> None:
    household, wife = family["household"], family["wife"]
    user = users["county_officer"]
    page = list(warning_household_page(user=user, filters=WarningFilters()))
    assert {row["household_id"] for row in page} == {household.pk, family["other"].household_id}
    groups = {
        g.household_id: g
        for g in warning_groups(user=user, filters=None, household_ids=[r["household_id"] for r in page])
    }
    group = groups[household.pk]
    assert group.head_name == "向大山"
    assert [p.laborer.pk if p.laborer else None for p in group.persons] == [None, wife.pk]
    assert sorted(group.persons[1].rule_titles) == sorted(["无法联系", "失业超过期限"])
    assert group.persons[0].rule_titles == ["零就业家庭"]
    assert (group.count, group.people, group.severity) == (3, 1, "high")


def test_the_page_names_the_householder_and_not_the_household_number(
    users: dict[str, Any], family: dict[str, Any]
) -> None:
    body = client_for(users["county_officer"]).get(LIST).content.decode()
    household = family["household"]
    group = body[body.index(f'id="household-group-{household.pk}"') :].split("</tbody>")[0]
    assert "户主 向大山 家" in group
    assert "3 条预警，涉及 1 人" in group
    assert household.household_no not in body
    assert group.count('<tr id="warning-') == 3
    assert group.count("同上：") == 1  # 向金花's second warning
    assert group.index("整户") < group.index("向金花")
    assert "户主 田小妹 家" in body
    assert "涉及 2 户、2 人" in body


def test_days_say_today_and_how_long_overdue(users: dict[str, Any], family: dict[str, Any]) -> None:
    today = timezone.localdate()
    overdue = EarlyWarning.objects.get(rule="zero_employment", household=family["household"])
    EarlyWarning.objects.filter(pk=overdue.pk).update(due_date=today - timedelta(days=5))
    body = client_for(users["county_officer"]).get(LIST).content.decode()
    row = body[body.index(f'id="warning-{overdue.pk}"') :].split("</tr>")[0]
    assert "逾期 5 天" in row
    assert ">今天<" in row
    assert "0 天" not in body
    laborer_page = (
        client_for(users["county_officer"])
        .get(reverse("registry:laborer_detail", args=[family["wife"].pk]))
        .content.decode()
    )
    assert "今天新增" in laborer_page
    assert "已预警 0 天" not in laborer_page


def test_households_are_paged_not_rows(users: dict[str, Any], regions: Any) -> None:
    for _ in range(21):
        LaborerFactory(unreachable=True, household=HouseholdFactory())
    run(today=timezone.localdate())
    client = client_for(users["county_officer"])
    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()
    assert first.count('class="warning-group"') == 20
    assert second.count('class="warning-group"') == 1
