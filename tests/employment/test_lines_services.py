"""employment.lines: wage and insurance months — every rule with its Chinese message and nothing saved, the
idempotent upsert with its audit rows, batches all or nothing, the scope of staff and enterprise users, the
refresh of the derived status."""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.employment import choices as c
from laborcoop.employment import lines
from laborcoop.employment.lines import common
from laborcoop.employment.lines import rules as r
from laborcoop.employment.lines.access import access_line_record
from laborcoop.employment.models import EmploymentRecord, InsuranceMonth, WageMonth
from laborcoop.employment.signals import employment_states_stale
from laborcoop.registry.services import NeedsConfirmation
from tests.conftest import make_user
from tests.employment.lines_helpers import Worker, jinan_enterprise, other_enterprise, worker

pytestmark = pytest.mark.django_db

WAGE = "employment.wagemonth"
INSURANCE = "employment.insurancemonth"
MAY = date(2024, 5, 1)


@pytest.fixture
def w(users: dict[str, Any]) -> Worker:
    return worker(jinan_enterprise(users))


@pytest.fixture
def refreshed() -> Iterator[list[list[int]]]:
    """The laborer ids of each `employment_states_stale` sent (the derived status is refreshed by tracking's
    receiver as usual; this one only records)."""
    calls: list[list[int]] = []

    def spy(sender: Any, *, laborer_ids: list[int], **kwargs: Any) -> None:
        calls.append(list(laborer_ids))

    employment_states_stale.connect(spy, weak=False, dispatch_uid="test_lines_refreshed")
    yield calls
    employment_states_stale.disconnect(dispatch_uid="test_lines_refreshed")


def record_wage(user: Any, record: EmploymentRecord, **kw: Any) -> WageMonth:
    values: dict[str, Any] = {"month": MAY, "amount": 3200}
    values.update(kw)
    return lines.wage_month_record(acting_user=user, record=record, **values)


def audits(object_type: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type=object_type).order_by("id"))


# --- validation: each rule, its message, nothing saved ----------------------------------------------------


def this_month() -> date:
    return timezone.localdate().replace(day=1)


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"month": date(2024, 2, 1)}, "month", r.MONTH_BEFORE_START.format(month="2024-02", start="2024-03-01")),
        ({"month": None}, "month", r.MONTH_REQUIRED),
        ({"amount": 99}, "amount", r.AMOUNT_OUT_OF_RANGE),
        ({"amount": 30001}, "amount", r.AMOUNT_OUT_OF_RANGE),
        ({"amount": None}, "amount", r.AMOUNT_REQUIRED),
        ({"paid_on": date(2024, 4, 30)}, "paid_on", r.PAID_ON_BEFORE_MONTH),
    ],
)
def test_wage_rules(users: dict[str, Any], w: Worker, kw: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        record_wage(users["county_officer"], w.record, **kw)
    assert exc.value.message_dict == {field: [message]}
    assert WageMonth.objects.count() == 0
    assert audits(WAGE) == []


def test_wage_future_month_and_paid_on_are_refused(users: dict[str, Any], w: Worker) -> None:
    future = (this_month() + timedelta(days=40)).replace(day=1)
    with pytest.raises(ValidationError) as exc:
        record_wage(users["county_officer"], w.record, month=future)
    assert exc.value.message_dict == {"month": [r.MONTH_IN_FUTURE.format(month=f"{future:%Y-%m}")]}
    with pytest.raises(ValidationError) as exc:
        record_wage(users["county_officer"], w.record, paid_on=timezone.localdate() + timedelta(days=1))
    assert exc.value.message_dict == {"paid_on": [r.PAID_ON_IN_FUTURE]}
    assert WageMonth.objects.count() == 0


def test_current_month_is_allowed_for_an_ongoing_record(users: dict[str, Any], w: Worker) -> None:
    saved = record_wage(users["county_officer"], w.record, month=timezone.localdate())
    assert saved.month == this_month()


def test_month_after_the_end_of_an_ended_record(users: dict[str, Any]) -> None:
    ended = worker(jinan_enterprise(users), end=date(2024, 6, 15))
    assert record_wage(users["county_officer"], ended.record, month=date(2024, 6, 1)).amount == 3200
    with pytest.raises(ValidationError) as exc:
        record_wage(users["county_officer"], ended.record, month=date(2024, 7, 1))
    assert exc.value.message_dict == {"month": [r.MONTH_AFTER_END.format(month="2024-07", end="2024-06-15")]}
    assert list(WageMonth.objects.values_list("month", flat=True)) == [date(2024, 6, 1)]


def test_low_wage_needs_confirmation(users: dict[str, Any], w: Worker) -> None:
    with pytest.raises(NeedsConfirmation) as exc:
        record_wage(users["county_officer"], w.record, amount=350)
    assert exc.value.issues.warnings == {"amount": [r.AMOUNT_LOW]}
    assert WageMonth.objects.count() == 0
    saved = record_wage(users["county_officer"], w.record, amount=350, confirm_warnings=True)
    assert (saved.amount, saved.source) == (350, c.LineSource.OFFICER)


def test_insurance_type_must_be_in_the_code_list(users: dict[str, Any], w: Worker) -> None:
    entry = lines.InsuranceEntry(record_id=w.record.pk, month=MAY, insurance_type="商业保险")
    with pytest.raises(lines.ItemsInvalid) as exc:
        lines.insurance_months_record(acting_user=users["county_officer"], entries=[entry])
    assert exc.value.item_errors == {0: {"insurance_type": [r.INSURANCE_TYPE_UNKNOWN.format(value="商业保险")]}}
    assert exc.value.message_dict == {"items": ["第 1 项：险种“商业保险”不在代码表中"]}
    assert InsuranceMonth.objects.count() == 0


def test_empty_batch_is_refused(users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as exc:
        lines.wage_months_record(acting_user=users["county_officer"], entries=[])
    assert exc.value.message_dict == {"items": [common.NOTHING_TO_SAVE]}


# --- upsert and audit --------------------------------------------------------------------------------------


def test_wage_upsert_is_idempotent_and_audited(users: dict[str, Any], w: Worker, refreshed: list[list[int]]) -> None:
    officer = users["county_officer"]
    first = record_wage(officer, w.record, amount=3200, paid_on=date(2024, 6, 10))
    assert (first.laborer_id, first.region_id, first.month) == (w.laborer.pk, "433122107201", MAY)
    created = audits(WAGE)
    assert len(created) == 1
    assert created[0].action == AuditEntry.Action.CREATE
    assert created[0].actor_id == officer.pk
    assert created[0].changes["amount"] == [None, 3200]

    again = record_wage(officer, w.record, month=date(2024, 5, 20), amount=3200)  # any day of the month
    assert again.pk == first.pk
    assert len(audits(WAGE)) == 1  # nothing changed, nothing written

    changed = record_wage(officer, w.record, amount=3500)
    assert (changed.pk, changed.amount, changed.paid_on) == (first.pk, 3500, date(2024, 6, 10))
    update = audits(WAGE)[-1]
    assert (update.action, update.changes) == (AuditEntry.Action.UPDATE, {"amount": [3200, 3500]})
    assert WageMonth.objects.count() == 1
    assert refreshed == [[w.laborer.pk], [w.laborer.pk]]  # the create and the change, not the repeat


def test_insurance_upsert_is_idempotent(users: dict[str, Any], w: Worker, refreshed: list[list[int]]) -> None:
    entries = [
        lines.InsuranceEntry(record_id=w.record.pk, month=MAY, insurance_type=t)
        for t in (c.InsuranceType.EMPLOYEE_PENSION, c.InsuranceType.WORK_INJURY)
    ]
    outcome = lines.insurance_months_record(acting_user=users["county_officer"], entries=entries)
    assert (outcome.created, outcome.unchanged) == (2, 0)
    again = lines.insurance_months_record(acting_user=users["county_officer"], entries=entries)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert sorted(InsuranceMonth.objects.values_list("insurance_type", "record_id", "source")) == [
        ("城镇职工养老", w.record.pk, "officer"),
        ("工伤", w.record.pk, "officer"),
    ]
    assert len(audits(INSURANCE)) == 2
    assert refreshed == [[w.laborer.pk]]


def test_payroll_batch_is_all_or_nothing(users: dict[str, Any], w: Worker) -> None:
    enterprise = jinan_enterprise(users)
    second, third = worker(enterprise, name="张三"), worker(enterprise, name="李四")
    entries = [
        lines.WageEntry(record_id=w.record.pk, month=MAY, amount=3000),
        lines.WageEntry(record_id=second.record.pk, month=MAY, amount=50),
        lines.WageEntry(record_id=third.record.pk, month=MAY, amount=3100),
        lines.WageEntry(record_id=w.record.pk, month=MAY, amount=3300),
    ]
    with pytest.raises(lines.ItemsInvalid) as exc:
        lines.wage_months_record(acting_user=users["enterprise"], entries=entries)
    assert exc.value.item_errors == {
        1: {"amount": [r.AMOUNT_OUT_OF_RANGE]},
        3: {"month": [lines.WAGE_TWICE.format(n=1)]},
    }
    assert WageMonth.objects.count() == 0

    outcome = lines.wage_months_record(acting_user=users["enterprise"], entries=entries[:1] + entries[2:3])
    assert (outcome.created, outcome.laborer_ids) == (2, {w.laborer.pk, third.laborer.pk})
    assert set(WageMonth.objects.values_list("source", flat=True)) == {c.LineSource.ENTERPRISE}


def test_batch_warnings_need_confirmation(users: dict[str, Any], w: Worker) -> None:
    entries = [lines.WageEntry(record_id=w.record.pk, month=MAY, amount=380)]
    with pytest.raises(lines.ItemsNeedConfirmation) as exc:
        lines.wage_months_record(acting_user=users["enterprise"], entries=entries)
    assert exc.value.item_warnings == {0: {"amount": [r.AMOUNT_LOW]}}
    assert WageMonth.objects.count() == 0
    outcome = lines.wage_months_record(acting_user=users["enterprise"], entries=entries, confirm_warnings=True)
    assert outcome.warnings == {0: {"amount": [r.AMOUNT_LOW]}}


def test_delete_by_staff_is_audited(users: dict[str, Any], w: Worker, refreshed: list[list[int]]) -> None:
    wage = record_wage(users["county_officer"], w.record)
    lines.wage_month_delete(acting_user=users["county_officer"], wage=wage)
    assert WageMonth.objects.count() == 0
    assert audits(WAGE)[-1].action == AuditEntry.Action.DELETE
    assert refreshed == [[w.laborer.pk], [w.laborer.pk]]


@pytest.mark.parametrize(
    ("who", "error"), [("enterprise", PermissionDeniedError), ("other_county_officer", ObjectNotFound)]
)
def test_delete_denied(users: dict[str, Any], w: Worker, who: str, error: type[Exception]) -> None:
    wage = record_wage(users["county_officer"], w.record)
    item = lines.insurance_months_record(
        acting_user=users["county_officer"],
        entries=[lines.InsuranceEntry(record_id=w.record.pk, month=MAY, insurance_type="工伤")],
    ).rows[0]
    with pytest.raises(error):
        lines.wage_month_delete(acting_user=users[who], wage=wage)
    with pytest.raises(error):
        lines.insurance_month_delete(acting_user=users[who], insurance=item)
    assert (WageMonth.objects.count(), InsuranceMonth.objects.count()) == (1, 1)


# --- scope: staff of the home region, the enterprise of the record ----------------------------------------


@pytest.mark.parametrize(
    ("who", "outcome"),
    [
        ("county_officer", "ok"),
        ("township_officer", "ok"),
        ("broker", "ok"),
        ("prefecture_admin", "ok"),
        ("enterprise", "ok"),  # the record is at its enterprise
        ("other_county_officer", "not_found"),
        ("jinan_officer", "not_found"),  # the input region: reads the record, does not write its lines
        ("other_enterprise", "not_found"),
        ("viewer", "denied"),
        ("hotline", "denied"),
    ],
)
def test_scope_matrix(users: dict[str, Any], w: Worker, who: str, outcome: str) -> None:
    extra = {
        "jinan_officer": lambda: make_user("lixia_t", "370102000000", ["officer"]),
        "other_enterprise": lambda: make_user("qiye2_t", "440306000000", ["enterprise"], enterprise=other_enterprise()),
    }
    user = extra[who]() if who in extra else users[who]
    entry = lines.WageEntry(record_id=w.record.pk, month=MAY, amount=3000)
    if outcome == "ok":
        assert access_line_record(user=user, record_id=w.record.pk, write=True) == w.record
        saved = lines.wage_months_record(acting_user=user, entries=[entry]).rows[0]
        expected = c.LineSource.ENTERPRISE if who == "enterprise" else c.LineSource.OFFICER
        assert saved.source == expected
        return
    if outcome == "not_found":
        with pytest.raises(ObjectNotFound):
            access_line_record(user=user, record_id=w.record.pk, write=True)
        with pytest.raises(lines.ItemsInvalid) as exc:
            lines.wage_months_record(acting_user=user, entries=[entry])
        assert exc.value.item_errors == {0: {"record": [lines.RECORD_NOT_FOUND]}}
    else:
        with pytest.raises(PermissionDeniedError):
            lines.wage_months_record(acting_user=user, entries=[entry])
    assert WageMonth.objects.count() == 0


def test_viewer_reads_but_does_not_write(users: dict[str, Any], w: Worker) -> None:
    assert access_line_record(user=users["viewer"], record_id=w.record.pk) == w.record
    with pytest.raises(PermissionDeniedError):
        access_line_record(user=users["viewer"], record_id=w.record.pk, write=True)


def test_anonymous_is_refused(w: Worker) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDeniedError):
        access_line_record(user=AnonymousUser(), record_id=w.record.pk)


# --- the linked insurance path ---------------------------------------------------------------------------


def test_linked_insurance_ties_to_the_covering_record(users: dict[str, Any], w: Worker) -> None:
    outcome = lines.insurance_months_record_linked(
        acting_user=users["county_officer"],
        laborer=w.laborer,
        month=date(2024, 5, 17),
        insurance_types=["城镇职工养老", "城镇职工养老", "失业"],
        reason="数据比对 #1",
    )
    assert outcome.created == 2
    rows = list(InsuranceMonth.objects.order_by("insurance_type").values_list("record_id", "month", "source"))
    assert rows == [(w.record.pk, MAY, "linkage")] * 2
    assert audits(INSURANCE)[0].reason == "数据比对 #1"


def test_linked_insurance_without_a_record(users: dict[str, Any]) -> None:
    alone = worker(None)
    lines.insurance_months_record_linked(
        acting_user=users["county_officer"], laborer=alone.laborer, month=MAY, insurance_types=["工伤"], reason=""
    )
    assert list(InsuranceMonth.objects.values_list("laborer_id", "record_id")) == [(alone.laborer.pk, None)]
    with pytest.raises(ValidationError) as exc:
        lines.insurance_months_record_linked(
            acting_user=users["county_officer"],
            laborer=alone.laborer,
            month=MAY,
            insurance_types=["xx"],
            reason="",
        )
    assert exc.value.message_dict == {"insurance_type": [r.INSURANCE_TYPE_UNKNOWN.format(value="xx")]}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("城镇职工养老", "城镇职工养老"),
        ("失业保险", "失业"),
        ("企业职工基本养老保险", "城镇职工养老"),
        ("城乡居民基本养老保险", "城乡居民养老"),
        ("城乡居民基本医疗保险", "居民医疗"),
        ("职工基本医疗保险", "职工医疗"),
        ("工伤保险", "工伤"),
        ("商业保险", None),
        ("", None),
    ],
)
def test_insurance_type_words(text: str, code: str | None) -> None:
    assert r.insurance_type_code(text) == code


def test_the_derived_status_is_refreshed_for_real(users: dict[str, Any], w: Worker) -> None:
    """tracking's receiver of employment_states_stale (tracking.status.services.employment_states_refresh)
    stores the laborer's state row."""
    from laborcoop.employment.models import EmploymentState

    assert not EmploymentState.objects.filter(laborer=w.laborer).exists()  # the factory sent no signal
    record_wage(users["enterprise"], w.record)
    state = EmploymentState.objects.get(laborer=w.laborer)
    assert state.status in (c.TrackStatus.EMPLOYED, c.TrackStatus.STABLE)


def test_deferred_refresh_runs_once_at_the_end(users: dict[str, Any], w: Worker, refreshed: list[list[int]]) -> None:
    second = worker(jinan_enterprise(users), name="李四")
    with lines.states_refresh_deferred():
        record_wage(users["county_officer"], w.record)
        record_wage(users["county_officer"], second.record)
        assert refreshed == []
    assert refreshed == [sorted([w.laborer.pk, second.laborer.pk])]
