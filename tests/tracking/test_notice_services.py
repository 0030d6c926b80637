"""Destination notices (去向通报): created once per record started outside the home county, kept in step with the
record, announced to both sides once; the input side's answers with version, audit and permissions."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from laborcoop.core.errors import ConflictError, ObjectNotFound, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.employment.choices import EndReason
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records.services import EmploymentData, employment_record_end, employment_record_update
from laborcoop.intake.models import ImportJob
from laborcoop.notifications.models import Notification
from laborcoop.tracking.choices import NoticeStatus
from laborcoop.tracking.models import DestinationNotice
from laborcoop.tracking.notices import services as notices
from laborcoop.tracking.notices.messages import DIGEST_AFTER
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import LaborerFactory, fresh_id_number
from tests.intake.helpers import counts, run_file, write_xlsx
from tests.tracking.notice_helpers import BAOAN, FENGHUANG, LIXIA, hire, input_users

pytestmark = pytest.mark.django_db

NOTICE = "tracking.destinationnotice"


@pytest.fixture
def people(users: dict[str, Any]) -> dict[str, Any]:
    return input_users(users)


@pytest.fixture
def laborer(people: dict[str, Any]) -> Any:
    return LaborerFactory(name="向金花")


def messages_of(notice: DestinationNotice) -> list[Notification]:
    return list(Notification.objects.filter(dedupe_key__startswith=f"destination_notice:{notice.pk}:").order_by("pk"))


# --- creation ------------------------------------------------------------------------------------------------


def test_hire_in_another_county_creates_one_notice(people: dict[str, Any], laborer: Any) -> None:
    record = hire(people["county_officer"], laborer)

    notice = DestinationNotice.objects.get()
    assert (notice.record, notice.laborer, notice.region_id, notice.work_region_id) == (
        record,
        laborer,
        laborer.region_id,
        LIXIA,
    )
    assert (notice.status, notice.version, notice.confirmed_by, notice.note) == (NoticeStatus.SENT, 1, None, "")
    entry = AuditEntry.objects.get(object_type=NOTICE)
    assert (entry.action, entry.actor, entry.object_id, entry.reason) == (
        "create",
        people["county_officer"],
        str(notice.pk),
        notices.REASON_CREATED,
    )
    assert entry.changes["work_region"] == [None, LIXIA]


@pytest.mark.parametrize(("county", "expected"), [("433122", 0), (FENGHUANG, 1), (BAOAN, 1)])
def test_notice_only_outside_the_home_county(people: dict[str, Any], laborer: Any, county: str, expected: int) -> None:
    hire(people["county_officer"], laborer, county=county)
    assert DestinationNotice.objects.count() == expected


def test_a_past_job_elsewhere_gets_no_notice(people: dict[str, Any], laborer: Any) -> None:
    hire(people["county_officer"], laborer, start=date(2023, 1, 1), end=date(2023, 6, 30))
    assert DestinationNotice.objects.count() == 0


def test_an_edit_that_keeps_the_county_keeps_the_notice(people: dict[str, Any], laborer: Any) -> None:
    officer = people["county_officer"]
    record = hire(officer, laborer)
    notice = DestinationNotice.objects.get()
    sent = Notification.objects.count()
    data = EmploymentData.from_record(record)
    employment_record_update(
        acting_user=officer,
        record=record,
        data=EmploymentData(**{**data.__dict__, "monthly_wage": 5200}),
        expected_version=record.version,
        confirm_warnings=True,
    )
    assert list(DestinationNotice.objects.values_list("pk", "version", "work_region_id")) == [(notice.pk, 1, LIXIA)]
    assert Notification.objects.count() == sent
    assert AuditEntry.objects.filter(object_type=NOTICE).count() == 1


def test_a_new_work_county_resends_the_notice(people: dict[str, Any], laborer: Any) -> None:
    officer = people["county_officer"]
    record = hire(officer, laborer)
    notice = DestinationNotice.objects.get()
    notices.destination_notice_confirm(acting_user=people["lixia_officer"], notice_id=notice.pk, expected_version=1)
    data = EmploymentData.from_record(record)
    employment_record_update(
        acting_user=officer,
        record=EmploymentRecord.objects.get(pk=record.pk),
        data=EmploymentData(**{**data.__dict__, "work_county": BAOAN}),
        expected_version=record.version,
        confirm_warnings=True,
    )
    notice.refresh_from_db()
    assert (notice.work_region_id, notice.status, notice.confirmed_by, notice.confirmed_at, notice.version) == (
        BAOAN,
        NoticeStatus.SENT,
        None,
        None,
        3,
    )
    assert DestinationNotice.objects.count() == 1
    moved = AuditEntry.objects.get(object_type=NOTICE, reason=notices.REASON_MOVED)
    assert moved.changes["work_region"] == [LIXIA, BAOAN]
    assert moved.changes["status"] == [NoticeStatus.CONFIRMED, NoticeStatus.SENT]
    # The new input side hears of it; the old one is not told again.
    baoan = [n for n in messages_of(notice) if n.recipient_user == people["baoan_officer"]]
    assert [n.dedupe_key for n in baoan] == [f"destination_notice:{notice.pk}:v3:input:u{people['baoan_officer'].pk}"]
    assert Notification.objects.filter(recipient_user=people["lixia_officer"]).count() == 1


def test_moving_the_work_into_the_home_county_withdraws_the_notice(people: dict[str, Any], laborer: Any) -> None:
    officer = people["county_officer"]
    record = hire(officer, laborer)
    notice = DestinationNotice.objects.get()
    data = EmploymentData.from_record(record)
    employment_record_update(
        acting_user=officer,
        record=record,
        data=EmploymentData(**{**data.__dict__, "work_county": "433122"}),
        expected_version=record.version,
        confirm_warnings=True,
    )
    assert DestinationNotice.objects.count() == 0
    entry = AuditEntry.objects.get(object_type=NOTICE, action="delete")
    assert (entry.object_id, entry.reason, entry.actor) == (str(notice.pk), notices.REASON_WITHDRAWN, officer)
    assert entry.changes["work_region"] == [LIXIA, None]


def test_ending_the_job_keeps_the_notice(people: dict[str, Any], laborer: Any) -> None:
    officer = people["county_officer"]
    record = hire(officer, laborer)
    employment_record_end(
        acting_user=officer,
        record=record,
        end_date=date(2025, 9, 30),
        end_reason=EndReason.CONTRACT_EXPIRED,
        expected_version=1,
    )
    assert DestinationNotice.objects.filter(record=record, status=NoticeStatus.SENT).count() == 1


def test_a_record_without_a_notice_gets_one_when_it_is_written_again(people: dict[str, Any], laborer: Any) -> None:
    """Records from before this feature (or written without the signal) get their notice on their next write."""
    record = EmploymentRecordFactory(laborer=laborer, work_region_id=LIXIA, start_date=date(2025, 1, 1))
    notices.destination_notices_sync(records=[record], acting_user=None)
    notices.destination_notices_sync(records=[record], acting_user=None)
    assert DestinationNotice.objects.filter(record=record).count() == 1
    assert AuditEntry.objects.get(object_type=NOTICE).actor is None


# --- messages to both sides -------------------------------------------------------------------------------------


def test_both_sides_are_told_once_output_named_input_masked_but_for_the_employer(
    people: dict[str, Any], laborer: Any
) -> None:
    enterprise_user = people["enterprise"]
    record = hire(people["county_officer"], laborer, enterprise_id=enterprise_user.enterprise_id)
    notice = DestinationNotice.objects.get()
    # Repeating the write's signal (a retried chunk) changes nothing.
    notices.destination_notices_sync(records=[record], acting_user=None)

    found = messages_of(notice)
    by_user = {(n.recipient_user.username, n.template) for n in found}
    assert by_user == {
        ("xian_t", "destination_notice"),  # the home county
        ("xiang_t", "destination_notice"),  # the home township (黑塘村 is in 武溪镇)
        ("lixia_t", "destination_notice_input"),  # the work county's officer (not 山东省's: the county has one)
        ("qiye_t", "destination_notice_input"),  # the enterprise's user
    }
    assert len(found) == 4
    assert all(n.channel == "in_app" and n.status == "sent" for n in found)
    for n in found:
        if n.template == "destination_notice":
            assert "向金花" in n.body
            assert n.region_id == laborer.region_id
        elif n.recipient_user.username == "qiye_t":  # the employer names its new staff member (issue 13)
            assert "向金花" in n.body
            assert laborer.id_masked not in n.body
            assert n.url == "/tracking/notices/input/"
        else:
            assert "向金花" not in n.body + n.subject + str(n.context)
            assert "向**" in n.body
            assert laborer.id_last4 in n.body
            assert laborer.id_masked not in n.body
            assert n.region_id == LIXIA
            assert n.url == "/tracking/notices/input/"
    officer_message = next(n for n in found if n.recipient_user.username == "xian_t")
    assert officer_message.body == (
        "泸溪县：你地劳动者向金花已于2025-03-01在山东省济南市历下区济南测试制造有限公司上岗（制造业）。请做好跟踪服务。"
    )


def test_the_province_hears_only_when_the_county_has_no_officer(people: dict[str, Any], laborer: Any) -> None:
    people["lixia_officer"].is_active = False
    people["lixia_officer"].save(update_fields=["is_active"])
    hire(people["county_officer"], laborer)
    notice = DestinationNotice.objects.get()
    inputs = [n.recipient_user.username for n in messages_of(notice) if n.template == "destination_notice_input"]
    assert inputs == ["shandong_t"]


def test_many_notices_of_one_write_make_one_summary_per_recipient(people: dict[str, Any]) -> None:
    n = DIGEST_AFTER + 3
    records = [
        EmploymentRecordFactory(laborer=LaborerFactory(), work_region_id=LIXIA, start_date=date(2025, 2, 1))
        for _ in range(n)
    ]
    result = notices.destination_notices_sync(records=records, acting_user=None)
    assert (result.created, result.messages) == (n, 3)  # 泸溪县, 武溪镇, 历下区: one summary each
    digests = Notification.objects.filter(dedupe_key__startswith="destination_notice_digest:").order_by("pk")
    assert sorted((d.recipient_user.username, d.template) for d in digests) == [
        ("lixia_t", "destination_notice_input_digest"),
        ("xian_t", "destination_notice_digest"),
        ("xiang_t", "destination_notice_digest"),
    ]
    lixia = next(d for d in digests if d.recipient_user.username == "lixia_t")
    assert f"有{n}名外地劳动者到你地务工（来自湖南省湘西土家族苗族自治州泸溪县{n}人）" in lixia.body
    assert not Notification.objects.filter(dedupe_key__startswith="destination_notice:").exists()


def test_notices_of_an_import_chunk_are_set_based(people: dict[str, Any]) -> None:
    """The number of queries of a chunk does not grow with its records (no recipients: notices only)."""
    for user in people.values():
        user.is_active = False
        user.save(update_fields=["is_active"])

    def run(size: int) -> int:
        records = [
            EmploymentRecordFactory(laborer=LaborerFactory(), work_region_id=LIXIA, start_date=date(2025, 2, 1))
            for _ in range(size)
        ]
        with CaptureQueriesContext(connection) as ctx:
            result = notices.destination_notices_sync(records=records, acting_user=None)
        assert result.created == size
        return len(ctx.captured_queries)

    assert run(2) == run(40)


# --- the work import --------------------------------------------------------------------------------------------

WORK_HEADERS = [
    "证件号码",
    "姓名",
    "是否已务工",
    "开始时间",
    "结束时间",
    "务工所在县",
    "务工月收入",
    "务工企业名称",
    "就业渠道",
]


def test_imported_records_produce_notices(people: dict[str, Any], tmp_path: Path) -> None:
    ids = [fresh_id_number() for _ in range(4)]
    laborers = [LaborerFactory(id_number=number, name=f"王{i}") for i, number in enumerate(ids)]
    rows = [
        {"证件号码": ids[0], "姓名": "王0", "是否已务工": "是", "开始时间": "2025-03-01", "务工所在县": "济南市历下区"},
        {"证件号码": ids[1], "姓名": "王1", "是否已务工": "是", "开始时间": "2025-03-01", "务工所在县": "宝安区"},
        {"证件号码": ids[2], "姓名": "王2", "是否已务工": "是", "开始时间": "2025-03-01", "务工所在县": "泸溪县"},
        {
            "证件号码": ids[3],
            "姓名": "王3",
            "是否已务工": "否",
            "开始时间": "2024-03-01",
            "结束时间": "2024-10-31",
            "务工所在县": "宝安区",
        },
    ]
    for row in rows:
        row.update({"务工月收入": "4500", "务工企业名称": "外地工厂", "就业渠道": "外出务工"})
    job = run_file(people["county_officer"], write_xlsx(tmp_path / "work.xlsx", rows, WORK_HEADERS), "work")

    assert job.status == ImportJob.Status.SUCCEEDED, job.error
    assert counts(job)["created"] == 4
    found = dict(DestinationNotice.objects.values_list("laborer_id", "work_region_id"))
    assert found == {laborers[0].pk: LIXIA, laborers[1].pk: BAOAN}
    # Importing the same file again writes nothing and announces nothing new.
    sent = Notification.objects.count()
    again = run_file(people["county_officer"], write_xlsx(tmp_path / "work2.xlsx", rows, WORK_HEADERS), "work")
    assert counts(again)["unchanged"] == 4
    assert (DestinationNotice.objects.count(), Notification.objects.count()) == (2, sent)


# --- the input side's answer ------------------------------------------------------------------------------------


@pytest.fixture
def notice(people: dict[str, Any], laborer: Any) -> DestinationNotice:
    hire(people["county_officer"], laborer, enterprise_id=people["enterprise"].enterprise_id)
    return DestinationNotice.objects.get()


def test_confirm_sets_the_status_and_audits(people: dict[str, Any], notice: DestinationNotice) -> None:
    officer = people["lixia_officer"]
    saved = notices.destination_notice_confirm(acting_user=officer, notice_id=notice.pk, expected_version=1)
    saved.refresh_from_db()
    assert (saved.status, saved.confirmed_by, saved.version, saved.note) == (NoticeStatus.CONFIRMED, officer, 2, "")
    assert saved.confirmed_at is not None
    entry = AuditEntry.objects.get(object_type=NOTICE, action="update")
    assert (entry.actor, entry.reason, entry.changes["status"]) == (
        officer,
        notices.REASON_CONFIRMED,
        [NoticeStatus.SENT, NoticeStatus.CONFIRMED],
    )


def test_not_arrived_needs_a_note_and_keeps_it(people: dict[str, Any], notice: DestinationNotice) -> None:
    user = people["enterprise"]
    with pytest.raises(ValidationError) as exc:
        notices.destination_notice_report_not_arrived(
            acting_user=user, notice_id=notice.pk, expected_version=1, note=" "
        )
    assert exc.value.message_dict == {"note": [notices.NOTE_REQUIRED]}
    with pytest.raises(ValidationError) as exc:
        notices.destination_notice_report_not_arrived(
            acting_user=user, notice_id=notice.pk, expected_version=1, note="长" * 201
        )
    assert exc.value.message_dict == {"note": [notices.NOTE_TOO_LONG]}
    notice.refresh_from_db()
    assert (notice.status, notice.version) == (NoticeStatus.SENT, 1)
    assert not AuditEntry.objects.filter(object_type=NOTICE, action="update").exists()

    notices.destination_notice_report_not_arrived(
        acting_user=user, notice_id=notice.pk, expected_version=1, note="未报到，电话无人接听"
    )
    notice.refresh_from_db()
    assert (notice.status, notice.note, notice.confirmed_by, notice.version) == (
        NoticeStatus.NOT_ARRIVED,
        "未报到，电话无人接听",
        user,
        2,
    )
    # Arrived late: the answer can be changed, with the current version.
    notices.destination_notice_confirm(acting_user=user, notice_id=notice.pk, expected_version=2)
    notice.refresh_from_db()
    assert (notice.status, notice.note, notice.version) == (NoticeStatus.CONFIRMED, "", 3)
    with pytest.raises(ValidationError) as exc:
        notices.destination_notice_confirm(acting_user=user, notice_id=notice.pk, expected_version=3)
    assert exc.value.message_dict == {"status": [notices.ALREADY_CONFIRMED]}


def test_a_stale_version_is_a_conflict(people: dict[str, Any], notice: DestinationNotice) -> None:
    notices.destination_notice_confirm(acting_user=people["lixia_officer"], notice_id=notice.pk, expected_version=1)
    with pytest.raises(ConflictError):
        notices.destination_notice_report_not_arrived(
            acting_user=people["enterprise"], notice_id=notice.pk, expected_version=1, note="未到岗"
        )
    notice.refresh_from_db()
    assert (notice.status, notice.version, notice.confirmed_by) == (NoticeStatus.CONFIRMED, 2, people["lixia_officer"])
    assert AuditEntry.objects.filter(object_type=NOTICE, action="update").count() == 1


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("county_officer", PermissionDeniedError),  # the output side sees it but may not answer
        ("lixia_viewer", PermissionDeniedError),  # right region, read-only role
        ("broker", PermissionDeniedError),  # no enterprise capability at all
        ("baoan_officer", ObjectNotFound),  # another input region
        ("other_county_officer", ObjectNotFound),  # neither side
    ],
)
def test_only_the_input_side_may_answer(
    people: dict[str, Any], notice: DestinationNotice, who: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        notices.destination_notice_confirm(acting_user=people[who], notice_id=notice.pk, expected_version=1)
    notice.refresh_from_db()
    assert (notice.status, notice.version) == (NoticeStatus.SENT, 1)


def test_the_output_side_is_told_why(people: dict[str, Any], notice: DestinationNotice) -> None:
    with pytest.raises(PermissionDeniedError) as exc:
        notices.destination_notice_confirm(
            acting_user=people["county_officer"], notice_id=notice.pk, expected_version=1
        )
    assert exc.value.message == "到岗情况由务工所在地（输入地）或用工企业确认，户籍所在地只能查看。"


def test_another_enterprise_cannot_answer(people: dict[str, Any], notice: DestinationNotice) -> None:
    from tests.conftest import make_user
    from tests.factories import EnterpriseFactory

    stranger = make_user("qiye2_t", LIXIA, ["enterprise"], enterprise=EnterpriseFactory(region_id=LIXIA))
    with pytest.raises(ObjectNotFound):
        notices.destination_notice_confirm(acting_user=stranger, notice_id=notice.pk, expected_version=1)
