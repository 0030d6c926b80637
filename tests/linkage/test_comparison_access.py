"""Comparison pages and API as a permission matrix (anonymous, wrong role, right role in another region, right
role in the region); denied requests change nothing and leak nothing. Plus query counts of the result lists."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.linkage.models import Comparison, ProposedChange
from laborcoop.linkage.selectors import comparison_entry_list
from laborcoop.linkage.services.upload import FILE_REQUIRED
from laborcoop.registry.models import Laborer, VitalStatus
from tests.api.conftest import NOT_FOUND_BODY, token_client
from tests.linkage.conftest import Person
from tests.linkage.helpers import xlsx_bytes

pytestmark = pytest.mark.django_db


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _state() -> tuple[Any, ...]:
    return (
        Comparison.objects.count(),
        list(ProposedChange.objects.order_by("pk").values_list("status", flat=True)),
        list(Laborer.objects.order_by("pk").values_list("name", "vital_status", "version")),
        AuditEntry.objects.count(),
    )


# --- pages ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "code"),
    [
        (None, 302),
        ("hotline", 403),
        ("enterprise", 403),
        ("other_county_officer", 404),
        ("township_officer", 404),  # a township's scope does not hold the county's comparison
        ("viewer", 200),
        ("county_officer", 200),
        ("prefecture_admin", 200),
    ],
)
def test_result_page_matrix(users: dict[str, Any], comparison: Comparison, who: str | None, code: int) -> None:
    response = client_for(users[who] if who else None).get(reverse("linkage:detail", args=[comparison.pk]))

    assert response.status_code == code
    body = response.content.decode()
    if code == 200:
        assert "王小二" in body or "已匹配" in body
    else:
        assert "王小二" not in body
        assert comparison.original_name not in body


@pytest.mark.parametrize(
    ("who", "code"),
    [(None, 302), ("hotline", 403), ("viewer", 403), ("other_county_officer", 404), ("county_officer", 302)],
)
def test_accept_page_action_matrix(
    users: dict[str, Any], registry: list[Person], comparison: Comparison, who: str | None, code: int
) -> None:
    change = ProposedChange.objects.get(comparison=comparison, laborer=registry[0].laborer)
    client = client_for(users[who] if who else None)
    before = _state()

    response = client.post(reverse("linkage:accept", args=[comparison.pk, change.pk]))

    assert response.status_code == code
    if who == "county_officer":
        assert response["Location"].endswith("?tab=changes")
        assert Laborer.objects.get(pk=registry[0].laborer.pk).vital_status == VitalStatus.DECEASED
    else:
        assert _state() == before


def test_change_of_another_comparison_is_404(users: dict[str, Any], comparison: Comparison) -> None:
    other = Comparison.objects.create(department="dibao", original_name="x.xlsx", sha256="0", region_id="433122000000")
    change = ProposedChange.objects.filter(comparison=comparison).first()
    assert change is not None

    response = client_for(users["county_officer"]).post(reverse("linkage:accept", args=[other.pk, change.pk]))

    assert response.status_code == 404


def test_list_page_shows_only_comparisons_in_scope(users: dict[str, Any], comparison: Comparison) -> None:
    mine = client_for(users["prefecture_admin"]).get(reverse("linkage:index"))
    other = client_for(users["other_county_officer"]).get(reverse("linkage:index"))
    hotline = client_for(users["hotline"]).get(reverse("linkage:index"))

    assert mine.status_code == other.status_code == 200
    assert comparison.original_name in mine.content.decode()
    assert comparison.original_name not in other.content.decode()
    assert hotline.status_code == 403


def test_upload_mapping_and_progress_pages(users: dict[str, Any], registry: list[Person]) -> None:
    client = client_for(users["county_officer"])
    rows = [[p.laborer.name, p.id_number, "正常"] for p in registry[:3]]
    data = xlsx_bytes(["姓名", "身份证号", "人员状态"], rows, title=None)

    bad = client.post(reverse("linkage:create"), {"department": "household_reg"})
    created = client.post(
        reverse("linkage:create"),
        {"department": "household_reg", "file": SimpleUploadedFile("户籍.xlsx", data)},
    )

    assert bad.status_code == 400
    assert FILE_REQUIRED in bad.content.decode()
    comparison = Comparison.objects.get()
    assert created["Location"] == reverse("linkage:mapping", args=[comparison.pk])
    page = client.get(created["Location"])
    assert page.status_code == 200
    assert "身份证号" in page.content.decode()
    unmapped = client.post(created["Location"], {"col_sex": "0"})
    assert unmapped.status_code == 400
    assert "缺少必填列“姓名”" in unmapped.content.decode()
    confirmed = client.post(created["Location"], {"col_name": "0", "col_id_number": "1"})
    assert confirmed["Location"] == reverse("linkage:detail", args=[comparison.pk])
    comparison.refresh_from_db()
    assert comparison.status == Comparison.Status.QUEUED
    polling = client.get(confirmed["Location"] + "?part=status", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in polling.content.decode()


def test_feedback_download_page(users: dict[str, Any], registry: list[Person], comparison: Comparison) -> None:
    response = client_for(users["viewer"]).get(reverse("linkage:feedback", args=[comparison.pk]))
    denied = client_for(users["other_county_officer"]).get(reverse("linkage:feedback", args=[comparison.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert denied.status_code == 404
    assert AuditEntry.objects.filter(action="export").count() == 1


# --- API --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "code"),
    [(None, 401), ("hotline", 403), ("enterprise", 403), ("other_county_officer", 404), ("county_officer", 200)],
)
def test_api_detail_matrix(users: dict[str, Any], comparison: Comparison, who: str | None, code: int) -> None:
    response = token_client(users[who] if who else None).get(f"/api/v1/comparisons/{comparison.pk}/")

    assert response.status_code == code
    if code == 404:
        assert response.json() == NOT_FOUND_BODY
    if code == 200:
        body = response.json()
        assert body["status"] == "succeeded"
        assert body["counts"] == {
            "rows": 6,
            "rows_id_damaged": 0,
            "ours": 30,
            "matched": 4,
            "review": 0,  # 王方 / 王芳 matched by ID: 高可信
            "conflicts": 1,
            "only_ours": 26,
            "only_theirs": 2,
            "changes": 3,
        }


def test_api_list_is_scoped(users: dict[str, Any], comparison: Comparison) -> None:
    mine = token_client(users["county_officer"]).get("/api/v1/comparisons/")
    other = token_client(users["other_county_officer"]).get("/api/v1/comparisons/")

    assert [c["id"] for c in mine.json()["results"]] == [comparison.pk]
    assert other.json()["results"] == []


def test_api_create_runs_with_automatic_mapping(
    users: dict[str, Any], registry: list[Person], django_capture_on_commit_callbacks: Any
) -> None:
    rows = [[p.laborer.name, p.id_number, "某建筑公司"] for p in registry[:4]]
    data = xlsx_bytes(["参保人姓名", "社会保障号码", "参保单位"], rows, title=None)

    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(users["county_officer"]).post(
            "/api/v1/comparisons/",
            {"department": "social_insurance", "file": SimpleUploadedFile("社保.xlsx", data)},
            format="multipart",
        )

    assert response.status_code == 202
    comparison = Comparison.objects.get(pk=response.json()["id"])
    assert comparison.status == Comparison.Status.SUCCEEDED
    assert comparison.matched_count == 4
    polled = token_client(users["county_officer"]).get(f"/api/v1/comparisons/{comparison.pk}/").json()
    assert (polled["progress"], polled["counts"]["changes"]) == (100, 8)


@pytest.mark.parametrize(
    ("who", "payload", "code", "field", "message"),
    [
        (None, {"department": "dibao"}, 401, None, None),
        ("viewer", "file", 403, None, None),
        ("hotline", "file", 403, None, None),
        ("county_officer", {"department": "dibao"}, 400, "file", FILE_REQUIRED),
        ("county_officer", "no-name", 400, "file", "缺少必填列“姓名”：请在表头中写明姓名列，或在列对应页面中选择"),
        ("county_officer", "empty", 400, "file", "名单是空的：表头下方没有数据行"),
        ("county_officer", "pdf", 400, "file", "不支持的文件类型，请上传 xlsx、xls、ods 或 csv 文件"),
    ],
)
def test_api_create_bad_input(
    users: dict[str, Any], who: str | None, payload: Any, code: int, field: str | None, message: str | None
) -> None:
    files = {
        "file": SimpleUploadedFile("a.xlsx", xlsx_bytes(["姓名", "证件号码"], [["张伟", ""]], title=None)),
        "no-name": SimpleUploadedFile("a.xlsx", xlsx_bytes(["名字", "证件号码"], [["张伟", ""]], title=None)),
        "empty": SimpleUploadedFile("a.xlsx", xlsx_bytes(["姓名", "证件号码"], [], title=None)),
        "pdf": SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
    }
    body = payload if isinstance(payload, dict) else {"department": "dibao", "file": files[payload]}

    response = token_client(users[who] if who else None).post("/api/v1/comparisons/", body, format="multipart")

    assert response.status_code == code
    if field:
        assert message in response.json()[field]
    assert not Comparison.objects.exists()
    assert not AuditEntry.objects.exists()


# --- query counts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("tab", ["matched", "conflicts", "changes", "only_ours", "only_theirs"])
def test_result_lists_take_one_query(comparison: Comparison, tab: str, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        rows = list(comparison_entry_list(comparison=comparison, tab=tab)[:21])
        for row in rows:
            laborer = row.laborer
            str(laborer.region.name if laborer else "")
            if tab == "changes":
                str(row.entry.their)
            else:
                str(row.their)
    assert rows


def test_result_page_queries_do_not_grow_with_rows(
    users: dict[str, Any], comparison: Comparison, django_assert_max_num_queries: Any
) -> None:
    client = client_for(users["county_officer"])
    url = reverse("linkage:detail", args=[comparison.pk])
    client.get(url + "?tab=only_ours")  # warm the session and caches
    with django_assert_max_num_queries(9):
        response = client.get(url + "?tab=only_ours")  # 20 rows on the page
    assert response.status_code == 200
    assert response.content.decode().count('data-label="本库人员"') == 20
