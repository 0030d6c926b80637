"""What a follow-up call learned about the person's work (务工单位, 月收入, 务工地), written to the employment
records through the employment services (validated, audited, the laborer's summary and `employment_changed`
kept in step), never by setting fields directly.

- Only an outcome "联系上，在岗" may carry work facts.
- An ongoing record at the same employer (or no employer said): the wage (and a missing employer name) is
  updated on it.
- An ongoing record at another employer: the person changed jobs. The old record ends the day before the call
  (结束原因 其他) and a new one starts on the day of the call, in the county said on the call.
- No ongoing record: a new one starts on the day of the call; employer and county are required.

`work_learned_validate` checks the input before anything is written; `work_learned_apply` runs inside the
follow-up's transaction, so a refusal from the employment services rolls the follow-up back too (nothing is
half-saved).
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError

from laborcoop.employment.choices import EndReason
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records import validation as v
from laborcoop.employment.records.counties import resolve_county
from laborcoop.employment.records.services import (
    EmploymentData,
    employment_record_create,
    employment_record_end,
    employment_record_update,
)
from laborcoop.registry.models import Laborer
from laborcoop.tracking.choices import ContactOutcome

EMPLOYER_MAX = 100
WORK_ONLY_WHEN_WORKING = "只有联系结果为“联系上，在岗”时才能填写务工单位、月收入和务工地。"
EMPLOYER_REQUIRED = "该人员没有在岗的就业记录，请填写务工单位。"
EMPLOYER_TOO_LONG = f"务工单位不能超过{EMPLOYER_MAX}个字。"
COUNTY_REQUIRED = "新的就业记录需要务工地，请填写务工所在县（如：东莞市、广东省东莞市）。"

RECORD_UPDATED = "已更新{name}的就业记录：{employer}{wage}。"
RECORD_CREATED = "已为{name}新增就业记录：{employer}{wage}，{start} 起。"
RECORD_REPLACED = "已结束{name}在{old}的就业记录，并新增：{employer}{wage}，{start} 起。"


@dataclass(frozen=True)
class WorkLearned:
    employer_name: str = ""
    monthly_wage: int | None = None
    work_county: str = ""

    @property
    def given(self) -> bool:
        return bool(self.employer_name or self.monthly_wage is not None or self.work_county)


@dataclass(frozen=True)
class WorkWritten:
    record: EmploymentRecord
    message: str


def _clean(work: WorkLearned) -> WorkLearned:
    return replace(work, employer_name=(work.employer_name or "").strip(), work_county=(work.work_county or "").strip())


def _ongoing(laborer_id: int) -> EmploymentRecord | None:
    return EmploymentRecord.objects.filter(laborer_id=laborer_id, end_date__isnull=True).order_by("-start_date").first()


def _changes_employer(work: WorkLearned, ongoing: EmploymentRecord) -> bool:
    return bool(work.employer_name) and work.employer_name != (ongoing.employer_name or "").strip()


def work_learned_validate(*, laborer: Laborer, outcome: str, work: WorkLearned) -> dict[str, list[str]]:
    """The problems of the work facts, by form field (empty: fine). Reads only."""
    work = _clean(work)
    errors: dict[str, list[str]] = {}
    if not work.given:
        return errors
    if outcome != ContactOutcome.WORKING:
        errors["employer_name"] = [WORK_ONLY_WHEN_WORKING]
        return errors
    if len(work.employer_name) > EMPLOYER_MAX:
        errors["employer_name"] = [EMPLOYER_TOO_LONG]
    wage_errors = v.check_wage(work.monthly_wage).errors.get("monthly_wage")
    if wage_errors:
        errors["monthly_wage"] = list(wage_errors)
    ongoing = _ongoing(laborer.pk)
    new_record = ongoing is None or _changes_employer(work, ongoing)
    if ongoing is None and not work.employer_name:
        errors.setdefault("employer_name", []).append(EMPLOYER_REQUIRED)
    if new_record and not work.work_county:
        errors["work_county"] = [COUNTY_REQUIRED]
    elif work.work_county:
        county = resolve_county(work.work_county)
        if county.error:
            errors["work_county"] = [county.error]
    return errors


def _wage_text(wage: int | None) -> str:
    return f"，月收入 {wage} 元" if wage is not None else ""


def work_learned_apply(
    *, acting_user: Any, laborer: Laborer, contacted_on: date, work: WorkLearned
) -> WorkWritten | None:
    """Write the work facts (already validated) through the employment services. Call inside the follow-up's
    transaction with the laborer locked. Raises ValidationError when the employment rules refuse them."""
    work = _clean(work)
    if not work.given:
        return None
    ongoing = _ongoing(laborer.pk)
    name = laborer.name
    if ongoing is not None and not _changes_employer(work, ongoing):
        data = EmploymentData.from_record(ongoing)
        data = replace(
            data,
            employer_name=data.employer_name or work.employer_name,
            monthly_wage=work.monthly_wage if work.monthly_wage is not None else data.monthly_wage,
            work_county=work.work_county or data.work_county,
        )
        record = employment_record_update(
            acting_user=acting_user,
            record=ongoing,
            data=data,
            expected_version=ongoing.version,
            confirm_warnings=True,  # the record keeps its warnings (shown on it); the call is a fact
        )
        employer = record.employer_name or "未填单位"
        wage = _wage_text(record.monthly_wage)
        return WorkWritten(record, RECORD_UPDATED.format(name=name, employer=employer, wage=wage))
    old_employer = ""
    if ongoing is not None:
        old_employer = ongoing.employer_name or "未填单位"
        employment_record_end(
            acting_user=acting_user,
            record=ongoing,
            end_date=max(ongoing.start_date, contacted_on - timedelta(days=1)),
            end_reason=EndReason.OTHER,
            expected_version=ongoing.version,
        )
    record = employment_record_create(
        acting_user=acting_user,
        laborer=laborer,
        data=EmploymentData(
            start_date=contacted_on,
            work_county=work.work_county,
            employer_name=work.employer_name,
            monthly_wage=work.monthly_wage,
        ),
        confirm_warnings=True,
    )
    template = RECORD_REPLACED if ongoing is not None else RECORD_CREATED
    message = template.format(
        name=name,
        old=old_employer,
        employer=record.employer_name,
        wage=_wage_text(record.monthly_wage),
        start=record.start_date.isoformat(),
    )
    return WorkWritten(record, message)


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)
