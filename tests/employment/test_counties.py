"""Resolving 务工所在县 by code or name; same-name counties are refused, never guessed."""

from typing import Any

import pytest

from laborcoop.employment.records.counties import (
    COUNTY_AMBIGUOUS,
    COUNTY_NOT_COUNTY,
    COUNTY_REQUIRED,
    COUNTY_UNKNOWN,
    County,
    CountyResolver,
)
from laborcoop.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def twin_counties(regions: dict[str, Any]) -> None:
    rows = [
        ("620000000000", "甘肃省", 1, None, "62"),
        ("620100000000", "兰州市", 2, "620000000000", "6201"),
        ("620102000000", "城关区", 3, "620100000000", "620102"),
        ("540000000000", "西藏自治区", 1, None, "54"),
        ("540100000000", "拉萨市", 2, "540000000000", "5401"),
        ("540102000000", "城关区", 3, "540100000000", "540102"),
    ]
    Region.objects.bulk_create([Region(code=c, name=n, level=lv, parent_id=p, prefix=px) for c, n, lv, p, px in rows])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("泸溪县", County(code="433122000000")),
        ("湖南省湘西州泸溪县", County(code="433122000000")),
        ("433122", County(code="433122000000")),
        ("433122107201", County(code="433122000000")),  # a village code is taken to its county
        ("广东深圳宝安区", County(code="440306000000")),
        ("", County(error=COUNTY_REQUIRED)),
        ("火星县", County(error=COUNTY_UNKNOWN.format(value="火星县"))),
        ("广东省泸溪县", County(error=COUNTY_UNKNOWN.format(value="广东省泸溪县"))),
        ("999999", County(error=COUNTY_UNKNOWN.format(value="999999"))),
        ("4331", County(error=COUNTY_NOT_COUNTY.format(value="4331"))),
    ],
)
def test_resolve(regions: dict[str, Any], text: str, expected: County) -> None:
    assert CountyResolver().resolve(text) == expected


def test_same_name_counties(twin_counties: None) -> None:
    resolver = CountyResolver()
    assert resolver.resolve("城关区") == County(
        error=COUNTY_AMBIGUOUS.format(
            value="城关区", paths="西藏自治区拉萨市城关区（540102）、甘肃省兰州市城关区（620102）"
        )
    )
    assert resolver.resolve("兰州市城关区") == County(code="620102000000")
    assert resolver.resolve("620102") == County(code="620102000000")


@pytest.fixture
def countyless_city(regions: dict[str, Any]) -> None:
    """东莞: a prefecture-level city whose townships sit directly under it (no county level)."""
    rows = [
        ("440000000000", "广东省", 1, None, "44"),
        ("441900000000", "东莞市", 2, "440000000000", "4419"),
        ("441900003000", "东城街道", 4, "441900000000", "441900003"),
    ]
    Region.objects.bulk_create(
        [Region(code=c, name=n, level=lv, parent_id=p, prefix=px) for c, n, lv, p, px in rows], ignore_conflicts=True
    )


@pytest.mark.parametrize("text", ["441900", "441900000000", "441900003000", "东莞市", "广东省东莞市", "广东东莞市"])
def test_city_without_counties_is_its_own_county(countyless_city: None, text: str) -> None:
    assert CountyResolver().resolve(text) == County(code="441900000000")


def test_prefecture_with_counties_is_still_not_a_county(countyless_city: None) -> None:
    assert CountyResolver().resolve("433100") == County(error=COUNTY_NOT_COUNTY.format(value="433100"))
