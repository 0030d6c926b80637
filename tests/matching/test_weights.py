"""Per-province factor weights: defaults, who may set them, validation, audit, conflicts, and their effect on
new recommendations."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from laborcoop.core.errors import ConflictError, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.matching.engine.factors import Weights
from laborcoop.matching.models import MatchingWeights, Recommendation
from laborcoop.matching.services import matching_weights_for, matching_weights_set, recommendations_for_job
from laborcoop.matching.services.weights import ERR_NEGATIVE, ERR_NOT_NUMBER, ERR_UNKNOWN_FACTOR
from tests.conftest import make_user
from tests.matching.test_recommendations_setup import Market, build_market, page_client

pytestmark = pytest.mark.django_db

HUNAN = "430000000000"
URL = "/matching/weights/"


@pytest.fixture
def market(users: dict[str, Any]) -> Market:
    return build_market(users)


def _points(rec: Recommendation, key: str) -> float:
    return next(float(f["points"]) for f in rec.factors if f["key"] == key)


def test_url_name() -> None:
    assert reverse("matching:weights") == URL


def test_defaults_when_no_row(regions: Any) -> None:
    assert matching_weights_for(region_code="433122107201") == Weights()
    assert matching_weights_for(region_code=None) == Weights()


def test_saved_weights_change_new_recommendations(users: dict[str, Any], market: Market) -> None:
    recommendations_for_job(acting_user=users["county_officer"], job=market.luxi_job)
    before = list(Recommendation.objects.filter(job=market.luxi_job))
    assert any(_points(rec, "occupation") > 0 for rec in before)

    matching_weights_set(
        acting_user=users["province_admin"], province_code=HUNAN, values={"occupation": 0}, expected_version=0
    )
    assert matching_weights_for(region_code="433122000000").occupation == 0
    assert matching_weights_for(region_code="433122000000").wage == Weights().wage
    assert matching_weights_for(region_code="370102000000") == Weights()  # another province: defaults

    recommendations_for_job(acting_user=users["county_officer"], job=market.luxi_job)
    after = list(Recommendation.objects.filter(job=market.luxi_job))
    assert after
    assert all(_points(rec, "occupation") == 0 for rec in after)


def test_page_saves_and_audits(users: dict[str, Any]) -> None:
    client = page_client(users["province_admin"])
    page = client.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "工种意向" in body
    assert "默认 30 分" in body
    assert "湖南省" in body

    data = {"version": "0", **{k: str(v) for k, v in Weights().to_dict().items()}, "occupation": "12.5"}
    response = client.post(URL, data)
    assert response.status_code == 302
    row = MatchingWeights.objects.get(province_id=HUNAN)
    assert row.values["occupation"] == 12.5
    assert row.version == 1
    assert row.updated_by == users["province_admin"]
    entry = AuditEntry.objects.get(object_type="matching.matchingweights", object_id=str(row.pk))
    assert entry.changes == {"occupation": [30.0, 12.5]}
    assert entry.actor_id == users["province_admin"].pk
    assert entry.region_code == HUNAN

    # a stale form (loaded at version 0) cannot overwrite version 1
    stale = client.post(URL, {**data, "occupation": "20"})
    assert stale.status_code == 409
    row.refresh_from_db()
    assert row.values["occupation"] == 12.5
    assert row.version == 1


@pytest.mark.parametrize("who", ["county_officer", "prefecture_admin", "viewer", "hotline", "enterprise"])
def test_page_is_forbidden_below_the_province(users: dict[str, Any], who: str) -> None:
    client = page_client(users[who])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"version": "0", "occupation": "1"}).status_code == 403
    assert not MatchingWeights.objects.exists()


def test_county_admin_cannot_set(users: dict[str, Any]) -> None:
    county_admin = make_user("xian_admin_t", "433122000000", ["admin"])
    assert page_client(county_admin).get(URL).status_code == 403
    with pytest.raises(PermissionDeniedError):
        matching_weights_set(acting_user=county_admin, province_code=HUNAN, values={"wage": 1}, expected_version=0)
    other_province_admin = make_user("lu_admin_t", "370000000000", ["admin"])
    with pytest.raises(PermissionDeniedError):
        matching_weights_set(
            acting_user=other_province_admin, province_code=HUNAN, values={"wage": 1}, expected_version=0
        )
    assert not MatchingWeights.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("occupation", "-1", ERR_NEGATIVE), ("wage", "很多", ERR_NOT_NUMBER), ("skills", "101", "权重不能超过100。")],
)
def test_page_rejects_bad_values(users: dict[str, Any], field: str, value: str, message: str) -> None:
    response = page_client(users["province_admin"]).post(URL, {"version": "0", "distance": "3", field: value})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'<div class="field has-error" id="field-{field}">' in body
    assert body.count('class="field has-error"') == 1
    assert not MatchingWeights.objects.exists()
    assert not AuditEntry.objects.filter(object_type="matching.matchingweights").exists()


def test_service_rejects_unknown_keys_and_text(users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        matching_weights_set(
            acting_user=users["province_admin"],
            province_code=HUNAN,
            values={"occupation": 5, "luck": 3, "wage": "abc", "skills": True},
            expected_version=0,
        )
    assert info.value.message_dict == {
        "luck": [ERR_UNKNOWN_FACTOR.format(name="luck")],
        "wage": [ERR_NOT_NUMBER],
        "skills": [ERR_NOT_NUMBER],
    }
    assert not MatchingWeights.objects.exists()


def test_stale_version_conflicts(users: dict[str, Any]) -> None:
    admin = users["province_admin"]
    matching_weights_set(acting_user=admin, province_code=HUNAN, values={"wage": 10}, expected_version=0)
    row = matching_weights_set(acting_user=admin, province_code=HUNAN, values={"wage": 11}, expected_version=1)
    assert row.version == 2
    with pytest.raises(ConflictError):
        matching_weights_set(acting_user=admin, province_code=HUNAN, values={"wage": 12}, expected_version=1)
    assert matching_weights_for(region_code=HUNAN).wage == 11
    assert AuditEntry.objects.filter(object_type="matching.matchingweights").count() == 2
