"""Destination notice pages: the output side's list, the input side's masked list and its htmx answers."""

from typing import Any

import pytest
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.tracking.choices import NoticeStatus
from laborcoop.tracking.models import DestinationNotice
from laborcoop.tracking.notices.services import NOTE_REQUIRED
from tests.factories import LaborerFactory, fresh_id_number
from tests.tracking.notice_helpers import client_for, hire, input_users

pytestmark = pytest.mark.django_db

CLEAR_ID = fresh_id_number()
OUTPUT = reverse("tracking:notice_list")
INPUT = reverse("tracking:notice_input_list")


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


def assert_no_identity(body: str, laborer: Any) -> None:
    assert "向金花" not in body
    assert CLEAR_ID not in body
    assert laborer.id_masked not in body
    assert "13912345678" not in body


# --- the output side's list ----------------------------------------------------------------------------------


def test_output_list_matrix(people: dict[str, Any], notice: DestinationNotice) -> None:
    anonymous = client_for(None).get(OUTPUT)
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    forbidden = client_for(people["enterprise"]).get(OUTPUT)
    assert forbidden.status_code == 403
    assert "向金花" not in forbidden.content.decode()
    other = client_for(people["other_county_officer"]).get(OUTPUT)
    assert other.status_code == 200
    assert "向金花" not in other.content.decode()
    assert "没有符合条件的去向通报" in other.content.decode()
    mine = client_for(people["county_officer"]).get(OUTPUT)
    assert mine.status_code == 200
    body = mine.content.decode()
    assert f'id="notice-{notice.pk}"' in body
    assert "向金花" in body
    assert "历下区" in body
    assert "待确认" in body


def test_not_arrived_needs_the_output_sides_attention(people: dict[str, Any], notice: DestinationNotice) -> None:
    confirmed_laborer = LaborerFactory(name="田大山")
    hire(people["county_officer"], confirmed_laborer)
    DestinationNotice.objects.filter(pk=notice.pk).update(status=NoticeStatus.NOT_ARRIVED, note="未报到")
    body = client_for(people["township_officer"]).get(OUTPUT).content.decode()
    # The not-arrived notice comes first although it is the older one, flagged, with the input side's note.
    assert body.index("向金花") < body.index("田大山")
    row = body[body.index(f'id="notice-{notice.pk}"') :].split("</tr>")[0]
    assert "未到岗" in row
    assert "需关注" in row
    assert "未报到" in row
    counts = body[body.index('id="notice-counts"') :].split("</div>\n</div>")[0]
    assert "未到岗（需关注）" in counts
    filtered = client_for(people["county_officer"]).get(OUTPUT, {"status": "not_arrived"}).content.decode()
    assert "向金花" in filtered
    assert "田大山" not in filtered


# --- the input side's list -------------------------------------------------------------------------------------


def test_input_list_matrix_and_masking(people: dict[str, Any], laborer: Any, notice: DestinationNotice) -> None:
    assert client_for(None).get(INPUT).status_code == 302
    assert client_for(people["broker"]).get(INPUT).status_code == 403
    other = client_for(people["baoan_officer"]).get(INPUT)
    assert other.status_code == 200
    assert f'id="notice-{notice.pk}"' not in other.content.decode()
    for who in ("lixia_officer", "lixia_viewer", "enterprise", "shandong_officer"):
        response = client_for(people[who]).get(INPUT)
        assert response.status_code == 200, who
        body = response.content.decode()
        assert f'id="notice-{notice.pk}"' in body, who
        assert laborer.id_last4 in body
        assert "泸溪县" in body  # where the person comes from: the county, not the village
        assert "黑塘村" not in body
        if who == "enterprise":  # the person works there (an ongoing record): its staff, named; ID masked
            assert "向金花" in body
            assert CLEAR_ID not in body
            assert laborer.id_masked not in body
        else:
            assert "向**" in body
            assert_no_identity(body, laborer)


def test_only_those_who_may_answer_see_the_buttons(people: dict[str, Any], notice: DestinationNotice) -> None:
    confirm = reverse("tracking:notice_confirm", args=[notice.pk])
    assert confirm in client_for(people["lixia_officer"]).get(INPUT).content.decode()
    assert confirm not in client_for(people["lixia_viewer"]).get(INPUT).content.decode()


# --- answering: the permission matrix, htmx, version and audit -----------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),  # anonymous: to the login page
        ("broker", 403),  # wrong role
        ("lixia_viewer", 403),  # right region, read-only role
        ("county_officer", 403),  # the output side
        ("baoan_officer", 404),  # wrong input region
    ],
)
def test_confirm_is_refused(people: dict[str, Any], notice: DestinationNotice, who: str | None, status: int) -> None:
    user = people[who] if who else None
    url = reverse("tracking:notice_confirm", args=[notice.pk])
    response = client_for(user).post(url, {"version": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == status
    assert "向**" not in response.content.decode()
    assert "向金花" not in response.content.decode()
    notice.refresh_from_db()
    assert (notice.status, notice.version) == (NoticeStatus.SENT, 1)
    assert not AuditEntry.objects.filter(object_type="tracking.destinationnotice", action="update").exists()


def test_a_refused_caller_learns_nothing_from_a_bad_form(people: dict[str, Any], notice: DestinationNotice) -> None:
    url = reverse("tracking:notice_not_arrived", args=[notice.pk])
    assert client_for(people["county_officer"]).post(url, {}).status_code == 403
    assert client_for(people["baoan_officer"]).post(url, {}).status_code == 404


def test_confirm_by_htmx_redraws_the_row(people: dict[str, Any], laborer: Any, notice: DestinationNotice) -> None:
    url = reverse("tracking:notice_confirm", args=[notice.pk])
    response = client_for(people["lixia_officer"]).post(url, {"version": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith(f'<tr id="notice-{notice.pk}" data-status="confirmed">')
    assert "已确认到岗" in body
    assert 'name="version" value="2"' in body
    assert_no_identity(body, laborer)
    notice.refresh_from_db()
    assert (notice.status, notice.confirmed_by, notice.version) == (
        NoticeStatus.CONFIRMED,
        people["lixia_officer"],
        2,
    )
    assert AuditEntry.objects.filter(object_type="tracking.destinationnotice", action="update").count() == 1


def test_not_arrived_by_the_enterprise_without_htmx(people: dict[str, Any], notice: DestinationNotice) -> None:
    client = client_for(people["enterprise"])
    url = reverse("tracking:notice_not_arrived", args=[notice.pk])
    empty = client.post(url, {"version": "1", "note": ""})
    assert empty.status_code == 400
    assert NOTE_REQUIRED in empty.content.decode()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    done = client.post(url, {"version": "1", "note": "未报到"})
    assert done.status_code == 302
    assert done["Location"] == INPUT
    notice.refresh_from_db()
    assert (notice.status, notice.note, notice.confirmed_by) == (
        NoticeStatus.NOT_ARRIVED,
        "未报到",
        people["enterprise"],
    )


def test_a_stale_answer_is_a_conflict(people: dict[str, Any], notice: DestinationNotice) -> None:
    url = reverse("tracking:notice_confirm", args=[notice.pk])
    assert client_for(people["enterprise"]).post(url, {"version": "1"}).status_code == 302
    stale = client_for(people["lixia_officer"]).post(
        reverse("tracking:notice_not_arrived", args=[notice.pk]), {"version": "1", "note": "未到"}
    )
    assert stale.status_code == 409
    htmx = client_for(people["lixia_officer"]).post(
        reverse("tracking:notice_not_arrived", args=[notice.pk]),
        {"version": "1", "note": "未到"},
        HTTP_HX_REQUEST="true",
    )
    assert htmx.status_code == 200  # htmx swaps 2xx only: the current row comes back with the message
    assert "已被他人处理" in htmx.content.decode()
    assert 'data-status="confirmed"' in htmx.content.decode()
    notice.refresh_from_db()
    assert (notice.status, notice.version, notice.confirmed_by) == (NoticeStatus.CONFIRMED, 2, people["enterprise"])


def test_answering_needs_post(people: dict[str, Any], notice: DestinationNotice) -> None:
    response = client_for(people["lixia_officer"]).get(reverse("tracking:notice_confirm", args=[notice.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("status", "shown", "hidden"),
    [
        (NoticeStatus.NOT_ARRIVED, "输入地报告未到岗", "在岗</span>"),
        (NoticeStatus.SENT, "待输入地确认", "在岗</span>"),
        (NoticeStatus.CONFIRMED, '<span class="badge ok">在岗</span>', "输出地登记务工"),
    ],
)
def test_a_row_never_says_at_work_beside_not_arrived(
    people: dict[str, Any], notice: DestinationNotice, status: str, shown: str, hidden: str
) -> None:
    """Issue 13 item 18: the 就业情况 column follows the notice's answer as well as the record."""
    DestinationNotice.objects.filter(pk=notice.pk).update(status=status)
    for user, url in ((people["township_officer"], OUTPUT), (people["enterprise"], INPUT)):
        body = client_for(user).get(url).content.decode()
        row = body[body.index(f'id="notice-{notice.pk}"') :].split("</tr>")[0]
        assert shown in row, url
        assert hidden not in row, url
