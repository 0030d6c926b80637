"""The 12333 call console: a call's note is saved with the lookup and shown on the person's page and in the
service log (scoped); a lookup that found several people is put under the one the call was about; the channel
defaults to 电话 for the hotline."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.frontdesk.contacts import CONTACT_NOT_YOURS, NOTE_TOO_LONG
from laborcoop.frontdesk.models import ServiceContact
from laborcoop.registry.models import Laborer
from tests.conftest import make_user
from tests.frontdesk.conftest import HEITANG, TIANMENXI, client_for

pytestmark = pytest.mark.django_db

BIRTH = date(1980, 3, 15)
NOTE = "询问外出务工交通补贴，已告知申请条件和所需材料"


@pytest.fixture
def caller(person: Callable[..., Laborer]) -> Laborer:
    return person("龙秀英", BIRTH, HEITANG)


def _call(client: Any, laborer: Laborer, note: str = NOTE) -> Any:
    return client.post(
        reverse("frontdesk:index"),
        {"channel": "phone", "id_number": laborer.reveal_id_number(), "name": "", "note": note},
    )


def test_the_hotline_console_defaults_to_phone_and_lists_recent_calls_with_notes(
    users: dict[str, Any], caller: Laborer
) -> None:
    client = client_for(users["hotline"])
    page = client.get(reverse("frontdesk:index"))
    assert page.context["form"].initial["channel"] == ServiceContact.Channel.PHONE
    assert "12333 来电服务台" in page.content.decode()
    assert page.context["form"].fields["note"].label == "来电内容"
    assert _call(client, caller).status_code == 200
    contact = ServiceContact.objects.get()
    assert (contact.note, contact.matched_laborer_id, contact.channel) == (NOTE, caller.pk, "phone")
    assert NOTE in client.get(reverse("frontdesk:index")).content.decode()


def test_a_call_note_shows_on_the_persons_page_and_in_the_service_log(users: dict[str, Any], caller: Laborer) -> None:
    _call(client_for(users["hotline"]), caller)
    officer = client_for(users["county_officer"])
    person_page = officer.get(reverse("registry:laborer_detail", args=[caller.pk])).content.decode()
    section = person_page[person_page.index('id="service-contacts"') :]
    assert NOTE in section
    log = officer.get(reverse("frontdesk:contact_log"))
    assert log.status_code == 200
    assert NOTE in log.content.decode()
    assert NOTE in client_for(users["hotline"]).get(reverse("frontdesk:contact_log")).content.decode()


def test_the_service_log_is_scoped(users: dict[str, Any], caller: Laborer) -> None:
    _call(client_for(users["county_officer"]), caller)
    assert NOTE not in client_for(users["other_county_officer"]).get(reverse("frontdesk:contact_log")).content.decode()
    assert client_for(users["enterprise"]).get(reverse("frontdesk:contact_log")).status_code == 403
    anonymous = client_for(None).get(reverse("frontdesk:contact_log"))
    assert anonymous.status_code == 302


def test_a_note_over_500_characters_is_refused_in_chinese(users: dict[str, Any], caller: Laborer) -> None:
    response = _call(client_for(users["hotline"]), caller, note="很" * 501)
    assert "备注不能超过500个字" in response.content.decode() or NOTE_TOO_LONG in response.content.decode()
    assert not ServiceContact.objects.exists()


def test_a_lookup_with_several_matches_is_put_under_the_person_the_call_was_about(
    users: dict[str, Any], person: Callable[..., Laborer]
) -> None:
    first = person("龙秀英", BIRTH, HEITANG)
    second = person("龙秀英", BIRTH, TIANMENXI)
    client = client_for(users["hotline"])
    response = client.post(
        reverse("frontdesk:index"),
        {"channel": "phone", "name": "龙秀英", "birth_date": BIRTH.isoformat(), "note": NOTE},
    )
    contact = ServiceContact.objects.get()
    assert contact.matched_laborer_id is None
    attach = reverse("frontdesk:contact_attach", args=[contact.pk])
    assert attach in response.content.decode()
    # staff outside the call's region do not find it; another agent of the desk may not re-file it
    assert client_for(users["county_officer"]).post(attach, {"laborer": second.pk}).status_code == 404
    colleague = client_for(make_user("rexian_2", "430000000000", ["hotline"]))
    assert CONTACT_NOT_YOURS in colleague.post(attach, {"laborer": second.pk}, follow=True).content.decode()
    contact.refresh_from_db()
    assert contact.matched_laborer_id is None
    done = client.post(attach, {"laborer": second.pk})
    assert done.status_code == 302
    contact.refresh_from_db()
    assert contact.matched_laborer_id == second.pk
    assert AuditEntry.objects.filter(object_type="frontdesk.servicecontact", object_id=str(contact.pk)).exists()
    assert NOTE in client.get(reverse("registry:laborer_detail", args=[second.pk])).content.decode()
    assert NOTE not in client.get(reverse("registry:laborer_detail", args=[first.pk])).content.decode()
