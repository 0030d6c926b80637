"""Labor-cooperation agreements: proposing by one party's admin, confirming by the other's, bad input, scope of
pages and API, and matching's cooperation factor reading the agreements in force."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from laborcoop.cooperation.models import Agreement, AgreementStatus
from laborcoop.cooperation.selectors import agreement_pairs_in_force
from laborcoop.cooperation.services import agreement_confirm, agreement_propose
from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.matching.models import Recommendation
from laborcoop.matching.services import recommendations_for_laborer
from laborcoop.matching.services.warm import warm_index_stats
from tests.conftest import make_user
from tests.matching.test_recommendations_setup import Market, api_client, build_market, page_client

XIANGXI, JINAN, HUNAN, GUANGDONG = "433100000000", "370100000000", "430000000000", "440000000000"


@pytest.fixture
def admins(users: dict[str, Any]) -> dict[str, Any]:
    return {
        "xiangxi": users["prefecture_admin"],
        "jinan": make_user("jinan_t", JINAN, ["admin"]),
        "guangdong": make_user("guangdong_t", GUANGDONG, ["admin"]),
        "jinan_officer": make_user("jinan_officer_t", "370102000000", ["officer"]),
    }


def form_data(**overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = {
        "title": "",
        "output_region_code": XIANGXI,
        "input_region_code": JINAN,
        "start_date": (today - timedelta(days=30)).isoformat(),
        "end_date": (today + timedelta(days=700)).isoformat(),
        "areas": ["labor_export", "training"],
        "target_transfer": "3000",
        "target_training": "1500",
        "target_jobs": "5000",
        "output_subsidy": "交通补贴500元",
        "input_subsidy": "吸纳就业补贴1000元",
        "output_contact_name": "彭建华",
        "output_contact_phone": "0743-8222333",
        "input_contact_name": "李明",
        "input_contact_phone": "0531-86012333",
    }
    data.update(overrides)
    return data


def service_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = form_data()
    data["start_date"] = date.fromisoformat(data["start_date"])
    data["end_date"] = date.fromisoformat(data["end_date"])
    data["fields"] = data.pop("areas")
    data.update(overrides)
    return data


def propose(user: Any, **overrides: Any) -> Agreement:
    return agreement_propose(acting_user=user, data=service_data(**overrides))


# --- proposing and confirming --------------------------------------------------------------------------------


def test_party_admin_proposes_on_the_page_and_the_other_party_confirms(admins: dict[str, Any]) -> None:
    response = page_client(admins["xiangxi"]).post(reverse("cooperation:agreement_create"), form_data())
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.status == AgreementStatus.PENDING
    assert agreement.proposed_side == "output"
    assert agreement.state_label() == "待对方确认"

    # the proposer cannot confirm its own proposal
    own = page_client(admins["xiangxi"]).post(reverse("cooperation:agreement_confirm", args=[agreement.pk]))
    assert own.status_code == 403
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.PENDING

    page = page_client(admins["jinan"]).get(reverse("cooperation:agreement_detail", args=[agreement.pk]))
    assert "确认协议生效" in page.content.decode()
    done = page_client(admins["jinan"]).post(reverse("cooperation:agreement_confirm", args=[agreement.pk]))
    assert done.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert agreement.confirmed_by == admins["jinan"]
    assert agreement.state_label() == "生效"


def test_unrelated_admin_gets_404_and_anonymous_is_sent_to_login(admins: dict[str, Any]) -> None:
    agreement = propose(admins["xiangxi"])
    url = reverse("cooperation:agreement_confirm", args=[agreement.pk])
    assert page_client(admins["guangdong"]).post(url).status_code == 404
    assert (
        page_client(admins["guangdong"]).get(reverse("cooperation:agreement_detail", args=[agreement.pk])).status_code
        == 404
    )
    anonymous = page_client(None).post(url)
    assert anonymous.status_code == 302
    assert "login" in anonymous["Location"]
    with pytest.raises(ObjectNotFound):
        agreement_confirm(acting_user=admins["guangdong"], agreement_id=agreement.pk)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.PENDING


def test_only_party_admins_propose(admins: dict[str, Any], users: dict[str, Any]) -> None:
    with pytest.raises(PermissionDeniedError, match="协议一方"):
        propose(admins["guangdong"])
    with pytest.raises(PermissionDeniedError):
        propose(users["county_officer"])
    assert page_client(users["county_officer"]).get(reverse("cooperation:agreement_create")).status_code == 403
    assert not Agreement.objects.exists()


def test_an_ancestor_admin_proposes_for_a_party(admins: dict[str, Any], users: dict[str, Any]) -> None:
    agreement = propose(users["province_admin"])  # 湖南省 admin for 湘西州
    assert agreement.proposed_side == "output"
    with pytest.raises(PermissionDeniedError):
        agreement_confirm(acting_user=admins["xiangxi"], agreement_id=agreement.pk)  # same side
    agreement_confirm(acting_user=admins["jinan"], agreement_id=agreement.pk)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": (timezone.localdate() - timedelta(days=60)).isoformat()}, "end_date", "结束日期不能早于开始日期"),
        ({"input_region_code": XIANGXI}, "input_region_code", "不能是同一个地区"),
        ({"target_transfer": "-5"}, "target_transfer", "年度目标不能为负数"),
        ({"input_region_code": HUNAN}, "input_region_code", "不能互相包含"),
        ({"areas": []}, "areas", "请至少选择一个合作领域"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_saves_nothing(
    admins: dict[str, Any], overrides: dict[str, Any], field: str, message: str
) -> None:
    response = page_client(admins["xiangxi"]).post(reverse("cooperation:agreement_create"), form_data(**overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in " ".join(errors.get(field, []))
    assert not Agreement.objects.exists()


def test_terminated_and_expired_states(admins: dict[str, Any]) -> None:
    agreement = propose(admins["xiangxi"])
    agreement_confirm(acting_user=admins["jinan"], agreement_id=agreement.pk)
    agreement.refresh_from_db()
    assert agreement.state_label(agreement.end_date + timedelta(days=1)) == "已到期"
    empty = page_client(admins["jinan"]).post(reverse("cooperation:agreement_terminate", args=[agreement.pk]), {})
    assert empty.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE  # no reason given
    page_client(admins["jinan"]).post(
        reverse("cooperation:agreement_terminate", args=[agreement.pk]), {"reason": "协议双方协商终止"}
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.TERMINATED
    assert agreement.state_label() == "已终止"
    assert agreement_pairs_in_force(today=timezone.localdate()) == {}


# --- scope -------------------------------------------------------------------------------------------------------


def _ids(response: Any) -> set[int]:
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_api_list_is_scoped(admins: dict[str, Any], users: dict[str, Any]) -> None:
    jinan_xiangxi = propose(admins["xiangxi"])
    hunan_guangdong = propose(users["province_admin"], output_region_code=HUNAN, input_region_code=GUANGDONG)
    url = reverse("api:agreement_list")
    both = {jinan_xiangxi.pk, hunan_guangdong.pk}
    assert _ids(api_client(admins["xiangxi"]).get(url)) == both  # own + its province's (an ancestor)
    assert _ids(api_client(users["county_officer"]).get(url)) == both  # ancestors of 泸溪县, read-only
    assert _ids(api_client(users["province_admin"]).get(url)) == both
    assert _ids(api_client(admins["jinan"]).get(url)) == {jinan_xiangxi.pk}
    assert _ids(api_client(admins["jinan_officer"]).get(url)) == {jinan_xiangxi.pk}
    assert _ids(api_client(admins["guangdong"]).get(url)) == {hunan_guangdong.pk}
    assert api_client(users["enterprise"]).get(url).status_code == 403
    assert api_client(None).get(url).status_code == 401
    bad = api_client(admins["jinan"]).get(url, {"status": "nonsense"})
    assert bad.status_code == 400
    row = api_client(admins["jinan"]).get(url).json()["results"][0]
    assert row["state"] == "待对方确认"
    assert row["input_region_name"] == "济南市"
    assert (
        page_client(users["county_officer"])
        .get(reverse("cooperation:agreement_detail", args=[hunan_guangdong.pk]))
        .status_code
        == 200
    )


def test_agreements_are_in_the_openapi_schema(admins: dict[str, Any]) -> None:
    schema = api_client(admins["jinan"]).get(reverse("schema"))
    assert schema.status_code == 200
    body = schema.content.decode()
    assert "/api/v1/agreements/" in body
    assert "劳务协作协议列表" in body


# --- matching --------------------------------------------------------------------------------------------------


@pytest.fixture
def market(users: dict[str, Any]) -> Market:
    return build_market(users)


def _cooperation_factor(user: Any, market: Market) -> dict[str, Any]:
    Recommendation.objects.all().delete()
    recommendations_for_laborer(acting_user=user, laborer=market.luxi[0])
    rec = Recommendation.objects.get(laborer=market.luxi[0], job=market.jinan_job)
    return {f["key"]: f for f in rec.factors}["cooperation"]


@pytest.mark.parametrize("warm", [True, False])
def test_matching_factor_reads_agreements_in_force(
    settings: Any, warm: bool, admins: dict[str, Any], users: dict[str, Any], market: Market
) -> None:
    settings.MATCHING_WARM_INDEX = warm
    officer = users["county_officer"]
    absent = _cooperation_factor(officer, market)
    assert absent["points"] == 0
    assert absent["explanation"] == "两地无劳务协作协议"

    agreement = propose(admins["xiangxi"])
    pending = _cooperation_factor(officer, market)
    assert pending["points"] == 0  # not yet confirmed

    agreement_confirm(acting_user=admins["jinan"], agreement_id=agreement.pk)
    present = _cooperation_factor(officer, market)
    assert present["points"] == 8.0
    assert present["explanation"] == "济南市与湘西州有劳务协作协议"

    Agreement.objects.filter(pk=agreement.pk).update(end_date=timezone.localdate() - timedelta(days=1))
    expired = _cooperation_factor(officer, market)
    assert expired["points"] == 0
    if warm:  # the same warm index served every ranking: a new or ended agreement needs no rebuild
        assert warm_index_stats()["builds"] == 1
