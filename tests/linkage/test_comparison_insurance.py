"""人社 社保参保 lists: a month's insurance becomes InsuranceMonth rows (source 社保数据比对) when staff accept it;
a row showing the insurance stopped for someone with an ongoing record proposes ending it (推断：社保停缴)."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from laborcoop.core.models import AuditEntry
from laborcoop.employment import choices as c
from laborcoop.employment.models import EmploymentRecord, InsuranceMonth
from laborcoop.linkage.models import Comparison, ComparisonEntry, ProposedChange
from laborcoop.linkage.services import comparison_change_accept, comparison_change_reject
from laborcoop.linkage.services.proposals import DEFAULT_TYPE_NOTE
from laborcoop.linkage.services.review import INFERRED_STOP_NOTE, RECORD_GONE
from laborcoop.registry import choices as rc
from tests.employment.factories import EmploymentRecordFactory
from tests.linkage.conftest import Person
from tests.linkage.helpers import run_comparison, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "身份证号码", "参保单位", "参保险种", "缴费月份", "参保状态", "停保日期"]
MAY = date(2024, 5, 1)


@pytest.fixture
def records(registry: list[Person]) -> dict[int, EmploymentRecord]:
    """Ongoing records of persons 0, 1 and 4 (since 2024-03-01); person 4's May pension already recorded."""
    made = {}
    for i in (0, 1, 4):
        laborer = registry[i].laborer
        laborer.employment_status = rc.EmploymentStatus.EMPLOYED
        laborer.employer_name = "湘西建工集团有限公司"
        laborer.save()
        made[i] = EmploymentRecordFactory(laborer=laborer, employer_name="湘西建工集团有限公司")
    InsuranceMonth.objects.create(
        laborer=registry[4].laborer, record=made[4], region_id=registry[4].laborer.region_id, month=MAY,
        insurance_type=c.InsuranceType.EMPLOYEE_PENSION,
    )  # fmt: skip
    return made


@pytest.fixture
def comparison(users: dict[str, Any], registry: list[Person], records: dict[int, EmploymentRecord]) -> Comparison:
    def line(i: int, types: str, status: str, stopped: str = "") -> list[str]:
        p = registry[i]
        return [p.laborer.name, p.id_number, "湘西建工集团有限公司", types, "2024年5月", status, stopped]

    rows = [
        line(0, "企业职工基本养老保险,失业保险", "正常参保"),
        line(1, "企业职工基本养老保险", "停保", "2024-07-15"),
        line(2, "企业职工基本养老保险", "暂停缴费"),  # stopped, but no ongoing record: nothing to end
        line(3, "", "正常参保"),  # no 险种: 城镇职工养老, said so
        line(4, "企业职工基本养老保险", "正常参保"),  # already recorded
    ]
    data = xlsx_bytes(HEADERS, rows, title="社保参保名单 2024年5月")
    return run_comparison(users["county_officer"], "社保.xlsx", data, "social_insurance")


def changes_of(comparison: Comparison, person: Person) -> list[ProposedChange]:
    return list(ProposedChange.objects.filter(comparison=comparison, laborer=person.laborer).order_by("field"))


def test_proposals(comparison: Comparison, registry: list[Person], records: dict[int, EmploymentRecord]) -> None:
    assert comparison.status == Comparison.Status.SUCCEEDED, comparison.error
    assert [
        (ch.field, ch.new_value, ch.ours_display, ch.theirs_display) for ch in changes_of(comparison, registry[0])
    ] == [
        (
            "insurance_months",
            {"month": "2024-05-01", "types": ["城镇职工养老", "失业"]},
            "未记录",
            "2024-05 城镇职工养老保险、失业保险",
        )
    ]
    assert [(ch.field, ch.new_value, ch.theirs_display) for ch in changes_of(comparison, registry[1])] == [
        ("employment_end", {"record_id": records[1].pk, "date": "2024-07-15"}, "推断：社保停缴（停保，2024-07-15）")
    ]
    assert changes_of(comparison, registry[1])[0].ours_display == "在岗：湘西建工集团有限公司（2024-03-01 起）"
    assert changes_of(comparison, registry[2]) == []
    defaulted = changes_of(comparison, registry[3])
    assert [ch.field for ch in defaulted] == ["employer_name", "employment_status", "insurance_months"]
    assert defaulted[2].theirs_display == "2024-05 城镇职工养老保险" + DEFAULT_TYPE_NOTE
    assert changes_of(comparison, registry[4]) == []
    entry = ComparisonEntry.objects.get(comparison=comparison, laborer=registry[1].laborer)
    assert entry.evidence["参保状态"] == "停保"
    assert entry.evidence["缴费月份"] == "2024-05-01"


def test_accepting_the_month_writes_linked_insurance_months(
    users: dict[str, Any], comparison: Comparison, registry: list[Person], records: dict[int, EmploymentRecord]
) -> None:
    change = changes_of(comparison, registry[0])[0]
    comparison_change_accept(acting_user=users["county_officer"], comparison=comparison, change_id=change.pk)
    rows = InsuranceMonth.objects.filter(laborer=registry[0].laborer).order_by("insurance_type")
    assert [(m.month, m.insurance_type, m.source, m.record_id) for m in rows] == [
        (MAY, "城镇职工养老", "linkage", records[0].pk),
        (MAY, "失业", "linkage", records[0].pk),
    ]
    audit = AuditEntry.objects.filter(object_type="employment.insurancemonth").first()
    assert audit is not None
    assert audit.reason == f"数据比对 #{comparison.pk}（人社：社保参保名单（就业佐证）） 接受建议"


def test_accepting_a_stop_ends_the_record(
    users: dict[str, Any], comparison: Comparison, registry: list[Person], records: dict[int, EmploymentRecord]
) -> None:
    change = changes_of(comparison, registry[1])[0]
    decided = comparison_change_accept(acting_user=users["county_officer"], comparison=comparison, change_id=change.pk)
    assert decided.note == INFERRED_STOP_NOTE
    records[1].refresh_from_db()
    assert (records[1].end_date, records[1].end_reason) == (date(2024, 7, 15), c.EndReason.OTHER)
    registry[1].laborer.refresh_from_db()
    assert registry[1].laborer.employment_status == rc.EmploymentStatus.UNEMPLOYED


def test_rejecting_a_stop_changes_nothing(
    users: dict[str, Any], comparison: Comparison, registry: list[Person], records: dict[int, EmploymentRecord]
) -> None:
    change = changes_of(comparison, registry[1])[0]
    comparison_change_reject(
        acting_user=users["county_officer"], comparison=comparison, change_id=change.pk, note="核实仍在岗"
    )
    records[1].refresh_from_db()
    assert records[1].end_date is None


def test_a_record_ended_meanwhile_leaves_the_change_pending(
    users: dict[str, Any], comparison: Comparison, registry: list[Person], records: dict[int, EmploymentRecord]
) -> None:
    records[1].end_date = date(2024, 6, 30)
    records[1].end_reason = c.EndReason.RESIGNED
    records[1].save()
    change = changes_of(comparison, registry[1])[0]
    with pytest.raises(ValidationError) as exc:
        comparison_change_accept(acting_user=users["county_officer"], comparison=comparison, change_id=change.pk)
    assert exc.value.message_dict == {"change": ["无法更新该人员：该就业记录已结束"]}
    change.refresh_from_db()
    assert change.status == ProposedChange.Status.PENDING


def test_a_record_deleted_meanwhile(
    users: dict[str, Any], comparison: Comparison, registry: list[Person], records: dict[int, EmploymentRecord]
) -> None:
    change = changes_of(comparison, registry[1])[0]
    records[1].delete()
    with pytest.raises(ValidationError) as exc:
        comparison_change_accept(acting_user=users["county_officer"], comparison=comparison, change_id=change.pk)
    assert exc.value.message_dict == {"change": [RECORD_GONE]}


def test_other_county_cannot_accept(
    users: dict[str, Any], comparison: Comparison, registry: list[Person], records: dict[int, EmploymentRecord]
) -> None:
    from laborcoop.core.errors import ObjectNotFound
    from laborcoop.linkage.access import access_comparison

    with pytest.raises(ObjectNotFound):
        access_comparison(user=users["other_county_officer"], comparison_id=comparison.pk)
    assert InsuranceMonth.objects.count() == 1
