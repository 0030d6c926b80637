"""The duplicate scan: expected pairs, idempotence, reviewed pairs never reopened, scope, bulk queries."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command

from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.frontdesk.models import DuplicatePair
from laborcoop.frontdesk.review import pair_mark_not_duplicate
from laborcoop.frontdesk.scan import duplicate_scan
from laborcoop.frontdesk.tasks import run_duplicate_scan
from laborcoop.registry.models import Laborer
from tests.frontdesk.conftest import HEITANG, HUANGJIAQIAO, MIANZHAI, TIANMENXI

pytestmark = pytest.mark.django_db

BIRTH = date(1985, 4, 9)


@pytest.fixture
def people(person: Callable[..., Laborer]) -> dict[str, Laborer]:
    return {
        "zhang": person("张伟", BIRTH, HEITANG),
        "zhang_t": person("張偉", BIRTH, HUANGJIAQIAO),
        "zhang_h": person("章玮", BIRTH, TIANMENXI),
        "zhang_swapped": person("张伟", date(1985, 9, 4), HEITANG),
        "zhang_f": person("张伟", BIRTH, HEITANG, male=False),  # another sex: never paired with the men
        "li": person("李娜", BIRTH, HEITANG),
        "zhang_other_day": person("张伟", date(1985, 4, 10), HEITANG),
        "zhang_fenghuang": person("张伟", BIRTH, MIANZHAI),
    }


def _pairs() -> set[tuple[int, int]]:
    return set(DuplicatePair.objects.values_list("laborer_a_id", "laborer_b_id"))


def _key(a: Laborer, b: Laborer) -> tuple[int, int]:
    return (min(a.pk, b.pk), max(a.pk, b.pk))


def test_scan_creates_the_expected_pairs(people: dict[str, Laborer]) -> None:
    summary = duplicate_scan(region_prefix="433122")
    p = people
    expected = {
        _key(p["zhang"], p["zhang_t"]),
        _key(p["zhang"], p["zhang_h"]),
        _key(p["zhang_t"], p["zhang_h"]),
        _key(p["zhang"], p["zhang_swapped"]),
        _key(p["zhang_t"], p["zhang_swapped"]),
        _key(p["zhang_h"], p["zhang_swapped"]),
    }
    assert _pairs() == expected
    assert summary.laborers == 7  # 凤凰县's row is outside the prefix
    assert summary.created == 6
    a, b = _key(p["zhang"], p["zhang_t"])
    pair = DuplicatePair.objects.get(laborer_a=a, laborer_b=b)
    assert pair.region_code == "433122000000"
    assert pair.reasons == ["姓名相同（繁简转换后）", "出生日期相同", "同县"]
    assert pair.status == DuplicatePair.Status.OPEN
    same_village = DuplicatePair.objects.get(
        laborer_a=min(p["zhang"].pk, p["zhang_swapped"].pk), laborer_b=max(p["zhang"].pk, p["zhang_swapped"].pk)
    )
    assert same_village.region_code == HEITANG
    assert "出生日期月日颠倒" in same_village.reasons


def test_whole_tree_scan_pairs_across_counties(people: dict[str, Laborer]) -> None:
    duplicate_scan()
    fenghuang_pairs = DuplicatePair.objects.filter(laborer_b=people["zhang_fenghuang"])
    assert fenghuang_pairs.count() == 4
    assert set(fenghuang_pairs.values_list("region_code", flat=True)) == {"433100000000"}


def test_second_scan_creates_nothing_and_not_duplicate_is_never_reopened(
    people: dict[str, Laborer], users: dict[str, Any]
) -> None:
    duplicate_scan(region_prefix="433122")
    before = list(DuplicatePair.objects.order_by("pk").values_list("pk", "score", "reasons", "status", "updated_at"))
    again = duplicate_scan(region_prefix="433122")
    assert (again.created, again.updated, again.removed_stale) == (0, 0, 0)
    assert list(DuplicatePair.objects.order_by("pk").values_list("pk", "score", "reasons", "status", "updated_at")) == (
        before
    )
    pair = DuplicatePair.objects.order_by("pk").first()
    assert pair is not None
    pair_mark_not_duplicate(acting_user=users["county_officer"], pair=pair, note="父子同名")
    third = duplicate_scan(region_prefix="433122")
    pair.refresh_from_db()
    assert pair.status == DuplicatePair.Status.NOT_DUPLICATE
    assert pair.note == "父子同名"
    assert third.kept_reviewed == 1
    assert third.created == 0


def test_stale_open_pairs_are_removed(people: dict[str, Laborer]) -> None:
    duplicate_scan(region_prefix="433122")
    Laborer.objects.filter(pk=people["zhang_h"].pk).update(name="章红")  # a corrected name
    summary = duplicate_scan(region_prefix="433122")
    assert summary.removed_stale == 3  # with 张伟, 張偉 and the swapped-date 张伟
    assert not DuplicatePair.objects.filter(laborer_a=people["zhang_h"]).exists()
    assert not DuplicatePair.objects.filter(laborer_b=people["zhang_h"]).exists()


def test_scan_is_bulk(people: dict[str, Laborer], django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(8):
        duplicate_scan(region_prefix="433122")


def test_on_demand_scan_is_limited_to_the_users_scope(people: dict[str, Laborer], users: dict[str, Any]) -> None:
    summary = duplicate_scan(acting_user=users["other_county_officer"])
    assert summary.region_prefix == "433123"
    assert summary.laborers == 1
    with pytest.raises(ObjectNotFound):
        duplicate_scan(acting_user=users["other_county_officer"], region_prefix="433122")
    for role in ["viewer", "hotline", "broker", "enterprise"]:
        with pytest.raises(PermissionDeniedError):
            duplicate_scan(acting_user=users[role])
    assert not DuplicatePair.objects.exists()


def test_task_and_command_run_the_scan(people: dict[str, Laborer]) -> None:
    result = run_duplicate_scan.enqueue(region_prefix="433122")
    assert result.return_value is not None
    assert result.return_value["created"] == 6
    call_command("scan_duplicates", "--prefix", "433122")
    assert DuplicatePair.objects.count() == 6
