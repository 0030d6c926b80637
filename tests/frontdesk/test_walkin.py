"""The walk-in check (实名登记核验) page and its contact log."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from laborcoop.core.validation.checksums import make_id_number
from laborcoop.frontdesk.contacts import NOT_IN_SCOPE, REGISTERED_ELSEWHERE
from laborcoop.frontdesk.models import ServiceContact
from laborcoop.registry.identity import id_number_hash
from laborcoop.registry.models import Laborer
from tests.frontdesk.conftest import HEITANG, MIANZHAI, client_for

pytestmark = pytest.mark.django_db

BIRTH = date(1972, 6, 18)
URL = "frontdesk:index"


def _id_ending_in_x() -> str:
    for seq in range(1, 999, 2):
        number = make_id_number("433122", BIRTH, seq)
        if number.endswith("X"):
            return number
    raise AssertionError("no X check character")


@pytest.fixture
def villager(person: Callable[..., Laborer]) -> Laborer:
    return person("龙秀英", BIRTH, HEITANG, id_number=_id_ending_in_x(), skills="刺绣")


def _no_clear_id_stored(*numbers: str) -> None:
    for row in ServiceContact.objects.values():
        text = " ".join(str(v) for v in row.values()).upper()
        for number in numbers:
            assert number.upper() not in text


@pytest.mark.parametrize(
    "typed",
    [
        "full",  # the 18 characters as stored
        "lower_x_spaces",  # lowercase x and spaces, as pasted
        "fifteen",  # the old 15-digit number
    ],
)
def test_lookup_by_id_in_any_form_finds_the_person_and_logs_the_hash(
    users: dict[str, Any], villager: Laborer, typed: str
) -> None:
    number = villager.reveal_id_number()
    forms = {
        "full": number,
        "lower_x_spaces": f"{number[:6]} {number[6:14]} {number[14:].lower()}",
        "fifteen": number[:6] + number[8:17],
    }
    client = client_for(users["county_officer"])
    response = client.post(reverse(URL), {"channel": "window", "id_number": forms[typed]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "已在本辖区登记" in page
    assert villager.id_masked in page
    assert reverse("registry:laborer_detail", args=[villager.pk]) in page
    assert "黑塘村" in page
    assert villager.household.household_no in page
    assert "普通劳动力" in page
    assert number not in page
    contact = ServiceContact.objects.get()
    assert contact.matched_laborer == villager
    assert contact.id_number_hash == id_number_hash(number)
    assert contact.outcome == ServiceContact.Outcome.FOUND
    assert contact.region_code == "433122000000"
    assert contact.staff == users["county_officer"]
    assert contact.kind == ServiceContact.Kind.REGISTRY_CHECK
    _no_clear_id_stored(number, forms["fifteen"])


def test_id_registered_in_another_county_gets_only_the_neutral_message(
    users: dict[str, Any], person: Callable[..., Laborer]
) -> None:
    foreign = person("吴桂花", BIRTH, MIANZHAI)
    response = client_for(users["county_officer"]).post(
        reverse(URL), {"channel": "phone", "id_number": foreign.reveal_id_number()}
    )
    page = response.content.decode()
    assert REGISTERED_ELSEWHERE in page
    assert "吴桂花" not in page
    assert foreign.id_masked not in page
    assert "棉寨村" not in page
    assert "登记该人员" not in page
    contact = ServiceContact.objects.get()
    assert contact.outcome == ServiceContact.Outcome.ELSEWHERE
    assert contact.matched_laborer is None
    assert contact.channel == ServiceContact.Channel.PHONE


def test_not_registered_offers_registration_to_editors_only(users: dict[str, Any], regions: Any) -> None:
    number = make_id_number("433122", BIRTH, 777)
    officer_page = client_for(users["county_officer"]).post(reverse(URL), {"channel": "window", "id_number": number})
    assert NOT_IN_SCOPE in officer_page.content.decode()
    assert reverse("registry:household_create") in officer_page.content.decode()
    hotline_page = client_for(users["hotline"]).post(reverse(URL), {"channel": "phone", "id_number": number})
    assert NOT_IN_SCOPE in hotline_page.content.decode()
    assert reverse("registry:household_create") not in hotline_page.content.decode()
    assert ServiceContact.objects.filter(outcome="not_found").count() == 2
    _no_clear_id_stored(number)


def test_lookup_by_name_and_birth_date(users: dict[str, Any], villager: Laborer) -> None:
    response = client_for(users["viewer"]).post(
        reverse(URL), {"channel": "window", "name": "龍秀英", "birth_date": BIRTH.isoformat()}
    )
    assert villager.id_masked in response.content.decode()
    contact = ServiceContact.objects.get()
    assert contact.name == "龙秀英"  # normalised (t2s)
    assert contact.birth_date == BIRTH
    assert contact.id_number_hash == ""
    assert contact.matched_laborer == villager


def test_bad_input_is_an_error_and_logs_nothing(users: dict[str, Any], regions: Any) -> None:
    client = client_for(users["county_officer"])
    bad_checksum = client.post(reverse(URL), {"channel": "window", "id_number": "433122197206181230"})
    assert "校验码错误" in bad_checksum.content.decode()
    empty = client.post(reverse(URL), {"channel": "window"})
    assert "请输入证件号码，或姓名和出生日期" in empty.content.decode()
    assert not ServiceContact.objects.exists()


def test_today_count_recent_contacts_and_services_received(users: dict[str, Any], villager: Laborer) -> None:
    officer = client_for(users["county_officer"])
    number = villager.reveal_id_number()
    officer.post(reverse(URL), {"channel": "window", "id_number": number})
    response = officer.post(reverse(URL), {"channel": "window", "id_number": number})
    page = response.content.decode()
    assert '<strong id="today-count">2</strong>' in page
    assert "登记查询 2 次" in page  # services received: the two checks
    # Another county's officer neither counts nor lists 泸溪's contacts
    other = client_for(users["other_county_officer"]).get(reverse(URL)).content.decode()
    assert '<strong id="today-count">0</strong>' in other
    assert "龙秀英" not in other
    # The prefecture admin sees them in the subtree
    zhou = client_for(users["prefecture_admin"]).get(reverse(URL)).content.decode()
    assert '<strong id="today-count">2</strong>' in zhou
    assert "龙秀英" in zhou
