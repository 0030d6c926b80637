"""Follow-up pages: the scope matrix of every page, the task list (order, filters, queries), logging from the
task page and the laborer page, the phone page's htmx flow, the laborer page's section, the unreachable list
and its xlsx."""

import io
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from laborcoop.core.models import AuditEntry
from laborcoop.employment.choices import EndReason
from laborcoop.employment.records.services import employment_record_end
from laborcoop.matching.services.warm import warm_index_reset
from laborcoop.registry.models import Laborer
from laborcoop.tracking.choices import ContactOutcome, TaskKind, TaskStatus
from laborcoop.tracking.followups.services import CONTACTED_ON_FUTURE, HINT_ADD_RECORD, METHOD_REQUIRED
from laborcoop.tracking.models import FollowUp, FollowUpTask
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import HouseholdFactory, LaborerFactory, fresh_id_number
from tests.tracking.followup_helpers import client_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def laborer(users: dict[str, Any]) -> Laborer:
    return LaborerFactory(name="向金花", id_number=fresh_id_number(), phone="13812345678", phone_last4="5678")


@pytest.fixture
def task(laborer: Laborer) -> FollowUpTask:
    return FollowUpTask.objects.create(
        laborer=laborer, region_id=laborer.region_id, kind=TaskKind.ROUTINE, due_date=TODAY() - timedelta(days=2)
    )


def post_log(**kw: str) -> dict[str, str]:
    body = {"contacted_on": TODAY().isoformat(), "method": "phone", "outcome": ContactOutcome.NOT_REACHED, "note": ""}
    body.update(kw)
    return body


# --- scope matrix ----------------------------------------------------------------------------------------------

PAGES = {
    "phone": lambda t: reverse("tracking:phone"),
    "task_list": lambda t: reverse("tracking:task_list"),
    "task_detail": lambda t: reverse("tracking:task_detail", args=[t.pk]),
    "phone_task": lambda t: reverse("tracking:phone_task", args=[t.pk]),
    "laborer_log": lambda t: reverse("tracking:laborer_log", args=[t.laborer_id]),
    "unreachable": lambda t: reverse("tracking:unreachable_list"),
}
# Pages of one object answer 404 to the wrong region; lists answer 200 without the row.
OBJECT_PAGES = {"task_detail", "phone_task", "laborer_log"}
WORK_PAGES = {"phone", "phone_task", "laborer_log"}  # need the registry edit capability


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_login(task: FollowUpTask, page: str) -> None:
    response = client_for(None).get(PAGES[page](task))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["hotline", "enterprise"])
def test_wrong_role_is_forbidden(users: dict[str, Any], task: FollowUpTask, page: str, role: str) -> None:
    response = client_for(users[role]).get(PAGES[page](task))
    assert response.status_code == 403
    assert "向金花" not in response.content.decode()


@pytest.mark.parametrize("page", sorted(WORK_PAGES))
def test_read_only_viewer_cannot_open_work_pages(users: dict[str, Any], task: FollowUpTask, page: str) -> None:
    assert client_for(users["viewer"]).get(PAGES[page](task)).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_right_role_wrong_region(users: dict[str, Any], task: FollowUpTask, page: str) -> None:
    Laborer.objects.filter(pk=task.laborer_id).update(unreachable=True)
    response = client_for(users["other_county_officer"]).get(PAGES[page](task))
    assert response.status_code == (404 if page in OBJECT_PAGES else 200)
    assert "向金花" not in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["broker", "township_officer", "county_officer"])
def test_right_role_right_region(users: dict[str, Any], task: FollowUpTask, page: str, role: str) -> None:
    Laborer.objects.filter(pk=task.laborer_id).update(unreachable=True)
    response = client_for(users[role]).get(PAGES[page](task))
    assert response.status_code == 200
    body = response.content.decode()
    assert "向金花" in body
    assert task.laborer.id_masked in body
    assert task.laborer.reveal_id_number() not in body


def test_a_broker_of_another_village_does_not_see_the_task(users: dict[str, Any], task: FollowUpTask) -> None:
    from tests.conftest import make_user

    neighbour = make_user("tianmenxi_t", "433122107202", ["broker"])
    assert "向金花" not in client_for(neighbour).get(reverse("tracking:phone")).content.decode()
    assert client_for(neighbour).get(reverse("tracking:task_detail", args=[task.pk])).status_code == 404


# --- the task list -----------------------------------------------------------------------------------------------


def test_task_list_overdue_first_with_filters(users: dict[str, Any], laborer: Laborer) -> None:
    later = LaborerFactory(name="李秀英")
    FollowUpTask.objects.create(laborer=later, region_id=later.region_id, kind=TaskKind.CONTACT, due_date=TODAY())
    FollowUpTask.objects.create(
        laborer=laborer, region_id=laborer.region_id, kind=TaskKind.ROUTINE, due_date=TODAY() - timedelta(days=5)
    )
    done = FollowUpTask.objects.create(
        laborer=laborer,
        region_id=laborer.region_id,
        kind=TaskKind.RETRAINING,
        due_date=TODAY() - timedelta(days=9),
        status=TaskStatus.DONE,
    )
    client = client_for(users["township_officer"])

    body = client.get(reverse("tracking:task_list")).content.decode()
    assert body.index("向金花") < body.index("李秀英")  # overdue first
    assert "已逾期" in body
    assert f'id="task-{done.pk}"' not in body

    body = client.get(reverse("tracking:task_list"), {"kind": TaskKind.CONTACT}).content.decode()
    assert "李秀英" in body
    assert "向金花" not in body
    body = client.get(reverse("tracking:task_list"), {"overdue": "on"}).content.decode()
    assert "向金花" in body
    assert "李秀英" not in body
    body = client.get(reverse("tracking:task_list"), {"status": "done"}).content.decode()
    assert f'id="task-{done.pk}"' in body
    assert "李秀英" not in body
    body = client.get(reverse("tracking:task_list"), {"region": "433122107202"}).content.decode()
    assert "没有符合条件的跟踪任务" in body


def test_task_list_query_count_does_not_grow_with_rows(
    users: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for i in range(12):
        person = LaborerFactory(household=HouseholdFactory(region_id=("433122107201", "433122107202")[i % 2]))
        FollowUpTask.objects.create(laborer=person, region_id=person.region_id, kind=TaskKind.ROUTINE, due_date=TODAY())
    client = client_for(users["county_officer"])
    client.get(reverse("tracking:task_list"))  # warm the session and the user
    with django_assert_max_num_queries(6):
        response = client.get(reverse("tracking:task_list"))
    assert response.content.decode().count('<tr id="task-') == 12


# --- logging from the desk pages ------------------------------------------------------------------------------------


def test_task_page_logs_the_outcome_and_closes_the_task(users: dict[str, Any], task: FollowUpTask) -> None:
    client = client_for(users["township_officer"])
    response = client.post(reverse("tracking:task_detail", args=[task.pk]), post_log(note="电话关机"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("tracking:task_list")
    body = response.content.decode()
    assert "已登记向金花的寻访：未联系上。" in body
    assert "已完成任务：定期寻访。" in body
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert FollowUp.objects.get().note == "电话关机"


def test_task_page_shows_errors_and_saves_nothing(users: dict[str, Any], task: FollowUpTask) -> None:
    tomorrow = (TODAY() + timedelta(days=1)).isoformat()
    response = client_for(users["broker"]).post(
        reverse("tracking:task_detail", args=[task.pk]), post_log(contacted_on=tomorrow, method="")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert CONTACTED_ON_FUTURE in body
    assert METHOD_REQUIRED in body
    assert FollowUp.objects.count() == 0
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_viewer_sees_the_task_without_the_form_and_cannot_post(users: dict[str, Any], task: FollowUpTask) -> None:
    client = client_for(users["viewer"])
    body = client.get(reverse("tracking:task_detail", args=[task.pk])).content.decode()
    assert "向金花" in body
    assert "登记寻访结果" not in body
    assert client.post(reverse("tracking:task_detail", args=[task.pk]), post_log()).status_code == 403
    assert FollowUp.objects.count() == 0


def test_a_done_task_can_no_longer_be_answered(users: dict[str, Any], task: FollowUpTask) -> None:
    FollowUpTask.objects.filter(pk=task.pk).update(status=TaskStatus.DONE)
    client = client_for(users["broker"])
    assert "登记寻访结果" not in client.get(reverse("tracking:task_detail", args=[task.pk])).content.decode()
    response = client.post(reverse("tracking:task_detail", args=[task.pk]), post_log())
    assert response.status_code == 400
    assert "该任务已完成或已取消" in response.content.decode()


def test_laborer_page_log_redirects_back_with_the_hint(users: dict[str, Any], laborer: Laborer) -> None:
    response = client_for(users["broker"]).post(
        reverse("tracking:laborer_log", args=[laborer.pk]), post_log(outcome=ContactOutcome.WORKING), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("registry:laborer_detail", args=[laborer.pk])
    body = response.content.decode()
    assert "已登记向金花的寻访：联系上，在岗。" in body
    assert HINT_ADD_RECORD in body


# --- the phone page --------------------------------------------------------------------------------------------------


def test_phone_flow_with_htmx(users: dict[str, Any], task: FollowUpTask) -> None:
    client = client_for(users["broker"])
    home = client.get(reverse("tracking:phone")).content.decode()
    assert "我的寻访任务" in home
    assert f'id="ptask-{task.pk}"' in home
    assert "已逾期" in home

    panel = client.get(reverse("tracking:phone_task", args=[task.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in panel
    assert "13812345678" not in panel  # masked until the broker taps 拨打电话 (an audited reveal)
    assert 'data-call-button="laborer"' in panel
    assert "138****5678" in panel
    assert task.laborer.id_masked in panel

    bad = client.post(reverse("tracking:phone_log", args=[task.pk]), post_log(outcome=""), HTTP_HX_REQUEST="true")
    assert bad.status_code == 200
    assert "请选择联系结果。" in bad.content.decode()
    assert "HX-Retarget" not in bad

    done = client.post(reverse("tracking:phone_log", args=[task.pk]), post_log(), HTTP_HX_REQUEST="true")
    assert done["HX-Retarget"] == "#phone-tasks"
    body = done.content.decode()
    assert f'id="ptask-{task.pk}"' not in body
    assert "已登记向金花的寻访：未联系上。" in body
    assert "暂无待办的寻访任务" in body


def test_phone_flow_without_javascript(users: dict[str, Any], task: FollowUpTask) -> None:
    client = client_for(users["broker"])
    page = client.get(reverse("tracking:phone_task", args=[task.pk])).content.decode()
    assert "<html" in page
    assert "保存寻访结果" in page
    bad = client.post(reverse("tracking:phone_log", args=[task.pk]), post_log(method=""))
    assert bad.status_code == 400
    response = client.post(reverse("tracking:phone_log", args=[task.pk]), post_log(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("tracking:phone")
    assert "已登记向金花的寻访" in response.content.decode()


# --- the laborer page section ---------------------------------------------------------------------------------------


def test_laborer_page_section(users: dict[str, Any], task: FollowUpTask) -> None:
    laborer = task.laborer
    FollowUp.objects.create(
        laborer=laborer, region_id=laborer.region_id, contacted_on=date(2026, 1, 5), method="visit", outcome="working"
    )
    url = reverse("registry:laborer_detail", args=[laborer.pk])
    body = client_for(users["broker"]).get(url).content.decode()
    section = body[body.index('id="laborer-followups"') :]
    assert "定期寻访" in section
    assert "2026-01-05" in section
    assert "入户走访" in section
    assert reverse("tracking:laborer_log", args=[laborer.pk]) in section
    assert reverse("tracking:task_detail", args=[task.pk]) in section

    viewer = client_for(users["viewer"]).get(url).content.decode()
    assert 'id="laborer-followups"' in viewer
    assert 'id="followup-log-link"' not in viewer
    hotline = client_for(users["hotline"]).get(url)
    assert hotline.status_code == 200
    assert 'id="laborer-followups"' not in hotline.content.decode()


def test_laborer_page_shows_the_next_planned_follow_up(users: dict[str, Any], laborer: Laborer) -> None:
    registered = timezone.now() - timedelta(days=400)
    Laborer.objects.filter(pk=laborer.pk).update(employment_status="employed", work_area="03", created_at=registered)
    EmploymentRecordFactory(laborer=laborer, start_date=TODAY() - timedelta(days=10), work_region_id="440306000000")
    body = client_for(users["broker"]).get(reverse("registry:laborer_detail", args=[laborer.pk])).content.decode()
    due = (TODAY() + timedelta(days=20)).isoformat()
    assert f'{due} <span class="muted">（每 30 天一次' in body


# --- leaving a job: the referral task shows the recommendations --------------------------------------------------


@pytest.fixture
def _no_warm_index() -> Iterator[None]:
    warm_index_reset()
    yield
    warm_index_reset()


@pytest.mark.usefixtures("_no_warm_index")
def test_referral_task_shows_the_recommendations_made_on_leaving(
    users: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from tests.matching.test_recommendations_setup import build_market

    market = build_market(users)
    laborer = market.luxi[0]
    record = EmploymentRecordFactory(laborer=laborer, start_date=TODAY() - timedelta(days=200))
    with django_capture_on_commit_callbacks(execute=True):
        employment_record_end(
            acting_user=users["county_officer"],
            record=record,
            end_date=TODAY(),
            end_reason=EndReason.RESIGNED,
            expected_version=record.version,
        )
    referral = FollowUpTask.objects.get(record=record, kind=TaskKind.REFERRAL)
    body = client_for(users["county_officer"]).get(reverse("tracking:task_detail", args=[referral.pk])).content
    assert "缝纫普工" in body.decode()
    assert "泸溪白沙制衣有限公司" in body.decode()


# --- the unreachable list -------------------------------------------------------------------------------------------


def test_unreachable_list_and_masked_xlsx(users: dict[str, Any], laborer: Laborer) -> None:
    since = TODAY() - timedelta(days=3)
    Laborer.objects.filter(pk=laborer.pk).update(unreachable=True, unreachable_since=since)
    for n, day in enumerate((9, 6, 3), start=1):
        FollowUp.objects.create(
            laborer=laborer,
            region_id=laborer.region_id,
            contacted_on=TODAY() - timedelta(days=day),
            method="phone",
            outcome="not_reached",
            failed_streak=n,
        )
    reachable = LaborerFactory(name="李秀英")
    client = client_for(users["township_officer"])

    body = client.get(reverse("tracking:unreachable_list")).content.decode()
    assert "向金花" in body
    assert "李秀英" not in body
    assert reachable.name not in body
    assert "3 次" in body
    assert since.isoformat() in body
    assert "138****5678" in body

    response = client.post(reverse("tracking:unreachable_export"), {"region": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("户编号", "姓名", "证件号码")
    assert len(rows) == 2
    row = rows[1]
    assert row[1] == "向金花"
    assert row[2] == laborer.id_masked
    assert row[5] == "138****5678"
    assert row[8] == since.isoformat()
    assert row[9] == 3
    assert laborer.reveal_id_number() not in repr(rows)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT, object_type="tracking.unreachable_list")
    assert (entry.actor_id, entry.changes["rows"], entry.changes["masked"]) == (users["township_officer"].pk, 1, True)


@pytest.mark.parametrize("role", ["hotline", "enterprise"])
def test_unreachable_export_refused_to_wrong_roles(users: dict[str, Any], laborer: Laborer, role: str) -> None:
    assert client_for(users[role]).post(reverse("tracking:unreachable_export"), {}).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_unreachable_export_of_another_region_is_empty(users: dict[str, Any], laborer: Laborer) -> None:
    Laborer.objects.filter(pk=laborer.pk).update(unreachable=True, unreachable_since=TODAY())
    response = client_for(users["other_county_officer"]).post(
        reverse("tracking:unreachable_export"),
        {"region": laborer.region_id},  # out of scope: ignored
    )
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert len(list(sheet.iter_rows(values_only=True))) == 1  # the header only
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.region_code == "433123000000"
