"""工种 from the taxonomy and 民族 from the GB/T 3304 list (issue 13 item 6)."""

from typing import Any

import pytest
from django import forms

from laborcoop.core.occupations import (
    CATEGORY_OF,
    OCCUPATIONS,
    OccupationField,
    OccupationMultipleField,
    normalize_occupation,
)
from laborcoop.demo import names as demo_names
from laborcoop.matching.engine.taxonomy import CANONICAL
from laborcoop.registry.choices import ETHNICITIES, normalize_ethnicity
from laborcoop.registry.forms import LaborerForm


class _Form(forms.Form):
    occupation = OccupationField(label="工种")
    wanted = OccupationMultipleField(label="意向工种", required=False, max_count=2)


def test_the_taxonomy_covers_the_engine_and_the_demo() -> None:
    assert all(o.name in CATEGORY_OF for o in CANONICAL)
    demo = {o for o, _ in demo_names.OCCUPATIONS} | set(demo_names.SKILLED_OCCUPATIONS)
    demo |= {o for _, (_, jobs) in demo_names.INDUSTRY_PROFILE.items() for o in jobs}
    demo |= {o for _, _, jobs in demo_names.WORKSHOP_TRADES for o in jobs}
    assert {o for o in demo if normalize_occupation(o) != o} == set()
    assert len(OCCUPATIONS) == len(set(OCCUPATIONS))


def test_a_synonym_is_stored_as_its_occupation_and_an_unknown_one_is_refused() -> None:
    form = _Form({"occupation": "电焊", "wanted": "保姆、叉车"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"occupation": "电焊工", "wanted": ["家政服务员", "叉车司机"]}
    bad = _Form({"occupation": "无人机飞手", "wanted": "普工、焊工、保安"})
    assert not bad.is_valid()
    assert bad.errors["occupation"][0].startswith("“无人机飞手”不在工种列表中")
    assert bad.errors["wanted"] == ["最多选择 2 个工种。"]


def test_the_occupation_box_offers_the_list_to_search() -> None:
    html = str(_Form()["occupation"])
    assert 'list="occupations-occupation"' in html
    assert '<option value="电焊工" label="生产制造">' in html


def test_ethnicity_list_follows_gb3304() -> None:
    assert len(ETHNICITIES) == 58
    assert ETHNICITIES[0] == "汉族"
    assert ETHNICITIES[55] == "基诺族"
    assert ETHNICITIES[56:] == ("其他", "外国血统中国籍人士")
    assert normalize_ethnicity("苗") == "苗族"
    assert normalize_ethnicity("火星") is None


@pytest.mark.django_db
def test_laborer_form_takes_ethnicity_from_the_list_and_occupations_from_the_taxonomy(regions: Any) -> None:
    form = LaborerForm(require_id=False)
    html = str(form["ethnicity"])
    assert '<option value="土家族">土家族</option>' in html
    data = {"name": "张三", "relation": "户主", "labor_skill": "普通劳动力", "political_status": "群众",
            "employment_status": "unemployed", "health": ["健康"], "ethnicity": "火星族",
            "skills": "电焊、叉车", "intended_occupations": "普工", "intended_regions": "济南"}  # fmt: skip
    bound = LaborerForm(data, require_id=False)
    assert not bound.is_valid()
    assert list(bound.errors) == ["ethnicity"]
    data["ethnicity"] = "苗族"
    bound = LaborerForm(data, require_id=False)
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["skills"] == "电焊工、叉车司机"
    assert bound.cleaned_data["intended_regions"] == ["370100000000"]
    # A 民族 recorded short before the list shows as its list name.
    assert LaborerForm(initial={"ethnicity": "苗"}, require_id=False).initial["ethnicity"] == "苗族"
