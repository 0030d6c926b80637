"""likely_duplicates and the registration check on the laborer create page."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from laborcoop.registry.duplicates import likely_duplicates
from laborcoop.registry.likeness import common_region_code, fast_name_pinyin, swapped
from laborcoop.registry.models import Laborer
from tests.factories import HouseholdFactory, LaborerFactory
from tests.frontdesk.conftest import HEITANG, HUANGJIAQIAO, MIANZHAI, TIANMENXI, client_for, id_for

pytestmark = pytest.mark.django_db

BIRTH = date(1988, 3, 7)


def test_same_name_same_birthday_is_found_with_reasons(users: dict[str, Any], person: Callable[..., Laborer]) -> None:
    # Given a registered 张伟 born 1988-03-07 in 黑塘村
    zhang = person("张伟", BIRTH, HEITANG)
    # When the county officer registers another 张伟 with that birthday in the same village
    found = likely_duplicates(
        user=users["county_officer"], name="张伟", birth_date=BIRTH, sex="1", village_code=HEITANG
    )
    # Then the existing record is the only candidate, with a full score and the reasons in Chinese
    assert [c.laborer for c in found] == [zhang]
    assert found[0].score == 1.0
    assert found[0].reasons == ["姓名相同", "出生日期相同", "同村"]


def test_homophone_traditional_and_close_spellings(users: dict[str, Any], person: Callable[..., Laborer]) -> None:
    homophone = person("章玮", BIRTH, TIANMENXI)
    traditional = person("張偉", BIRTH, HUANGJIAQIAO)
    close = person("张维", BIRTH, HEITANG)  # zhangwei too: a homophone
    other = person("李娜", BIRTH, HEITANG)
    found = likely_duplicates(
        user=users["county_officer"], name="张伟", birth_date=BIRTH, sex="1", village_code=HEITANG
    )
    by_laborer = {c.laborer: c for c in found}
    assert set(by_laborer) == {homophone, traditional, close}
    assert other not in by_laborer
    assert by_laborer[traditional].reasons == ["姓名相同（繁简转换后）", "出生日期相同", "同县"]
    assert by_laborer[homophone].reasons == ["姓名同音（zhangwei）", "出生日期相同", "同县"]
    assert by_laborer[close].reasons == ["姓名同音（zhangwei）", "出生日期相同", "同村"]
    # Best first: the same name (after t2s) first; among homophones the same village outranks the same county.
    assert [c.laborer for c in found] == [traditional, close, homophone]


def test_jaro_winkler_on_pinyin(users: dict[str, Any], person: Callable[..., Laborer]) -> None:
    near = person("张伟明", BIRTH, HEITANG)  # zhangweiming vs zhangweimin: JW >= 0.9
    found = likely_duplicates(
        user=users["county_officer"], name="张维民", birth_date=BIRTH, sex="1", village_code=HEITANG
    )
    assert [c.laborer for c in found] == [near]
    assert found[0].reasons[0] == "姓名拼音相近（zhangweimin / zhangweiming）"


def test_swapped_month_and_day(users: dict[str, Any], person: Callable[..., Laborer]) -> None:
    swapped_row = person("王芳", date(1988, 7, 3), HEITANG, male=False)
    found = likely_duplicates(
        user=users["county_officer"], name="王芳", birth_date=BIRTH, sex="2", village_code=HEITANG
    )
    assert [c.laborer for c in found] == [swapped_row]
    assert "出生日期月日颠倒" in found[0].reasons
    assert found[0].score < 1.0


def test_ignores_other_birthdays_other_sex_and_rows_out_of_scope(
    users: dict[str, Any], person: Callable[..., Laborer]
) -> None:
    person("张伟", date(1988, 3, 8), HEITANG)  # another day
    person("张伟", BIRTH, HEITANG, male=False)  # another sex
    foreign = person("张伟", BIRTH, MIANZHAI)  # 凤凰县: the 泸溪 officer cannot see it
    luxi = users["county_officer"]
    assert likely_duplicates(user=luxi, name="张伟", birth_date=BIRTH, sex="1") == []
    # The 凤凰 officer sees only their own row, and nothing with the 泸溪 village restriction.
    fenghuang = users["other_county_officer"]
    assert [c.laborer for c in likely_duplicates(user=fenghuang, name="张伟", birth_date=BIRTH, sex="1")] == [foreign]
    assert likely_duplicates(user=fenghuang, name="张伟", birth_date=BIRTH, sex="1", village_code=HEITANG) == []


def test_exact_id_and_excluded_id_are_left_out(users: dict[str, Any], person: Callable[..., Laborer]) -> None:
    same = person("张伟", BIRTH, HEITANG)
    user = users["county_officer"]
    number = same.reveal_id_number()
    assert likely_duplicates(user=user, name="张伟", birth_date=BIRTH, sex="1", id_number=number) == []
    assert likely_duplicates(user=user, name="张伟", birth_date=BIRTH, sex="1", exclude_id=same.pk) == []


def test_matching_helpers() -> None:
    assert swapped(date(1990, 3, 5)) == date(1990, 5, 3)
    assert swapped(date(1990, 3, 15)) is None
    assert swapped(date(1990, 4, 4)) is None
    assert common_region_code("433122107201", "433122108201") == "433122000000"
    assert common_region_code("433122107201", "433122107202") == "433122107000"
    assert common_region_code("433122107201", "433122107201") == "433122107201"
    assert common_region_code("433122107201", "370102000000") == ""
    assert fast_name_pinyin("单雄信") == "shanxiongxin"
    assert fast_name_pinyin("曾国藩") == "zengguofan"


# --- the registration page ---------------------------------------------------------------------------------


def _member_post(name: str, id_number: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "id_number": id_number,
        "relation": "之子",
        "health": ["健康"],
        "labor_skill": "普通劳动力",
        "political_status": "群众",
        "employment_status": "unemployed",
        "education": "初中",
        **extra,
    }


@pytest.fixture
def household(regions: dict[str, Any]) -> Any:
    household = HouseholdFactory(region_id=HEITANG, household_no="433122107201099001")
    LaborerFactory(household=household, name="向大山", relation="户主", id_number=id_for(date(1960, 1, 20)))
    return household


def test_registration_shows_duplicates_before_saving_then_saves_after_confirmation(
    users: dict[str, Any], person: Callable[..., Laborer], household: Any
) -> None:
    existing = person("张伟", BIRTH, TIANMENXI)
    foreign = person("张伟", BIRTH, MIANZHAI)
    client = client_for(users["county_officer"])
    url = reverse("registry:laborer_create", args=[household.pk])
    new_id = id_for(BIRTH)
    before = Laborer.objects.count()
    # When the form is valid and a likely duplicate exists: the candidates are shown, nothing is saved
    response = client.post(url, _member_post("張偉", new_id))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="likely-duplicates"' in page
    assert existing.id_masked in page
    assert reverse("registry:laborer_detail", args=[existing.pk]) in page
    assert "天门溪村" in page
    assert foreign.id_masked not in page  # 凤凰县's row is outside the officer's scope
    assert existing.reveal_id_number() not in page
    assert "确认不是同一人" in page
    assert Laborer.objects.count() == before
    # When the user confirms it is another person, the laborer is saved
    response = client.post(url, _member_post("張偉", new_id, confirm_not_duplicate="on"))
    assert response.status_code == 302
    assert Laborer.objects.count() == before + 1


def test_registration_without_duplicates_saves_at_once(
    users: dict[str, Any], person: Callable[..., Laborer], household: Any
) -> None:
    person("李娜", BIRTH, TIANMENXI, male=False)
    client = client_for(users["county_officer"])
    response = client.post(reverse("registry:laborer_create", args=[household.pk]), _member_post("张伟", id_for(BIRTH)))
    assert response.status_code == 302
    assert Laborer.objects.filter(name="张伟").count() == 1


def test_exact_id_duplicate_is_still_the_service_error(
    users: dict[str, Any], person: Callable[..., Laborer], household: Any
) -> None:
    existing = person("张伟", BIRTH, TIANMENXI)
    client = client_for(users["county_officer"])
    response = client.post(
        reverse("registry:laborer_create", args=[household.pk]), _member_post("张伟", existing.reveal_id_number())
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "该证件号码已登记" in page
    assert 'id="likely-duplicates"' not in page
