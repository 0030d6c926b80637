"""Scoped reads: the output side (home region), the input side (work region / enterprise, masked)."""

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.employment.access import access_employment_record
from laborcoop.employment.records.selectors import (
    RecordFilters,
    employment_record_input_list,
    employment_record_list,
    laborer_employment_records,
)
from tests.conftest import make_user
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import EnterpriseFactory, HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(users: dict[str, Any]) -> dict[str, Any]:
    luxi = LaborerFactory(name="张三")
    fenghuang = LaborerFactory(household=HouseholdFactory(region_id="433123109201"), name="李四")
    jinan = users["enterprise"].enterprise
    return {
        # A 泸溪 laborer working at the 济南 enterprise (output 泸溪, input 济南).
        "luxi_in_jinan": EmploymentRecordFactory(
            laborer=luxi, enterprise=jinan, employer_name=jinan.name, work_region_id="370102000000", industry="C"
        ),
        "luxi_past": EmploymentRecordFactory(
            laborer=luxi,
            start_date=date(2022, 1, 1),
            end_date=date(2022, 12, 31),
            end_reason="seasonal",
            channel="帮扶车间",
        ),
        # A 凤凰 laborer working in 泸溪 (input side of 泸溪).
        "fenghuang_in_luxi": EmploymentRecordFactory(laborer=fenghuang, work_region_id="433122000000"),
    }


def _ids(rows: Any) -> set[int]:
    return {r["id"] if isinstance(r, dict) else r.pk for r in rows}


def test_output_side_by_region(users: dict[str, Any], records: dict[str, Any]) -> None:
    assert _ids(employment_record_list(user=users["county_officer"])) == {
        records["luxi_in_jinan"].pk,
        records["luxi_past"].pk,
    }
    assert _ids(employment_record_list(user=users["other_county_officer"])) == {records["fenghuang_in_luxi"].pk}
    assert _ids(employment_record_list(user=users["prefecture_admin"])) == _ids(records.values())
    assert _ids(employment_record_list(user=users["broker"])) == {records["luxi_in_jinan"].pk, records["luxi_past"].pk}
    with pytest.raises(PermissionDeniedError):
        employment_record_list(user=users["enterprise"])


def test_output_filters(users: dict[str, Any], records: dict[str, Any]) -> None:
    officer = users["county_officer"]
    assert _ids(employment_record_list(user=officer, filters=RecordFilters(status="ongoing"))) == {
        records["luxi_in_jinan"].pk
    }
    assert _ids(employment_record_list(user=officer, filters=RecordFilters(status="ended"))) == {
        records["luxi_past"].pk
    }
    assert _ids(employment_record_list(user=officer, filters=RecordFilters(work_area="03"))) == {
        records["luxi_in_jinan"].pk
    }
    assert _ids(employment_record_list(user=officer, filters=RecordFilters(channel="帮扶车间"))) == {
        records["luxi_past"].pk
    }
    admin = users["prefecture_admin"]
    assert _ids(employment_record_list(user=admin, filters=RecordFilters(region="433123000000"))) == {
        records["fenghuang_in_luxi"].pk
    }


def test_input_side_is_masked(users: dict[str, Any], records: dict[str, Any]) -> None:
    jinan_officer = make_user("jinan_t", "370102000000", ["officer"])
    rows = list(employment_record_input_list(user=jinan_officer))
    assert _ids(rows) == {records["luxi_in_jinan"].pk}
    [row] = rows
    assert row["masked_name"] == "张**"
    assert row["id_masked"] == records["luxi_in_jinan"].laborer.id_masked
    assert "laborer__name" not in row
    assert "laborer_id" not in row
    assert "张三" not in str(row)
    # ... and the output side shows the 济南 officer nothing of the 泸溪 laborer.
    assert _ids(employment_record_list(user=jinan_officer)) == set()


def test_input_side_of_a_county_and_an_enterprise(users: dict[str, Any], records: dict[str, Any]) -> None:
    # 泸溪 is the input region of the 凤凰 laborer and of its own people working at home.
    assert _ids(employment_record_input_list(user=users["county_officer"])) == {
        records["fenghuang_in_luxi"].pk,
        records["luxi_past"].pk,
    }
    assert _ids(employment_record_input_list(user=users["enterprise"])) == {records["luxi_in_jinan"].pk}
    other = EnterpriseFactory()
    assert _ids(employment_record_input_list(user=make_user("qiye2", None, ["enterprise"], enterprise=other))) == set()
    with pytest.raises(PermissionDeniedError):
        employment_record_input_list(user=users["broker"])  # no enterprise capability


def test_access_one_record(users: dict[str, Any], records: dict[str, Any]) -> None:
    record = records["luxi_in_jinan"]
    assert access_employment_record(user=users["township_officer"], record_id=record.pk) == record
    with pytest.raises(ObjectNotFound):
        access_employment_record(user=users["other_county_officer"], record_id=record.pk)
    with pytest.raises(ObjectNotFound):
        access_employment_record(user=users["county_officer"], record_id=999999)


def test_laborer_trajectory_newest_first(users: dict[str, Any], records: dict[str, Any]) -> None:
    laborer = records["luxi_in_jinan"].laborer
    rows = list(laborer_employment_records(user=users["county_officer"], laborer=laborer))
    assert rows == [records["luxi_in_jinan"], records["luxi_past"]]


def test_list_query_count(users: dict[str, Any]) -> None:
    for village in ("433122107201", "433122107202", "433122108201"):
        for _ in range(4):
            EmploymentRecordFactory(laborer=LaborerFactory(household=HouseholdFactory(region_id=village)))
    assert users["county_officer"].scope_prefix == "433122"  # the user's home region is loaded once per request
    with CaptureQueriesContext(connection) as ctx:
        rows = list(employment_record_list(user=users["county_officer"])[:20])
        names = [(r.laborer.name, r.region.name, r.work_region.name) for r in rows]
    assert len(names) == 12
    assert len(ctx.captured_queries) == 3  # records + laborers (join), villages, work counties
    with CaptureQueriesContext(connection) as ctx:
        assert len(list(employment_record_input_list(user=users["county_officer"])[:20])) == 12
    assert len(ctx.captured_queries) == 1
