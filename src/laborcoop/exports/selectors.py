"""Reads for exports. The rows come from the same scoped selectors as the list pages (registry, employers,
employment), so capability checks (403) and region scope come from the access layer; this module only narrows
and orders."""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from laborcoop.employers.selectors import enterprise_list, job_list
from laborcoop.employment.records.selectors import RecordFilters, employment_record_input_list, employment_record_list
from laborcoop.exports.access import export_jobs_for, failed_export_jobs_for_admin
from laborcoop.exports.choices import LEDGER_KINDS, ExportKind
from laborcoop.exports.chunks import iter_chunked
from laborcoop.exports.columns import (
    EMPLOYMENT_COLUMNS,
    EMPLOYMENT_INPUT_COLUMNS,
    ENTERPRISE_COLUMNS,
    HOUSEHOLD_COLUMNS,
    JOB_COLUMNS,
    LABORER_COLUMNS,
    Column,
    ExportContext,
)
from laborcoop.exports.ledgers import ledger_for
from laborcoop.exports.models import ExportJob
from laborcoop.exports.sources import registered_source
from laborcoop.registry.selectors import LaborerFilters, household_list, laborer_list

RECENT_JOBS = 20
RECENT_FAILURES = 20
# The laborer columns read only these (exports.columns.LABORER_COLUMNS; the encrypted ones for an unmasked
# export). Loading only them halves the time of a large export: building two full model instances per row (the
# household's too) with their JSON and timestamp columns cost more than writing the file. A column reading a
# field left out here would cost a query per row: tests/exports test_list_exports checks the query count.
LABORER_FIELDS = (
    "id",
    "region_id",
    "household_id",
    "household__household_no",
    "name",
    "id_type",
    "id_number_enc",
    "id_masked",
    "sex",
    "birth_date",
    "ethnicity",
    "relation",
    "education",
    "student_status",
    "health",
    "labor_skill",
    "political_status",
    "phone_enc",
    "phone_masked",
    "qualification",
    "skills",
    "employment_status",
    "employer_name",
    "work_area",
    "work_region_willingness",
    "intended_occupations",
    "expected_wage",
    "training_needs",
    "unreachable",
)


@dataclass(frozen=True)
class ListSource:
    """A list export: the scoped rows and the columns to write."""

    title: str
    queryset: QuerySet[Any]
    columns: list[Column]

    def count(self) -> int:
        return self.queryset.count()

    @property
    def header(self) -> list[str]:
        return [col.header for col in self.columns]

    def rows(self, ctx: ExportContext, on_chunk: Callable[[int], None] | None = None) -> Iterator[list[Any]]:
        for obj in iter_chunked(self.queryset, ctx, on_chunk=on_chunk):
            yield [col.value(obj, ctx) for col in self.columns]


def _text(filters: Mapping[str, Any], key: str) -> str:
    value = filters.get(key)
    return value.strip() if isinstance(value, str) else ""


def _flag(filters: Mapping[str, Any], key: str) -> bool | None:
    """List-page checkboxes narrow when ticked and do nothing otherwise (never 'only those without')."""
    return True if filters.get(key) else None


def laborer_filters(filters: Mapping[str, Any]) -> LaborerFilters:
    return LaborerFilters(
        q=_text(filters, "q"),
        region=_text(filters, "region"),
        labor_skill=_text(filters, "labor_skill"),
        employment_status=_text(filters, "employment_status"),
    )


def record_filters(filters: Mapping[str, Any]) -> RecordFilters:
    return RecordFilters(
        status=_text(filters, "status"),
        work_area=_text(filters, "work_area"),
        channel=_text(filters, "channel"),
        region=_text(filters, "region"),
    )


def list_source(*, user: Any, kind: str, filters: Mapping[str, Any]) -> ListSource:
    """The rows of a list export, for `user` (PermissionDeniedError if their role may not see the list).

    Region names are not joined or prefetched as objects: the writers load the names of each chunk's regions,
    with their ancestors, in one query (regions.paths).
    """
    if kind == ExportKind.LABORERS:
        laborers = laborer_list(user=user, filters=laborer_filters(filters))
        rows = laborers.prefetch_related(None).select_related("household").only(*LABORER_FIELDS)
        return ListSource("人员", rows, LABORER_COLUMNS)
    if kind == ExportKind.HOUSEHOLDS:
        households = household_list(user=user, q=_text(filters, "q"), region=_text(filters, "region"))
        return ListSource("家庭", households.prefetch_related(None), HOUSEHOLD_COLUMNS)
    if kind == ExportKind.ENTERPRISES:
        enterprises = enterprise_list(
            user=user,
            q=_text(filters, "q"),
            industry=_text(filters, "industry"),
            is_assist_workshop=_flag(filters, "is_assist_workshop"),
            is_assist_base=_flag(filters, "is_assist_base"),
        )
        return ListSource("企业", enterprises.select_related(None), ENTERPRISE_COLUMNS)
    if kind == ExportKind.JOBS:
        jobs = job_list(
            user=user,
            q=_text(filters, "q"),
            status=_text(filters, "status"),
            open_only=bool(filters.get("open_only")),
        )
        return ListSource("岗位", jobs.select_related(None).select_related("enterprise"), JOB_COLUMNS)
    if kind == ExportKind.EMPLOYMENT:
        records = employment_record_list(user=user, filters=record_filters(filters))
        return ListSource("就业记录", records.prefetch_related(None), EMPLOYMENT_COLUMNS)
    if kind == ExportKind.EMPLOYMENT_INPUT:
        # values() rows with the name and ID masked in the database; nothing to unmask.
        rows = employment_record_input_list(user=user, filters=record_filters(filters))
        return ListSource("在本地务工的外地人员", rows, EMPLOYMENT_INPUT_COLUMNS)
    raise ValueError(kind)


def export_source(*, user: Any, kind: str, filters: Mapping[str, Any]) -> Any:
    """A ListSource or a ledgers.Ledger for this kind: both have `title` and `count()`."""
    if kind in LEDGER_KINDS:
        return ledger_for(user=user, kind=kind, region=_text(filters, "region"))
    registered = registered_source(kind)
    if registered is not None:
        return registered.build(user, filters)
    return list_source(user=user, kind=kind, filters=filters)


def export_job_recent(*, user: Any, limit: int = RECENT_JOBS) -> list[ExportJob]:
    return list(export_jobs_for(user)[:limit])


def export_job_failures(*, user: Any, limit: int = RECENT_FAILURES) -> list[ExportJob]:
    """The latest failed exports in an admin's region (with their requesters), for the admin's export page."""
    return list(failed_export_jobs_for_admin(user).select_related("requested_by")[:limit])
