"""Two-sided reconciliation (两地数据对账) on a small constructed case whose differences are known."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.employment.choices import EndReason
from laborcoop.tracking.choices import NoticeStatus
from laborcoop.tracking.models import DestinationNotice
from laborcoop.tracking.reconcile import selectors as r
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import HouseholdFactory, LaborerFactory
from tests.tracking.notice_helpers import BAOAN, LIXIA, api, client_for, input_users

pytestmark = pytest.mark.django_db

LUXI = "433122000000"


def record(name: str, *, work: str = LIXIA, ended: bool = False, notice: str | None = None, home: str = "") -> Any:
    """A record (written as a fixture, without the signal) and, when `notice` is given, its notice."""
    laborer = LaborerFactory(name=name, **({"household": HouseholdFactory(region_id=home)} if home else {}))
    rec = EmploymentRecordFactory(
        laborer=laborer,
        work_region_id=work,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 6, 30) if ended else None,
        end_reason=EndReason.RESIGNED if ended else "",
    )
    if notice is not None:
        DestinationNotice.objects.create(
            record=rec, laborer=laborer, region_id=rec.region_id, work_region_id=work, status=notice
        )
    return rec


@pytest.fixture
def case(users: dict[str, Any]) -> dict[str, Any]:
    """泸溪县 <-> 济南市历下区:
    our people there: 田一 confirmed, 田二 sent, 田三 not arrived, 田四 ended but confirmed, 田五 no notice,
    田六 ended and never confirmed (no difference); 田七 in 深圳 and 田八 at home (other pairs).
    their people here: 李一 confirmed, 李二 sent."""
    people = input_users(users)
    rows = {
        "田一": record("田一", notice=NoticeStatus.CONFIRMED),
        "田二": record("田二", notice=NoticeStatus.SENT),
        "田三": record("田三", notice=NoticeStatus.NOT_ARRIVED),
        "田四": record("田四", ended=True, notice=NoticeStatus.CONFIRMED),
        "田五": record("田五"),
        "田六": record("田六", ended=True, notice=NoticeStatus.SENT),
        "田七": record("田七", work=BAOAN, notice=NoticeStatus.SENT),
        "田八": record("田八", work=LUXI),
        "李一": record("李一", work=LUXI, home=LIXIA, notice=NoticeStatus.CONFIRMED),
        "李二": record("李二", work=LUXI, home=LIXIA, notice=NoticeStatus.SENT),
    }
    DestinationNotice.objects.filter(record=rows["田三"]).update(note="未报到")
    return {"people": people, "records": rows}


def names(rows: list[r.Difference]) -> list[str]:
    return sorted(d.name for d in rows)


@pytest.mark.parametrize("counterpart", ["370102", "370100000000", "37"])
def test_outflow_figures_and_differences(case: dict[str, Any], counterpart: str) -> None:
    result = r.reconciliation_for(user=case["people"]["county_officer"], counterpart_code=counterpart)
    out = result.outflow
    assert (result.mine.code, out.home.code, out.user_side) == (LUXI, LUXI, "output")
    assert (out.output_count, out.input_count, out.difference) == (4, 2, 2)
    assert (out.unconfirmed_count, out.not_arrived_count, out.ended_confirmed_count) == (2, 1, 1)
    # The lists explain the gap exactly.
    assert out.difference == out.unconfirmed_count + out.not_arrived_count - out.ended_confirmed_count
    assert names(out.unconfirmed) == ["田二", "田五"]
    assert names(out.not_arrived) == ["田三"]
    assert names(out.ended_confirmed) == ["田四"]
    tian3 = out.not_arrived[0]
    assert (tian3.note, tian3.notice_status_label, tian3.laborer_id) == (
        "未报到",
        "未到岗",
        case["records"]["田三"].laborer_id,
    )
    assert tian3.id_text == case["records"]["田三"].laborer.id_masked
    no_notice = next(d for d in out.unconfirmed if d.name == "田五")
    assert (no_notice.notice_id, no_notice.notice_status_label) == (None, "未通报")


def test_inflow_is_masked_for_the_input_side(case: dict[str, Any]) -> None:
    result = r.reconciliation_for(user=case["people"]["county_officer"], counterpart_code=LIXIA)
    inflow = result.inflow
    assert (inflow.home.code, inflow.work.code, inflow.user_side) == (LIXIA, LUXI, "input")
    assert (inflow.output_count, inflow.input_count, inflow.unconfirmed_count) == (2, 1, 1)
    [row] = inflow.unconfirmed
    li2 = case["records"]["李二"].laborer
    assert (row.name, row.id_text, row.laborer_id, row.home_name) == ("李**", li2.id_last4, None, "历下区")


def test_the_other_side_sees_the_mirror(case: dict[str, Any]) -> None:
    """济南's officer: its own people (李) by name, ours (田) masked, the same numbers the other way round."""
    result = r.reconciliation_for(user=case["people"]["lixia_officer"], counterpart_code="433122")
    assert (result.outflow.output_count, result.outflow.input_count) == (2, 1)
    assert names(result.outflow.unconfirmed) == ["李二"]
    inflow = result.inflow
    assert (inflow.output_count, inflow.input_count, inflow.difference) == (4, 2, 2)
    assert names(inflow.unconfirmed) == ["田**", "田**"]
    assert all(d.laborer_id is None for d in [*inflow.unconfirmed, *inflow.not_arrived, *inflow.ended_confirmed])


def test_a_sub_region_of_ones_own_and_the_scope(case: dict[str, Any]) -> None:
    people = case["people"]
    mine = r.reconciliation_for(user=people["prefecture_admin"], counterpart_code=LIXIA, region_code="433122")
    assert (mine.mine.code, mine.outflow.output_count) == (LUXI, 4)
    whole = r.reconciliation_for(user=people["prefecture_admin"], counterpart_code=LIXIA)
    assert (whole.mine.code, whole.outflow.output_count) == ("433100000000", 4)
    with pytest.raises(ObjectNotFound):
        r.reconciliation_for(user=people["other_county_officer"], counterpart_code=LIXIA, region_code="433122")
    other = r.reconciliation_for(user=people["other_county_officer"], counterpart_code=LIXIA)
    assert (other.outflow.output_count, other.outflow.unconfirmed) == (0, [])
    assert other.outflow.balanced


@pytest.mark.parametrize(
    ("counterpart", "message"),
    [
        ("", r.COUNTERPART_REQUIRED),
        ("999999", r.COUNTERPART_UNKNOWN),
        ("abc", r.COUNTERPART_UNKNOWN),
        ("433122107000", r.COUNTERPART_LEVEL),  # a township
        ("433100", r.COUNTERPART_OVERLAPS),  # 湘西州 holds 泸溪县
        ("433122", r.COUNTERPART_OVERLAPS),
    ],
)
def test_bad_counterparts(case: dict[str, Any], counterpart: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        r.reconciliation_for(user=case["people"]["county_officer"], counterpart_code=counterpart)
    assert exc.value.message_dict == {"counterpart": [message]}


@pytest.mark.parametrize("who", ["enterprise", "hotline"])
def test_roles_without_statistics_are_refused(case: dict[str, Any], who: str) -> None:
    with pytest.raises(PermissionDeniedError):
        r.reconciliation_for(user=case["people"][who], counterpart_code=LIXIA)


def test_reconciliation_is_ten_queries(case: dict[str, Any], django_assert_max_num_queries: Any) -> None:
    user = case["people"]["county_officer"]
    assert user.home_region is not None  # loaded before counting, as a request's user is
    with django_assert_max_num_queries(10):
        r.reconciliation_for(user=user, counterpart_code=LIXIA)


# --- the page and the API ------------------------------------------------------------------------------------------

PAGE = reverse("tracking:reconcile")
API = reverse("api:reconciliation")


def test_page_matrix_and_figures(case: dict[str, Any]) -> None:
    people = case["people"]
    assert client_for(None).get(PAGE).status_code == 302
    assert client_for(people["enterprise"]).get(PAGE, {"counterpart": LIXIA}).status_code == 403
    assert (
        client_for(people["other_county_officer"]).get(PAGE, {"counterpart": LIXIA, "region": LUXI}).status_code == 404
    )
    response = client_for(people["county_officer"]).get(PAGE, {"counterpart": LIXIA})
    assert response.status_code == 200
    body = response.content.decode()
    out = body[body.index('id="reconcile-output"') : body.index('id="reconcile-input"')]
    assert '<div class="num">4</div><div class="label">输出地（泸溪县）在岗人数</div>' in out
    assert '<div class="num">2</div><div class="label">输入地（历下区）已确认到岗</div>' in out
    assert "田二" in out
    assert "田三" in out
    assert "田四" in out
    assert "田一" not in out  # agreed on both sides: not a difference
    inflow = body[body.index('id="reconcile-input"') :]
    assert "李**" in inflow
    assert "李二" not in body


def test_page_counterpart_search_and_errors(case: dict[str, Any]) -> None:
    client = client_for(case["people"]["county_officer"])
    found = client.get(reverse("tracking:reconcile_search"), {"q": "历下"}).content.decode()
    assert f"?counterpart={LIXIA}" in found
    assert "山东省济南市历下区" in found
    page = client.get(PAGE, {"q": "济南"}).content.decode()
    assert "?counterpart=370100000000" in page
    bad = client.get(PAGE, {"counterpart": "433100"})
    assert bad.status_code == 400
    assert r.COUNTERPART_OVERLAPS in bad.content.decode()


def test_api_matrix_and_body(case: dict[str, Any]) -> None:
    people = case["people"]
    assert api(None).get(API, {"counterpart": LIXIA}).status_code == 401
    assert api(people["enterprise"]).get(API, {"counterpart": LIXIA}).status_code == 403
    assert api(people["other_county_officer"]).get(API, {"counterpart": LIXIA, "region": LUXI}).status_code == 404
    bad = api(people["county_officer"]).get(API, {"counterpart": "433100"})
    assert bad.status_code == 400
    assert bad.json() == {"counterpart": [r.COUNTERPART_OVERLAPS]}
    response = api(people["county_officer"]).get(API, {"counterpart": LIXIA})
    assert response.status_code == 200
    data = response.json()
    assert (data["mine"], data["counterpart"]) == ({"code": LUXI, "name": "泸溪县"}, {"code": LIXIA, "name": "历下区"})
    out = data["outflow"]
    assert (out["output_count"], out["input_count"], out["difference"], out["user_side"]) == (4, 2, 2, "output")
    assert sorted(d["name"] for d in out["unconfirmed"]) == ["田二", "田五"]
    assert [d["notice_status"] for d in out["ended_confirmed"]] == ["confirmed"]
    inflow = data["inflow"]
    assert [(d["name"], d["laborer_id"]) for d in inflow["unconfirmed"]] == [("李**", None)]
    assert "李二" not in response.content.decode()
