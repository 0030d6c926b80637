"""A county officer logs in on a phone-sized screen, searches a laborer, opens the record, sees the masked ID."""

from typing import Any

import pytest

from tests.factories import HouseholdFactory, LaborerFactory, UserFactory, fresh_id_number
from tests.regions_fixture import load_sample_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_xian_searches_laborer_and_sees_masked_id(live_server: Any, page: Any) -> None:
    load_sample_regions()
    UserFactory(username="xian", home_region_id="433122000000", roles=["officer"])
    household = HouseholdFactory(region_id="433122108201")
    id_number = fresh_id_number("433122")
    target = LaborerFactory(household=household, name="向金花", id_number=id_number, sex="2")
    LaborerFactory(household=HouseholdFactory(region_id="433123109201"), name="向金花", relation="户主")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "xian")
    page.fill("#id_password", "demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "泸溪县" in page.inner_text("h1")

    page.goto(f"{live_server.url}/registry/laborers/")
    page.fill("input[name=q]", "向金花")
    page.press("input[name=q]", "Enter")
    rows = page.locator("#laborer-table tbody tr")
    rows.first.wait_for()
    # Only the laborer in 泸溪县 is listed; the namesake in 凤凰县 is outside xian's scope.
    assert rows.count() == 1
    page.click("text=向金花")
    page.wait_for_url(f"{live_server.url}/registry/laborers/{target.pk}/")

    masked = page.inner_text("#id-masked")
    assert masked == id_number[:4] + "*" * 10 + id_number[-4:]
    assert id_number not in page.content()
