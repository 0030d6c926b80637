"""ENTERPRISES import: enterprises upserted by 统一社会信用代码 (USCC).

Each row is checked with the enterprise form's own rules (`employers.services.enterprise_validate`): a valid
USCC (letter-prefixed codes included; a wrong check character rejects the row), name, region (a code, or
county / township names, at county level or below and inside the uploader's subtree), industry, size,
contact and contact phone. Columns the file lacks keep their stored values; present columns are the truth,
a blank 就业帮扶车间/基地 cell counting as 否 like an unticked box.

A USCC already registered outside the uploader's subtree is rejected (that office manages it); the same USCC
twice in one file: the first valid row wins. An identical row writes nothing; a changed one updates just the
changed fields with an audit row, and an enterprise that moves takes its job postings along (a job is
managed where its enterprise is), as `enterprise_update` does.
"""

from typing import Any

from django.utils import timezone

from laborcoop.accounts.access import region_code_in_scope
from laborcoop.core.text import clean_text
from laborcoop.core.validation.uscc import normalize_uscc
from laborcoop.employers import choices as ec
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.employers.services import ENTERPRISE_FIELDS, enterprise_validate
from laborcoop.intake.columns import ENTERPRISE_COLUMNS, ImportKind
from laborcoop.intake.services.common import DAMAGED_NUMBER, ChunkOutcome, Row, clean_code
from laborcoop.intake.services.employer_rows import UPDATE, Parsed, Plan, UpsertImporter

ENTERPRISE_ELSEWHERE = "该统一社会信用代码的企业已由其他地区登记，不在您的管辖范围内，不能导入或修改"
USCC_TWICE_IN_FILE = "统一社会信用代码与第 {row} 行重复，本行未导入"


def _form_data(current: Enterprise | None) -> dict[str, Any]:
    """The form's fields as the stored enterprise has them: what an absent column keeps."""
    if current is None:
        return {}
    return {
        "name": current.name,
        "uscc": current.uscc,
        "region_code": current.region_id,
        "industry": current.industry,
        "size": current.size,
        "contact_name": current.contact_name,
        "contact_phone": current.contact_phone,
        "address": current.address,
        "description": current.description,
        "is_assist_workshop": current.is_assist_workshop,
        "is_assist_base": current.is_assist_base,
    }


class EnterprisesImporter(UpsertImporter):
    kind = ImportKind.ENTERPRISES
    model = Enterprise
    columns = ENTERPRISE_COLUMNS
    audited = ENTERPRISE_FIELDS
    twice_in_file = USCC_TWICE_IN_FILE

    def parse(self, row: int, cells: list[str]) -> tuple[Parsed, str]:
        """The row's form data and its normalised USCC (the key; "" when blank)."""
        p = Parsed(row=row, cells=cells)
        raw = self.cell(cells, "uscc")
        if clean_code(clean_text(raw))[1]:
            p.error("uscc", DAMAGED_NUMBER.format(label=self.labels["uscc"]))
        p.data["uscc"] = raw  # the service normalises and checks it
        self.text(p, "name")
        self.region(p, ("region_code", "region_name"), "region_code")
        self.choice(p, "industry", ec.Industry)
        self.choice(p, "size", ec.EnterpriseSize)
        self.text(p, "contact_name")
        if self.has("contact_phone"):
            p.data["contact_phone"] = self.cell(cells, "contact_phone")
        self.text(p, "address")
        self.flag(p, "is_assist_workshop")
        self.flag(p, "is_assist_base")
        return p, normalize_uscc(raw)

    def process_chunk(self, rows: list[Row], *, per_row: bool) -> ChunkOutcome:
        self._pending_seen = {}
        parsed = [self.parse(row, cells) for row, cells in rows]
        keys = {key for p, key in parsed if key and not p.rejected}
        existing = {e.uscc: e for e in Enterprise.objects.select_for_update().filter(uscc__in=keys).order_by("pk")}
        plans: list[Plan] = []
        for p, key in parsed:
            if p.rejected:
                continue
            current = existing.get(key)
            if current is not None and not region_code_in_scope(self.user, current.region_id):
                p.error("uscc", ENTERPRISE_ELSEWHERE)
                continue
            issues, values = enterprise_validate(
                acting_user=self.user, data={**_form_data(current), **p.data}, current=current
            )
            self.take_issues(p, issues)
            self.check_lengths(p, values)
            if p.rejected or not self.first_in_file(p, values["uscc"], "uscc"):
                continue
            plans.append(self.plan(p, current, values))
        written = self.write(plans, per_row=per_row)
        return self.outcome([p for p, _ in parsed], written)

    def after_write(self, plans: list[Plan]) -> None:
        for plan in plans:
            if plan.action == UPDATE and "region" in plan.fields:
                enterprise = plan.obj
                JobPosting.objects.filter(enterprise=enterprise).update(
                    region_id=enterprise.region_id, updated_at=timezone.now()
                )
