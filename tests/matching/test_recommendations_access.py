"""Scope matrix of the matching pages and API (anonymous, wrong role, right role in the wrong region, right role
in the right region), and the masking of identities for enterprise users until the laborer states interest."""

from typing import Any

import pytest

from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation
from laborcoop.matching.services import recommendations_for_job
from laborcoop.matching.services.transitions import ERR_TRANSITION
from laborcoop.notifications.models import Notification
from tests.matching.test_recommendations_setup import Market, api_client, build_market, page_client

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "未找到该记录，或您无权查看。"}


@pytest.fixture
def market(users: dict[str, Any]) -> Market:
    build = build_market(users)
    recommendations_for_job(acting_user=users["province_admin"], job=build.luxi_job)
    recommendations_for_job(acting_user=users["enterprise"], job=build.jinan_job)
    return build


def luxi_rec(market: Market) -> Recommendation:
    return Recommendation.objects.get(job=market.luxi_job, laborer=market.luxi[0])


# --- pages ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("enterprise", 404), ("other_county_officer", 404), ("county_officer", 200), ("viewer", 200)],
)
def test_job_pipeline_page_matrix(users: dict[str, Any], market: Market, who: str | None, status: int) -> None:
    response = page_client(users[who] if who else None).get(f"/matching/jobs/{market.luxi_job.pk}/")

    assert response.status_code == status
    text = response.content.decode()
    if status == 200:
        assert "张三丰" in text
        assert "工种意向" in text
        assert "赵六顺" not in text  # 凤凰县 candidate: outside the county officer's subtree
    else:
        assert "张三丰" not in text


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("enterprise", 403), ("other_county_officer", 404), ("county_officer", 200)],
)
def test_laborer_page_matrix(users: dict[str, Any], market: Market, who: str | None, status: int) -> None:
    response = page_client(users[who] if who else None).get(f"/matching/laborers/{market.luxi[0].pk}/")

    assert response.status_code == status
    text = response.content.decode()
    assert ("缝纫普工" in text) == (status == 200)


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("viewer", 403), ("other_county_officer", 404), ("county_officer", 302)],
)
def test_rerun_button_matrix(users: dict[str, Any], market: Market, who: str | None, status: int) -> None:
    Recommendation.objects.filter(job=market.luxi_job).delete()

    response = page_client(users[who] if who else None).post(f"/matching/jobs/{market.luxi_job.pk}/run/")

    assert response.status_code == status
    expected = 3 if who == "county_officer" else 0
    assert Recommendation.objects.filter(job=market.luxi_job).count() == expected


@pytest.mark.parametrize(
    ("who", "status", "moved"),
    [(None, 302, False), ("viewer", 403, False), ("other_county_officer", 404, False), ("county_officer", 302, True)],
)
def test_transition_page_matrix(
    users: dict[str, Any], market: Market, who: str | None, status: int, moved: bool
) -> None:
    rec = luxi_rec(market)

    response = page_client(users[who] if who else None).post(
        f"/matching/recommendations/{rec.pk}/transition/", {"state": "interested", "version": rec.version}
    )

    assert response.status_code == status
    rec.refresh_from_db()
    assert (rec.state == RecState.INTERESTED) == moved


def test_transition_page_shows_the_chinese_error(users: dict[str, Any], market: Market) -> None:
    rec = luxi_rec(market)

    response = page_client(users["county_officer"]).post(
        f"/matching/recommendations/{rec.pk}/transition/", {"state": "hired", "version": rec.version}, follow=True
    )

    assert ERR_TRANSITION % {"from": "已通知", "to": "录用"} in response.content.decode()


# --- API ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 401), ("enterprise", 404), ("other_county_officer", 404), ("county_officer", 200)],
)
def test_job_candidates_api_matrix(users: dict[str, Any], market: Market, who: str | None, status: int) -> None:
    response = api_client(users[who] if who else None).get(f"/api/v1/jobs/{market.luxi_job.pk}/candidates/")

    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["count"] == 3
        assert {item["laborer_id"] for item in body["results"]} == {lab.pk for lab in market.luxi}
        scores = [item["score"] for item in body["results"]]
        assert scores == sorted(scores, reverse=True)
        for item in body["results"]:
            assert round(sum(f["points"] for f in item["factors"]), 2) == item["score"]
    elif status == 404:
        assert response.json() == NOT_FOUND


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 401), ("enterprise", 403), ("other_county_officer", 404), ("county_officer", 200)],
)
def test_laborer_recommendations_api_matrix(
    users: dict[str, Any], market: Market, who: str | None, status: int
) -> None:
    response = api_client(users[who] if who else None).get(f"/api/v1/laborers/{market.luxi[0].pk}/recommendations/")

    assert response.status_code == status
    if status == 200:
        assert {item["job_id"] for item in response.json()["results"]} == {market.luxi_job.pk, market.jinan_job.pk}


@pytest.mark.parametrize(
    ("who", "status", "moved"),
    [(None, 401, False), ("viewer", 403, False), ("other_county_officer", 404, False), ("county_officer", 200, True)],
)
def test_transition_api_matrix(
    users: dict[str, Any], market: Market, who: str | None, status: int, moved: bool
) -> None:
    rec = luxi_rec(market)

    response = api_client(users[who] if who else None).post(
        f"/api/v1/recommendations/{rec.pk}/transition/", {"state": "interested", "version": rec.version}, format="json"
    )

    assert response.status_code == status
    rec.refresh_from_db()
    assert (rec.state == RecState.INTERESTED) == moved
    if moved:
        assert response.json()["state"] == "interested"
        assert response.json()["version"] == rec.version


def test_transition_api_errors(users: dict[str, Any], market: Market) -> None:
    rec = luxi_rec(market)
    client = api_client(users["county_officer"])
    url = f"/api/v1/recommendations/{rec.pk}/transition/"

    forbidden = client.post(url, {"state": "started", "version": rec.version}, format="json")
    stale = client.post(url, {"state": "interested", "version": rec.version + 5}, format="json")
    no_reason = client.post(url, {"state": "declined", "version": rec.version}, format="json")

    assert forbidden.status_code == 400
    assert forbidden.json() == {"non_field_errors": ["不能从“已通知”变为“已上岗”。"]}
    assert stale.status_code == 409
    assert stale.json() == {"detail": "该推荐已被他人更新，请刷新后重试。"}
    assert no_reason.status_code == 400
    assert no_reason.json() == {"reason": ["请填写无意向的原因。"]}


def test_enterprise_marks_result_by_api_but_nothing_else(users: dict[str, Any], market: Market) -> None:
    rec = Recommendation.objects.get(job=market.jinan_job, laborer=market.luxi[0])
    client = api_client(users["enterprise"])
    url = f"/api/v1/recommendations/{rec.pk}/transition/"

    denied = client.post(url, {"state": "declined", "version": rec.version, "reason": "x"}, format="json")
    Recommendation.objects.filter(pk=rec.pk).update(state=RecState.INTERVIEW)
    allowed = client.post(url, {"state": "rejected", "version": rec.version, "note": "岗位已招满"}, format="json")

    assert denied.status_code == 403
    assert denied.json() == {"detail": "企业用户只能为本企业岗位安排面试、登记面试结果（录用或未录用）。"}
    assert allowed.status_code == 200
    assert allowed.json()["state"] == "rejected"


def test_api_rerun_matrix(users: dict[str, Any], market: Market) -> None:
    url = f"/api/v1/jobs/{market.luxi_job.pk}/candidates/"

    assert api_client(None).post(url, {}, format="json").status_code == 401
    assert api_client(users["viewer"]).post(url, {}, format="json").status_code == 403
    assert api_client(users["other_county_officer"]).post(url, {}, format="json").status_code == 404
    before = Notification.objects.count()
    ok = api_client(users["county_officer"]).post(url, {"limit": 2}, format="json")
    assert ok.status_code == 200
    assert ok.json()["count"] == 3  # the stored pipeline (the run kept the earlier rows)
    assert Notification.objects.count() == before  # everybody was already told


# --- masking ----------------------------------------------------------------------------------------------------


def test_enterprise_sees_masked_identity_until_interest(users: dict[str, Any], market: Market) -> None:
    laborer = market.luxi[0]
    client = api_client(users["enterprise"])
    url = f"/api/v1/jobs/{market.jinan_job.pk}/candidates/"

    before = client.get(url)
    page_before = page_client(users["enterprise"]).get(f"/matching/jobs/{market.jinan_job.pk}/").content.decode()

    assert before.status_code == 200
    item = next(i for i in before.json()["results"] if i["laborer_id"] == laborer.pk)
    assert item["laborer"] == {"name": "张**", "id_masked": laborer.id_masked, "phone": ""}
    for lab in market.everyone:
        assert lab.name not in before.content.decode()
        assert lab.name not in page_before
        assert lab.phone not in before.content.decode()
        assert lab.phone not in page_before
        assert lab.reveal_id_number() not in before.content.decode()
    assert "张**" in page_before

    rec = Recommendation.objects.get(job=market.jinan_job, laborer=laborer)
    Recommendation.objects.filter(pk=rec.pk).update(state=RecState.INTERESTED)
    after = next(i for i in client.get(url).json()["results"] if i["laborer_id"] == laborer.pk)

    assert after["laborer"] == {"name": "张三丰", "id_masked": laborer.id_masked, "phone": laborer.phone}
    assert laborer.reveal_id_number() not in str(after)


@pytest.mark.parametrize("state", [RecState.RECOMMENDED, RecState.NOTIFIED, RecState.DECLINED])
def test_enterprise_never_sees_names_before_interest(users: dict[str, Any], market: Market, state: str) -> None:
    Recommendation.objects.filter(job=market.jinan_job).update(state=state)

    body = api_client(users["enterprise"]).get(f"/api/v1/jobs/{market.jinan_job.pk}/candidates/").content.decode()

    assert all(lab.name not in body for lab in market.everyone)


def test_candidate_list_query_count(users: dict[str, Any], market: Market, django_assert_max_num_queries: Any) -> None:
    client = api_client(users["province_admin"])
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/v1/jobs/{market.luxi_job.pk}/candidates/")
    assert response.json()["count"] == 5


def test_detail_pages_link_to_the_pipelines(users: dict[str, Any], market: Market) -> None:
    client = page_client(users["county_officer"])

    job_page = client.get(f"/employers/jobs/{market.luxi_job.pk}/").content.decode()
    laborer_page = client.get(f"/registry/laborers/{market.luxi[0].pk}/").content.decode()

    assert f'href="/matching/jobs/{market.luxi_job.pk}/"' in job_page
    assert f'href="/matching/laborers/{market.luxi[0].pk}/"' in laborer_page


def test_job_pipeline_page_query_count(
    users: dict[str, Any], market: Market, django_assert_max_num_queries: Any
) -> None:
    client = page_client(users["province_admin"])
    with django_assert_max_num_queries(12):
        response = client.get(f"/matching/jobs/{market.luxi_job.pk}/")
    assert response.content.decode().count('<tr id="rec-') == 5  # five candidates
