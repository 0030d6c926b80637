"""Stored uploads: encrypted at rest (chunked AES-GCM), read back by the pipeline, deleted after the retention
with the job row, issues and report kept, the retention shown on the page, and a purged job not re-runnable."""

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laborcoop.core import file_crypto
from laborcoop.core.errors import ConflictError
from laborcoop.core.file_crypto import MAGIC, FileDecryptError, decrypt_stream, encrypt_stream, read_decrypted
from laborcoop.core.uploads import UPLOAD_PURGED, purged_cannot_run_message
from laborcoop.intake.jobs import import_retry
from laborcoop.intake.models import ImportJob
from laborcoop.intake.services.pipeline import import_run
from tests.intake.helpers import family, run_file, write_xlsx

pytestmark = pytest.mark.django_db


def _stored(field_file: Any) -> bytes:
    with field_file.storage.open(field_file.name, "rb") as f:
        return bytes(f.read())


@pytest.fixture
def job(users: dict[str, Any], tmp_path: Path) -> ImportJob:
    rows = family("433122107201000001")
    rows[2]["文化程度"] = "博士后"  # a warning: the job gets an issue row and a report file
    path = write_xlsx(tmp_path / "人员.xlsx", rows)
    done = run_file(users["county_officer"], path)
    assert done.status == ImportJob.Status.SUCCEEDED, done.error
    done.plaintext = path.read_bytes()  # type: ignore[attr-defined]
    done.id_numbers = [r["证件号码"] for r in rows]  # type: ignore[attr-defined]
    return done


def test_stored_upload_is_encrypted_and_decrypts_to_the_upload(job: Any) -> None:
    stored = _stored(job.file)
    assert stored.startswith(MAGIC)
    assert stored != job.plaintext
    assert not any(number.encode() in stored for number in job.id_numbers)
    assert read_decrypted(job.file) == job.plaintext
    assert job.rows_done == 3  # the pipeline read the decrypted file


@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 128, 200])
def test_chunked_round_trip(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    monkeypatch.setattr(file_crypto, "CHUNK", 64)
    data = bytes(range(256))[:size] * 1
    sealed, plain = io.BytesIO(), io.BytesIO()
    encrypt_stream(io.BytesIO(data), sealed)
    decrypt_stream(io.BytesIO(sealed.getvalue()), plain)
    assert plain.getvalue() == data


def test_cut_short_or_tampered_files_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_crypto, "CHUNK", 64)
    sealed = io.BytesIO()
    encrypt_stream(io.BytesIO(b"x" * 200), sealed)
    whole = sealed.getvalue()
    header = len(MAGIC) + 7
    cut_at_record = whole[: header + 2 * (64 + 16)]  # two full records, the last one dropped
    flipped = whole[:-1] + bytes([whole[-1] ^ 1])
    for damaged in (cut_at_record, flipped, whole[:-5]):
        with pytest.raises(FileDecryptError):
            decrypt_stream(io.BytesIO(damaged), io.BytesIO())


def _age(job: ImportJob, days: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_purge_deletes_old_files_and_keeps_rows_issues_and_reports(
    users: dict[str, Any], job: ImportJob, tmp_path: Path
) -> None:
    recent = run_file(users["county_officer"], write_xlsx(tmp_path / "b.xlsx", family("433122107201000002")))
    _age(job, 31)
    storage, name, report = job.file.storage, job.file.name, job.report.name
    issues = job.issues.count()
    assert storage.exists(name)
    assert issues > 0

    out = io.StringIO()
    call_command("purge_uploads", stdout=out)
    call_command("purge_uploads", stdout=io.StringIO())  # idempotent

    job.refresh_from_db()
    recent.refresh_from_db()
    assert "intake.ImportJob: 1" in out.getvalue()
    assert not storage.exists(name)
    assert (job.file.name, job.file_purged) == ("", True)
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.rows_done == 3
    assert job.issues.count() == issues
    assert job.report.name == report
    assert storage.exists(report)
    assert recent.file_purged_at is None
    assert storage.exists(recent.file.name)


def test_purge_spares_a_running_job(job: ImportJob) -> None:
    _age(job, 40)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    call_command("purge_uploads", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.file_purged_at is None


def test_retention_is_configurable(settings: Any, job: ImportJob) -> None:
    settings.LABORCOOP_UPLOAD_RETENTION_DAYS = 7
    _age(job, 8)
    call_command("purge_uploads", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.file_purged


def test_job_page_shows_the_retention(users: dict[str, Any], job: ImportJob) -> None:
    client = Client()
    client.force_login(users["county_officer"])
    url = reverse("intake:job_detail", args=[job.pk])
    due = (timezone.localdate(job.created_at) + timedelta(days=30)).isoformat()

    before = client.get(url).content.decode()
    _age(job, 31)
    call_command("purge_uploads", stdout=io.StringIO())
    after = client.get(url).content.decode()

    assert f"原始文件加密保存，将于 {due} 按保留期限（30天）删除" in before
    assert UPLOAD_PURGED.format(days=30) in after
    assert f"原始文件已按保留期限（30天）删除（{timezone.localdate().isoformat()}）" in after


def test_a_purged_job_cannot_run_again(users: dict[str, Any], job: ImportJob) -> None:
    _age(job, 31)
    call_command("purge_uploads", stdout=io.StringIO())
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, error="中断")

    with pytest.raises(ConflictError) as refused:
        import_retry(acting_user=users["county_officer"], job_id=job.pk)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)  # e.g. recovered by the worker
    ran = import_run(job_id=job.pk)

    assert refused.value.message == purged_cannot_run_message()
    assert "无法重新运行" in refused.value.message
    assert (ran.status, ran.error) == (ImportJob.Status.FAILED, purged_cannot_run_message())


def test_encrypt_uploads_converts_clear_files(users: dict[str, Any], job: Any) -> None:
    storage, name = job.file.storage, job.file.name
    storage.delete(name)
    storage.save(name, io.BytesIO(job.plaintext))  # as stored before uploads were encrypted
    assert _stored(job.file) == job.plaintext
    assert read_decrypted(job.file) == job.plaintext  # still readable meanwhile

    call_command("encrypt_uploads", stdout=io.StringIO())
    call_command("encrypt_uploads", stdout=io.StringIO())  # idempotent: encrypted files are skipped

    assert _stored(job.file).startswith(MAGIC)
    assert read_decrypted(job.file) == job.plaintext


def test_the_issue_report_holds_masked_values_only(users: dict[str, Any], tmp_path: Path) -> None:
    """The report is kept after the purge: it must hold no clear ID or mobile number."""
    import zipfile

    rows = family("433122107201000003")
    rows[1]["证件号码"] = rows[0]["证件号码"]  # the same ID twice: reported with the (masked) ID
    rows[2]["成员联系电话"] = "1391234567"  # a bad number, reported (masked)
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "c.xlsx", rows))
    assert job.report

    with zipfile.ZipFile(io.BytesIO(_stored(job.report))) as book:
        text = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))
    assert rows[0]["证件号码"][:4] + "**********" + rows[0]["证件号码"][-4:] in text
    assert rows[0]["证件号码"] not in text
    assert "1391234567" not in text


def test_files_sealed_before_an_id_key_rotation_still_open(settings: Any) -> None:
    from laborcoop.core.crypto import generate_key

    sealed, plain = io.BytesIO(), io.BytesIO()
    encrypt_stream(io.BytesIO(b"433122199001011234"), sealed)
    previous = settings.LABORCOOP_ID_KEY
    settings.LABORCOOP_ID_KEY = generate_key()
    with pytest.raises(FileDecryptError):
        decrypt_stream(io.BytesIO(sealed.getvalue()), io.BytesIO())

    settings.LABORCOOP_ID_KEY_OLD = previous
    decrypt_stream(io.BytesIO(sealed.getvalue()), plain)
    assert plain.getvalue() == b"433122199001011234"
