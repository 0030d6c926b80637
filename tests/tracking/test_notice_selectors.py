"""Notice lists: what each side selects, their order, and a fixed number of queries per page."""

from datetime import date
from typing import Any

import pytest
from django.test import RequestFactory

from laborcoop.core.pagination import page_of
from laborcoop.tracking.choices import NoticeStatus
from laborcoop.tracking.models import DestinationNotice
from laborcoop.tracking.notices.selectors import (
    notice_input_counts,
    notice_input_list,
    notice_output_counts,
    notice_output_list,
)
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import LaborerFactory
from tests.tracking.notice_helpers import BAOAN, LIXIA, input_users

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(users: dict[str, Any]) -> dict[str, Any]:
    return input_users(users)


def make(n: int, *, work: str = LIXIA, status: str = NoticeStatus.SENT) -> list[DestinationNotice]:
    found = []
    for i in range(n):
        rec = EmploymentRecordFactory(laborer=LaborerFactory(), work_region_id=work, start_date=date(2025, 1, 1 + i))
        found.append(
            DestinationNotice.objects.create(
                record=rec, laborer=rec.laborer, region_id=rec.region_id, work_region_id=work, status=status
            )
        )
    return found


def test_output_list_attention_first_in_one_query(people: dict[str, Any], django_assert_num_queries: Any) -> None:
    sent = make(5)
    [late] = make(1, status=NoticeStatus.NOT_ARRIVED)
    DestinationNotice.objects.filter(pk=late.pk).update(created_at=sent[0].created_at.replace(year=2020))
    user = people["county_officer"]
    assert user.home_region is not None  # loaded before counting, as a request's user is
    request = RequestFactory().get("/")
    with django_assert_num_queries(1):
        page = page_of(notice_output_list(user=user), request)
        rows = [(n.laborer.name, n.region.name, n.work_region.name, n.record.employer_name) for n in page.rows]
    assert len(rows) == 6
    assert page.rows[0].pk == late.pk  # the oldest, but 未到岗 comes first
    assert [n.pk for n in page.rows[1:]] == [n.pk for n in reversed(sent)]
    assert notice_output_counts(user=user) == {"sent": 5, "confirmed": 0, "not_arrived": 1}


def test_input_list_selects_no_identity_in_one_query(people: dict[str, Any], django_assert_num_queries: Any) -> None:
    mine = make(4)
    make(2, work=BAOAN)
    user = people["lixia_officer"]
    assert user.home_region is not None  # loaded before counting, as a request's user is
    with django_assert_num_queries(1):
        rows = list(notice_input_list(user=user))
    assert sorted(r["id"] for r in rows) == sorted(n.pk for n in mine)
    assert set(rows[0]) == {
        "id",
        "record_id",
        "version",
        "status",
        "note",
        "confirmed_at",
        "created_at",
        "region_id",
        "work_region_id",
        "masked_name",
        "home_county_name",
        "id_last4",
        "work_region_name",
        "employer_name",
        "job_title",
        "start_date",
        "end_date",
        "monthly_wage",
    }
    assert {r["home_county_name"] for r in rows} == {"泸溪县"}
    assert all(r["masked_name"].endswith("**") and len(r["masked_name"]) == 3 for r in rows)
    assert notice_input_counts(user=user) == {"sent": 4, "confirmed": 0, "not_arrived": 0}


def test_input_scope_reaches_the_enterprise_region(people: dict[str, Any]) -> None:
    """A record at an enterprise of 历下区 whose work county is elsewhere is still 历下区's to confirm (as on
    the employment input list); the enterprise user sees only its own enterprise's notices."""
    enterprise_id = people["enterprise"].enterprise_id
    rec = EmploymentRecordFactory(laborer=LaborerFactory(), work_region_id=BAOAN, enterprise_id=enterprise_id)
    notice = DestinationNotice.objects.create(
        record=rec, laborer=rec.laborer, region_id=rec.region_id, work_region_id=BAOAN
    )
    make(1)  # in 历下区, not at the enterprise
    assert notice.pk in {r["id"] for r in notice_input_list(user=people["lixia_officer"])}
    assert [r["id"] for r in notice_input_list(user=people["enterprise"])] == [notice.pk]
    assert [r["id"] for r in notice_input_list(user=people["baoan_officer"])] == [notice.pk]
