"""Export limits, overridable in settings (tests use tiny values)."""

from django.conf import settings

# Exports that take more than about a second run as background jobs with a progress bar; smaller ones are
# written in the request. Measured on the demo (20,162 laborers, one core, CPU time): xlsx about 5,000 rows/s,
# csv about 13,000 rows/s (docs/benchmarks.md, "Exports"). The limits leave room for a busy server and for the
# heavier rows of ledgers and employment records.
# xlsx exports up to this many rows are written in the request; larger ones become background jobs.
XLSX_DIRECT_MAX_ROWS = 2_000
# Any export (csv included) larger than this runs in the background.
DIRECT_MAX_ROWS = 5_000
# Excel's 1,048,576 rows less the header row: beyond this the rows continue on a new sheet.
XLSX_SHEET_MAX_ROWS = 1_048_575
# Rows fetched per database round trip; the region names of each chunk are loaded in one query.
CHUNK_SIZE = 2_000


def xlsx_direct_max_rows() -> int:
    return int(getattr(settings, "LABORCOOP_EXPORT_XLSX_DIRECT_MAX_ROWS", XLSX_DIRECT_MAX_ROWS))


def direct_max_rows() -> int:
    return int(getattr(settings, "LABORCOOP_EXPORT_DIRECT_MAX_ROWS", DIRECT_MAX_ROWS))


def xlsx_sheet_max_rows() -> int:
    return int(getattr(settings, "LABORCOOP_EXPORT_XLSX_SHEET_MAX_ROWS", XLSX_SHEET_MAX_ROWS))


def chunk_size() -> int:
    return int(getattr(settings, "LABORCOOP_EXPORT_CHUNK_SIZE", CHUNK_SIZE))
