"""/api/v1/destination-notices/ (both sides) and the input side's answers: the scope matrix, masking, 409."""

from typing import Any

import pytest
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.tracking.choices import NoticeStatus
from laborcoop.tracking.models import DestinationNotice
from laborcoop.tracking.notices.services import NOTE_REQUIRED
from tests.factories import LaborerFactory, fresh_id_number
from tests.tracking.notice_helpers import LIXIA, api, hire, input_users

pytestmark = pytest.mark.django_db

CLEAR_ID = fresh_id_number()
LIST = reverse("api:destination_notice_list")


@pytest.fixture
def people(users: dict[str, Any]) -> dict[str, Any]:
    return input_users(users)


@pytest.fixture
def laborer(people: dict[str, Any]) -> Any:
    return LaborerFactory(name="向金花", id_number=CLEAR_ID, phone="13912345678", phone_last4="5678")


@pytest.fixture
def notice(people: dict[str, Any], laborer: Any) -> DestinationNotice:
    hire(people["county_officer"], laborer, enterprise_id=people["enterprise"].enterprise_id)
    return DestinationNotice.objects.get()


def confirm_url(notice: DestinationNotice) -> str:
    return reverse("api:destination_notice_confirm", args=[notice.pk])


def not_arrived_url(notice: DestinationNotice) -> str:
    return reverse("api:destination_notice_not_arrived", args=[notice.pk])


def test_output_side_list_matrix(people: dict[str, Any], laborer: Any, notice: DestinationNotice) -> None:
    assert api(None).get(LIST).status_code == 401
    forbidden = api(people["enterprise"]).get(LIST, {"side": "output"})
    assert forbidden.status_code == 403
    assert "向金花" not in forbidden.content.decode()
    assert api(people["other_county_officer"]).get(LIST).json()["results"] == []
    mine = api(people["county_officer"]).get(LIST)
    assert mine.status_code == 200
    [row] = mine.json()["results"]
    assert (row["id"], row["record"], row["laborer"], row["laborer_name"], row["status"], row["needs_attention"]) == (
        notice.pk,
        notice.record_id,
        laborer.pk,
        "向金花",
        "sent",
        False,
    )
    assert (row["laborer_id_masked"], row["work_region_code"], row["work_region_name"], row["version"]) == (
        laborer.id_masked,
        LIXIA,
        "历下区",
        1,
    )


def test_input_side_list_is_masked(people: dict[str, Any], laborer: Any, notice: DestinationNotice) -> None:
    assert api(people["broker"]).get(LIST, {"side": "input"}).status_code == 403
    assert api(people["baoan_officer"]).get(LIST, {"side": "input"}).json()["results"] == []
    for who in ("lixia_officer", "enterprise", "lixia_viewer"):
        response = api(people[who]).get(LIST, {"side": "input"})
        assert response.status_code == 200
        body = response.content.decode()
        named = who == "enterprise"  # the person works there (an ongoing record): its staff, by name
        assert ("向金花" in body) is named
        assert CLEAR_ID not in body
        assert laborer.id_masked not in body
        assert "13912345678" not in body
        [row] = response.json()["results"]
        assert (row["id"], row["masked_name"], row["id_last4"], row["status"], row["version"]) == (
            notice.pk,
            "向金花" if named else "向**",
            laborer.id_last4,
            "sent",
            1,
        )
        assert (row["home_county_code"], row["home_county_name"], row["work_region_code"]) == (
            "433122000000",
            "泸溪县",
            LIXIA,
        )
        assert "laborer" not in row
        assert "laborer_name" not in row
        assert "region_code" not in row


def test_list_filters_validate(people: dict[str, Any], notice: DestinationNotice) -> None:
    client = api(people["lixia_officer"])
    assert client.get(LIST, {"side": "input", "status": "confirmed"}).json()["results"] == []
    assert len(client.get(LIST, {"side": "input", "status": "sent"}).json()["results"]) == 1
    bad = client.get(LIST, {"side": "both"})
    assert bad.status_code == 400
    assert "side" in bad.json()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 401),
        ("broker", 403),  # wrong role
        ("lixia_viewer", 403),  # right region, read-only
        ("county_officer", 403),  # the output side
        ("baoan_officer", 404),  # wrong input region
    ],
)
@pytest.mark.parametrize("action", ["confirm", "not-arrived"])
def test_answer_matrix_refusals(
    people: dict[str, Any], notice: DestinationNotice, who: str | None, status: int, action: str
) -> None:
    url = confirm_url(notice) if action == "confirm" else not_arrived_url(notice)
    response = api(people[who] if who else None).post(url, {"version": 1, "note": "未到"}, format="json")
    assert response.status_code == status
    assert "向" not in response.content.decode()
    notice.refresh_from_db()
    assert (notice.status, notice.version) == (NoticeStatus.SENT, 1)
    assert not AuditEntry.objects.filter(object_type="tracking.destinationnotice", action="update").exists()


def test_right_input_region_confirms(people: dict[str, Any], laborer: Any, notice: DestinationNotice) -> None:
    response = api(people["lixia_officer"]).post(confirm_url(notice), {"version": 1}, format="json")
    assert response.status_code == 200
    row = response.json()
    assert (row["id"], row["status"], row["version"], row["masked_name"]) == (notice.pk, "confirmed", 2, "向**")
    assert "向金花" not in response.content.decode()
    notice.refresh_from_db()
    assert (notice.status, notice.confirmed_by) == (NoticeStatus.CONFIRMED, people["lixia_officer"])
    entry = AuditEntry.objects.get(object_type="tracking.destinationnotice", action="update")
    assert (entry.actor, entry.changes["status"]) == (people["lixia_officer"], ["sent", "confirmed"])
    # The output side now reads the answer.
    [row] = api(people["county_officer"]).get(LIST).json()["results"]
    assert (row["status"], row["confirmed_at"] is not None) == ("confirmed", True)


def test_enterprise_reports_not_arrived_and_the_output_side_sees_it(
    people: dict[str, Any], notice: DestinationNotice
) -> None:
    client = api(people["enterprise"])
    empty = client.post(not_arrived_url(notice), {"version": 1, "note": ""}, format="json")
    assert empty.status_code == 400
    assert empty.json() == {"note": [NOTE_REQUIRED]}
    missing = client.post(not_arrived_url(notice), {"note": "未到"}, format="json")
    assert missing.status_code == 400
    assert "version" in missing.json()
    done = client.post(not_arrived_url(notice), {"version": 1, "note": "未报到"}, format="json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["note"]) == ("not_arrived", "未报到")
    [row] = api(people["county_officer"]).get(LIST).json()["results"]
    assert (row["status"], row["needs_attention"], row["note"]) == ("not_arrived", True, "未报到")


def test_version_conflict_is_409(people: dict[str, Any], notice: DestinationNotice) -> None:
    assert api(people["enterprise"]).post(confirm_url(notice), {"version": 1}, format="json").status_code == 200
    stale = api(people["lixia_officer"]).post(not_arrived_url(notice), {"version": 1, "note": "未到"}, format="json")
    assert stale.status_code == 409
    assert "刷新" in stale.json()["detail"]
    notice.refresh_from_db()
    assert (notice.status, notice.version, notice.confirmed_by) == (NoticeStatus.CONFIRMED, 2, people["enterprise"])


def test_unknown_notice_is_404(people: dict[str, Any]) -> None:
    url = reverse("api:destination_notice_confirm", args=[999999])
    assert api(people["lixia_officer"]).post(url, {"version": 1}, format="json").status_code == 404


def test_schema_documents_the_endpoints(people: dict[str, Any]) -> None:
    response = api(people["county_officer"]).get(reverse("schema"))
    assert response.status_code == 200
    body = response.content.decode()
    for path in (
        "/api/v1/destination-notices/",
        "/api/v1/destination-notices/{id}/confirm/",
        "/api/v1/destination-notices/{id}/not-arrived/",
        "/api/v1/reconciliation/",
    ):
        assert path in body
    assert "确认到岗（输入地）" in body
