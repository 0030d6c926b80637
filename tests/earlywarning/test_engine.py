"""The engine's diff against the live warnings: raise, keep, resolve, recurrence; handled and dismissed
warnings stay as they are while their condition holds; runs over a subtree or a few households touch only
those; the nightly run's WarningRun row and command."""

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from laborcoop.earlywarning.choices import WarningStatus
from laborcoop.earlywarning.engine import EMPLOYMENT_RULES, warnings_evaluate_households, warnings_run
from laborcoop.earlywarning.models import EarlyWarning, WarningRun, WarningSettings
from laborcoop.registry.models import Laborer
from tests.earlywarning.conftest import TODAY, live, run
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db


def unreachable_laborer(**kw: Any) -> Laborer:
    return LaborerFactory(unreachable=True, unreachable_since=date(2026, 10, 1), **kw)


def test_first_run_raises_an_open_warning_without_owner(regions: Any) -> None:
    laborer = unreachable_laborer()
    result = run()
    warning = live("unreachable")[f"L{laborer.pk}"]
    assert warning.status == WarningStatus.OPEN
    assert warning.owner_id is None
    assert warning.version == 1
    assert warning.region_id == laborer.region_id
    assert result.counts.raised == EarlyWarning.objects.count()
    assert result.counts.resolved == 0


def test_second_run_keeps_the_same_row_and_updates_last_seen_and_detail(regions: Any) -> None:
    laborer = unreachable_laborer()
    run()
    first = live("unreachable")[f"L{laborer.pk}"]
    Laborer.objects.filter(pk=laborer.pk).update(unreachable_since=date(2026, 9, 1))
    result = run()
    again = live("unreachable")[f"L{laborer.pk}"]
    assert again.pk == first.pk
    assert again.detail == "自 2026-09-01 起无法联系"
    assert again.last_seen_at > first.last_seen_at
    assert again.created_at == first.created_at
    assert result.counts.raised == 0
    assert result.counts.resolved == 0


def test_condition_gone_resolves_and_recurrence_opens_a_new_row(regions: Any) -> None:
    laborer = unreachable_laborer()
    run()
    first = live("unreachable")[f"L{laborer.pk}"]
    Laborer.objects.filter(pk=laborer.pk).update(unreachable=False)
    result = run()
    first.refresh_from_db()
    assert first.status == WarningStatus.RESOLVED
    assert first.resolved_at is not None
    assert first.version == 2
    assert result.counts.resolved >= 1
    assert live("unreachable") == {}
    Laborer.objects.filter(pk=laborer.pk).update(unreachable=True)
    run()
    recurred = live("unreachable")[f"L{laborer.pk}"]
    assert recurred.pk != first.pk
    assert recurred.status == WarningStatus.OPEN
    assert EarlyWarning.objects.filter(rule="unreachable", subject_key=f"L{laborer.pk}").count() == 2


@pytest.mark.parametrize("status", [WarningStatus.HANDLED, WarningStatus.DISMISSED])
def test_handled_or_dismissed_stays_so_while_the_condition_holds(regions: Any, status: str) -> None:
    laborer = unreachable_laborer()
    run()
    EarlyWarning.objects.filter(rule="unreachable").update(status=status, resolution="已核实")
    result = run()
    warning = live("unreachable")[f"L{laborer.pk}"]
    assert warning.status == status
    assert warning.resolution == "已核实"
    assert result.counts.raised == 0
    assert EarlyWarning.objects.filter(rule="unreachable").count() == 1


def test_handled_warning_is_resolved_when_the_condition_goes(regions: Any) -> None:
    laborer = unreachable_laborer()
    run()
    EarlyWarning.objects.filter(rule="unreachable").update(status=WarningStatus.HANDLED)
    Laborer.objects.filter(pk=laborer.pk).update(unreachable=False)
    run()
    assert EarlyWarning.objects.get(rule="unreachable").status == WarningStatus.RESOLVED


def test_fixed_due_date_is_kept_and_data_due_date_follows_the_data(regions: Any) -> None:
    household = HouseholdFactory()
    LaborerFactory(household=household)
    record = EmploymentRecordFactory(
        start_date=date(2025, 1, 1), end_date=TODAY - timedelta(days=10), end_reason="other"
    )
    run()
    run(today=TODAY + timedelta(days=3))
    zero = live("zero_employment")[f"H{household.pk}"]
    assert zero.due_date == TODAY + timedelta(days=30)  # first sight + 30, not moved by later runs
    record.end_date = TODAY - timedelta(days=9)
    record.save()
    run()
    assert live("leave_no_contact")[f"R{record.pk}"].due_date == TODAY - timedelta(days=2)


def test_disabling_a_rule_resolves_its_live_warnings(regions: Any) -> None:
    unreachable_laborer()
    run()
    WarningSettings.objects.create(province_id="430000000000", values={"unreachable": {"enabled": False}})
    run()
    assert live("unreachable") == {}
    assert EarlyWarning.objects.get(rule="unreachable").status == WarningStatus.RESOLVED


def test_severity_change_in_settings_updates_live_warnings(regions: Any) -> None:
    unreachable_laborer()
    run()
    WarningSettings.objects.create(province_id="430000000000", values={"unreachable": {"severity": "low"}})
    run()
    assert [w.severity for w in live("unreachable").values()] == ["low"]


def test_run_over_a_subtree_touches_only_its_warnings(regions: Any) -> None:
    inside = unreachable_laborer()
    outside = unreachable_laborer(household=HouseholdFactory(region_id="433123109201"))
    run()
    Laborer.objects.filter(pk__in=[inside.pk, outside.pk]).update(unreachable=False)
    result = run(region_prefix="433122")
    assert result.counts.resolved == 1
    assert set(live("unreachable")) == {f"L{outside.pk}"}


def test_run_over_households_touches_only_them_and_the_rules_asked(regions: Any) -> None:
    a, b = HouseholdFactory(), HouseholdFactory()
    la = LaborerFactory(household=a, unreachable=True)
    lb = LaborerFactory(household=b)
    run()
    assert set(live("zero_employment")) == {f"H{a.pk}", f"H{b.pk}"}
    EmploymentRecordFactory(laborer=la)
    EmploymentRecordFactory(laborer=lb)
    Laborer.objects.filter(pk=la.pk).update(unreachable=False)
    warnings_evaluate_households(household_ids=[a.pk], rules=EMPLOYMENT_RULES, today=TODAY)
    assert set(live("zero_employment")) == {f"H{b.pk}"}  # b was not re-evaluated
    assert set(live("unreachable")) == {f"L{la.pk}"}  # not an employment rule: left for the nightly run


def test_warnings_run_records_the_run(regions: Any) -> None:
    unreachable_laborer()
    run_row = warnings_run(today=TODAY)
    assert run_row.status == WarningRun.Status.SUCCEEDED
    assert run_row.raised == EarlyWarning.objects.count() > 0
    assert run_row.live == run_row.raised
    assert run_row.finished_at is not None
    assert run_row.seconds >= 0


def test_warnings_run_failure_is_recorded(regions: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from laborcoop.earlywarning import engine

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("数据库不可用")

    monkeypatch.setattr(engine, "warnings_evaluate", broken)
    with pytest.raises(RuntimeError):
        warnings_run()
    failed = WarningRun.objects.get()
    assert failed.status == WarningRun.Status.FAILED
    assert "数据库不可用" in failed.error


def test_run_warnings_command(regions: Any) -> None:
    unreachable_laborer()
    out = StringIO()
    call_command("run_warnings", "--date", TODAY.isoformat(), stdout=out)
    row = WarningRun.objects.get()
    assert f"预警运行 #{row.pk} 完成：新增 {row.raised} 条" in out.getvalue()
    assert row.raised > 0


def test_run_warnings_command_for_one_region_and_bad_input(regions: Any) -> None:
    call_command("run_warnings", "--region", "433122000000", stdout=StringIO())
    assert WarningRun.objects.get().scope_code == "433122000000"
    with pytest.raises(CommandError, match="区划代码 999999999999 不存在"):
        call_command("run_warnings", "--region", "999999999999")
    with pytest.raises(CommandError, match="日期格式应为"):
        call_command("run_warnings", "--date", "2026/11/22")


def test_nightly_task_runs_everything(regions: Any) -> None:
    from laborcoop.earlywarning.tasks import run_warnings_nightly

    unreachable_laborer()
    result = run_warnings_nightly.enqueue()
    run_row = WarningRun.objects.get(pk=result.return_value)
    assert run_row.status == WarningRun.Status.SUCCEEDED
    assert EarlyWarning.objects.filter(rule="unreachable").exists()
    assert timezone.now() >= run_row.finished_at
