"""laborer_list: scope, search forms and the two plans of a name search (sparse: ids first; dense: ordered)."""

from typing import Any

import pytest

from laborcoop.registry import selectors
from laborcoop.registry.selectors import LaborerFilters, laborer_list
from tests.factories import HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(users: dict[str, Any]) -> dict[str, Any]:
    wuxi = HouseholdFactory(region_id="433122107201")
    puxi = HouseholdFactory(region_id="433122108201")
    fenghuang = HouseholdFactory(region_id="433123109201")
    return {
        "a": LaborerFactory(household=puxi, name="龙晓梅"),
        "b": LaborerFactory(household=wuxi, name="龙晓东", relation="之子"),
        "c": LaborerFactory(household=wuxi, name="龙晓", relation="之女"),
        "other": LaborerFactory(household=fenghuang, name="龙晓丽"),
        "d": LaborerFactory(household=wuxi, name="吴晓", relation="配偶"),
    }


@pytest.mark.parametrize("cap", [5000, 1])
def test_name_prefix_search_is_scoped_and_ordered_by_village(
    users: dict[str, Any], people: dict[str, Any], monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    monkeypatch.setattr(selectors, "SPARSE_SEARCH_CAP", cap)  # 1: more matches than the cap -> ordered plan
    rows = list(laborer_list(user=users["county_officer"], filters=LaborerFilters(q="龙晓")))
    assert rows == [people["b"], people["c"], people["a"]]  # 武溪镇 village before 浦市镇 village, then by id


def test_single_character_search_matches_the_surname(users: dict[str, Any], people: dict[str, Any]) -> None:
    rows = list(laborer_list(user=users["county_officer"], filters=LaborerFilters(q="龙")))
    assert people["other"] not in rows
    assert len(rows) == 3


def test_sparse_name_search_costs_one_extra_query(
    users: dict[str, Any], people: dict[str, Any], django_assert_num_queries: Any
) -> None:
    user = users["county_officer"]
    assert user.home_region is not None  # loaded once, as in a request
    with django_assert_num_queries(3):  # matching ids, the page, the page's villages
        rows = list(laborer_list(user=user, filters=LaborerFilters(q="龙晓"))[:21])
    assert len(rows) == 3
