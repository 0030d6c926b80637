"""What a matched record of each department's list proposes for the registry, and what it only evidences.

- 公安 户籍: deceased / moved (vital status with date and source); back to normal when the list says so.
- 人社 社保参保: employment status 已就业 and the employer from 参保单位; with a 缴费月份 column, the month's
  insurance (InsuranceMonth rows, source 社保数据比对; 险种 from 参保险种, 城镇职工养老 when the list names
  none); a 参保状态 of 停保 / 中断 / 暂停缴费 for someone with an ongoing record proposes ending that record
  (推断：社保停缴) instead. The run adds what these need to `ours` (linkage.services.insurance).
- 失业登记: employment status 未就业.
- 民政 低保: evidence only (the registry has no person-level 低保 field).
- 防返贫监测 and 户籍: corrections of conflicting name, sex, birth date and village. Only the name is applied on
  acceptance; sex and birth date follow the ID number and a village is a household move, so those are
  review items that staff settle on the person's page.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from laborcoop.employment import choices as ec
from laborcoop.employment.lines.rules import insurance_type_code
from laborcoop.intake.normalize import parse_date, split_multi
from laborcoop.linkage.models import Department, ProposedChange, TheirRecord
from laborcoop.registry import choices as rc
from laborcoop.registry.models import VitalStatus

F = ProposedChange.Field
SEX_LABELS = dict(rc.Sex.choices)
VITAL_LABELS = dict(VitalStatus.choices)
EMPLOYMENT_LABELS = dict(rc.EmploymentStatus.choices)

_DECEASED_WORDS = ("死亡", "已故", "去世", "身故", "亡故")
_MOVED_WORDS = ("迁出", "迁移", "外迁", "迁往", "迁至")
_NORMAL_WORDS = ("正常", "在册", "在世", "健在", "在籍")
_STOPPED_WORDS = ("停保", "中断", "暂停", "停止缴费", "停缴", "终止", "退保", "注销")
DEFAULT_INSURANCE = ec.InsuranceType.EMPLOYEE_PENSION
INSURANCE_LABELS = dict(ec.InsuranceType.choices)
NOT_RECORDED = "未记录"
ONGOING_DISPLAY = "在岗：{employer}（{start} 起）"
STOPPED_DISPLAY = "推断：社保停缴（{status}{on}）"
DEFAULT_TYPE_NOTE = "（名单未写明险种，按城镇职工养老）"
IDENTITY_DEPARTMENTS = frozenset({Department.POVERTY, Department.HOUSEHOLD_REG})
EVIDENCE_LABELS = {
    "status": "户籍状态",
    "death_date": "死亡日期",
    "moved_date": "迁出日期",
    "insured_employer": "参保单位",
    "insurance_type": "参保险种",
    "insured_since": "参保起始",
    "insured_month": "缴费月份",
    "insured_status": "参保状态",
    "stopped_on": "停保日期",
    "registered_on": "失业登记日期",
    "dibao_since": "低保起始",
    "dibao_type": "低保类别",
}


@dataclass
class Proposal:
    field: str
    ours_display: str
    theirs_display: str
    new_value: dict[str, Any]
    applies: bool = True


@dataclass
class Outcome:
    proposals: list[Proposal] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)


def vital_status_of(extra: dict[str, Any]) -> tuple[str, date | None] | None:
    """(status, date) that a household-registration row states, or None when it says nothing."""
    text = str(extra.get("status", ""))
    death = parse_date(extra.get("death_date"))
    moved = parse_date(extra.get("moved_date"))
    if any(word in text for word in _DECEASED_WORDS):
        return VitalStatus.DECEASED, death
    if any(word in text for word in _MOVED_WORDS):
        return VitalStatus.MOVED, moved
    if any(word in text for word in _NORMAL_WORDS):
        return VitalStatus.NORMAL, None
    if death is not None:
        return VitalStatus.DECEASED, death
    if moved is not None:
        return VitalStatus.MOVED, moved
    return None


def _vital(ours: dict[str, Any], their: TheirRecord) -> list[Proposal]:
    stated = vital_status_of(their.extra)
    if stated is None:
        return []
    status, on = stated
    if status == ours["vital_status"] and (status == VitalStatus.NORMAL or on == ours["vital_status_date"]):
        return []
    theirs = VITAL_LABELS[status] + (f"（{on.isoformat()}）" if on else "")
    return [
        Proposal(
            F.VITAL_STATUS,
            VITAL_LABELS.get(ours["vital_status"], ours["vital_status"]),
            theirs,
            {"value": str(status), "date": on.isoformat() if on else None},
        )
    ]


def _employment(ours: dict[str, Any], their: TheirRecord, status: str) -> list[Proposal]:
    proposals = []
    if ours["employment_status"] != status:
        proposals.append(
            Proposal(
                F.EMPLOYMENT_STATUS,
                EMPLOYMENT_LABELS.get(ours["employment_status"], ours["employment_status"]),
                EMPLOYMENT_LABELS[status],
                {"value": status},
            )
        )
    employer = str(their.extra.get("insured_employer", ""))[:100]
    if status == rc.EmploymentStatus.EMPLOYED and employer and employer != ours["employer_name"]:
        proposals.append(Proposal(F.EMPLOYER_NAME, ours["employer_name"], employer, {"value": employer}))
    return proposals


def insurance_stopped(extra: dict[str, Any]) -> bool:
    """Whether a 社保参保 row says the insurance stopped (参保状态 停保 / 中断 / 暂停缴费 ...)."""
    text = str(extra.get("insured_status", ""))
    return any(word in text for word in _STOPPED_WORDS)


def insured_month_of(extra: dict[str, Any]) -> date | None:
    """The month a 社保参保 row is for (its 缴费月份 column), first day; None when absent or unreadable."""
    day = parse_date(extra.get("insured_month"))
    return day.replace(day=1) if day else None


def _insurance_types(extra: dict[str, Any]) -> tuple[list[str], bool]:
    """(codes, defaulted): the row's 险种 in the code list, or 城镇职工养老 when it names none."""
    codes = [code for code in (insurance_type_code(v) for v in split_multi(extra.get("insurance_type"))) if code]
    if codes:
        return list(dict.fromkeys(codes)), False
    return [DEFAULT_INSURANCE], True


def _insurance(ours: dict[str, Any], their: TheirRecord) -> list[Proposal]:
    """Stopped insurance of someone with an ongoing record: end the record. Otherwise, with a month: the
    month's insurance types not yet recorded. `ours` carries `ongoing_record` and `insured_months`."""
    if insurance_stopped(their.extra):
        ongoing = ours.get("ongoing_record")
        if ongoing is None:
            return []
        stop = parse_date(their.extra.get("stopped_on"))
        status = str(their.extra.get("insured_status", ""))
        theirs = STOPPED_DISPLAY.format(status=status, on=f"，{stop.isoformat()}" if stop else "")
        ours_display = ONGOING_DISPLAY.format(
            employer=ongoing["employer_name"] or "务工", start=ongoing["start_date"].isoformat()
        )
        value = {"record_id": ongoing["id"], "date": stop.isoformat() if stop else None}
        return [Proposal(F.EMPLOYMENT_END, ours_display, theirs, value)]
    month = insured_month_of(their.extra)
    if month is None or month > timezone.localdate().replace(day=1):
        return []
    types, defaulted = _insurance_types(their.extra)
    recorded = ours.get("insured_months", set())
    missing = [t for t in types if (month, t) not in recorded]
    if not missing:
        return []
    have = [INSURANCE_LABELS[t] for t in types if (month, t) in recorded]
    ours_display = f"{month:%Y-%m} 已记录：{'、'.join(have)}" if have else NOT_RECORDED
    theirs = (
        f"{month:%Y-%m} " + "、".join(INSURANCE_LABELS[t] for t in missing) + (DEFAULT_TYPE_NOTE if defaulted else "")
    )
    return [Proposal(F.INSURANCE_MONTHS, ours_display, theirs, {"month": month.isoformat(), "types": missing})]


def _identity(ours: dict[str, Any], their: TheirRecord, conflicts: set[str], names: dict[str, str]) -> list[Proposal]:
    proposals = []
    if "name" in conflicts and their.name:
        proposals.append(Proposal(F.NAME, ours["name"], their.name, {"value": their.name}))
    if "sex" in conflicts and their.sex:
        proposals.append(
            Proposal(F.SEX, SEX_LABELS.get(ours["sex"], ""), SEX_LABELS.get(their.sex, ""), {"value": their.sex}, False)
        )
    if "birth_date" in conflicts and their.birth_date:
        proposals.append(
            Proposal(
                F.BIRTH_DATE,
                ours["birth_date"].isoformat() if ours["birth_date"] else "",
                their.birth_date.isoformat(),
                {"value": their.birth_date.isoformat()},
                False,
            )
        )
    if "village_code" in conflicts and their.village_code:
        proposals.append(
            Proposal(
                F.VILLAGE,
                names.get(ours["region_id"], ours["region_id"]),
                names.get(their.village_code, their.village_name or their.village_code),
                {"value": their.village_code},
                False,
            )
        )
    return proposals


def propose(
    *, department: str, ours: dict[str, Any], their: TheirRecord, conflicts: set[str], names: dict[str, str]
) -> Outcome:
    """The proposals and evidence of one matched pair. `ours` holds the laborer's values (selectors'
    `comparison_ours_rows`), `names` village names by code for display."""
    outcome = Outcome(
        evidence={EVIDENCE_LABELS[k]: str(v) for k, v in their.extra.items() if k in EVIDENCE_LABELS and v}
    )
    if department in IDENTITY_DEPARTMENTS:
        outcome.proposals += _identity(ours, their, conflicts, names)
    if department == Department.HOUSEHOLD_REG:
        outcome.proposals += _vital(ours, their)
    elif department == Department.SOCIAL_INSURANCE:
        if not insurance_stopped(their.extra):
            outcome.proposals += _employment(ours, their, rc.EmploymentStatus.EMPLOYED)
        outcome.proposals += _insurance(ours, their)
    elif department == Department.UNEMPLOYMENT:
        outcome.proposals += _employment(ours, their, rc.EmploymentStatus.UNEMPLOYED)
    return outcome
