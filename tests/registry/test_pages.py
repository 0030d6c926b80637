"""Registry pages as a permission matrix: anonymous, wrong role, right role in another region, right role
in the region. Denied requests change nothing and leak nothing."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.registry.forms import EMPLOYMENT_STATUS_REQUIRED, RELATION_REQUIRED
from laborcoop.registry.models import Household, Laborer
from tests.factories import HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def luxi(users: dict[str, Any]) -> dict[str, Any]:
    household = HouseholdFactory(region_id="433122108201", household_no="433122108201000777")
    head = LaborerFactory(household=household, name="向金花", phone="13712340001", phone_last4="0001")
    return {"household": household, "head": head}


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def object_urls(luxi: dict[str, Any]) -> list[str]:
    h, p = luxi["household"].pk, luxi["head"].pk
    return [
        reverse("registry:laborer_detail", args=[p]),
        reverse("registry:laborer_edit", args=[p]),
        reverse("registry:household_detail", args=[h]),
        reverse("registry:household_edit", args=[h]),
        reverse("registry:laborer_create", args=[h]),
        reverse("audit:history", args=["laborer", p]),
        reverse("audit:history", args=["household", h]),
    ]


LIST_URLS = ["registry:laborer_list", "registry:household_list"]


def test_anonymous_is_sent_to_login(luxi: dict[str, Any]) -> None:
    for url in [*object_urls(luxi), *(reverse(n) for n in LIST_URLS)]:
        response = client_for(None).get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_enterprise_user_has_no_registry_access(users: dict[str, Any], luxi: dict[str, Any]) -> None:
    client = client_for(users["enterprise"])
    for name in LIST_URLS:
        assert client.get(reverse(name)).status_code == 403
    for url in object_urls(luxi):
        assert client.get(url).status_code == 403, url


def test_other_county_gets_the_same_404_as_a_missing_record(users: dict[str, Any], luxi: dict[str, Any]) -> None:
    client = client_for(users["other_county_officer"])
    for url in object_urls(luxi):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "向金花" not in response.content.decode()
    missing = client.get(reverse("registry:laborer_detail", args=[999999]))
    foreign = client.get(reverse("registry:laborer_detail", args=[luxi["head"].pk]))
    assert missing.status_code == foreign.status_code == 404
    listing = client.get(reverse("registry:laborer_list"), {"q": "向金花"})
    assert listing.status_code == 200
    assert 'id="laborer-table"' not in listing.content.decode()
    assert "没有符合条件的人员" in listing.content.decode()


@pytest.mark.parametrize("role", ["county_officer", "prefecture_admin", "province_admin", "township_officer", "broker"])
def test_right_role_in_region_sees_the_record(users: dict[str, Any], luxi: dict[str, Any], role: str) -> None:
    client = client_for(users[role])
    if role == "broker":
        # The broker's village is 433122107201; the record lives in 433122108201: outside the broker's village.
        assert client.get(reverse("registry:laborer_detail", args=[luxi["head"].pk])).status_code == 404
        return
    if role == "township_officer":
        # 武溪镇 (433122107) does not contain 浦市镇's village 433122108201.
        assert client.get(reverse("registry:laborer_detail", args=[luxi["head"].pk])).status_code == 404
        return
    for url in object_urls(luxi):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("registry:laborer_detail", args=[luxi["head"].pk])).content.decode()
    assert luxi["head"].id_masked in page
    assert luxi["head"].reveal_id_number() not in page
    assert "13712340001" not in page


def test_viewer_and_hotline_read_but_cannot_edit(users: dict[str, Any], luxi: dict[str, Any]) -> None:
    for role in ["viewer", "hotline"]:
        client = client_for(users[role])
        assert client.get(reverse("registry:laborer_detail", args=[luxi["head"].pk])).status_code == 200
        response = client.post(reverse("registry:laborer_edit", args=[luxi["head"].pk]), {"name": "改名", "version": 1})
        assert response.status_code == 403
    luxi["head"].refresh_from_db()
    assert luxi["head"].name == "向金花"
    assert not AuditEntry.objects.exclude(action="login").exists()


def test_denied_post_from_other_county_changes_nothing(users: dict[str, Any], luxi: dict[str, Any]) -> None:
    client = client_for(users["other_county_officer"])
    before = (Household.objects.count(), Laborer.objects.count())
    response = client.post(
        reverse("registry:laborer_create", args=[luxi["household"].pk]),
        {"name": "外人", "id_number": "433123199001011234", "relation": "之子"},
    )
    assert response.status_code == 404
    response = client.post(reverse("registry:household_set_head", args=[luxi["household"].pk]), {"new_head": 1})
    assert response.status_code == 404
    assert (Household.objects.count(), Laborer.objects.count()) == before
    assert not AuditEntry.objects.exclude(action="login").exists()


def test_search_by_name_id_tail_and_phone_tail(users: dict[str, Any], luxi: dict[str, Any]) -> None:
    client = client_for(users["county_officer"])
    head = luxi["head"]
    for q in ["向金花", "向金", head.id_last4, "0001"]:
        content = client.get(reverse("registry:laborer_list"), {"q": q}).content.decode()
        assert "向金花" in content, q
    content = client.get(reverse("registry:laborer_list"), {"q": "不存在的人"}).content.decode()
    assert "没有符合条件的人员" in content


def test_laborer_list_query_count_is_constant(
    users: dict[str, Any], luxi: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for i in range(15):
        LaborerFactory(household=HouseholdFactory(region_id="433122107202"), name=f"测试{i}")
    client = client_for(users["county_officer"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("registry:laborer_list"))
    assert response.content.decode().count("/registry/laborers/") >= 16


def test_form_errors_are_shown_next_to_fields_and_nothing_saved(users: dict[str, Any], luxi: dict[str, Any]) -> None:
    client = client_for(users["county_officer"])
    response = client.post(
        reverse("registry:laborer_create", args=[luxi["household"].pk]),
        {
            "name": "向小明",
            "id_number": "433122199001011230",
            "relation": "之子",
            "health": ["健康"],
            "labor_skill": "普通劳动力",
            "political_status": "群众",
            "employment_status": "unemployed",
            "education": "初中",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="field-id_number"' in content
    assert "校验码错误" in content
    assert Laborer.objects.count() == 1


def test_reveal_page_flow(users: dict[str, Any], luxi: dict[str, Any]) -> None:
    zhou = users["prefecture_admin"]
    zhou.can_unmask_id = True
    zhou.save()
    client = client_for(zhou)
    url = reverse("registry:laborer_reveal", args=[luxi["head"].pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "核对社保信息"})
    assert response.status_code == 200
    assert luxi["head"].reveal_id_number() in response.content.decode()
    assert AuditEntry.objects.filter(action="unmask", actor=zhou).count() == 1
    denied = client_for(users["county_officer"]).post(url, {"reason": "看看"})
    assert denied.status_code == 403
    assert AuditEntry.objects.filter(action="unmask").count() == 1


def test_region_picker_narrows_the_list_and_ignores_foreign_regions(
    users: dict[str, Any], luxi: dict[str, Any]
) -> None:
    LaborerFactory(household=HouseholdFactory(region_id="433122107201"), name="武溪人")
    client = client_for(users["county_officer"])
    page = client.get(reverse("registry:laborer_list")).content.decode()
    assert "武溪镇" in page  # a township of 泸溪县 offered as a child region
    assert "向金花" in page
    assert "武溪人" in page
    narrowed = client.get(reverse("registry:laborer_list"), {"region": "433122107000"}).content.decode()
    assert "武溪人" in narrowed
    assert "向金花" not in narrowed
    assert "黑塘村" in narrowed  # the villages of the selected township are offered next
    # A region outside the user's scope neither widens the list nor appears in the picker.
    foreign = client.get(reverse("registry:laborer_list"), {"region": "433123109201"}).content.decode()
    assert "棉寨村" not in foreign
    assert "武溪人" not in foreign


def _selected(html: str, field: str) -> str:
    """The value of the option the browser shows selected in a <select name=field> (the first when none is)."""
    select = html[html.index(f'name="{field}"') :]
    select = select[: select.index("</select>")]
    marked = re.search(r'<option value="([^"]*)"[^>]*\bselected\b', select)
    return marked.group(1) if marked else re.findall(r'<option value="([^"]*)"', select)[0]


def test_new_member_form_presets_no_relation_or_employment_status(users: dict[str, Any], luxi: dict[str, Any]) -> None:
    """A household that has its 户主 must not get a second one by default, and nobody is 已就业 by default."""
    client = client_for(users["county_officer"])
    html = client.get(reverse("registry:laborer_create", args=[luxi["household"].pk])).content.decode()
    assert _selected(html, "relation") == ""
    assert _selected(html, "employment_status") == ""
    empty = HouseholdFactory(region_id="433122108201", household_no="433122108201000778")
    html = client.get(reverse("registry:laborer_create", args=[empty.pk])).content.decode()
    assert _selected(html, "relation") == "户主"  # the first member of an empty household is its head


def test_new_member_without_relation_or_status_is_refused_with_a_chinese_message(
    users: dict[str, Any], luxi: dict[str, Any]
) -> None:
    client = client_for(users["county_officer"])
    response = client.post(
        reverse("registry:laborer_create", args=[luxi["household"].pk]),
        {"name": "向小明", "id_number": "433122199001011239", "health": ["健康"], "labor_skill": "普通劳动力",
         "political_status": "群众"},
    )  # fmt: skip
    assert response.status_code == 400
    content = response.content.decode()
    assert RELATION_REQUIRED in content
    assert EMPLOYMENT_STATUS_REQUIRED in content
    assert Laborer.objects.count() == 1
