"""Front-desk pages as a permission matrix: anonymous, wrong role, right role in another region, right role
in the region. Denied requests change nothing and leak nothing."""

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.frontdesk.models import DuplicatePair, MergeRecord, ServiceContact
from laborcoop.registry.models import Laborer
from tests.frontdesk.conftest import HEITANG, HUANGJIAQIAO, MIANZHAI, TIANMENXI, client_for

pytestmark = pytest.mark.django_db

BIRTH = date(1991, 2, 14)


@pytest.fixture
def pair(person: Callable[..., Laborer]) -> DuplicatePair:
    left = person("田春花", BIRTH, HEITANG, male=False)
    right = person("田春華", BIRTH, HUANGJIAQIAO, male=False)
    return DuplicatePair.objects.create(
        laborer_a=left, laborer_b=right, score=0.95, reasons=["姓名相同（繁简转换后）"], region_code="433122000000"
    )


def _get_urls(pair: DuplicatePair) -> list[str]:
    return [
        reverse("frontdesk:index"),
        reverse("frontdesk:duplicates"),
        reverse("frontdesk:duplicate_detail", args=[pair.pk]),
    ]


def _post_urls(pair: DuplicatePair) -> list[tuple[str, dict[str, str]]]:
    return [
        (reverse("frontdesk:duplicate_not_duplicate", args=[pair.pk]), {"note": "x"}),
        (reverse("frontdesk:duplicate_merge", args=[pair.pk]), {"keep": "a"}),
        (reverse("frontdesk:duplicate_scan"), {}),
    ]


def _unchanged(pair: DuplicatePair) -> None:
    pair.refresh_from_db()
    assert pair.status == DuplicatePair.Status.OPEN
    assert Laborer.objects.count() == 2
    assert not MergeRecord.objects.exists()
    assert DuplicatePair.objects.count() == 1
    assert not AuditEntry.objects.exclude(action="login").exists()


def test_anonymous_is_sent_to_login(pair: DuplicatePair) -> None:
    client = client_for(None)
    for url in _get_urls(pair):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    for url, data in _post_urls(pair):
        assert client.post(url, data).status_code == 302, url
    assert client.post(reverse("frontdesk:index"), {"channel": "window", "name": "田春花"}).status_code == 302
    _unchanged(pair)
    assert not ServiceContact.objects.exists()


def test_enterprise_user_gets_403_everywhere(users: dict[str, Any], pair: DuplicatePair) -> None:
    client = client_for(users["enterprise"])
    for url in _get_urls(pair):
        assert client.get(url).status_code == 403, url
    for url, data in _post_urls(pair):
        assert client.post(url, data).status_code == 403, url
    response = client.post(reverse("frontdesk:index"), {"channel": "window", "id_number": "433122199102140012"})
    assert response.status_code == 403
    _unchanged(pair)
    assert not ServiceContact.objects.exists()


@pytest.mark.parametrize("role", ["other_county_officer", "township_officer", "broker"])
def test_right_role_in_another_region_gets_404_and_sees_no_foreign_rows(
    users: dict[str, Any], pair: DuplicatePair, role: str
) -> None:
    # 凤凰县, 武溪镇 and 黑塘村 each contain at most one of the two records (黑塘村 / 黄家桥村 of 浦市镇).
    client = client_for(users[role])
    detail = client.get(reverse("frontdesk:duplicate_detail", args=[pair.pk]))
    assert detail.status_code == 404
    assert "田春" not in detail.content.decode()
    missing = client.get(reverse("frontdesk:duplicate_detail", args=[999999]))
    assert missing.status_code == 404
    listing = client.get(reverse("frontdesk:duplicates")).content.decode()
    assert "田春" not in listing
    assert 'id="pair-table"' not in listing
    for url, data in _post_urls(pair)[:2]:
        assert client.post(url, data).status_code == 404, url
    _unchanged(pair)


@pytest.mark.parametrize("role", ["county_officer", "prefecture_admin", "province_admin", "viewer", "hotline"])
def test_right_role_in_the_region_sees_the_pages(users: dict[str, Any], pair: DuplicatePair, role: str) -> None:
    client = client_for(users[role])
    for url in _get_urls(pair):
        assert client.get(url).status_code == 200, url
    listing = client.get(reverse("frontdesk:duplicates")).content.decode()
    assert "田春花" in listing
    detail = client.get(reverse("frontdesk:duplicate_detail", args=[pair.pk])).content.decode()
    assert pair.laborer_a is not None
    assert pair.laborer_b is not None
    assert pair.laborer_a.id_masked in detail
    assert pair.laborer_b.id_masked in detail
    assert pair.laborer_a.reveal_id_number() not in detail
    assert "<mark>田春花</mark>" in detail  # differing fields are highlighted
    assert "<mark>1991-02-14</mark>" not in detail  # equal ones are not
    can_edit = role not in ("viewer", "hotline")
    assert ('id="pair-actions"' in detail) is can_edit


def test_viewer_and_hotline_cannot_review_or_merge(users: dict[str, Any], pair: DuplicatePair) -> None:
    for role in ["viewer", "hotline"]:
        client = client_for(users[role])
        for url, data in _post_urls(pair):
            assert client.post(url, data).status_code == 403, url
    _unchanged(pair)


def test_broker_reviews_pairs_in_their_village(users: dict[str, Any], person: Callable[..., Laborer]) -> None:
    left = person("石金凤", BIRTH, HEITANG, male=False)
    right = person("石金鳳", BIRTH, HEITANG, male=False)
    pair = DuplicatePair.objects.create(laborer_a=left, laborer_b=right, score=1, reasons=[], region_code=HEITANG)
    client = client_for(users["broker"])
    assert client.get(reverse("frontdesk:duplicate_detail", args=[pair.pk])).status_code == 200
    assert client.post(reverse("frontdesk:duplicate_scan")).status_code == 403  # brokers do not run scans
    response = client.post(reverse("frontdesk:duplicate_merge", args=[pair.pk]), {"keep": "b"})
    assert response.status_code == 302
    assert list(Laborer.objects.values_list("pk", flat=True)) == [right.pk]


def test_not_duplicate_and_merge_and_undo_through_the_pages(users: dict[str, Any], pair: DuplicatePair) -> None:
    officer = client_for(users["county_officer"])
    response = officer.post(reverse("frontdesk:duplicate_merge", args=[pair.pk]), {"keep": "a"})
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:laborer_detail", args=[pair.laborer_a_id])
    record = MergeRecord.objects.get()
    merged_listing = officer.get(reverse("frontdesk:duplicates"), {"status": "merged"}).content.decode()
    assert "已合并删除" in merged_listing
    detail = officer.get(reverse("frontdesk:duplicate_detail", args=[pair.pk])).content.decode()
    assert 'id="merge-record"' in detail
    assert "撤销合并" not in detail  # officers cannot undo
    assert officer.post(reverse("frontdesk:merge_undo", args=[record.pk])).status_code == 403
    assert (
        client_for(users["other_county_officer"]).post(reverse("frontdesk:merge_undo", args=[record.pk])).status_code
        == 404
    )
    admin = client_for(users["prefecture_admin"])
    assert "撤销合并" in admin.get(reverse("frontdesk:duplicate_detail", args=[pair.pk])).content.decode()
    response = admin.post(reverse("frontdesk:merge_undo", args=[record.pk]))
    assert response.status_code == 302
    assert Laborer.objects.count() == 2
    response = officer.post(reverse("frontdesk:duplicate_not_duplicate", args=[pair.pk]), {"note": "姐妹"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert (pair.status, pair.note) == (DuplicatePair.Status.NOT_DUPLICATE, "姐妹")
    assert "田春花" in officer.get(reverse("frontdesk:duplicates"), {"status": "not_duplicate"}).content.decode()
    assert "田春花" not in officer.get(reverse("frontdesk:duplicates")).content.decode()


def test_scan_page_runs_in_the_officers_scope(users: dict[str, Any], person: Callable[..., Laborer]) -> None:
    person("彭志强", BIRTH, HEITANG)
    person("彭志強", BIRTH, TIANMENXI)
    person("彭志强", BIRTH, MIANZHAI)
    response = client_for(users["county_officer"]).post(reverse("frontdesk:duplicate_scan"))
    assert response.status_code == 302
    assert list(DuplicatePair.objects.values_list("region_code", flat=True)) == ["433122107000"]


def test_laborer_detail_shows_open_duplicates_within_scope(users: dict[str, Any], pair: DuplicatePair) -> None:
    url = reverse("registry:laborer_detail", args=[pair.laborer_a_id])
    page = client_for(users["county_officer"]).get(url).content.decode()
    assert 'id="possible-duplicates"' in page
    assert "田春華" in page
    assert reverse("frontdesk:duplicate_detail", args=[pair.pk]) in page
    # The broker of 黑塘村 sees the left record but not the pair (the other record is outside the village)
    broker_page = client_for(users["broker"]).get(url).content.decode()
    assert 'id="possible-duplicates"' not in broker_page
    assert "田春華" not in broker_page
    DuplicatePair.objects.update(status=DuplicatePair.Status.NOT_DUPLICATE)
    assert 'id="possible-duplicates"' not in client_for(users["county_officer"]).get(url).content.decode()


def test_queue_query_count_is_constant(
    users: dict[str, Any], person: Callable[..., Laborer], django_assert_max_num_queries: Any
) -> None:
    client = client_for(users["county_officer"])
    for i in range(2):
        a, b = person(f"甲{i}", BIRTH, HEITANG), person(f"乙{i}", BIRTH, TIANMENXI)
        DuplicatePair.objects.create(laborer_a=a, laborer_b=b, score=0.9, reasons=[], region_code="433122107000")
    with django_assert_max_num_queries(100) as few:
        client.get(reverse("frontdesk:duplicates"))
    baseline = len(few)
    for i in range(2, 15):
        a, b = person(f"甲{i}", BIRTH, HEITANG), person(f"乙{i}", BIRTH, TIANMENXI)
        DuplicatePair.objects.create(laborer_a=a, laborer_b=b, score=0.9, reasons=[], region_code="433122107000")
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("frontdesk:duplicates"))
    assert response.content.decode().count(">核实</a>") == 15
    assert baseline <= 6


def test_walkin_page_query_count_is_constant(
    users: dict[str, Any], person: Callable[..., Laborer], django_assert_max_num_queries: Any
) -> None:
    client = client_for(users["county_officer"])
    target = person("向东", BIRTH, HEITANG)
    for _ in range(2):
        client.post(reverse("frontdesk:index"), {"channel": "window", "id_number": target.reveal_id_number()})
    with django_assert_max_num_queries(100) as few:
        client.get(reverse("frontdesk:index"))
    baseline = len(few)
    for _ in range(8):
        client.post(reverse("frontdesk:index"), {"channel": "window", "id_number": target.reveal_id_number()})
    with django_assert_max_num_queries(baseline):
        client.get(reverse("frontdesk:index"))


@pytest.mark.parametrize(("who", "channel"), [("hotline", "phone"), ("county_officer", "window")])
def test_service_channel_defaults_to_the_desk_the_user_works_at(users: dict[str, Any], who: str, channel: str) -> None:
    """The 12333 desk takes calls (电话); the service window sees people in person (窗口)."""
    html = client_for(users[who]).get(reverse("frontdesk:index")).content.decode()
    checked = re.findall(r'<input type="radio" name="channel" value="([a-z]+)"[^>]*\bchecked\b', html)
    assert checked == [channel]
