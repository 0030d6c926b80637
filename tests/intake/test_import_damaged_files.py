"""Random and damaged spreadsheets through the real upload (page and API) and the job runner (immediate task
backend): never a 5xx, every job ends succeeded or failed with a Chinese message, none stays queued or running,
and a failed file leaves nothing saved.

Files: xlsx (openpyxl, xlsxwriter), xls (xlwt), csv in UTF-8 / UTF-8 with BOM / GBK; random cells (text with
control characters, numbers incl. NaN and infinities, dates, booleans), huge cells, formula cells, merged
headers, title rows, empty sheets; then damaged: truncated, renamed to another extension, random bytes.
"""

import csv
import io
import os
import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import openpyxl
import pytest
import xlsxwriter
import xlwt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from rest_framework.test import APIClient

from laborcoop.core.models import AuditEntry
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.employment.models import EmploymentRecord
from laborcoop.intake.columns import COLUMNS, ImportKind
from laborcoop.intake.models import ImportIssue, ImportJob
from laborcoop.intake.services import import_create, import_run
from laborcoop.intake.services.pipeline import INTERNAL_ERROR
from laborcoop.registry.models import Household, Laborer
from tests.intake.helpers import family

pytestmark = pytest.mark.django_db

KINDS = [ImportKind.PERSONS, ImportKind.WORK, ImportKind.ENTERPRISES, ImportKind.JOBS]
CJK = re.compile(r"[\u4e00-\u9fff]")
INTERNAL = INTERNAL_ERROR.split("{", 1)[0]
# About 20 s here; raise it for a longer hunt (statistics: --hypothesis-show-statistics).
MAX_EXAMPLES = int(os.environ.get("LABORCOOP_FUZZ_EXAMPLES", "60"))

Grid = list[list[Any]]

# --- cells and grids -----------------------------------------------------------------------------------------

text_cell = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=25),
    st.sampled_from(
        [
            "",
            "户主",
            "之子",
            "健康",
            "泸溪县",
            "武溪镇",
            "黑塘村",
            "4.33122E+17",
            "433122198503150039",
            '="433122198503150039"',
            "２０２４年３月",
            "2024.13.45",
            "91370102MA0000001X",
            "缝纫工",
            "-1",
            "99999999999999999999",
            "#N/A",
            "#DIV/0!",
        ]
    ),
    st.from_regex(r"\d{15,22}", fullmatch=True),
)
cell = st.one_of(
    text_cell,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 12, 31)),
    st.booleans(),
    st.none(),
    st.sampled_from(["=1/0", "=SUM(A1:A3)", '=HYPERLINK("http://example.com","点我")', "=A1"]),  # formulas
    # huge cells: past Excel's limit (32,767 characters) and past the csv module's default (131,072)
    st.sampled_from(["长" * 40_000, "9" * 150_000]),
)


@st.composite
def grids(draw: Callable[..., Any], kind: str) -> tuple[Grid, int, bool]:
    """(rows, header row index, merge the first two header cells): title rows, a header made of the kind's
    labels (some dropped, junk added), random data rows; sometimes valid person rows too."""
    labels = [column.label for column in COLUMNS[ImportKind(kind)]]
    if draw(st.booleans()):  # every column, in a random order: the rows reach the importer
        header = draw(st.permutations(labels))
    else:
        header = draw(st.lists(st.sampled_from(labels), min_size=0, max_size=len(labels), unique=True))
    header += draw(st.lists(text_cell, max_size=2))
    width = max(1, len(header))
    titles = [[draw(text_cell)] for _ in range(draw(st.integers(0, 3)))]
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=width + 2), max_size=6))
    if kind == ImportKind.PERSONS and draw(st.booleans()):
        header = list(family("433122107201000001")[0])
        rows = [[person[h] for h in header] for person in family(f"4331221072010{draw(st.integers(0, 99999)):05d}")]
        rows += draw(st.lists(st.lists(cell, max_size=len(header)), max_size=3))
    return [*titles, header, *rows], len(titles), draw(st.booleans())


def _excel_value(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def xlsx_openpyxl(grid: Grid, header_at: int, merge: bool) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in grid:
        sheet.append([_excel_value(v) for v in row])
    if merge and len(grid[header_at]) >= 2:
        sheet.merge_cells(start_row=header_at + 1, start_column=1, end_row=header_at + 1, end_column=2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_xlsxwriter(grid: Grid, header_at: int, merge: bool) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "nan_inf_to_errors": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("人员")
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if isinstance(value, str) and value.startswith("="):
                sheet.write_formula(r, c, value)
            elif isinstance(value, date | datetime):
                sheet.write_datetime(r, c, value, dates)
            else:
                sheet.write(r, c, value)
    if merge and len(grid[header_at]) >= 2:
        sheet.merge_range(header_at, 0, header_at, 1, grid[header_at][0])
    book.add_worksheet("空白")  # an empty second sheet
    book.close()
    return out.getvalue()


def xls_xlwt(grid: Grid, header_at: int, merge: bool) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("人员")
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(grid[:65_000]):
        for c, value in enumerate(row[:256]):
            if isinstance(value, str):
                sheet.write(r, c, value[:32_767])
            elif isinstance(value, date | datetime):
                sheet.write(r, c, value, dates)
            elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53:
                sheet.write(r, c, str(value))
            else:
                sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(grid: Grid) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in grid:
        writer.writerow(["" if v is None else str(v) for v in row])
    return out.getvalue()


WRITERS: dict[str, tuple[str, Callable[[Grid, int, bool], bytes]]] = {
    "xlsx (openpyxl)": (".xlsx", xlsx_openpyxl),
    "xlsx (xlsxwriter)": (".xlsx", xlsx_xlsxwriter),
    "xls (xlwt)": (".xls", xls_xlwt),
    "csv utf-8": (".csv", lambda g, h, m: csv_text(g).encode("utf-8")),
    "csv utf-8 bom": (".csv", lambda g, h, m: csv_text(g).encode("utf-8-sig")),
    "csv gbk": (".csv", lambda g, h, m: csv_text(g).encode("gbk", errors="replace")),
}


def _break_worksheet_xml(data: bytes, *, cut: int, junk: bytes) -> bytes:
    """The same xlsx with its first worksheet's XML cut short and followed by junk (a valid zip)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet1"):
                content = content[: len(content) * cut // 1000] + junk
            target.writestr(item, content)
    return out.getvalue()


DAMAGES = ["none", "none", "truncated", "flipped bytes", "broken xml", "renamed", "random bytes", "empty sheet"]


@st.composite
def uploads(draw: Callable[..., Any]) -> tuple[str, str, bytes, str]:
    """(kind, file name, content, how it was made)."""
    kind = draw(st.sampled_from(KINDS))
    damage = draw(
        st.sampled_from(
            ["none", "none", "truncated", "flipped bytes", "broken xml", "renamed", "random bytes", "empty sheet"]
        )
    )
    if damage == "random bytes":
        return kind, draw(st.sampled_from(["名单.xlsx", "名单.xls", "名单.csv"])), draw(st.binary(max_size=600)), damage
    how = draw(st.sampled_from(sorted(WRITERS)))
    extension, write = WRITERS[how]
    if damage == "empty sheet":
        grid: Grid = [[]]
        header_at, merge = 0, False
    else:
        grid, header_at, merge = draw(grids(kind))
    data = write(grid, header_at, merge)
    if damage == "truncated":
        # A fraction, not a byte offset: the files' sizes vary between runs (timestamps, fresh ID numbers).
        data = data[: len(data) * draw(st.integers(min_value=0, max_value=999)) // 1000]
    if damage == "flipped bytes":
        flipped = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            at = len(flipped) * draw(st.integers(0, 999)) // 1000
            flipped[at] ^= draw(st.integers(1, 255))
        data = bytes(flipped)
    if damage == "broken xml" and data[:2] == b"PK":
        data = _break_worksheet_xml(data, cut=draw(st.integers(0, 999)), junk=draw(st.binary(max_size=20)))
    if damage == "renamed":
        extension = draw(st.sampled_from(sorted({".xlsx", ".xls", ".csv", ".ods", ".txt"} - {extension})))
    return kind, f"导入{extension}", data, f"{how}, {damage}"


# --- the test ---------------------------------------------------------------------------------------------


def saved_counts() -> dict[str, int]:
    models = [Household, Laborer, Enterprise, JobPosting, EmploymentRecord, ImportIssue, AuditEntry]
    return {model.__name__: model.objects.count() for model in models}


def _upload_by_page(client: Client, kind: str, upload: SimpleUploadedFile) -> tuple[int, list[str]]:
    response = client.post(reverse("intake:index"), {"kind": kind, "file": upload})
    messages = []
    if response.status_code == 400:
        messages = [str(e) for errs in response.context["form"].errors.values() for e in errs]
    return response.status_code, messages


def _upload_by_api(client: APIClient, kind: str, upload: SimpleUploadedFile) -> tuple[int, list[str]]:
    response = client.post(reverse("api:import_list"), {"kind": kind, "file": upload}, format="multipart")
    messages: list[str] = []
    if response.status_code == 400:
        messages = [
            str(m) for value in response.json().values() for m in (value if isinstance(value, list) else [value])
        ]
    return response.status_code, messages


@settings(
    max_examples=MAX_EXAMPLES,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(upload=uploads(), by_api=st.booleans())
def test_damaged_and_random_files_never_break_an_import(
    users: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    upload: tuple[str, str, bytes, str],
    by_api: bool,
) -> None:
    kind, name, data, how = upload
    officer = users["county_officer"]
    page, api = Client(raise_request_exception=False), APIClient(raise_request_exception=False)
    page.force_login(officer)
    api.force_authenticate(officer)
    before = saved_counts()
    last_job = ImportJob.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    with django_capture_on_commit_callbacks(execute=True):
        file = SimpleUploadedFile(name, data)
        status, messages = _upload_by_api(api, kind, file) if by_api else _upload_by_page(page, kind, file)

    jobs = list(ImportJob.objects.filter(pk__gt=last_job))
    event(f"{how.rsplit(', ', 1)[-1]}: {status} {jobs[0].status if jobs else ''} {jobs[0].error[:12] if jobs else ''}")
    assert status < 500, how
    if status == 400:  # refused at the upload, with a Chinese message, and nothing stored
        assert messages, how
        assert all(CJK.search(m) for m in messages), (how, messages)
        assert jobs == [], how
        assert saved_counts() == before, how
        return
    assert status in (202, 302), (how, status)
    [job] = jobs
    assert job.status in (ImportJob.Status.SUCCEEDED, ImportJob.Status.FAILED), (how, job.status)
    # The job's page, its API detail and its report (when it has one) show whatever the file held.
    assert page.get(reverse("intake:job_detail", args=[job.pk])).status_code == 200, how
    assert api.get(reverse("api:import_detail", args=[job.pk])).status_code == 200, how
    if job.report:
        assert page.get(reverse("intake:job_report", args=[job.pk])).status_code == 200, how
    if job.status == ImportJob.Status.FAILED:
        assert CJK.search(job.error), (how, job.error)
        assert not job.error.startswith(INTERNAL), (how, job.error)  # a crash, not a refusal of the file
        assert (job.rows_done, job.rows_created, job.rows_updated) == (0, 0, 0), how
        assert saved_counts() == before, how
    else:
        assert job.progress == 100, how
        done = job.rows_created + job.rows_updated + job.rows_unchanged + job.rows_rejected
        assert done == job.rows_done == job.rows_total, how


def test_a_csv_cell_past_the_csv_modules_limit_is_read_not_a_half_import(users: dict[str, Any]) -> None:
    # Given a csv whose last row holds a cell longer than the csv module's default limit (131,072 characters),
    # read in chunks of two rows, so that the first households are written before that row is reached,
    rows = [*family("433122107201000001"), *family("433122107201000002", surname="李")]
    rows.append({**family("433122107201000003")[0], "姓名": "长" * 200_000})
    header = list(rows[0])
    upload = SimpleUploadedFile("名单.csv", csv_text([header, *[[row[h] for h in header] for row in rows]]).encode())
    job = import_create(acting_user=users["county_officer"], uploaded_file=upload, kind="persons", enqueue=False)

    job = import_run(job_id=job.pk, chunk_rows=2)

    # then the whole file is read: the long name is refused with its reason, the other rows are saved.
    assert (job.status, job.error) == (ImportJob.Status.SUCCEEDED, "")
    assert (job.rows_done, job.rows_created, job.rows_rejected) == (7, 6, 1)
    assert Laborer.objects.count() == 6
