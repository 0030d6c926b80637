"""/api/v1/households/: list, detail with members, create, PATCH and registering members."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.checksums import make_id_number
from laborcoop.registry import services
from laborcoop.registry.models import Household, Laborer
from laborcoop.registry.validation.person import EDU_AND_STUDENT_NONE
from tests.api.conftest import (
    NOT_FOUND_BODY,
    _fresh_process_state,  # noqa: F401 (autouse: a fresh cache for each test)
)
from tests.factories import HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db

Api = Callable[[str | None], APIClient]
LIST = "/api/v1/households/"
HEAD_ID = make_id_number("433122", date(1978, 3, 15), 31)  # male
WIFE_ID = make_id_number("433122", date(1980, 6, 2), 42)  # female


def detail(household: Household) -> str:
    return f"/api/v1/households/{household.pk}/"


def members(household: Household) -> str:
    return f"/api/v1/households/{household.pk}/members/"


def household_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "household_no": "433122108202000001",
        "region_code": "433122108202",
        "household_type": "脱贫户",
        "poverty_attribute": "一般脱贫户",
        "poverty_causes": ["因病"],
        "phone": "13912345678",
        "address": "浦溪村3组",
    }
    body.update(overrides)
    return body


def member_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "name": "向大山",
        "id_number": HEAD_ID,
        "relation": "户主",
        "education": "初中",
        "health": ["健康"],
        "labor_skill": "普通劳动力",
        "employment_status": "unemployed",
        "phone": "13812345678",
        "work_region_willingness": ["01", "03"],
        "intended_occupations": ["普工"],
        "expected_wage": 4500,
    }
    body.update(overrides)
    return body


# --- list and detail --------------------------------------------------------------------------------------


def test_list_matrix(api: Api, rows: dict[str, Any]) -> None:
    assert api(None).get(LIST).status_code == 401
    assert api("enterprise").get(LIST).status_code == 403
    foreign = api("other_county_officer").get(LIST)
    assert [r["household_no"] for r in foreign.json()["results"]] == ["433123109201000888"]
    own = api("county_officer").get(LIST)
    assert own.status_code == 200
    [row] = own.json()["results"]
    assert row["id"] == rows["luxi_household"].pk
    assert row["region_code"] == "433122108201"
    assert row["household_type"] == "脱贫户"
    assert row["member_count"] == 1
    assert row["phone_masked"] == "136****5678"
    assert "13612345678" not in own.content.decode()


def test_list_search_and_region_filter(api: Api, rows: dict[str, Any]) -> None:
    other = HouseholdFactory(region_id="433122107201")
    client = api("county_officer")
    assert [r["id"] for r in client.get(LIST, {"q": "433122108201"}).json()["results"]] == [rows["luxi_household"].pk]
    assert [r["id"] for r in client.get(LIST, {"q": "向金花"}).json()["results"]] == [rows["luxi_household"].pk]
    assert [r["id"] for r in client.get(LIST, {"region": "433122107201"}).json()["results"]] == [other.pk]


def test_list_query_count_does_not_grow_with_rows(
    api: Api, rows: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = api("county_officer")
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for _ in range(6):
        household = HouseholdFactory(region_id="433122107202")
        LaborerFactory(household=household)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert [r["member_count"] for r in response.json()["results"]] == [1] * 7


def test_detail_matrix_and_members(api: Api, rows: dict[str, Any]) -> None:
    household = rows["luxi_household"]
    assert api(None).get(detail(household)).status_code == 401
    assert api("enterprise").get(detail(household)).status_code == 403
    foreign = api("other_county_officer").get(detail(household))
    missing = api("other_county_officer").get("/api/v1/households/999999/")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json() == NOT_FOUND_BODY
    response = api("county_officer").get(detail(household))
    assert response.status_code == 200
    body = response.json()
    assert body["member_count"] == 1
    head = rows["luxi_head"]
    assert body["members"] == [
        {
            "id": head.pk,
            "name": "向金花",
            "relation": "户主",
            "sex": head.sex,
            "birth_date": head.birth_date.isoformat(),
            "id_number_masked": head.id_masked,
            "labor_skill": "普通劳动力",
            "employment_status": "unemployed",
            "unreachable": False,
        }
    ]
    assert head.reveal_id_number() not in response.content.decode()
    assert "13712340001" not in response.content.decode()


# --- create -----------------------------------------------------------------------------------------------


def test_create_household(api: Api, users: dict[str, Any]) -> None:
    response = api("county_officer").post(LIST, household_body(), format="json")
    assert response.status_code == 201
    body = response.json()
    household = Household.objects.get()
    assert body["id"] == household.pk
    assert body["region_code"] == "433122108202"
    assert body["version"] == 1
    assert body["members"] == []
    assert body["phone_masked"] == "139****5678"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_id) == ("create", users["county_officer"], str(household.pk))


@pytest.mark.parametrize("who", ["viewer", "hotline", "enterprise"])
def test_create_wrong_role_is_403_and_saves_nothing(api: Api, users: dict[str, Any], who: str) -> None:
    response = api(who).post(LIST, household_body(), format="json")
    assert response.status_code == 403
    assert Household.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_create_anonymous_is_401(api: Api, users: dict[str, Any]) -> None:
    assert api(None).post(LIST, household_body(), format="json").status_code == 401
    assert Household.objects.count() == 0


def test_create_outside_scope_is_a_region_error(api: Api, users: dict[str, Any]) -> None:
    response = api("other_county_officer").post(LIST, household_body(), format="json")
    assert response.status_code == 400
    assert response.json() == {"region_code": [services.REGION_OUT_OF_SCOPE]}
    assert Household.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_create_validation_errors_are_chinese(api: Api, users: dict[str, Any]) -> None:
    client = api("county_officer")
    not_village = client.post(LIST, household_body(region_code="433122108000"), format="json")
    assert not_village.status_code == 400
    assert not_village.json() == {"region_code": [services.HOUSEHOLD_REGION_NOT_VILLAGE]}
    parse = client.post(LIST, household_body(household_type="富户", region_code="4331"), format="json")
    assert parse.status_code == 400
    assert parse.json() == {"household_type": ["“富户” 不是合法选项。"], "region_code": ["区划代码应为 12 位数字。"]}
    assert Household.objects.count() == 0
    assert AuditEntry.objects.count() == 0


# --- PATCH ------------------------------------------------------------------------------------------------


def test_patch_household(api: Api, rows: dict[str, Any]) -> None:
    household = rows["luxi_household"]
    response = api("county_officer").patch(detail(household), {"version": 1, "address": "黄家桥村5组"}, format="json")
    assert response.status_code == 200
    assert response.json()["address"] == "黄家桥村5组"
    assert response.json()["version"] == 2
    assert response.json()["member_count"] == 1
    saved = Household.objects.get(pk=household.pk)
    assert (saved.address, saved.household_no, saved.phone) == ("黄家桥村5组", "433122108201000777", "13612345678")
    assert AuditEntry.objects.get().changes == {"address": ["", "黄家桥村5组"]}


def test_patch_denials_change_nothing(api: Api, rows: dict[str, Any]) -> None:
    household = rows["luxi_household"]
    body = {"version": 1, "address": "别处"}
    assert api(None).patch(detail(household), body, format="json").status_code == 401
    assert api("viewer").patch(detail(household), body, format="json").status_code == 403
    # the 黑塘村 broker and the 凤凰县 officer cannot reach a 黄家桥村 household
    for who in ["broker", "other_county_officer"]:
        response = api(who).patch(detail(household), body, format="json")
        assert response.status_code == 404
        assert response.json() == NOT_FOUND_BODY
    saved = Household.objects.get(pk=household.pk)
    assert (saved.address, saved.version) == ("", 1)
    assert AuditEntry.objects.count() == 0


def test_broker_edits_a_household_of_their_village(api: Api, rows: dict[str, Any]) -> None:
    household = HouseholdFactory(region_id="433122107201")
    response = api("broker").patch(detail(household), {"version": 1, "address": "黑塘村1组"}, format="json")
    assert response.status_code == 200


def test_patch_cannot_move_a_household_out_of_scope(api: Api, rows: dict[str, Any]) -> None:
    household = rows["luxi_household"]
    response = api("county_officer").patch(
        detail(household), {"version": 1, "region_code": "433123109201"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"region_code": [services.REGION_OUT_OF_SCOPE]}
    assert Household.objects.get(pk=household.pk).region_id == "433122108201"


def test_patch_stale_version_is_409(api: Api, rows: dict[str, Any]) -> None:
    household = rows["luxi_household"]
    client = api("county_officer")
    assert client.patch(detail(household), {"version": 1, "address": "一"}, format="json").status_code == 200
    stale = client.patch(detail(household), {"version": 1, "address": "二"}, format="json")
    assert stale.status_code == 409
    assert Household.objects.get(pk=household.pk).address == "一"
    assert AuditEntry.objects.count() == 1


# --- members ----------------------------------------------------------------------------------------------


def test_register_head_then_spouse(api: Api, users: dict[str, Any]) -> None:
    client = api("county_officer")
    household = Household.objects.get(pk=client.post(LIST, household_body(), format="json").json()["id"])
    head = client.post(members(household), member_body(), format="json")
    assert head.status_code == 201
    body = head.json()
    assert body["household_id"] == household.pk
    assert body["region_code"] == "433122108202"
    assert body["sex"] == "1"
    assert body["birth_date"] == "1978-03-15"
    assert body["id_number_masked"] == HEAD_ID[:4] + "*" * 10 + HEAD_ID[-4:]
    assert body["phone_masked"] == "138****5678"
    assert HEAD_ID not in head.content.decode()
    assert "13812345678" not in head.content.decode()
    wife = client.post(
        members(household), member_body(name="田秀英", id_number=WIFE_ID, relation="配偶"), format="json"
    )
    assert wife.status_code == 201
    assert Laborer.objects.get(pk=wife.json()["id"]).reveal_id_number() == WIFE_ID
    assert client.get(detail(household)).json()["member_count"] == 2


def test_register_returns_warnings(api: Api, rows: dict[str, Any]) -> None:
    household = HouseholdFactory(region_id="433122108201")
    response = api("county_officer").post(members(household), member_body(education=""), format="json")
    assert response.status_code == 201
    assert response.json()["warnings"] == {"education": [EDU_AND_STUDENT_NONE]}


def test_register_errors_are_chinese_and_save_nothing(api: Api, rows: dict[str, Any]) -> None:
    household = HouseholdFactory(region_id="433122108201")
    client = api("county_officer")
    first_not_head = client.post(members(household), member_body(relation="之子"), format="json")
    assert first_not_head.status_code == 400
    assert first_not_head.json()["relation"] == [services.HEAD_REQUIRED_FIRST]
    taken = client.post(members(household), member_body(id_number=rows["luxi_head"].reveal_id_number()), format="json")
    assert taken.status_code == 400
    assert taken.json()["id_number"] == [services.ID_ALREADY_REGISTERED]
    missing = client.post(members(household), {"name": "无证"}, format="json")
    assert missing.status_code == 400
    assert missing.json()["id_number"] == ["该字段是必填项。"]
    assert rows["luxi_head"].reveal_id_number() not in taken.content.decode()
    assert household.members.count() == 0
    assert AuditEntry.objects.count() == 0


def test_register_denials_save_nothing(api: Api, rows: dict[str, Any]) -> None:
    household = rows["luxi_household"]
    body = member_body(relation="配偶", id_number=WIFE_ID, name="田秀英")
    assert api(None).post(members(household), body, format="json").status_code == 401
    assert api("viewer").post(members(household), body, format="json").status_code == 403
    assert api("enterprise").post(members(household), body, format="json").status_code == 403
    foreign = api("other_county_officer").post(members(household), body, format="json")
    assert foreign.status_code == 404
    assert foreign.json() == NOT_FOUND_BODY
    assert household.members.count() == 1
    assert AuditEntry.objects.count() == 0
