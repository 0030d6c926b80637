"""JOBS import: job postings of enterprises already registered, found by their 统一社会信用代码.

Natural key (what makes a row "the same posting" on the next import): the enterprise (by USCC), the 岗位名称
and the 工作地点, among the enterprise's postings that are not closed. JobPosting has no posting number, so
the key is made of what a posting is known by; a closed posting is history, and a row matching only a closed
one posts the job anew. Two open postings with the same key (entered by hand) make the row ambiguous: it is
rejected rather than guessed. The same key twice in one file: the first valid row wins.

Each row is checked with the job form's own rules (`employers.services.job_validate`): openings >= 1, wages
present with 月薪下限 <= 月薪上限 <= 100000, ages 16-70 in order, both validity dates in order, a work region
at county level or below, sex and education from their code lists. Import conveniences, each written into
the template's instructions: a blank 工作地点 is the enterprise's own region, a blank 有效期起 is the day of
the import (for a new posting; an existing one keeps its date), blank ages are the form's defaults (16-60).

The enterprise must be in the uploader's scope; a USCC that is unknown or belongs to an enterprise elsewhere
gets one message, so the import does not reveal which enterprises other offices manage. The posting's region
is its enterprise's. Statuses are not imported: a new posting is open, an existing one keeps its status.
"""

from collections import defaultdict
from typing import Any

from laborcoop.accounts.capabilities import Cap
from laborcoop.core.text import clean_text
from laborcoop.core.validation.uscc import validate_uscc
from laborcoop.employers import choices as ec
from laborcoop.employers.access import enterprises_for
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.employers.services import JOB_FIELDS, job_validate
from laborcoop.employers.signals import job_posted
from laborcoop.intake.columns import JOB_COLUMNS, ImportKind
from laborcoop.intake.services.common import DAMAGED_NUMBER, ChunkOutcome, Row, clean_code
from laborcoop.intake.services.employer_rows import CREATE, Parsed, Plan, UpsertImporter
from laborcoop.registry.choices import Education

ENTERPRISE_NOT_FOUND = "未找到该统一社会信用代码的企业，或该企业不在您的管辖范围内；请先登记或导入企业"
JOB_TWICE_IN_FILE = "与第 {row} 行是同一岗位（企业、岗位名称、工作地点相同），本行未导入"
JOB_AMBIGUOUS = "该企业在此工作地点有多个同名的在招岗位，无法确定更新哪一个，请在岗位页面逐条修改"

NO_REQUIREMENT = frozenset(["不限", "无", "无要求", "男女不限", "不限性别", "学历不限", "不限学历"])


def _form_data(current: JobPosting | None) -> dict[str, Any]:
    """The form's fields as the stored posting has them: what an absent column keeps."""
    if current is None:
        return {}
    return {
        "title": current.title,
        "occupation": current.occupation,
        "openings": current.openings,
        "wage_min": current.wage_min,
        "wage_max": current.wage_max,
        "age_min": current.age_min,
        "age_max": current.age_max,
        "valid_from": current.valid_from,
        "valid_until": current.valid_until,
        "work_region_code": current.work_region_id,
        "sex_requirement": current.sex_requirement,
        "education_min": current.education_min,
        "provides_accommodation": current.provides_accommodation,
        "provides_meals": current.provides_meals,
        "is_low_threshold": current.is_low_threshold,
        "description": current.description,
    }


class JobsImporter(UpsertImporter):
    kind = ImportKind.JOBS
    model = JobPosting
    columns = JOB_COLUMNS
    audited = JOB_FIELDS
    twice_in_file = JOB_TWICE_IN_FILE

    def parse(self, row: int, cells: list[str]) -> tuple[Parsed, str]:
        """The row's form data and its enterprise's USCC ("" when the code is not valid)."""
        p = Parsed(row=row, cells=cells)
        raw = self.cell(cells, "uscc")
        uscc = ""
        if clean_code(clean_text(raw))[1]:
            p.error("uscc", DAMAGED_NUMBER.format(label=self.labels["uscc"]))
        else:
            uscc, issues = validate_uscc(raw)
            for messages in issues.errors.values():
                for msg in messages:
                    p.error("uscc", msg)
        self.text(p, "title")
        self.text(p, "occupation")
        for key in ("openings", "wage_min", "wage_max", "age_min", "age_max"):
            self.integer(p, key)
        self.choice(p, "sex_requirement", ec.SexRequirement, blank=NO_REQUIREMENT)
        self.choice(p, "education_min", Education, blank=NO_REQUIREMENT)
        for key in ("provides_accommodation", "provides_meals", "is_low_threshold"):
            self.flag(p, key)
        self.day(p, "valid_from")
        self.day(p, "valid_until")
        self.region(p, ("work_region_code",), "work_region_code")
        return p, uscc

    def process_chunk(self, rows: list[Row], *, per_row: bool) -> ChunkOutcome:
        self._pending_seen = {}
        parsed = [self.parse(row, cells) for row, cells in rows]
        usccs = {uscc for p, uscc in parsed if uscc and not p.rejected}
        enterprises = {e.uscc: e for e in enterprises_for(self.user, Cap.JOBS_EDIT).filter(uscc__in=usccs)}

        keyed: list[tuple[Parsed, Enterprise, tuple[int, str, str]]] = []
        for p, uscc in parsed:
            if p.rejected:
                continue
            enterprise = enterprises.get(uscc)
            if enterprise is None:
                p.error("uscc", ENTERPRISE_NOT_FOUND)
                continue
            if not p.data.get("work_region_code"):
                p.data["work_region_code"] = enterprise.region_id
            key = (enterprise.pk, p.data.get("title", ""), p.data["work_region_code"])
            keyed.append((p, enterprise, key))

        stored: dict[tuple[int, str, str], list[JobPosting]] = defaultdict(list)
        candidates = (
            JobPosting.objects.select_for_update()
            .filter(enterprise_id__in={e.pk for e in enterprises.values()}, title__in={k[1] for _, _, k in keyed})
            .exclude(status=ec.JobStatus.CLOSED)
            .order_by("pk")
        )
        for posting in candidates:
            stored[(posting.enterprise_id, posting.title, posting.work_region_id)].append(posting)

        plans: list[Plan] = []
        for p, enterprise, key in keyed:
            found = stored.get(key, [])
            if len(found) > 1:
                p.error("title", JOB_AMBIGUOUS)
                continue
            current = found[0] if found else None
            data = {**_form_data(current), **p.data}
            if data.get("valid_from") is None:
                data["valid_from"] = current.valid_from if current is not None else self.today
            issues, values = job_validate(data=data, current=current)
            self.take_issues(p, issues)
            self.check_lengths(p, values)
            if p.rejected or not self.first_in_file(p, "|".join(map(str, key)), "title"):
                continue
            values["region_id"] = enterprise.region_id
            if current is None:
                values["enterprise_id"] = enterprise.pk
                values["status"] = ec.JobStatus.OPEN
            plans.append(self.plan(p, current, values))
        written = self.write(plans, per_row=per_row)
        for plan in written:  # new jobs are matched like those posted on the form
            if plan.action == CREATE:
                job_posted.send(sender=JobPosting, job=plan.obj, acting_user=self.user)
        return self.outcome([p for p, _ in parsed], written)
