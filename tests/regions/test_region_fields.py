"""The region form fields: a typed name becomes a code, an ambiguous one lists the candidates, scope holds."""

from typing import Any

import pytest
from django import forms
from django.http import QueryDict
from django.urls import reverse

from laborcoop.regions.fields import RegionField, RegionMultipleField
from laborcoop.regions.lookup import resolve_region_name
from laborcoop.regions.models import Region

pytestmark = pytest.mark.django_db


def _add(code: str, name: str, parent: str) -> None:
    level = 3 if code[6:] == "000000" else 5
    Region.objects.create(code=code, name=name, level=level, prefix=code[: {3: 6, 5: 12}[level]], parent_id=parent)


@pytest.fixture
def jiyang(regions: dict[str, Any]) -> None:
    _add("370115000000", "济阳区", "370100000000")
    # A second 历下区 elsewhere makes the bare name ambiguous.
    Region.objects.create(code="440100000000", name="广州市", level=2, prefix="4401", parent_id="440000000000")
    _add("440199000000", "历下区", "440100000000")


class _Form(forms.Form):
    place = RegionField(label="工作地点", min_level=3)


class _ScopedForm(forms.Form):
    place = RegionField(label="所在地区", within="4331")


class _MultiForm(forms.Form):
    places = RegionMultipleField(label="意向地区", required=False)


@pytest.mark.parametrize(
    "text", ["济南市济阳区", "济阳区", "山东省 济南市 济阳区", "济南 济阳", "山东济阳", "370115000000"]
)
def test_a_typed_name_resolves_to_its_code(jiyang: None, text: str) -> None:
    form = _Form({"place": text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["place"] == "370115000000"


def test_an_ambiguous_name_lists_the_candidates_in_chinese(jiyang: None) -> None:
    form = _Form({"place": "历下区"})
    assert not form.is_valid()
    message = form.errors["place"][0]
    assert "对应多个地区" in message
    assert "山东省 济南市 历下区" in message
    assert "广东省 广州市 历下区" in message
    # Naming the city makes it unique.
    assert _Form({"place": "济南市历下区"}).is_valid()


def test_an_unknown_name_says_so(jiyang: None) -> None:
    form = _Form({"place": "不存在县"})
    assert not form.is_valid()
    assert "未找到“不存在县”" in form.errors["place"][0]


def test_a_region_above_the_fields_level_is_refused(jiyang: None) -> None:
    form = _Form({"place": "济南市"})
    assert not form.is_valid()
    assert "请选择到县（市、区）一级" in form.errors["place"][0]


def test_a_region_outside_the_scope_is_refused(jiyang: None) -> None:
    for text in ("370115000000", "济阳区"):
        form = _ScopedForm({"place": text})
        assert not form.is_valid()
        assert form.errors["place"][0] == "“山东省 济南市 济阳区”不在您的管辖范围内。"
    assert _ScopedForm({"place": "泸溪县"}).is_valid()


def test_a_chosen_code_wins_only_while_the_text_reads_as_its_path(jiyang: None) -> None:
    data = QueryDict(mutable=True)
    data.update({"place": "山东省 济南市 历下区", "place__code": "370102000000"})
    form = _Form(data)
    assert form.is_valid()
    assert form.cleaned_data["place"] == "370102000000"
    data = QueryDict(mutable=True)
    data.update({"place": "济阳区", "place__code": "370102000000"})  # edited after choosing: the text counts
    form = _Form(data)
    assert form.is_valid()
    assert form.cleaned_data["place"] == "370115000000"


def test_several_regions_in_one_box(jiyang: None) -> None:
    form = _MultiForm({"places": "济南、深圳市，泸溪"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["places"] == ["370100000000", "440300000000", "433122000000"]
    bad = _MultiForm({"places": "济南、历下区"})
    assert not bad.is_valid()
    assert "对应多个地区" in bad.errors["places"][0]


def test_the_widget_shows_the_full_path_never_the_code(jiyang: None) -> None:
    html = _Form(initial={"place": "370115000000"}).as_p()
    assert 'value="山东省 济南市 济阳区"' in html
    assert 'name="place__code" value="370115000000"' in html  # the hidden chosen code, for the script
    assert 'type="text" name="place" value="370115000000"' not in html


def test_resolution_prefers_the_usual_short_name(jiyang: None) -> None:
    region, candidates = resolve_region_name("济南")
    assert region is not None
    assert region.code == "370100000000"
    assert candidates == []


def test_lookup_endpoint_searches_with_paths(client: Any, users: dict[str, Any], jiyang: None) -> None:
    url = reverse("regions:lookup")
    assert client.get(url, {"q": "济阳"}).status_code == 401
    client.force_login(users["county_officer"])
    data = client.get(url, {"q": "济阳"}).json()
    assert [r["path"] for r in data["results"]] == ["山东省 济南市 济阳区"]
    children = client.get(url, {"parent": "4331"}).json()["results"]
    assert {r["name"] for r in children} == {"吉首市", "泸溪县", "凤凰县"}
    inside = client.get(url, {"q": "历下", "within": "37"}).json()["results"]
    assert [r["code"] for r in inside] == ["370102000000"]
    assert client.get(url, {"parent": "12x"}).status_code == 400


def test_a_job_is_posted_with_a_typed_place_name(client: Any, users: dict[str, Any], jiyang: None) -> None:
    """Without script the box still takes a name (issue 13 item 4: "济南市济阳区" was refused)."""
    from datetime import date, timedelta

    from laborcoop.employers.models import JobPosting
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory(region_id="433122108000")
    client.force_login(users["county_officer"])
    today = date.today()
    data = {"title": "普工", "occupation": "普工", "openings": 3, "wage_min": 4000, "wage_max": 5000,
            "age_min": 18, "age_max": 50, "valid_from": today.isoformat(),
            "valid_until": (today + timedelta(days=30)).isoformat()}  # fmt: skip
    url = reverse("employers:job_create", args=[enterprise.pk])
    ambiguous = client.post(url, {**data, "work_region_code": "历下区"})
    assert ambiguous.status_code == 400
    assert "“历下区”对应多个地区" in ambiguous.content.decode()
    response = client.post(url, {**data, "work_region_code": "济南市济阳区"})
    assert response.status_code == 302
    assert JobPosting.objects.get().work_region_id == "370115000000"
