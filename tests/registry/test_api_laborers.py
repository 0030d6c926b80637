"""/api/v1/laborers/: the permission matrix, masking, search, pagination, query counts, PATCH and reveal."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from laborcoop.core.api.pagination import PAGE_PAST_THE_END, StandardPagination
from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.phone import PHONE_BAD_MOBILE
from laborcoop.registry.models import Laborer
from laborcoop.registry.services import REVEAL_REASON_REQUIRED
from tests.api.conftest import (
    NOT_FOUND_BODY,
    _fresh_process_state,  # noqa: F401 (autouse: a fresh cache for each test)
)
from tests.factories import HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db

Api = Callable[[str | None], APIClient]
LIST = "/api/v1/laborers/"


def detail(laborer: Laborer) -> str:
    return f"/api/v1/laborers/{laborer.pk}/"


def reveal(laborer: Laborer) -> str:
    return f"/api/v1/laborers/{laborer.pk}/reveal-id/"


def assert_no_personal_numbers(content: bytes, *laborers: Laborer) -> None:
    text = content.decode()
    for laborer in laborers:
        assert laborer.reveal_id_number() not in text
        if laborer.phone:
            assert laborer.phone not in text
    assert "id_number_enc" not in text
    assert "id_number_hash" not in text


# --- list -------------------------------------------------------------------------------------------------


def test_list_anonymous_is_401(api: Api, rows: dict[str, Any]) -> None:
    response = api(None).get(LIST)
    assert response.status_code == 401
    assert "results" not in response.json()


def test_list_enterprise_user_is_403(api: Api, rows: dict[str, Any]) -> None:
    response = api("enterprise").get(LIST)
    assert response.status_code == 403
    assert response.json() == {"detail": "您的角色无权执行此操作。"}


def test_list_other_county_sees_no_foreign_rows(api: Api, rows: dict[str, Any]) -> None:
    response = api("other_county_officer").get(LIST)
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [rows["fh_head"].pk]
    assert "向金花" not in response.content.decode()


@pytest.mark.parametrize("who", ["county_officer", "viewer", "broker", "township_officer", "prefecture_admin"])
def test_list_in_region_sees_own_rows_only(api: Api, rows: dict[str, Any], who: str) -> None:
    # 黄家桥村 lies in 浦市镇: the 武溪镇 officer and the 黑塘村 broker do not see it.
    expected = {
        "county_officer": [rows["luxi_head"].pk],
        "viewer": [rows["luxi_head"].pk],
        "broker": [],
        "township_officer": [],
        "prefecture_admin": [rows["luxi_head"].pk, rows["fh_head"].pk],
    }[who]
    response = api(who).get(LIST)
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == expected


def test_row_shape_is_masked(api: Api, rows: dict[str, Any]) -> None:
    head = rows["luxi_head"]
    response = api("county_officer").get(LIST)
    row = response.json()["results"][0]
    assert row["id"] == head.pk
    assert row["region_code"] == "433122108201"
    assert row["id_number_masked"] == head.id_masked
    assert row["phone_masked"] == "137****0001"
    assert row["household_id"] == head.household_id
    assert row["household_no"] == "433122108201000777"
    assert row["version"] == 1
    assert row["warnings"] == {}
    for key in ["sex", "birth_date", "relation", "education", "student_status", "health", "labor_skill"]:
        assert key in row
    for key in ["political_status", "employment_status", "work_region_willingness", "intended_occupations"]:
        assert key in row
    for key in ["intended_regions", "expected_wage", "training_needs", "unreachable", "updated_at"]:
        assert key in row
    assert "phone" not in row
    assert "id_number" not in row
    assert_no_personal_numbers(response.content, head)


def test_filters_use_the_registry_search(api: Api, rows: dict[str, Any]) -> None:
    head = rows["luxi_head"]
    other = LaborerFactory(
        household=HouseholdFactory(region_id="433122107201"), name="田二妹", employment_status="employed"
    )
    client = api("county_officer")

    def ids(**params: str) -> list[int]:
        response = client.get(LIST, params)
        assert response.status_code == 200
        return [r["id"] for r in response.json()["results"]]

    assert ids(q="向金") == [head.pk]
    assert ids(q=head.reveal_id_number()) == [head.pk]
    assert ids(q=head.id_last4) == [head.pk]
    assert ids(q="13712340001") == [head.pk]
    assert ids(region="433122107201") == [other.pk]
    assert ids(employment_status="employed") == [other.pk]
    assert ids(labor_skill="无劳动力") == []
    # a region filter cannot widen the scope
    assert api("other_county_officer").get(LIST, {"region": "433122108201"}).json()["results"] == []


def test_bad_filter_values_are_400_in_chinese(api: Api, rows: dict[str, Any]) -> None:
    response = api("county_officer").get(LIST, {"region": "4331", "employment_status": "rich"})
    assert response.status_code == 400
    assert response.json()["region"] == ["区划代码应为 12 位数字。"]
    assert response.json()["employment_status"] == ["“rich” 不是合法选项。"]


def test_pagination(api: Api, rows: dict[str, Any]) -> None:
    LaborerFactory.create_batch(4, household__region_id="433122107201")
    client = api("county_officer")
    first = client.get(LIST, {"page_size": 2}).json()
    assert "count" not in first  # no COUNT over a province: one row more than the page is fetched
    assert first["page"] == 1
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert "page=2" in first["next"]
    last = client.get(LIST, {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1
    assert last["next"] is None
    seen = [r["id"] for p in (1, 2, 3) for r in client.get(LIST, {"page_size": 2, "page": p}).json()["results"]]
    luxi = Laborer.objects.filter(region__gte="433122000000", region__lte="433122999999")
    assert sorted(seen) == sorted(luxi.values_list("pk", flat=True))
    # A page past the end is a bad query parameter: 400 with the reason (it was a 404 of the list itself).
    past = client.get(LIST, {"page": 9})
    assert (past.status_code, past.json()) == (400, {"page": [PAGE_PAST_THE_END]})


def test_page_size_is_capped() -> None:
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    request = Request(APIRequestFactory().get(LIST, {"page_size": 5000}))
    assert StandardPagination().get_page_size(request) == 200


def test_list_query_count_does_not_grow_with_rows(
    api: Api, rows: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = api("county_officer")
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(LIST).json()["results"]) == 1
    LaborerFactory.create_batch(8, household__region_id="433122107201")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(LIST).json()["results"]) == 9
    # token with its user, the token's last-use stamp (at most once a minute, so only on the first request),
    # the user's home region, the page, its villages, its households; no COUNT
    assert len(few.captured_queries) == 6


# --- detail -----------------------------------------------------------------------------------------------


def test_detail_matrix(api: Api, rows: dict[str, Any]) -> None:
    head = rows["luxi_head"]
    assert api(None).get(detail(head)).status_code == 401
    assert api("enterprise").get(detail(head)).status_code == 403
    foreign = api("other_county_officer").get(detail(head))
    missing = api("other_county_officer").get("/api/v1/laborers/999999/")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json() == NOT_FOUND_BODY
    response = api("county_officer").get(detail(head))
    assert response.status_code == 200
    assert response.json()["id_number_masked"] == head.id_masked
    assert response.json()["name"] == "向金花"
    assert_no_personal_numbers(response.content, head)
    assert api("hotline").get(detail(head)).status_code == 200


# --- PATCH ------------------------------------------------------------------------------------------------


def _unchanged(laborer: Laborer) -> None:
    before = Laborer.objects.get(pk=laborer.pk)
    assert before.version == 1
    assert before.skills == ""
    assert before.expected_wage is None
    assert AuditEntry.objects.count() == 0


def test_patch_updates_through_the_service(api: Api, rows: dict[str, Any]) -> None:
    head = rows["luxi_head"]
    body = {"version": 1, "skills": "竹编", "expected_wage": 5200, "intended_regions": ["440306000000"]}
    response = api("county_officer").patch(detail(head), body, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["skills"] == "竹编"
    assert response.json()["intended_regions"] == ["440306000000"]
    assert_no_personal_numbers(response.content, head)
    saved = Laborer.objects.get(pk=head.pk)
    assert (saved.version, saved.skills, saved.expected_wage) == (2, "竹编", 5200)
    # fields left out keep their values, the ID number included
    assert saved.id_number_hash == head.id_number_hash
    assert saved.phone == "13712340001"
    assert saved.name == "向金花"
    entry = AuditEntry.objects.get(object_type="registry.laborer", object_id=str(head.pk))
    assert entry.action == "update"
    assert entry.actor is not None
    assert entry.actor.username == "xian_t"
    assert set(entry.changes) == {"skills", "expected_wage", "intended_regions"}


def test_patch_returns_stored_warnings(api: Api, rows: dict[str, Any]) -> None:
    head = rows["luxi_head"]
    response = api("county_officer").patch(detail(head), {"version": 1, "education": ""}, format="json")
    assert response.status_code == 200
    assert response.json()["warnings"]["education"]
    assert Laborer.objects.get(pk=head.pk).warnings == response.json()["warnings"]


@pytest.mark.parametrize("who", ["viewer", "hotline", "enterprise"])
def test_patch_wrong_role_is_403_and_changes_nothing(api: Api, rows: dict[str, Any], who: str) -> None:
    head = rows["luxi_head"]
    response = api(who).patch(detail(head), {"version": 1, "skills": "竹编"}, format="json")
    assert response.status_code == 403
    _unchanged(head)


def test_patch_other_region_is_404_and_changes_nothing(api: Api, rows: dict[str, Any]) -> None:
    head = rows["luxi_head"]
    response = api("other_county_officer").patch(detail(head), {"version": 1, "skills": "竹编"}, format="json")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND_BODY
    _unchanged(head)


def test_patch_anonymous_is_401(api: Api, rows: dict[str, Any]) -> None:
    head = rows["luxi_head"]
    assert api(None).patch(detail(head), {"version": 1, "skills": "竹编"}, format="json").status_code == 401
    _unchanged(head)


def test_patch_stale_version_is_409(api: Api, rows: dict[str, Any]) -> None:
    head = rows["luxi_head"]
    client = api("county_officer")
    assert client.patch(detail(head), {"version": 1, "skills": "竹编"}, format="json").status_code == 200
    stale = client.patch(detail(head), {"version": 1, "skills": "木工"}, format="json")
    assert stale.status_code == 409
    assert stale.json() == {"detail": "该记录已被他人修改，请刷新后重新编辑。"}
    saved = Laborer.objects.get(pk=head.pk)
    assert (saved.version, saved.skills) == (2, "竹编")
    assert AuditEntry.objects.count() == 1


def test_patch_requires_version(api: Api, rows: dict[str, Any]) -> None:
    head = rows["luxi_head"]
    response = api("county_officer").patch(detail(head), {"skills": "竹编"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"version": ["该字段是必填项。"]}
    _unchanged(head)


def test_patch_validation_errors_are_chinese_and_save_nothing(api: Api, rows: dict[str, Any]) -> None:
    head = rows["luxi_head"]
    client = api("county_officer")
    service_error = client.patch(detail(head), {"version": 1, "phone": "12345", "skills": "竹编"}, format="json")
    assert service_error.status_code == 400
    assert service_error.json() == {"phone": [PHONE_BAD_MOBILE]}
    parse_error = client.patch(detail(head), {"version": 1, "health": ["很好"], "expected_wage": -1}, format="json")
    assert parse_error.status_code == 400
    assert parse_error.json()["health"] == {"0": ["“很好” 不是合法选项。"]}
    assert parse_error.json()["expected_wage"] == ["请确保该值大于或者等于 0。"]
    _unchanged(head)
    assert Laborer.objects.get(pk=head.pk).phone == "13712340001"


# --- reveal -----------------------------------------------------------------------------------------------


def test_reveal_with_grant_returns_the_number_and_is_audited(
    api: Api, users: dict[str, Any], rows: dict[str, Any]
) -> None:
    head = rows["luxi_head"]
    officer = users["county_officer"]
    officer.can_unmask_id = True
    officer.save()
    response = api("county_officer").post(reveal(head), {"reason": "核对社保信息"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"id_number": head.reveal_id_number()}
    assert response["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_id, entry.reason) == (
        "unmask",
        officer,
        str(head.pk),
        "核对社保信息",
    )
    assert head.reveal_id_number() not in str(entry.changes) + entry.object_repr


def test_reveal_without_grant_is_403_and_not_audited(api: Api, rows: dict[str, Any]) -> None:
    head = rows["luxi_head"]
    response = api("county_officer").post(reveal(head), {"reason": "核对"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "您没有查看完整证件号码的权限。"}
    assert_no_personal_numbers(response.content, head)
    assert AuditEntry.objects.count() == 0


def test_reveal_other_region_is_404_even_with_grant(api: Api, users: dict[str, Any], rows: dict[str, Any]) -> None:
    users["other_county_officer"].can_unmask_id = True
    users["other_county_officer"].save()
    response = api("other_county_officer").post(reveal(rows["luxi_head"]), {"reason": "核对"}, format="json")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND_BODY
    assert AuditEntry.objects.count() == 0


def test_reveal_needs_a_reason(api: Api, users: dict[str, Any], rows: dict[str, Any]) -> None:
    users["county_officer"].can_unmask_id = True
    users["county_officer"].save()
    response = api("county_officer").post(reveal(rows["luxi_head"]), {"reason": "  "}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": [REVEAL_REASON_REQUIRED]}
    assert AuditEntry.objects.count() == 0


def test_reveal_anonymous_and_enterprise(api: Api, rows: dict[str, Any]) -> None:
    assert api(None).post(reveal(rows["luxi_head"]), {"reason": "x"}, format="json").status_code == 401
    assert api("enterprise").post(reveal(rows["luxi_head"]), {"reason": "x"}, format="json").status_code == 403
    assert AuditEntry.objects.count() == 0
