"""The unreachable list (无法联系人员) as an xlsx for the poverty-alleviation department (防返贫监测).

The list is the page's (tracking.followups.selectors.unreachable_list: scoped, 403 for roles without tracking reads),
written with the exports app's column and xlsx writers, always masked (ID and phone): the department matches
people by name, village and the masked ID; a clear list goes through the exports app's audited unmasking. Each
download leaves an EXPORT audit row with the region and the row count. The workbook is written to a temporary
file (constant memory) and streamed from there.
"""

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.utils import timezone

from laborcoop.core.models import AuditEntry
from laborcoop.exports import conf
from laborcoop.exports.choices import ExportKind
from laborcoop.exports.columns import Column, ExportContext, day, person_phone
from laborcoop.exports.models import ExportJob
from laborcoop.exports.selectors import ListSource
from laborcoop.exports.services import export_start
from laborcoop.exports.sources import register_export_source
from laborcoop.exports.writers import XLSX_CONTENT_TYPE, write_list_xlsx
from laborcoop.tracking.followups.forms import RegionFilterForm
from laborcoop.tracking.followups.selectors import effective_region, unreachable_list

TITLE = "无法联系人员"
AUDIT_OBJECT_TYPE = "tracking.unreachable_list"

UNREACHABLE_COLUMNS: list[Column] = [
    Column("户编号", lambda p, ctx: p.household.household_no, 20),
    Column("姓名", lambda p, ctx: p.name, 10),
    Column("证件号码", lambda p, ctx: p.id_masked, 22),
    Column("性别", lambda p, ctx: p.get_sex_display(), 6),
    Column("出生日期", lambda p, ctx: day(p.birth_date), 12),
    Column("联系电话", lambda p, ctx: person_phone(p, ctx), 14),
    Column("所在村", lambda p, ctx: ctx.regions.path(p.region_id), 40),
    Column("就业状态", lambda p, ctx: p.get_employment_status_display(), 10),
    Column("无法联系起始日期", lambda p, ctx: day(p.unreachable_since), 14),
    Column("连续未联系上次数", lambda p, ctx: p.attempts, 10),
    Column("最近寻访日期", lambda p, ctx: day(p.last_contacted_on), 12),
]


@dataclass
class UnreachableFile:
    filename: str
    content_type: str
    file: IO[bytes]
    rows: int


def unreachable_source(user: Any, filters: Mapping[str, Any]) -> ListSource:
    """The rows of the export for the background job (exports.sources), from the stored `region` filter."""
    region = RegionFilterForm(filters).region_code()
    return ListSource(TITLE, unreachable_list(user=user, region=region), UNREACHABLE_COLUMNS)


def register_export_kind() -> None:
    register_export_source(ExportKind.UNREACHABLE, build=unreachable_source, filter_form=RegionFilterForm)


def unreachable_export(*, acting_user: Any, region: str = "") -> UnreachableFile | ExportJob:
    """The masked xlsx of the user's unreachable list (narrowed to `region` inside their scope), audited. A list
    too long to write in about a second becomes a background export job (exports app), returned instead."""
    rows = unreachable_list(user=acting_user, region=region)
    if rows.count() > conf.xlsx_direct_max_rows():
        filters = {"region": region} if region else {}
        job = export_start(acting_user=acting_user, kind=ExportKind.UNREACHABLE, fmt="xlsx", filters=filters)
        if isinstance(job, ExportJob):
            return job
    region = effective_region(acting_user, region)
    source = ListSource(TITLE, rows, UNREACHABLE_COLUMNS)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    written = write_list_xlsx(source, ExportContext(masked=True), out)
    out.seek(0)
    AuditEntry.objects.create(
        actor=acting_user,
        action=AuditEntry.Action.EXPORT,
        object_type=AUDIT_OBJECT_TYPE,
        object_id=region or (acting_user.home_region_id or ""),
        object_repr=TITLE,
        region_code=region or (acting_user.home_region_id or ""),
        changes={"rows": written, "format": "xlsx", "masked": True, "region": region},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return UnreachableFile(f"{TITLE}-{stamp}.xlsx", XLSX_CONTENT_TYPE, out, written)
