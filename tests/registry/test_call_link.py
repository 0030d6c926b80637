"""Tap-to-call on the person page: roles that call people in their scope (officers, brokers, the hotline) get a
button that reveals the clear number as a tel: link, audited like the ID reveal; read-only accounts get none and
are refused; out of scope is 404; the number never appears before the reveal."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.registry.calls import PHONE_MISSING
from laborcoop.registry.models import Laborer
from tests.factories import HouseholdFactory, LaborerFactory, fresh_id_number

pytestmark = pytest.mark.django_db

NUMBER = "13812345678"
HOUSE = "13987654321"


@pytest.fixture
def laborer(users: dict[str, Any]) -> Laborer:
    household = HouseholdFactory()
    household.phone = HOUSE
    household.save()
    return LaborerFactory(name="向金花", id_number=fresh_id_number(), household=household, phone=NUMBER)


def _client(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _reveals() -> int:
    return AuditEntry.objects.filter(action=AuditEntry.Action.CALL).count()


@pytest.mark.parametrize("who", ["broker", "county_officer", "hotline"])
def test_roles_that_call_get_the_call_button_and_an_audited_tel_link(
    users: dict[str, Any], laborer: Laborer, who: str
) -> None:
    client = _client(users[who])
    page = client.get(reverse("registry:laborer_detail", args=[laborer.pk])).content.decode()
    assert 'data-call-button="laborer"' in page
    assert 'data-call-button="household"' in page
    assert NUMBER not in page  # masked until the user asks to call
    assert HOUSE not in page
    url = reverse("registry:laborer_call", args=[laborer.pk])
    response = client.post(url, {"which": "laborer"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'href="tel:{NUMBER}"' in response.content.decode()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CALL, object_id=str(laborer.pk))
    assert (entry.actor_id, entry.reason) == (users[who].pk, "拨打联系电话（138****5678）")
    house = client.post(url, {"which": "household"})  # without htmx: a small page with the link
    assert f'href="tel:{HOUSE}"' in house.content.decode()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.CALL, object_type="registry.household", object_id=str(laborer.household_id)
    ).exists()


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("enterprise", 403)])
def test_roles_that_do_not_call_get_no_link_and_are_refused(
    users: dict[str, Any], laborer: Laborer, who: str, status: int
) -> None:
    client = _client(users[who])
    page = client.get(reverse("registry:laborer_detail", args=[laborer.pk]))
    if page.status_code == 200:
        html = page.content.decode()
        assert "data-call-button" not in html
        assert "tel:" not in html
    response = client.post(reverse("registry:laborer_call", args=[laborer.pk]), {"which": "laborer"})
    assert response.status_code in (status, 404)
    assert NUMBER not in response.content.decode()
    assert _reveals() == 0


def test_out_of_scope_is_not_found_and_anonymous_signs_in(users: dict[str, Any], laborer: Laborer) -> None:
    url = reverse("registry:laborer_call", args=[laborer.pk])
    assert _client(users["other_county_officer"]).post(url, {"which": "laborer"}).status_code == 404
    anonymous = _client(None).post(url, {"which": "laborer"})
    assert anonymous.status_code == 302
    assert _reveals() == 0


def test_no_phone_no_button_and_a_chinese_message(users: dict[str, Any]) -> None:
    person = LaborerFactory(name="无电话", id_number=fresh_id_number(), phone="")
    client = _client(users["broker"])
    page = client.get(reverse("registry:laborer_detail", args=[person.pk])).content.decode()
    assert 'data-call-button="laborer"' not in page
    response = client.post(reverse("registry:laborer_call", args=[person.pk]), {"which": "laborer"})
    assert response.status_code == 400
    assert PHONE_MISSING.format(label="联系电话") in response.content.decode()
    assert _reveals() == 0
