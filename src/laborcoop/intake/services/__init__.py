"""Writes of the intake app: import jobs (create, run) and the row importers behind them."""

from laborcoop.intake.services.pipeline import (
    ENTERPRISE_USER_CANNOT_IMPORT,
    FILE_REQUIRED,
    FILE_TOO_LARGE,
    KIND_INVALID,
    MAX_UPLOAD_BYTES,
    import_create,
    import_run,
    kinds_for,
)

__all__ = [
    "ENTERPRISE_USER_CANNOT_IMPORT",
    "FILE_REQUIRED",
    "FILE_TOO_LARGE",
    "KIND_INVALID",
    "MAX_UPLOAD_BYTES",
    "import_create",
    "import_run",
    "kinds_for",
]
