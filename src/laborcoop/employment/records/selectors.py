"""Reads of employment records. Every function takes the acting user and goes through employment.access."""

from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Concat, Substr

from laborcoop.accounts.capabilities import Cap
from laborcoop.core.sorting import SortColumn, Sorting
from laborcoop.employment.access import input_records_for, records_for
from laborcoop.employment.models import EmploymentRecord
from laborcoop.regions.models import prefix_of_code
from laborcoop.regions.scope import in_subtree_q, is_region_code
from laborcoop.registry.models import Laborer

STATUS_ONGOING = "ongoing"
STATUS_ENDED = "ended"


# The columns the output-side record list may be ordered by (core.sorting): start date ->
# employment_start_idx; village -> employment_region_idx (the default order).
RECORD_SORTING = Sorting(
    columns={
        "village": SortColumn("户籍所在村", ("region_id", "-start_date")),
        "start_date": SortColumn("开始时间", ("start_date",), descending_first=True),
    },
    default=("region_id", "-start_date", "-id"),
)
# The input side's list (people working in the user's subtree): by start date, or the default work county order
# (employment_work_region_idx).
INPUT_SORTING = Sorting(
    columns={"start_date": SortColumn("开始时间", ("start_date",), descending_first=True)},
    default=("work_region_id", "-start_date", "-id"),
)


@dataclass(frozen=True)
class RecordFilters:
    status: str = ""  # "ongoing" / "ended" / "" (all)
    work_area: str = ""
    channel: str = ""
    region: str = ""  # a region code: narrows to its subtree (within the user's scope)


def _filtered(qs: QuerySet[EmploymentRecord], f: RecordFilters, *, region_field: str) -> QuerySet[EmploymentRecord]:
    if f.status == STATUS_ONGOING:
        qs = qs.filter(end_date__isnull=True)
    elif f.status == STATUS_ENDED:
        qs = qs.filter(end_date__isnull=False)
    if f.work_area:
        qs = qs.filter(work_area=f.work_area)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if is_region_code(f.region):
        qs = qs.filter(in_subtree_q(prefix_of_code(f.region), region_field))
    return qs


def employment_record_list(*, user: Any, filters: RecordFilters | None = None) -> QuerySet[EmploymentRecord]:
    """The output side: records of laborers whose home is in the user's subtree, by village then newest first
    (the employment_region_idx order). Three queries per page: records with their laborers, then the
    villages and work counties of the page's rows."""
    qs = _filtered(records_for(user, Cap.REGISTRY_VIEW), filters or RecordFilters(), region_field="region")
    return qs.select_related("laborer").prefetch_related("region", "work_region").order_by(*RECORD_SORTING.default)


def laborer_employment_records(*, user: Any, laborer: Laborer) -> QuerySet[EmploymentRecord]:
    """The trajectory of a laborer the caller fetched through access_laborer: newest first."""
    return (
        records_for(user, Cap.REGISTRY_VIEW)
        .filter(laborer_id=laborer.pk)
        .select_related("work_region", "enterprise")
        .order_by("-start_date", "-id")
    )


# The fields an input region sees: employment facts and a masked identity, nothing of the registry file.
INPUT_FIELDS = [
    "id",
    "start_date",
    "end_date",
    "end_reason",
    "employer_name",
    "enterprise_id",
    "work_region_id",
    "work_area",
    "industry",
    "monthly_wage",
    "contract_signed",
    "insurance_types",
    "channel",
    "point_to_point",
    "source",
    "region_id",
]


def mask_name_expression() -> Concat:
    """The laborer's surname followed by two stars ("张**"), computed in the database so that the clear name
    never leaves it for the input side."""
    return Concat(Substr("laborer__name", 1, 1), Value("**"), output_field=CharField())


def employment_record_input_list(*, user: Any, filters: RecordFilters | None = None) -> QuerySet[Any]:
    """The input side: records of people working in the user's subtree (work county or enterprise region) or,
    for an enterprise user, at their enterprise. Rows are dicts of INPUT_FIELDS plus `masked_name` and
    `id_masked`; the laborer's clear name, ID, phone and household are not selected."""
    qs = _filtered(input_records_for(user), filters or RecordFilters(), region_field="work_region")
    return (
        qs.annotate(masked_name=mask_name_expression())
        .values(*INPUT_FIELDS, "masked_name", id_masked=F("laborer__id_masked"))
        .order_by(*INPUT_SORTING.default)
    )
