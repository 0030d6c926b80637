"""Import jobs: storing an upload (`import_create`) and running it (`import_run`).

`import_run` is what the task and the `import_file` command call. It is idempotent (a finished job is
returned as it is) and resumable: rows are processed in chunks, and each chunk's rows, issues, counters and
`rows_done` are committed in one transaction, so a worker killed mid-file continues after the last committed
chunk without writing a row twice.
"""

import gc
import hashlib
import logging
import re
import threading
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from laborcoop.accounts.access import enterprise_of, is_enterprise_user, require_cap, user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.errors import PermissionDeniedError
from laborcoop.core.file_crypto import FileDecryptError, open_decrypted, save_encrypted
from laborcoop.core.uploads import UPLOAD_UNREADABLE, purged_cannot_run_message
from laborcoop.intake.columns import COLUMNS, ImportKind, map_headers
from laborcoop.intake.jobs import IMPORT_JOB
from laborcoop.intake.models import ImportIssue, ImportJob
from laborcoop.intake.readers import (
    CSV_EXTENSION,
    EMPTY_FILE,
    SPREADSHEET_EXTENSIONS,
    UNSUPPORTED_FILE_TYPE,
    ReadError,
    read_table,
)
from laborcoop.intake.report import report_build
from laborcoop.intake.services.bulk import insert_objects
from laborcoop.intake.services.common import ChunkOutcome, Importer, Row
from laborcoop.intake.services.enterprise_reports import EnterpriseReportsImporter
from laborcoop.intake.services.enterprises import EnterprisesImporter
from laborcoop.intake.services.jobs import JobsImporter
from laborcoop.intake.services.persons import PersonsImporter
from laborcoop.intake.services.work import WorkImporter

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
FILE_REQUIRED = "请选择要上传的文件"
FILE_TOO_LARGE = "文件超过 50 MB，请拆分成多个文件后分批上传"
KIND_INVALID = "请选择导入类型"
ENTERPRISE_USER_CANNOT_IMPORT = "企业用户不能批量导入，请逐条登记或联系当地人社部门"
ENT_REPORT_ENTERPRISE_ONLY = "企业报送表只能由绑定企业的企业用户上传"
UPLOADER_GONE = "上传人账号已停用或已无导入权限，任务未执行"
NO_DATA_ROWS = "表头下方没有数据行"
INTERNAL_ERROR = "导入时发生内部错误，已处理的行已保存；请联系管理员并提供任务编号 {id}"

CHUNK_ROWS = 2000
ALLOWED_EXTENSIONS = frozenset([*SPREADSHEET_EXTENSIONS, CSV_EXTENSION])

KIND_CAP: dict[str, str] = {
    ImportKind.PERSONS: Cap.REGISTRY_EDIT,
    ImportKind.WORK: Cap.REGISTRY_EDIT,
    ImportKind.ENTERPRISES: Cap.EMPLOYERS_EDIT,
    ImportKind.JOBS: Cap.JOBS_EDIT,
    ImportKind.ENT_REPORT: Cap.EMPLOYERS_EDIT,
}
IMPORTERS: dict[str, type[Importer]] = {
    ImportKind.PERSONS: PersonsImporter,
    ImportKind.WORK: WorkImporter,
    ImportKind.ENTERPRISES: EnterprisesImporter,
    ImportKind.JOBS: JobsImporter,
    ImportKind.ENT_REPORT: EnterpriseReportsImporter,
}


def importer_class(kind: str) -> type[Importer]:
    return IMPORTERS[kind]


def _kind_fits_user(user: Any, kind: str) -> bool:
    """Enterprise users upload only their reports (企业报送), which only they upload."""
    if kind == ImportKind.ENT_REPORT:
        return enterprise_of(user) is not None
    return not is_enterprise_user(user)


def kinds_for(user: Any) -> list[str]:
    """The import kinds this user may upload now (for the upload form)."""
    return [kind for kind in IMPORTERS if _kind_fits_user(user, kind) and user_can(user, KIND_CAP[kind])]


def require_can_import(user: Any, kind: str) -> None:
    require_cap(user, KIND_CAP[kind])
    if not _kind_fits_user(user, kind):
        raise PermissionDeniedError(
            ENT_REPORT_ENTERPRISE_ONLY if kind == ImportKind.ENT_REPORT else ENTERPRISE_USER_CANNOT_IMPORT
        )


def _extension(name: str) -> str:
    return Path(name or "").suffix.lower()


@transaction.atomic
def import_create(*, acting_user: Any, uploaded_file: Any, kind: str, enqueue: bool = True) -> ImportJob:
    """Store an uploaded file as a queued import job and enqueue it (after commit).

    Raises PermissionDeniedError when the user's roles may not import this kind, ValidationError with
    Chinese messages on `file` / `kind` for a missing, empty, too large or unsupported file.
    """
    if kind not in ImportKind.values:
        raise ValidationError({"kind": [KIND_INVALID]})
    require_can_import(acting_user, kind)
    if uploaded_file is None:
        raise ValidationError({"file": [FILE_REQUIRED]})
    name = Path(str(uploaded_file.name or "")).name[:200]
    extension = _extension(name)
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError({"file": [UNSUPPORTED_FILE_TYPE]})
    if uploaded_file.size is not None and uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": [FILE_TOO_LARGE]})
    if not uploaded_file.size:
        raise ValidationError({"file": [EMPTY_FILE]})

    digest = hashlib.sha256()
    for piece in uploaded_file.chunks():
        digest.update(piece)
    sha256 = digest.hexdigest()
    uploaded_file.seek(0)
    job = ImportJob(
        kind=kind,
        original_name=name,
        sha256=sha256,
        uploaded_by=acting_user,
        region_id=getattr(acting_user, "home_region_id", None),
    )
    # Stored under its digest, not its name: file names may carry people's or villages' names.
    save_encrypted(job.file, f"{sha256[:20]}{extension}", uploaded_file)
    job.save()
    if enqueue:
        # Queued by the job kind's task path (core.jobs.RowJob): the task module imports these services.
        transaction.on_commit(lambda: IMPORT_JOB.enqueue(job.pk))
    return job


# --- running ----------------------------------------------------------------------------------------------


def _claim(job_id: int) -> ImportJob | None:
    """Mark a queued job running; None when it is already finished. A job found running is resumed."""
    now = timezone.now()
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=now, updated_at=now
    )
    job = ImportJob.objects.select_related("uploaded_by", "uploaded_by__home_region").get(pk=job_id)
    return None if job.is_finished else job


def _fail(job: ImportJob, message: str) -> ImportJob:
    job.status = ImportJob.Status.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "updated_at"])
    return job


def _expected_headers(kind: str) -> list[str]:
    return [text for column in COLUMNS[ImportKind(kind)] for text in (column.label, *column.aliases)]


_DIMENSION_RE = re.compile(rb'<dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


def estimate_rows(job: ImportJob, source: Any, header_row: int) -> int:
    """The number of data rows, read cheaply where the format records it (xlsx `<dimension>` of the only
    or first sheet, CSV line count); 0 when unknown. Progress uses it; the final count replaces it."""
    extension = _extension(job.original_name)
    try:
        if extension == ".xlsx":
            with zipfile.ZipFile(source) as archive:
                sheets = sorted(n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
                if not sheets:
                    return 0
                with archive.open(sheets[0]) as xml:
                    match = _DIMENSION_RE.search(xml.read(4096))
            return max(0, int(match.group(1)) - header_row) if match and match.group(1) else 0
        if extension == CSV_EXTENSION:
            data = source.read_bytes() if isinstance(source, Path) else (source.seek(0), source.read())[1]
            return max(0, data.count(b"\n") - header_row + (0 if data.endswith(b"\n") else 1))
    except (OSError, ValueError, zipfile.BadZipFile):
        return 0
    finally:
        if not isinstance(source, Path):
            source.seek(0)
    return 0


def _chunks(rows: Iterable[Row], importer: Importer, *, skip: int, size: int) -> Iterator[list[Row]]:
    """Rows in chunks of about `size`, never splitting a group (household) unless it grows past 2 x size."""
    iterator = iter(rows)
    for _ in range(skip):
        if next(iterator, None) is None:
            return
    chunk: list[Row] = []
    last_key = None
    for row in iterator:
        key = importer.group_key(row[1])
        if chunk and ((len(chunk) >= size and (not key or key != last_key)) or len(chunk) >= 2 * size):
            yield chunk
            chunk = []
        chunk.append(row)
        last_key = key
    if chunk:
        yield chunk


def _commit_chunk(job: ImportJob, outcome: ChunkOutcome, rows: int) -> None:
    insert_objects(ImportIssue, outcome.issues)  # bulk_create's SQL building cost more than the INSERT
    job.rows_done += rows
    job.rows_created += outcome.created
    job.rows_updated += outcome.updated
    job.rows_unchanged += outcome.unchanged
    job.rows_rejected += outcome.rejected
    job.rows_warned += outcome.warned
    if job.rows_total < job.rows_done:
        job.rows_total = job.rows_done
    job.progress = min(99, job.rows_done * 100 // job.rows_total) if job.rows_total else 0
    job.save(
        update_fields=[
            "rows_done",
            "rows_created",
            "rows_updated",
            "rows_unchanged",
            "rows_rejected",
            "rows_warned",
            "rows_total",
            "progress",
            "updated_at",
        ]
    )


def _run_chunk(job: ImportJob, importer: Importer, chunk: list[Row]) -> None:
    try:
        with transaction.atomic():
            outcome = importer.process_chunk(chunk, per_row=False)
            _commit_chunk(job, outcome, len(chunk))
    except DatabaseError:
        # One row broke the bulk write: redo the chunk with a savepoint per row.
        logger.info("import job %s: chunk at row %s retried row by row", job.pk, chunk[0][0])
        importer.chunk_rolled_back()
        job.refresh_from_db()
        with transaction.atomic():
            outcome = importer.process_chunk(chunk, per_row=True)
            _commit_chunk(job, outcome, len(chunk))
    importer.chunk_committed()


def _uploader_may_still_import(job: ImportJob) -> bool:
    user = job.uploaded_by
    if user is None or not user.is_active:
        return False
    try:
        require_can_import(user, job.kind)
    except PermissionDeniedError:
        return False
    return True


def _tune_connection() -> None:
    """SQLite's default page cache (2 MB) thrashes once the laborer indexes outgrow it during a large import;
    64 MB keeps the index pages being written in memory. Per connection, harmless elsewhere."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -65536")


ANALYZE_AFTER_ROWS = 10_000


def _refresh_statistics(job: ImportJob, importer: Importer) -> None:
    """After an import that wrote many rows, ANALYZE the tables on PostgreSQL. Until autovacuum gets to it,
    the planner keeps the statistics of before the import (none at all for a new table): a re-import's
    query of the households' members then scans the whole laborer table for every chunk. A failure only
    leaves the statistics to autovacuum."""
    tables = importer.tables_written()
    if connection.vendor != "postgresql" or not tables or job.rows_created + job.rows_updated < ANALYZE_AFTER_ROWS:
        return
    quote = connection.ops.quote_name
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(quote(table) for table in tables)}")
    except DatabaseError:
        logger.warning("import job %s: ANALYZE failed", job.pk, exc_info=True)


_gc_lock = threading.Lock()
_gc_state: dict[str, Any] = {"depth": 0, "threshold": None}
_GC_YOUNG_THRESHOLD = 10_000


@contextmanager
def _bulk_gc() -> Iterator[None]:
    """The cyclic garbage collector tuned for a bulk run, restored afterwards.

    An import keeps what it builds for a chunk (rows, plans, issues) and file-wide memos alive: with the
    default thresholds (700 new objects) the collector scans them again and again as they age, about a
    fifth of a re-import's time. Objects from before the run are frozen (not scanned; `unfreeze` afterwards
    returns them to the collector) and the youngest generation is collected every 10,000 new objects.
    Collection still runs, so cycles are still freed. Nested or concurrent runs: the first sets, the last
    restores."""
    with _gc_lock:
        if _gc_state["depth"] == 0:
            threshold = gc.get_threshold()
            _gc_state["threshold"] = threshold
            gc.freeze()
            gc.set_threshold(max(threshold[0], _GC_YOUNG_THRESHOLD), *threshold[1:])
        _gc_state["depth"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["depth"] -= 1
            if _gc_state["depth"] == 0:
                gc.set_threshold(*_gc_state["threshold"])
                gc.unfreeze()


def import_run(*, job_id: int, chunk_rows: int = CHUNK_ROWS) -> ImportJob:
    """Run (or resume) an import job; returns the job as it ends. Safe to call again on a finished job."""
    job = _claim(job_id)
    if job is None:
        return ImportJob.objects.get(pk=job_id)
    if not _uploader_may_still_import(job):
        return _fail(job, UPLOADER_GONE)
    if job.file_purged or not job.file:
        return _fail(job, purged_cannot_run_message())
    try:
        with open_decrypted(job.file) as source:
            return _run_from(job, source, chunk_rows)
    except (OSError, FileDecryptError):
        logger.exception("import job %s: stored file unreadable", job.pk)
        return _fail(job, UPLOAD_UNREADABLE)


def _run_from(job: ImportJob, source: Path, chunk_rows: int) -> ImportJob:
    """The run over the decrypted file (a temporary path, removed by the caller)."""
    _tune_connection()
    try:
        table = read_table(source, filename=job.original_name, expected_headers=_expected_headers(job.kind))
        mapping = map_headers(table.headers, ImportKind(job.kind))
        if not mapping.ok:
            return _fail(job, "；".join(mapping.errors()))
        if job.rows_done == 0:
            job.sheet = table.sheet[:100]
            job.header_row = table.header_row
            job.rows_total = estimate_rows(job, source, table.header_row)
            job.save(update_fields=["sheet", "header_row", "rows_total", "updated_at"])
        importer = importer_class(job.kind)(job=job, user=job.uploaded_by, mapping=mapping, headers=table.headers)
        with _bulk_gc():
            for chunk in _chunks(table.rows, importer, skip=job.rows_done, size=chunk_rows):
                _run_chunk(job, importer, chunk)
        _refresh_statistics(job, importer)
    except ReadError as exc:
        return _fail(job, exc.message)
    except Exception:
        logger.exception("import job %s failed", job.pk)
        return _fail(job, INTERNAL_ERROR.format(id=job.pk))
    return _finish(job)


def _finish(job: ImportJob) -> ImportJob:

    if job.rows_done == 0:
        return _fail(job, NO_DATA_ROWS)
    job.rows_total = job.rows_done
    if job.rows_rejected or job.rows_warned:
        content = report_build(job)
        job.report.save(f"report_{job.pk}.xlsx", ContentFile(content), save=False)
    job.status = ImportJob.Status.SUCCEEDED
    job.progress = 100
    job.finished_at = timezone.now()
    job.save(update_fields=["rows_total", "report", "status", "progress", "finished_at", "updated_at"])
    return job
