"""State changes of a recommendation: the transition table (choices.TRANSITIONS), who may make which change,
optimistic versions, an event row and an audit row per change, and the messages that follow.

已上岗 (STARTED) creates the laborer's employment record in the same transaction, through the employment
service (so the record is judged like any other: overlap with an ongoing job, working age, ...). Only staff
reach STARTED (enterprise users record 录用/未录用, the personal link 有意向/无意向), and the service's own
checks (REGISTRY_EDIT, the laborer's region in scope) apply to the acting staff member. A refused record
refuses the transition: nothing is saved and the employment rules' Chinese messages are raised.

录用 and 已上岗 take one of the job's openings (services/openings.py): beyond them the transition is refused
unless the acting user confirms the over-hire (`confirm_over_hire`), which raises the openings, audited.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from laborcoop.accounts.access import is_enterprise_user, require_cap
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.audit import audit_record, diff, snapshot
from laborcoop.core.errors import ConflictError, ObjectNotFound, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.employment.choices import Channel, Source
from laborcoop.employment.models import WAGE_MAX, WAGE_MIN, EmploymentRecord
from laborcoop.employment.records.services import EmploymentData, employment_record_create
from laborcoop.employment.records.validation import work_area_of
from laborcoop.matching.access import access_recommendation
from laborcoop.matching.choices import (
    ENTERPRISE_TARGETS,
    LINK_TARGETS,
    TRANSITIONS,
    InterviewMode,
    RecState,
    RecVia,
)
from laborcoop.matching.models import Recommendation, RecommendationEvent
from laborcoop.matching.services.interview import notify_laborer_of_interview
from laborcoop.matching.services.notify import (
    notify_employer_of_interest,
    notify_laborer_of_jobs,
    notify_laborer_of_result,
)
from laborcoop.matching.services.openings import HIRED_STATES, job_hire_check
from laborcoop.registry.choices import WorkArea

ERR_UNKNOWN_STATE = "未知的推荐状态：%(state)s。"
ERR_TRANSITION = "不能从“%(from)s”变为“%(to)s”。"
ERR_REASON_REQUIRED = "请填写无意向的原因。"
ERR_ENTERPRISE_ONLY_RESULTS = "企业用户只能为本企业岗位安排面试、登记面试结果（录用或未录用）。"
ERR_INTERVIEW_AT_REQUIRED = "请填写面试时间。"
ERR_INTERVIEW_PAST = "面试时间不能早于今天。"
ERR_INTERVIEW_MODE = "请选择面试方式（现场面试或线上面试）。"
ERR_INTERVIEW_PLACE = "现场面试请填写面试地点。"
ERR_LINK_ONLY_INTEREST = "通过个人链接只能表示有意向或无意向。"
CONFLICT_MESSAGE = "该推荐已被他人更新，请刷新后重试。"

_FIELDS = [
    "state",
    "decline_reason",
    "interview_at",
    "interview_mode",
    "interview_place",
    "interview_note",
    "hire_date",
    "result_note",
    "employment_record",
]
# Employment-record fields whose errors concern the date the staff member gave (上岗日期).
_HIRE_DATE_FIELDS = frozenset({"start_date"})


@dataclass(frozen=True)
class Interview:
    """The interview step: when, how (on site at `place`, or online), and a note for the candidate."""

    at: datetime | None = None
    mode: str = ""
    place: str = ""
    note: str = ""


def _interview_errors(interview: Interview) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if interview.at is None:
        errors["interview_at"] = [ERR_INTERVIEW_AT_REQUIRED]
    elif timezone.localdate(interview.at) < timezone.localdate():
        errors["interview_at"] = [ERR_INTERVIEW_PAST]
    if interview.mode not in InterviewMode.values:
        errors["interview_mode"] = [ERR_INTERVIEW_MODE]
    elif interview.mode == InterviewMode.ONSITE and not interview.place.strip():
        errors["interview_place"] = [ERR_INTERVIEW_PLACE]
    return errors


def _lock(pk: int) -> Recommendation:
    """The row, locked for this transaction (call inside transaction.atomic)."""
    return Recommendation.objects.select_for_update().select_related("job", "job__enterprise", "laborer").get(pk=pk)


def _apply(
    *,
    actor: Any,
    via: str,
    rec: Recommendation,
    to_state: str,
    expected_version: int | None,
    reason: str = "",
    interview: Interview | None = None,
    hire_date: date | None = None,
    note: str = "",
    confirm_over_hire: bool = False,
    start_record: Callable[[Recommendation], EmploymentRecord] | None = None,
) -> Recommendation:
    if to_state not in RecState.values:
        raise ValidationError(ERR_UNKNOWN_STATE, code="unknown_state", params={"state": to_state})
    with transaction.atomic():
        locked = _lock(rec.pk)
        if expected_version is not None and locked.version != expected_version:
            raise ConflictError(CONFLICT_MESSAGE)
        from_state = locked.state
        # Moving an arranged interview (a new time or place) keeps the state: INTERVIEW -> INTERVIEW.
        rescheduling = from_state == to_state == RecState.INTERVIEW
        if to_state not in TRANSITIONS[from_state] and not rescheduling:
            raise ValidationError(
                ERR_TRANSITION,
                code="invalid_transition",
                params={"from": RecState(from_state).label, "to": RecState(to_state).label},
            )
        reason = reason.strip()
        if to_state == RecState.DECLINED and not reason:
            raise ValidationError({"reason": ValidationError(ERR_REASON_REQUIRED, code="reason_required")})
        before = snapshot(locked, _FIELDS)
        locked.state = to_state
        if to_state == RecState.DECLINED:
            locked.decline_reason = reason[:200]
        if to_state == RecState.INTERVIEW:
            interview = interview or Interview()
            errors = _interview_errors(interview)
            if errors:
                raise ValidationError(errors)
            locked.interview_at = interview.at
            locked.interview_mode = interview.mode
            locked.interview_place = interview.place.strip()[:200]
            locked.interview_note = interview.note.strip()[:200]
        if to_state in (RecState.HIRED, RecState.STARTED):
            locked.hire_date = hire_date or locked.hire_date or timezone.localdate()
        if to_state in (RecState.HIRED, RecState.REJECTED) and note:
            locked.result_note = note.strip()[:200]
        locked.version += 1
        locked.full_clean(validate_unique=False, validate_constraints=False)
        if to_state in HIRED_STATES:
            job_hire_check(
                acting_user=actor,
                job_id=locked.job_id,
                laborer_id=locked.laborer_id,
                confirm_over_hire=confirm_over_hire,
            )
        if to_state == RecState.STARTED:
            # The enterprise's own hire report (enterprise_start.py) or, for staff, the employment service.
            make = start_record or (lambda r: _employment_record_for_start(actor=actor, rec=r))
            locked.employment_record = make(locked)
        if to_state == RecState.NOTIFIED:  # a person decided to tell the laborer: no limit applies
            locked.notified_at = timezone.now()
        locked.save(update_fields=[*_FIELDS, "notified_at", "version", "updated_at"])
        RecommendationEvent.objects.create(
            recommendation=locked,
            actor=actor if actor is not None and actor.is_authenticated else None,
            via=via,
            from_state=from_state,
            to_state=to_state,
            note=(reason or note or (locked.interview_note if to_state == RecState.INTERVIEW else ""))[:200],
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            instance=locked,
            region_code=locked.region_id,
            changes=diff(before, snapshot(locked, _FIELDS)),
            reason=reason or note,
        )
        if to_state == RecState.NOTIFIED:
            notify_laborer_of_jobs(laborer=locked.laborer, recommendations=[locked])
        if to_state == RecState.INTERESTED:
            notify_employer_of_interest(recommendation=locked)
        if to_state == RecState.INTERVIEW:
            notify_laborer_of_interview(recommendation=locked)
        if to_state in (RecState.HIRED, RecState.REJECTED):
            notify_laborer_of_result(recommendation=locked)
    return locked


def hire_channel(*, home_code: str, work_code: str, assist_workshop: bool) -> str:
    """就业渠道 of a job found through the platform: work outside the home county was organised by the
    platform's labor cooperation (劳务协作输出); in the home county, a 就业帮扶车间 is its own channel and any
    other employer counts as 外出务工 (wage work away from the household)."""
    if work_area_of(home_code, work_code) != WorkArea.IN_COUNTY:
        return Channel.LABOR_COOPERATION
    return Channel.ASSIST_WORKSHOP if assist_workshop else Channel.MIGRANT


def hire_employment_data(rec: Recommendation) -> EmploymentData:
    """The employment record a start (已上岗) creates: the job's enterprise and work county, the start date
    given, the job's lower wage bound as the monthly wage (the guaranteed part of the offer; none when out of
    the record's range)."""
    job, laborer = rec.job, rec.laborer
    assert rec.hire_date is not None
    return EmploymentData(
        start_date=rec.hire_date,
        work_county=job.work_region_id,
        enterprise_id=job.enterprise_id,
        job_id=job.pk,
        monthly_wage=job.wage_min if WAGE_MIN <= job.wage_min <= WAGE_MAX else None,
        channel=hire_channel(
            home_code=laborer.region_id,
            work_code=job.work_region_id,
            assist_workshop=job.enterprise.is_assist_workshop,
        ),
    )


def _employment_record_for_start(*, actor: Any, rec: Recommendation) -> EmploymentRecord:
    """Create the record (inside the caller's transaction); its errors become the transition's, on 上岗日期
    when they are about the start date."""
    try:
        return employment_record_create(
            acting_user=actor,
            laborer=rec.laborer,
            data=hire_employment_data(rec),
            source=Source.REFERRAL,
            confirm_warnings=True,  # missing contract/insurance details are stored as warnings, completed later
        )
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for name, messages in exc.message_dict.items():
            errors.setdefault("hire_date" if name in _HIRE_DATE_FIELDS else NON_FIELD_ERRORS, []).extend(messages)
        raise ValidationError(errors) from exc


def recommendation_transition(
    *,
    acting_user: Any,
    recommendation: Recommendation,
    to_state: str,
    expected_version: int,
    reason: str = "",
    interview: Interview | None = None,
    hire_date: date | None = None,
    note: str = "",
    confirm_over_hire: bool = False,
) -> Recommendation:
    """Move a recommendation along the table by a logged-in user.

    Staff need REGISTRY_EDIT and the laborer in their subtree; enterprise users need JOBS_EDIT, their own
    enterprise's job, and may only arrange the interview (面试, also moving an arranged one) and record its
    result (录用 / 未录用). 面试 needs the `interview` details (time not before today, mode, the place of an on-site
    one); the laborer is told by SMS. Takes the row lock, and for 录用 /
    已上岗 the job's (a full job: ValidationError ERR_OPENINGS_FULL unless `confirm_over_hire`)."""
    if acting_user is None or not acting_user.is_authenticated:
        require_cap(acting_user, Cap.REGISTRY_EDIT)  # raises: please log in
    rec = access_recommendation(user=acting_user, recommendation_id=recommendation.pk, edit=True)
    enterprise = is_enterprise_user(acting_user)
    if enterprise and to_state not in ENTERPRISE_TARGETS:
        raise PermissionDeniedError(ERR_ENTERPRISE_ONLY_RESULTS)
    return _apply(
        actor=acting_user,
        via=RecVia.ENTERPRISE if enterprise else RecVia.STAFF,
        rec=rec,
        to_state=to_state,
        expected_version=expected_version,
        reason=reason,
        interview=interview,
        hire_date=hire_date,
        note=note,
        confirm_over_hire=confirm_over_hire,
    )


def recommendation_respond_by_link(
    *, laborer_id: int, recommendation_id: Any, to_state: str, reason: str = ""
) -> Recommendation:
    """The laborer's own answer from the personal link (`laborer_id` comes from the verified token). Another
    person's recommendation is indistinguishable from a missing one."""
    if to_state not in LINK_TARGETS:
        raise PermissionDeniedError(ERR_LINK_ONLY_INTEREST)
    try:
        rec = Recommendation.objects.get(pk=int(recommendation_id), laborer_id=laborer_id)
    except (Recommendation.DoesNotExist, ValueError, TypeError) as exc:
        raise ObjectNotFound from exc
    return _apply(actor=None, via=RecVia.LINK, rec=rec, to_state=to_state, expected_version=None, reason=reason)
