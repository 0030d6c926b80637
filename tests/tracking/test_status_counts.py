"""Counting the derived statuses (返乡 flagged and counted): the scoped selector, the summary card on the
employment record list and the list of laborers by status."""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.employment.choices import EndReason, TrackStatus
from laborcoop.registry.models import Laborer
from laborcoop.tracking.status.selectors import employment_state_counts, employment_state_list
from laborcoop.tracking.status.services import employment_states_refresh_all
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 15)
SHENZHEN = "440306000000"


def ended_away(laborer: Laborer) -> None:
    EmploymentRecordFactory(
        laborer=laborer,
        start_date=date(2024, 1, 1),
        end_date=date(2025, 5, 1),
        end_reason=EndReason.DISMISSED,
        work_region_id=SHENZHEN,
    )


@pytest.fixture
def population(users: dict[str, Any]) -> dict[str, Laborer]:
    """泸溪县 黑塘村: two returned, one employed, one stable, one never, one deceased returned;
    泸溪县 another township: one returned; 凤凰县: one returned."""
    people = {
        "returned_a": LaborerFactory(name="向返乡甲"),
        "returned_b": LaborerFactory(name="向返乡乙"),
        "employed": LaborerFactory(name="向在岗"),
        "stable": LaborerFactory(name="向稳定"),
        "never": LaborerFactory(name="向无记录"),
        "deceased": LaborerFactory(name="向已故", vital_status="deceased"),
        "other_township": LaborerFactory(name="向浦市", household=HouseholdFactory(region_id="433122108201")),
        "fenghuang": LaborerFactory(name="田凤凰", household=HouseholdFactory(region_id="433123109201")),
    }
    for key in ("returned_a", "returned_b", "deceased", "other_township", "fenghuang"):
        ended_away(people[key])
    EmploymentRecordFactory(laborer=people["employed"], start_date=date(2025, 5, 1))
    EmploymentRecordFactory(
        laborer=people["stable"], start_date=date(2024, 5, 1), contract_signed=True, insurance_types=["工伤"]
    )
    employment_states_refresh_all(today=TODAY)
    return people


def test_counts_in_the_users_scope(users: dict[str, Any], population: dict[str, Laborer]) -> None:
    county = employment_state_counts(users["county_officer"])
    assert county.counts == {
        TrackStatus.STABLE: 1,
        TrackStatus.EMPLOYED: 1,
        TrackStatus.UNEMPLOYED: 0,
        TrackStatus.RETURNED: 3,
        TrackStatus.NEVER: 1,
    }
    assert (county.flagged, county.total) == (1, 6)  # the deceased laborer is left out
    prefecture = employment_state_counts(users["prefecture_admin"])
    assert prefecture.counts[TrackStatus.RETURNED] == 4
    fenghuang = employment_state_counts(users["other_county_officer"])
    assert (fenghuang.counts[TrackStatus.RETURNED], fenghuang.total) == (1, 1)
    assert [(i.label, i.count) for i in county.items][:2] == [("稳定就业", 1), ("在岗", 1)]


def test_counts_of_a_region_within_the_scope(users: dict[str, Any], population: dict[str, Laborer]) -> None:
    village = employment_state_counts(users["county_officer"], "433122107201")
    assert (village.counts[TrackStatus.RETURNED], village.region_code) == (2, "433122107201")
    with pytest.raises(ObjectNotFound):
        employment_state_counts(users["county_officer"], "433123000000")  # 凤凰县: not theirs
    with pytest.raises(ObjectNotFound):
        employment_state_counts(users["county_officer"], "4331")
    with pytest.raises(PermissionDeniedError):
        employment_state_counts(users["enterprise"])


def test_counts_are_one_query(
    users: dict[str, Any], population: dict[str, Laborer], django_assert_num_queries: Any
) -> None:
    user = users["prefecture_admin"]
    employment_state_counts(user)  # the user's home region, once per request in practice
    with django_assert_num_queries(1):
        employment_state_counts(user, "433122000000")


def test_list_by_status(users: dict[str, Any], population: dict[str, Laborer]) -> None:
    returned = employment_state_list(user=users["county_officer"], status=TrackStatus.RETURNED)
    assert [s.laborer.name for s in returned] == ["向返乡甲", "向返乡乙", "向浦市"]  # by village, then laborer
    assert all(s.status == TrackStatus.RETURNED for s in returned)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_record_list_loads_the_summary_card_after_the_page(
    users: dict[str, Any], population: dict[str, Laborer]
) -> None:
    client = client_for(users["county_officer"])
    body = client.get(reverse("employment:record_list"), {"region": "433122107201"}).content.decode()
    assert 'hx-get="/employment/states/summary/?region=433122107201" hx-trigger="load"' in body
    assert 'href="/employment/states/?region=433122107201"' in body  # without JavaScript: a link
    assert 'hx-get="/employment/states/summary/"' in client.get(reverse("employment:record_list")).content.decode()
    not_a_code = client.get(reverse("employment:record_list"), {"region": "4331x"}).content.decode()
    assert 'hx-get="/employment/states/summary/" hx-trigger="load"' in not_a_code


def test_summary_card(users: dict[str, Any], population: dict[str, Laborer]) -> None:
    client = client_for(users["county_officer"])
    url = reverse("tracking:state_summary")
    card = client.get(url).content.decode()
    assert '<a class="stat" data-status="returned" href="/employment/states/?status=returned">' in card
    assert '<div class="num">3</div><div class="label">返乡</div>' in card
    assert "另有 1 名已死亡或迁出人员未计入" in card
    village = client.get(url, {"region": "433122107201"}).content.decode()
    assert 'href="/employment/states/?status=returned&amp;region=433122107201"><div class="num">2</div>' in village
    # A region outside the scope falls back to the whole scope (as the list itself does).
    foreign = client.get(url, {"region": "433123000000"}).content.decode()
    assert 'href="/employment/states/?status=returned"><div class="num">3</div>' in foreign
    assert client_for(users["enterprise"]).get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_state_list_page(users: dict[str, Any], population: dict[str, Laborer]) -> None:
    client = client_for(users["county_officer"])
    response = client.get(reverse("tracking:state_list"), {"status": "returned"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<tr>") == 4  # header + 3
    assert "向返乡甲" in body
    assert "田凤凰" not in body
    assert "向已故" not in body
    assert population["returned_a"].id_masked in body
    assert "2025-05-01" in body
    assert "单位辞退" in body
    assert client.get(reverse("tracking:state_list"), {"region": "433123000000"}).status_code == 404
    assert client_for(users["enterprise"]).get(reverse("tracking:state_list")).status_code == 403
    assert Client().get(reverse("tracking:state_list")).status_code == 302
