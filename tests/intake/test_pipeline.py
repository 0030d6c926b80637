"""The job machinery: upload checks, permissions, the task, the command, chunk atomicity and resuming."""

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from laborcoop.core.errors import PermissionDeniedError
from laborcoop.core.file_crypto import read_decrypted
from laborcoop.core.models import AuditEntry
from laborcoop.intake.models import ImportJob
from laborcoop.intake.services import (
    FILE_REQUIRED,
    FILE_TOO_LARGE,
    import_create,
    import_run,
    kinds_for,
    pipeline,
)
from laborcoop.intake.services.common import SAVE_FAILED
from laborcoop.intake.services.persons import prefetch
from laborcoop.registry.identity import id_number_hash
from laborcoop.registry.models import Household, Laborer
from tests.factories import HouseholdFactory, LaborerFactory
from tests.intake.helpers import counts, errors, family, person, run_file, write_xlsx, xlsx_bytes

pytestmark = pytest.mark.django_db


def upload(name: str = "a.xlsx", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else xlsx_bytes(family("433122107201000001")))


def test_create_stores_file_and_digest(users: dict[str, Any]) -> None:
    data = xlsx_bytes(family("433122107201000001"))
    job = import_create(acting_user=users["county_officer"], uploaded_file=upload(data=data), kind="persons")
    import hashlib

    assert job.status == ImportJob.Status.QUEUED
    assert job.sha256 == hashlib.sha256(data).hexdigest()
    assert job.original_name == "a.xlsx"
    assert job.region_id == "433122000000"
    assert job.uploaded_by == users["county_officer"]
    assert job.file.name.startswith("imports/")
    assert job.file.name.endswith(".xlsx")
    with job.file.open("rb") as fh:
        assert fh.read() != data  # stored encrypted (tests/intake/test_upload_encryption.py)
    assert read_decrypted(job.file) == data


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.pdf", b"%PDF", "不支持的文件类型，请上传 xlsx、xls、ods 或 csv 文件"),
        ("a.xlsx", b"", "文件是空的，没有可导入的数据"),
    ],
)
def test_create_rejects_bad_files(users: dict[str, Any], name: str, data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        import_create(acting_user=users["county_officer"], uploaded_file=upload(name, data), kind="persons")
    assert exc.value.message_dict == {"file": [message]}
    assert ImportJob.objects.count() == 0


def test_create_rejects_missing_and_too_large(users: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError) as exc:
        import_create(acting_user=users["county_officer"], uploaded_file=None, kind="persons")
    assert exc.value.message_dict == {"file": [FILE_REQUIRED]}
    monkeypatch.setattr(pipeline, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(ValidationError) as exc:
        import_create(acting_user=users["county_officer"], uploaded_file=upload(), kind="persons")
    assert exc.value.message_dict == {"file": [FILE_TOO_LARGE]}


@pytest.mark.parametrize("kind", ["persons", "work", "enterprises", "jobs"])
def test_every_kind_is_open_to_a_county_officer(users: dict[str, Any], kind: str) -> None:
    job = import_create(acting_user=users["county_officer"], uploaded_file=upload(), kind=kind, enqueue=False)
    assert (job.kind, job.status) == (kind, ImportJob.Status.QUEUED)
    assert kinds_for(users["county_officer"]) == ["persons", "work", "enterprises", "jobs"]


@pytest.mark.parametrize("role_user", ["viewer", "hotline", "enterprise"])
def test_roles_without_edit_cannot_import_persons(users: dict[str, Any], role_user: str) -> None:
    with pytest.raises(PermissionDeniedError):
        import_create(acting_user=users[role_user], uploaded_file=upload(), kind="persons")
    assert ImportJob.objects.count() == 0


def test_task_runs_after_commit(users: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = import_create(acting_user=users["county_officer"], uploaded_file=upload(), kind="persons")
    # The import's task, then (queued by its chunk) the matching of the people it brought in.
    assert len(callbacks) == 2
    assert callbacks[1].args[0] == sorted(Laborer.objects.values_list("pk", flat=True))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert counts(job)["created"] == 3


def test_run_is_idempotent_on_finished_job(users: dict[str, Any], tmp_path: Path) -> None:
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", family("433122107201000001")))
    again = import_run(job_id=job.pk)
    assert (again.status, counts(again)) == (ImportJob.Status.SUCCEEDED, counts(job))
    assert Laborer.objects.count() == 3


def test_command_imports_and_prints_counts(users: dict[str, Any], tmp_path: Path, capsys: Any) -> None:
    rows = [*family("433122107201000001"), person("433122107201000002", id_number="4.33122E+17")]
    path = write_xlsx(tmp_path / "a.xlsx", rows)
    call_command("import_file", str(path), kind="persons", user="xian_t")
    out = capsys.readouterr().out
    job = ImportJob.objects.get()
    assert f"导入完成（任务 {job.pk}）：共 4 行，新增 3 行，更新 0 行，无变化 0 行，拒绝 1 行，有提示 0 行。" in out
    assert f"问题报告：{job.report.name}" in out


def test_command_refuses_viewer(users: dict[str, Any], tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", family("433122107201000001"))
    with pytest.raises(CommandError, match="您的角色无权执行此操作"):
        call_command("import_file", str(path), kind="persons", user="viewer_t")


def test_row_refused_by_database_is_rejected_whole_and_others_saved(
    users: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row that hits a unique constraint (here: a registration the prefetch does not see, as if made
    concurrently) is rejected; the other rows of its chunk are saved, and nothing of it is."""
    other = HouseholdFactory(household_no="433122107201000099", region_id="433122107201")
    rows = family("433122107201000001")
    LaborerFactory(household=other, id_number=rows[2]["证件号码"], name="已登记", relation="户主")
    real = prefetch.existing_laborers
    monkeypatch.setattr(
        prefetch, "existing_laborers", lambda hashes: {k: v for k, v in real(hashes).items() if v.name != "已登记"}
    )
    audits = AuditEntry.objects.count()

    job = run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", rows))

    assert counts(job) == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1, "warned": 0}
    assert errors(job) == [(4, SAVE_FAILED)]
    household = Household.objects.get(household_no="433122107201000001")
    assert sorted(household.members.values_list("name", flat=True)) == ["张建国", "李秀英"]
    assert Laborer.objects.get(id_number_hash=id_number_hash(rows[2]["证件号码"])).name == "已登记"
    assert AuditEntry.objects.count() == audits + 3  # the household and two members, nothing of row 4


def test_resume_after_crash_does_not_duplicate(
    users: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [r for n in range(5) for r in family(f"43312210720100000{n}")]
    path = write_xlsx(tmp_path / "a.xlsx", rows)
    job = import_create(
        acting_user=users["county_officer"], uploaded_file=upload(data=path.read_bytes()), kind="persons", enqueue=False
    )
    real = pipeline._run_chunk
    calls = {"n": 0}

    def crash_after_two(*args: Any) -> None:
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the worker is killed: nothing catches this
        calls["n"] += 1
        real(*args)

    monkeypatch.setattr(pipeline, "_run_chunk", crash_after_two)
    with pytest.raises(KeyboardInterrupt):
        import_run(job_id=job.pk, chunk_rows=3)
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_created) == (ImportJob.Status.RUNNING, 6, 6)
    assert Laborer.objects.count() == 6

    monkeypatch.setattr(pipeline, "_run_chunk", real)
    job = import_run(job_id=job.pk, chunk_rows=3)

    assert job.status == ImportJob.Status.SUCCEEDED
    assert (job.rows_done, job.rows_total) == (15, 15)
    assert counts(job) == {"created": 15, "updated": 0, "unchanged": 0, "rejected": 0, "warned": 0}
    assert Laborer.objects.count() == 15
    assert Household.objects.count() == 5
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).count() == 20


def test_chunks_keep_households_together(users: dict[str, Any], tmp_path: Path) -> None:
    """With chunks of 2 rows, each 3-person household still lands in one chunk (its rules see all members)."""
    rows = [r for n in range(3) for r in family(f"43312210720100000{n}")]
    path = write_xlsx(tmp_path / "a.xlsx", rows)
    job = import_create(
        acting_user=users["county_officer"], uploaded_file=upload(data=path.read_bytes()), kind="persons", enqueue=False
    )
    job = import_run(job_id=job.pk, chunk_rows=2)
    assert counts(job)["created"] == 9
