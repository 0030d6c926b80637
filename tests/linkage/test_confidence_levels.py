"""Confidence levels of matches (issue 13 item 20): 高/中/低可信 with plain reasons; a name-only match whose name
differs and two different valid ID numbers go to review; an ID typo the check digit catches falls back to the
other fields; an equal mobile number counts; the officer's pages carry no engine words."""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from laborcoop.core.validation.checksums import id_check_char
from laborcoop.linkage import confidence as cf
from laborcoop.linkage.models import Comparison, ComparisonEntry, Level, ProposedChange
from laborcoop.linkage.services import comparison_changes_accept_high, comparison_create
from laborcoop.registry.models import Laborer
from tests.factories import fresh_id_number
from tests.linkage.conftest import VILLAGE_NAMES, Person, row_of
from tests.linkage.helpers import HOUSEHOLD_HEADERS, run_comparison, upload, xlsx_bytes

ENGINE_WORDS = ("阈值", "置信度", "模型参数", "概率", "splink", "Splink", "probability")


# --- the rules --------------------------------------------------------------------------------------------


def test_equal_id_is_high_whatever_else_differs() -> None:
    found = cf.assess("id", 1.0, ["id_number", "birth_date", "village_code"], ["name", "name_pinyin"])

    assert found.level == cf.HIGH
    assert found.reasons[0] == cf.ID_EQUAL
    assert cf.NAME_DIFFER in found.reasons


def test_name_only_match_with_another_character_is_never_high() -> None:
    # 赵永 / 赵勇: the same reading, same birth date and village, the engine all but certain.
    found = cf.assess("splink", 0.99999, ["name_pinyin", "birth_date", "birth_year", "sex", "village_code"], ["name"])

    assert found.level == cf.MEDIUM
    assert found.needs_review
    assert found.reasons == (cf.NAME_HOMOPHONE, cf.BIRTH_EQUAL, cf.SAME_VILLAGE)


def test_two_different_valid_ids_are_low_even_with_everything_else_equal() -> None:
    agreeing = ["name", "name_pinyin", "birth_date", "birth_year", "sex", "village_code", "phone"]
    found = cf.assess("splink", 0.999, agreeing, ["id_number"])

    assert found.level == cf.LOW
    assert cf.ID_DIFFER in found.reasons


@pytest.mark.parametrize(
    ("agreeing", "conflicting", "probability", "level"),
    [
        (["name", "name_pinyin", "birth_date", "birth_year", "village_code"], [], 0.995, cf.HIGH),
        (["name", "name_pinyin", "birth_date", "birth_year", "village_code"], [], 0.95, cf.MEDIUM),
        (["name", "name_pinyin", "birth_date", "birth_year"], ["village_code"], 0.9999, cf.MEDIUM),
        (["name", "name_pinyin", "birth_year", "village_code"], ["birth_date"], 0.9999, cf.MEDIUM),
        (["name", "name_pinyin", "village_code"], [], 0.9999, cf.MEDIUM),  # no birth date on one side
        (["phone", "name_pinyin", "birth_year"], ["name", "birth_date"], 0.93, cf.HIGH),
        (["phone", "birth_year"], ["name", "name_pinyin"], 0.95, cf.MEDIUM),  # a family's shared phone
        (["name", "name_pinyin", "birth_date", "birth_year", "village_code"], ["sex"], 0.999, cf.LOW),
    ],
)
def test_levels(agreeing: list[str], conflicting: list[str], probability: float, level: str) -> None:
    assert cf.assess("splink", probability, agreeing, conflicting).level == level


# --- comparisons of real files ----------------------------------------------------------------------------


def _run(user: Any, rows: list[dict[str, Any]], headers: list[str] = HOUSEHOLD_HEADERS) -> Comparison:
    cells = [[i + 1] + [r.get(h, "") for h in headers[1:]] for i, r in enumerate(rows)]
    comparison = run_comparison(user, "户籍.xlsx", xlsx_bytes(headers, cells), "household_reg")
    assert comparison.status == Comparison.Status.SUCCEEDED, comparison.error
    return comparison


def _matched(comparison: Comparison, laborer: Laborer) -> ComparisonEntry | None:
    return ComparisonEntry.objects.filter(
        comparison=comparison, kind=ComparisonEntry.Kind.MATCHED, laborer=laborer
    ).first()


def _by_id(registry: list[Person], count: int) -> list[dict[str, Any]]:
    """Rows of people matched by their ID (so the list is not all odd rows)."""
    return [row_of(p) for p in registry[10 : 10 + count]]


@pytest.mark.django_db
def test_name_differs_only_pair_goes_to_review(users: dict[str, Any], registry: list[Person]) -> None:
    zhao = registry[7]
    assert zhao.laborer.name == "赵勇"
    rows = [row_of(zhao, with_id=False, name="赵永"), *_by_id(registry, 8)]

    comparison = _run(users["county_officer"], rows)

    entry = _matched(comparison, zhao.laborer)
    assert entry is not None, "the homophone is still found"
    assert entry.level == Level.MEDIUM
    assert cf.NAME_HOMOPHONE in entry.reasons
    assert comparison.review_count == 1
    name_change = ProposedChange.objects.get(comparison=comparison, laborer=zhao.laborer, field="name")
    comparison_changes_accept_high(acting_user=users["county_officer"], comparison=comparison)
    name_change.refresh_from_db()
    assert name_change.status == ProposedChange.Status.PENDING  # never accepted in bulk
    zhao.laborer.refresh_from_db()
    assert zhao.laborer.name == "赵勇"


@pytest.mark.django_db
@pytest.mark.parametrize("same_day", [False, True])
def test_two_different_valid_ids_are_not_auto_linked(
    users: dict[str, Any], registry: list[Person], same_day: bool
) -> None:
    """A near twin: same name, sex, birth year and village as person 4, their own valid ID."""
    person = registry[4]
    laborer = person.laborer
    birth = laborer.birth_date if same_day else date(laborer.birth_date.year, 12, 28)
    twin_id = fresh_id_number("433122", birth=birth, male=laborer.sex == "1")
    assert twin_id != person.id_number
    twin = {**row_of(person), "公民身份号码": twin_id, "出生日期": birth.isoformat()}

    comparison = _run(users["county_officer"], [twin, *_by_id(registry, 8)])

    entry = _matched(comparison, laborer)
    if entry is not None:
        assert entry.level == Level.LOW
        assert cf.ID_DIFFER in entry.reasons
    assert comparison.high_count == 8  # only the eight matched by their own ID


@pytest.mark.django_db
@pytest.mark.parametrize("position", [3, 9, 16])
def test_single_character_id_typo_still_links(users: dict[str, Any], registry: list[Person], position: int) -> None:
    person = registry[5]
    number = person.id_number
    typo = number[:position] + str((int(number[position]) + 3) % 10) + number[position + 1 :]
    assert id_check_char(typo[:17]) != typo[17]  # the check digit catches it
    rows = [{**row_of(person), "公民身份号码": typo}, *_by_id(registry, 8)]

    comparison = _run(users["county_officer"], rows)

    entry = _matched(comparison, person.laborer)
    assert entry is not None, "an ID typo must not reject the person"
    assert entry.method == "splink"
    assert entry.level in (Level.HIGH, Level.MEDIUM)
    assert cf.ID_DIFFER not in entry.reasons
    assert comparison.rows_id_damaged == 1


@pytest.mark.django_db
def test_equal_phone_makes_a_homophone_high(users: dict[str, Any], registry: list[Person]) -> None:
    person = registry[9]
    laborer = person.laborer
    laborer.phone = "13907431234"
    laborer.save()
    headers = [*HOUSEHOLD_HEADERS, "联系电话"]
    assert laborer.name == "吴霞"
    rows = [{**row_of(person, with_id=False, name="吴侠"), "联系电话": "139 0743 1234"}, *_by_id(registry, 8)]

    comparison = _run(users["county_officer"], rows, headers)

    entry = _matched(comparison, laborer)
    assert entry is not None
    assert entry.level == Level.HIGH
    assert entry.reasons[0] == cf.PHONE_EQUAL
    assert entry.their is not None
    assert entry.their.phone_masked == "139****1234"


@pytest.mark.django_db
def test_a_phone_typed_for_many_people_is_no_evidence(users: dict[str, Any], registry: list[Person]) -> None:
    """Every test laborer carries the factory's 13812345678 (as a broker's own number typed for a village)."""
    person = registry[9]
    headers = [*HOUSEHOLD_HEADERS, "联系电话"]
    rows = [{**row_of(person, with_id=False, name="吴侠"), "联系电话": "13812345678"}, *_by_id(registry, 8)]

    comparison = _run(users["county_officer"], rows, headers)

    entry = _matched(comparison, person.laborer)
    assert entry is None or (entry.level != Level.HIGH and cf.PHONE_EQUAL not in entry.reasons)


# --- the officer's pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_officer_pages_show_levels_and_reasons_without_engine_words(
    users: dict[str, Any], registry: list[Person]
) -> None:
    rows = [
        row_of(registry[7], with_id=False, name="赵永"),  # 中可信: a character differs
        row_of(registry[3], with_id=False),  # 高可信: 姓名相同、出生日期相同、同村
        *[row_of(p, 户籍状态="死亡", 死亡日期="2025-03-01") for p in registry[10:12]],  # 身份证号一致
        *_by_id(registry, 6),
    ]
    comparison = _run(users["county_officer"], rows)
    client = Client()
    client.force_login(users["county_officer"])
    url = reverse("linkage:detail", args=[comparison.pk])

    pages = {tab: client.get(url, {"tab": tab}) for tab in ("matched", "review", "conflicts", "changes")}
    pages["list"] = client.get(reverse("linkage:index"))

    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.content.decode()
        for word in ENGINE_WORDS:
            assert word not in html, f"{word} on the {name} page"
    matched = pages["matched"].content.decode()
    assert "高可信" in matched
    assert "中可信" in matched
    assert "身份证号一致" in matched
    assert "姓名相同、出生日期相同、同村" in matched
    assert "姓名同音不同字" in matched
    review = pages["review"].content.decode()
    assert "赵勇" in review
    assert "中可信" in review
    assert "需核实 1 人" in matched
    changes = pages["changes"].content.decode()
    assert "全部接受高可信匹配的建议（2 条）" in changes  # the two deaths; not 赵永's name change
    assert VILLAGE_NAMES[registry[7].laborer.region_id] in review


@pytest.mark.django_db
def test_mapping_page_asks_no_threshold(users: dict[str, Any], registry: list[Person]) -> None:
    data = xlsx_bytes(["姓名", "身份证号"], [[registry[0].laborer.name, registry[0].id_number]], title=None)
    comparison = comparison_create(
        acting_user=users["county_officer"], uploaded_file=upload("户籍.xlsx", data), department="household_reg"
    )
    client = Client()
    client.force_login(users["county_officer"])

    html = client.get(reverse("linkage:mapping", args=[comparison.pk])).content.decode()

    assert "手机号" in html  # the phone column can be mapped
    for word in ENGINE_WORDS:
        assert word not in html


@pytest.mark.django_db
def test_accept_all_button_accepts_only_high_matches(users: dict[str, Any], registry: list[Person]) -> None:
    rows = [
        row_of(registry[7], with_id=False, name="赵永"),  # 中可信: its name change waits for a decision
        *[row_of(p, 户籍状态="死亡", 死亡日期="2025-03-01") for p in registry[10:12]],
    ]
    comparison = _run(users["county_officer"], rows)
    client = Client()
    client.force_login(users["county_officer"])

    response = client.post(reverse("linkage:accept_above", args=[comparison.pk]))

    assert response.status_code == 302
    statuses = dict(ProposedChange.objects.filter(comparison=comparison).values_list("laborer_id", "status"))
    assert statuses == {
        registry[7].laborer.pk: ProposedChange.Status.PENDING,
        registry[10].laborer.pk: ProposedChange.Status.ACCEPTED,
        registry[11].laborer.pk: ProposedChange.Status.ACCEPTED,
    }
    page = client.get(response["Location"]).content.decode()
    assert "已接受高可信匹配的 2 条建议。" in page
    assert "全部接受高可信匹配的建议" not in page  # nothing 高可信 left to accept
