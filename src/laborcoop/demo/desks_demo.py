"""Demo data for the broker's and the hotline's desks, so that `jjr`'s home ("today") and `rexian`'s call
console show real work at once:

- follow-up tasks of jjr's village due today or overdue (the nightly plan schedules them weeks ahead);
- two children of the village, registered years ago, who have just turned 16 (people to register);
- recommended jobs nobody has told the village's unemployed laborers about yet (mode 2 through the matching
  service: what the weekly limit does not send waits for the broker);
- a few 12333 calls by rexian about people of the county, with their notes (the service log, the person page).

Writes go through the services where one exists (registration, matching, the service contact log); the dates
that make a row "due" or "registered years ago" are set afterwards, as the history the demo stands for.
Idempotent: a second run finds the rows and adds nothing.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from laborcoop.accounts.models import User
from laborcoop.core.validation.checksums import make_id_number
from laborcoop.frontdesk.contacts import contact_log
from laborcoop.frontdesk.models import ServiceContact
from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation
from laborcoop.matching.services import recommendations_for_laborer
from laborcoop.registry.choices import EmploymentStatus, LaborSkill
from laborcoop.registry.models import Household, Laborer, VitalStatus
from laborcoop.registry.services import laborer_register
from laborcoop.tracking.choices import TaskKind, TaskStatus
from laborcoop.tracking.models import FollowUpTask
from laborcoop.tracking.status.services import employment_states_refresh

DUE_TASKS = 3
NEW_WORKERS = ((45, "向小雨", False), (120, "向志强", True))  # (days since the 16th birthday, name, male)
JOB_LABORERS = 3
ABLE = (LaborSkill.ORDINARY, LaborSkill.SKILLED)
CALLS = (
    "询问外出务工交通补贴怎么申请，已告知需劳动合同和三个月工资流水，到乡镇窗口办理。",
    "来电反映在东莞务工被拖欠两个月工资，已登记并转县劳动监察大队。",
    "询问县内有没有包吃住的岗位，已推荐两家帮扶车间，并告知联系村劳务经纪人。",
)


@dataclass(frozen=True)
class DesksDemoReport:
    due_tasks: int
    new_workers: int
    jobs_to_pass: int
    calls: int


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _due_tasks(broker: User, today: date) -> int:
    village = broker.home_region_id or ""
    open_due = FollowUpTask.objects.filter(region_id=village, status=TaskStatus.OPEN, due_date__lte=today)
    missing = DUE_TASKS - open_due.count()
    if missing > 0:
        busy = FollowUpTask.objects.filter(status=TaskStatus.OPEN).values("laborer_id")
        people = Laborer.objects.filter(region_id=village, vital_status=VitalStatus.NORMAL).exclude(pk__in=busy)
        for i, person in enumerate(people.order_by("id")[:missing]):
            FollowUpTask.objects.create(
                laborer=person, region_id=village, kind=TaskKind.ROUTINE, due_date=today - timedelta(days=2 - i)
            )
    return open_due.count()


def _new_workers(broker: User, today: date) -> int:
    village = broker.home_region_id or ""
    household = Household.objects.filter(region_id=village).order_by("id").first()
    if household is None:
        return 0
    made = 0
    for days, name, male in NEW_WORKERS:
        birth = _years_before(today - timedelta(days=days), 16)
        number = make_id_number(village[:6], birth, 801 if male else 802)
        if not Laborer.objects.filter(household=household, name=name).exists():
            person = laborer_register(
                acting_user=broker,
                household=household,
                data={
                    "name": name,
                    "id_number": number,
                    "relation": "之子" if male else "之女",
                    "education": "",
                    "student_status": "普通高中一年级",
                    "health": ["健康"],
                    "labor_skill": "无劳动力",
                    "political_status": "群众",
                    "employment_status": EmploymentStatus.UNEMPLOYED,
                    "phone": "",
                    "work_region_willingness": [],
                    "intended_occupations": [],
                    "expected_wage": None,
                    "training_needs": [],
                    "unreachable": False,
                },
                confirm_warnings=True,
            )
            # Registered as a child three years ago: the record predates the 16th birthday.
            long_ago = timezone.now() - timedelta(days=3 * 365)
            Laborer.objects.filter(pk=person.pk).update(created_at=long_ago, updated_at=long_ago)
            employment_states_refresh([person.pk])  # the nightly refresh already ran
        made += 1
    return made


def _jobs_to_pass(broker: User) -> int:
    village = broker.home_region_id or ""
    waiting = Recommendation.objects.filter(region_id=village, state=RecState.RECOMMENDED)
    if not waiting.exists():
        people = (
            Laborer.objects.filter(region_id=village, vital_status=VitalStatus.NORMAL, labor_skill__in=ABLE)
            .exclude(employment_status=EmploymentStatus.EMPLOYED)
            .order_by("id")[:JOB_LABORERS]
        )
        for person in people:
            recommendations_for_laborer(acting_user=broker, laborer=person, limit=6)
    return waiting.count()


def _calls(hotline: User, broker: User) -> int:
    made = ServiceContact.objects.filter(staff=hotline, channel=ServiceContact.Channel.PHONE).exclude(note="")
    if made.exists():
        return made.count()
    people = Laborer.objects.filter(region_id=broker.home_region_id or "").order_by("id")[: len(CALLS)]
    for person, note in zip(people, CALLS, strict=False):
        contact_log(
            acting_user=hotline,
            channel=ServiceContact.Channel.PHONE,
            outcome=ServiceContact.Outcome.FOUND,
            matched_laborer=person,
            id_number_hash=person.id_number_hash,
            name=person.name,
            birth_date=person.birth_date,
            note=note,
        )
    return made.count()


def demo_desks_ensure(*, today: date | None = None) -> DesksDemoReport:
    today = today or timezone.localdate()
    broker = User.objects.filter(username="jjr").first()
    hotline = User.objects.filter(username="rexian").first()
    if broker is None or hotline is None:
        return DesksDemoReport(0, 0, 0, 0)
    with transaction.atomic():
        due = _due_tasks(broker, today)
        workers = _new_workers(broker, today)
        calls = _calls(hotline, broker)
    jobs = _jobs_to_pass(broker)  # matching runs its own transactions and queues its messages after them
    return DesksDemoReport(due_tasks=due, new_workers=workers, jobs_to_pass=jobs, calls=calls)
