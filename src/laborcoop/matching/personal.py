"""What the laborer's personal page (/matching/r/<token>/) says, in the laborer's words (issue 13 item 11): the
job, the place in full (省 市 县), pay, board and lodging, what the job asks for, and whom to call (the village
broker or officer who serves the laborer, and the employer). No engine words (scores, factors, 留岗率) and no
staff states (已通知): only what the laborer said and what happens next.
"""

from dataclasses import dataclass
from typing import Any

from laborcoop.accounts.recipients import village_field_staff
from laborcoop.employers.choices import SexRequirement
from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation
from laborcoop.matching.selectors import recommendation_list_for_link
from laborcoop.regions.paths import RegionNames
from laborcoop.registry.choices import Education
from laborcoop.registry.models import Laborer

ANSWER_INTERESTED = "您已表示有意向，工作人员会尽快与您联系。"
ANSWER_DECLINED = "您已表示没有意向"
ANSWER_INTERVIEW = "已为您安排面试，请按时参加。"


@dataclass(frozen=True)
class Contact:
    role: str  # "村劳务经纪人", "企业联系人", ...
    name: str
    phone: str


@dataclass(frozen=True)
class JobCard:
    rec: Recommendation
    place: str
    pay: str
    board: str
    requirements: list[str]
    answer: str
    employer_contact: Contact | None


def _pay(job: Any) -> str:
    if job.wage_min == job.wage_max:
        return f"每月 {job.wage_min} 元"
    return f"每月 {job.wage_min}–{job.wage_max} 元"


def _board(job: Any) -> str:
    lodging = "包住" if job.provides_accommodation else "不包住"
    meals = "包吃" if job.provides_meals else "不包吃"
    return f"{meals}，{lodging}"


def _requirements(job: Any) -> list[str]:
    wanted = [f"年龄 {job.age_min}–{job.age_max} 岁"]
    if job.sex_requirement:
        wanted.append(f"限{SexRequirement(job.sex_requirement).label}性")
    if job.education_min:
        wanted.append(f"{Education(job.education_min).label}及以上学历")
    return wanted


def _answer(rec: Recommendation) -> str:
    if rec.state == RecState.INTERESTED:
        return ANSWER_INTERESTED
    if rec.state == RecState.DECLINED:
        return ANSWER_DECLINED + (f"（{rec.decline_reason}）。" if rec.decline_reason else "。")
    if rec.state == RecState.INTERVIEW:
        return ANSWER_INTERVIEW
    return ""  # not answered yet: the buttons ask


def local_contacts(laborer: Laborer) -> list[Contact]:
    """The people who serve the laborer's village and can be called: its brokers and officers (the township's,
    or the county's where the village has none) who have a phone on their account."""
    staff = village_field_staff({laborer.region_id}).get(laborer.region_id, [])
    contacts = []
    for user in staff:
        if not user.phone:
            continue
        at_village = user.home_region_id == laborer.region_id
        role = "村劳务经纪人" if at_village else "乡镇（县）人社工作人员"
        contacts.append(Contact(role=role, name=user.get_full_name() or user.username, phone=user.phone))
    contacts.sort(key=lambda c: c.role != "村劳务经纪人")
    return contacts[:2]


def personal_page(*, laborer_id: int) -> dict[str, Any]:
    """The cards of the laborer's open recommendations and the people to call."""
    recs = list(recommendation_list_for_link(laborer_id=laborer_id))
    names = RegionNames()
    names.load(rec.job.work_region_id for rec in recs)
    cards = []
    for rec in recs:
        job = rec.job
        enterprise = job.enterprise
        contact = (
            Contact(role="企业联系人", name=enterprise.contact_name, phone=enterprise.contact_phone)
            if enterprise.contact_phone
            else None
        )
        cards.append(
            JobCard(
                rec=rec,
                place=names.path(job.work_region_id).replace("/", " ") or job.work_region_id,
                pay=_pay(job),
                board=_board(job),
                requirements=_requirements(job),
                answer=_answer(rec),
                employer_contact=contact,
            )
        )
    laborer = Laborer.objects.filter(pk=laborer_id).only("pk", "region_id").first()
    return {"cards": cards, "contacts": local_contacts(laborer) if laborer is not None else []}
