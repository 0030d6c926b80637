"""The job market (岗位市场): open postings of every region are readable by every signed-in staff, broker,
hotline and enterprise user; everything that is not an open posting keeps the subtree rule (404), editing too;
internal fields (contact person and phone) stay with those who manage the posting; putting a laborer forward
creates a recommendation only for a laborer of the user's own subtree."""

from datetime import date, timedelta
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.employers import choices as ec
from laborcoop.employers.access import market_open_q
from laborcoop.employers.models import JobPosting
from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation
from laborcoop.matching.services.put_forward import ERR_DUPLICATE, PUT_FORWARD_NOTE
from tests.conftest import make_user
from tests.employers.conftest import client_for
from tests.factories import EnterpriseFactory, HouseholdFactory, JobPostingFactory, LaborerFactory

pytestmark = pytest.mark.django_db

JINAN_PHONE = "0531-88881234"
READERS = ["county_officer", "province_admin", "prefecture_admin", "broker", "hotline", "enterprise", "viewer"]


@pytest.fixture
def market(users: dict[str, Any]) -> dict[str, Any]:
    """Three postings of a 济南 enterprise (not the enterprise user's): open, closed, expired; a 济南 officer who
    manages them; a laborer in the broker's village (泸溪县) and one in 凤凰县."""
    enterprise = EnterpriseFactory(
        name="济南重汽装配有限公司", region_id="370102000000", contact_name="王经理", contact_phone=JINAN_PHONE
    )
    today = date.today()
    open_job = JobPostingFactory(
        enterprise=enterprise, title="汽车装配工", occupation="装配工", provides_accommodation=True
    )
    closed = JobPostingFactory(enterprise=enterprise, title="已结束岗位", status=ec.JobStatus.CLOSED)
    paused = JobPostingFactory(enterprise=enterprise, title="已暂停岗位", status=ec.JobStatus.PAUSED)
    expired = JobPostingFactory(
        enterprise=enterprise,
        title="已过期岗位",
        valid_from=today - timedelta(days=60),
        valid_until=today - timedelta(days=1),
    )
    luxi = LaborerFactory(household=HouseholdFactory(region_id="433122107201"), name="向秀英")
    fenghuang = LaborerFactory(household=HouseholdFactory(region_id="433123109201"), name="龙水生")
    return {
        "enterprise": enterprise,
        "open": open_job,
        "closed": closed,
        "paused": paused,
        "expired": expired,
        "jinan_officer": make_user("jinan_t", "370100000000", ["officer"]),
        "luxi": luxi,
        "fenghuang": fenghuang,
    }


def test_the_predicate_is_open_and_not_past_the_end_date(market: dict[str, Any]) -> None:
    on_market = set(JobPosting.objects.filter(market_open_q()).values_list("pk", flat=True))
    assert market["open"].pk in on_market
    assert market["closed"].pk not in on_market
    assert market["paused"].pk not in on_market
    assert market["expired"].pk not in on_market


@pytest.mark.parametrize("who", READERS)
def test_every_reader_finds_the_open_jinan_posting_and_nothing_else(
    users: dict[str, Any], market: dict[str, Any], who: str
) -> None:
    client = client_for(users[who])
    page = client.get(reverse("employers:market_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "汽车装配工" in text
    assert "已结束岗位" not in text
    assert "已过期岗位" not in text
    assert client.get(reverse("employers:market_detail", args=[market["open"].pk])).status_code == 200
    assert "已暂停岗位" not in text
    for name in ("closed", "paused", "expired"):
        assert client.get(reverse("employers:market_detail", args=[market[name].pk])).status_code == 404


@pytest.mark.parametrize("who", ["county_officer", "broker", "hotline", "enterprise"])
def test_outside_the_subtree_the_job_pages_and_edits_stay_404(
    users: dict[str, Any], market: dict[str, Any], who: str
) -> None:
    client = client_for(users[who])
    for name in ("open", "closed", "paused", "expired"):
        job = market[name]
        assert client.get(reverse("employers:job_detail", args=[job.pk])).status_code in (403, 404)
        assert client.get(reverse("employers:job_edit", args=[job.pk])).status_code in (403, 404)
        before = (job.status, job.version)
        response = client.post(
            reverse("employers:job_status", args=[job.pk]), {"status": ec.JobStatus.PAUSED, "version": job.version}
        )
        assert response.status_code in (403, 404)
        job.refresh_from_db()
        assert (job.status, job.version) == before


def test_the_enterprise_region_officer_still_manages_every_posting(market: dict[str, Any]) -> None:
    client = client_for(market["jinan_officer"])
    for name in ("open", "closed", "expired"):
        assert client.get(reverse("employers:job_detail", args=[market[name].pk])).status_code == 200
        assert client.get(reverse("employers:job_edit", args=[market[name].pk])).status_code == 200
    page = client.get(reverse("employers:market_detail", args=[market["open"].pk])).content.decode()
    assert JINAN_PHONE in page
    assert "管理此岗位" in page


@pytest.mark.parametrize("who", READERS)
def test_internal_fields_stay_with_those_who_manage_the_posting(
    users: dict[str, Any], market: dict[str, Any], who: str
) -> None:
    page = client_for(users[who]).get(reverse("employers:market_detail", args=[market["open"].pk])).content.decode()
    assert JINAN_PHONE not in page
    assert "王经理" not in page
    assert "管理此岗位" not in page


def test_anonymous_is_sent_to_sign_in(market: dict[str, Any]) -> None:
    client = client_for(None)
    for url in (reverse("employers:market_list"), reverse("employers:market_detail", args=[market["open"].pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_filters(users: dict[str, Any], market: dict[str, Any], regions: Any) -> None:
    luxi_job = JobPostingFactory(
        enterprise=EnterpriseFactory(region_id="433122000000"), title="本县缝纫工", wage_min=2500, wage_max=3000
    )
    client = client_for(users["county_officer"])

    def titles(**params: Any) -> str:
        return client.get(reverse("employers:market_list"), params).content.decode()

    local = titles(distance="county")
    assert "本县缝纫工" in local
    assert "汽车装配工" not in local
    outside = titles(distance="outside")
    assert "汽车装配工" in outside
    assert "本县缝纫工" not in outside
    assert "本县缝纫工" not in titles(wage_min=5000)
    assert "本县缝纫工" not in titles(accommodation="on")
    assert "汽车装配工" in titles(accommodation="on")
    by_region = titles(region="370100000000")
    assert "汽车装配工" in by_region
    assert "本县缝纫工" not in by_region
    assert luxi_job.pk


def test_a_bad_wage_filter_is_refused_in_chinese(users: dict[str, Any], market: dict[str, Any]) -> None:
    response = client_for(users["county_officer"]).get(reverse("employers:market_list"), {"wage_min": "abc"})
    assert response.status_code == 400
    assert "请输入整数金额" in response.content.decode()


# --- putting a laborer forward ----------------------------------------------------------------------------------


def put_forward(user: Any, job: JobPosting, laborer_id: Any) -> Any:
    return client_for(user).post(reverse("matching:market_put_forward", args=[job.pk]), {"laborer_id": laborer_id})


@pytest.mark.parametrize("who", ["county_officer", "broker", "hotline"])
def test_put_forward_creates_a_recommendation_the_enterprise_sees(
    users: dict[str, Any], market: dict[str, Any], who: str
) -> None:
    job, laborer = market["open"], market["luxi"]
    response = put_forward(users[who], job, laborer.pk)
    assert response.status_code == 302
    rec = Recommendation.objects.get(job=job, laborer=laborer)
    assert rec.state == RecState.RECOMMENDED
    assert rec.region_id == laborer.region_id
    assert rec.events.get().note == PUT_FORWARD_NOTE
    assert rec.factors
    assert all(factor["explanation"] for factor in rec.factors)  # the pipeline explains the score in Chinese
    assert AuditEntry.objects.filter(object_type="matching.recommendation", object_id=str(rec.pk)).exists()
    qiye = make_user("jinan_qiye", "370102000000", ["enterprise"], enterprise=market["enterprise"])
    pipeline = client_for(qiye).get(reverse("matching:job_pipeline", args=[job.pk]))
    assert pipeline.status_code == 200
    assert [row["id"] for row in pipeline.context["rows"]] == [rec.pk]
    assert "向秀英" not in pipeline.content.decode()  # masked until the laborer states interest


def test_a_laborer_outside_the_subtree_is_404_and_nothing_saved(users: dict[str, Any], market: dict[str, Any]) -> None:
    for who in ("county_officer", "broker"):
        assert put_forward(users[who], market["open"], market["fenghuang"].pk).status_code == 404
    assert not Recommendation.objects.exists()


def test_a_posting_off_the_market_is_404(users: dict[str, Any], market: dict[str, Any]) -> None:
    for name in ("closed", "expired"):
        assert put_forward(users["county_officer"], market[name], market["luxi"].pk).status_code == 404
    assert not Recommendation.objects.exists()


def test_a_duplicate_gets_a_chinese_message(users: dict[str, Any], market: dict[str, Any]) -> None:
    assert put_forward(users["county_officer"], market["open"], market["luxi"].pk).status_code == 302
    again = put_forward(users["broker"], market["open"], market["luxi"].pk)
    assert again.status_code == 400
    expected = ERR_DUPLICATE.format(name="向秀英", state=RecState.RECOMMENDED.label)
    assert expected in again.content.decode()
    assert Recommendation.objects.count() == 1


@pytest.mark.parametrize("who", ["enterprise", "viewer"])
def test_readers_who_may_not_put_forward_get_403(users: dict[str, Any], market: dict[str, Any], who: str) -> None:
    assert put_forward(users[who], market["open"], market["luxi"].pk).status_code == 403
    page = client_for(users[who]).get(reverse("employers:market_detail", args=[market["open"].pk])).content.decode()
    assert "推荐本辖区人员" not in page
    assert not Recommendation.objects.exists()


def test_a_missing_laborer_id_is_refused_in_chinese(users: dict[str, Any], market: dict[str, Any]) -> None:
    response = put_forward(users["county_officer"], market["open"], "")
    assert response.status_code == 400
    assert "请选择要推荐的人员" in response.content.decode()


def test_the_search_finds_only_the_users_own_laborers(users: dict[str, Any], market: dict[str, Any]) -> None:
    url = reverse("matching:market_put_forward", args=[market["open"].pk])
    client = client_for(users["county_officer"])
    assert [p.pk for p in client.get(url, {"q": "向秀英"}).context["found"]] == [market["luxi"].pk]
    assert client.get(url, {"q": "龙水生"}).context["found"] == []


# --- API ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", READERS)
def test_api_list_and_detail(api: Any, market: dict[str, Any], who: str) -> None:
    client = api(who)
    body = client.get("/api/v1/job-market/").json()
    items = {item["id"]: item for item in body["results"]}
    assert set(items) == {market["open"].pk}
    item = items[market["open"].pk]
    assert item["enterprise_name"] == "济南重汽装配有限公司"
    assert item["work_region_code"] == "370102000000"
    assert item["work_region_path"].startswith("山东省")
    assert item["provides_accommodation"] is True
    assert "contact_phone" not in item
    detail = client.get(f"/api/v1/job-market/{market['open'].pk}/")
    assert detail.status_code == 200
    assert JINAN_PHONE not in detail.content.decode()
    for name in ("closed", "paused", "expired"):
        assert client.get(f"/api/v1/job-market/{market[name].pk}/").status_code == 404


def test_api_anonymous_401_and_bad_filters_400(api: Any, market: dict[str, Any]) -> None:
    assert api(None).get("/api/v1/job-market/").status_code == 401
    assert api(None).get(f"/api/v1/job-market/{market['open'].pk}/").status_code == 401
    bad = api("county_officer").get("/api/v1/job-market/", {"region": "3701"})
    assert bad.status_code == 400
    assert "12 位数字" in bad.content.decode()


def test_api_filters(api: Any, market: dict[str, Any]) -> None:
    client = api("county_officer")
    assert client.get("/api/v1/job-market/", {"distance": "county"}).json()["results"] == []
    assert len(client.get("/api/v1/job-market/", {"distance": "outside"}).json()["results"]) == 1
    assert client.get("/api/v1/job-market/", {"wage_min": 99999}).json()["results"] == []


def test_api_in_the_schema_without_warnings(tmp_path: Any) -> None:
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    paths = yaml.safe_load(out.read_text())["paths"]
    assert "/api/v1/job-market/" in paths
    assert "/api/v1/job-market/{id}/" in paths
    item = yaml.safe_load(out.read_text())["components"]["schemas"]["JobMarket"]["properties"]
    assert {"id", "title", "enterprise_name", "work_region_code", "work_region_path", "wage_min"} <= set(item)
    assert "contact_phone" not in item
