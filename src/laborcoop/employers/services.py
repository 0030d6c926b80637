"""Writes to enterprises and job postings.

Every service checks the capability and the scope through the access layer (enterprise users: their own
enterprise only; staff: their region subtree), validates, saves inside one transaction with the row locked,
checks the optimistic `version` on updates and writes an audit row (contact phones are masked by core.audit).
"""

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from laborcoop.accounts.access import is_enterprise_user, region_code_in_scope, require_cap
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.audit import audit_record, diff, snapshot
from laborcoop.core.codes import Education
from laborcoop.core.errors import ConflictError, ObjectNotFound, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.issues import Issues
from laborcoop.core.validation.phone import validate_contact_phone
from laborcoop.core.validation.uscc import normalize_uscc, validate_uscc
from laborcoop.employers import choices as c
from laborcoop.employers.access import enterprises_for, jobs_for
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.employers.signals import job_posted
from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.selectors import normalize_code

ENTERPRISE_USER_CANNOT_CREATE = "企业用户不能登记企业。"
ENTERPRISE_FIELD_LOCKED = "企业用户不能修改此项，如需变更请联系当地人社部门。"
NAME_REQUIRED = "请填写企业名称。"
USCC_TAKEN = "该统一社会信用代码已登记。"
INDUSTRY_INVALID = "请选择所属行业。"
SIZE_INVALID = "请选择企业规模。"
CONTACT_NAME_REQUIRED = "请填写联系人。"
REGION_REQUIRED = "请填写区划代码。"
REGION_UNKNOWN = "区划代码不存在。"
REGION_TOO_HIGH = "请选择到县（市、区）或以下一级。"
REGION_ABOLISHED = "该区划已撤销，请使用现行区划代码。"
REGION_OUT_OF_SCOPE = "该地区不在您的管辖范围内。"

TITLE_REQUIRED = "请填写岗位名称。"
OCCUPATION_REQUIRED = "请填写工种。"
OPENINGS_REQUIRED = "请填写招聘人数。"
OPENINGS_TOO_FEW = "招聘人数至少为 1 人。"
WAGE_REQUIRED = "请填写月薪。"
WAGE_NOT_POSITIVE = "月薪下限必须大于 0 元。"
WAGE_RANGE = "月薪下限不能高于月薪上限。"
WAGE_TOO_HIGH = "月薪上限不能超过 100000 元。"
AGE_TOO_LOW = "最低年龄不能小于 16 岁。"
AGE_TOO_HIGH = "最高年龄不能大于 70 岁。"
AGE_RANGE = "最低年龄不能高于最高年龄。"
VALIDITY_REQUIRED = "请填写有效期。"
VALIDITY_RANGE = "有效期起不能晚于有效期止。"
SEX_REQUIREMENT_INVALID = "请选择有效的性别要求。"
EDUCATION_INVALID = "请选择有效的最低学历。"
STATUS_INVALID = "岗位状态无效。"
STATUS_EXPIRED_REOPEN = "岗位已过有效期（有效期止 {until}），请先修改有效期止再恢复招聘。"
EXPIRY_REASON = "岗位已过有效期止（{until}），自动标记为已过期"

WAGE_CEILING = 100000
AGE_FLOOR = 16
AGE_CEILING = 70

# What an enterprise user may not change on their own profile: the identity and the place that decide which
# office manages the enterprise, and the assistance designations, which the labour authorities award.
ENTERPRISE_USER_LOCKED_FIELDS = ("uscc", "region_code", "is_assist_workshop", "is_assist_base")

# Audited fields: every stored field except bookkeeping (FKs by code / id).
_NOT_AUDITED = frozenset({"id", "created_at", "updated_at", "version"})
ENTERPRISE_FIELDS = [f.name for f in Enterprise._meta.concrete_fields if f.name not in _NOT_AUDITED]
JOB_FIELDS = [f.name for f in JobPosting._meta.concrete_fields if f.name not in _NOT_AUDITED]


def require_can_create_enterprise(user: Any) -> None:
    require_cap(user, Cap.EMPLOYERS_EDIT)
    if is_enterprise_user(user):
        raise PermissionDeniedError(ENTERPRISE_USER_CANNOT_CREATE)


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return str(value).strip() if value is not None else ""


def _int_or_none(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _region(raw: Any, *, field: str, issues: Issues, current: str | None = None) -> Region | None:
    """A county-or-lower region that exists; abolished codes are refused unless the row already holds it."""
    text = str(raw or "").strip()
    if not text:
        issues.error(field, REGION_REQUIRED)
        return None
    code = normalize_code(text)
    region = Region.objects.filter(code=code).first() if code else None
    if region is None:
        issues.error(field, REGION_UNKNOWN)
        return None
    if region.level < RegionLevel.COUNTY:
        issues.error(field, REGION_TOO_HIGH)
        return None
    if region.valid_to is not None and region.code != current:
        issues.error(field, REGION_ABOLISHED)
        return None
    return region


# --- enterprises ------------------------------------------------------------------------------------------


def _lock_enterprise(*, acting_user: Any, enterprise_id: int, cap: str) -> Enterprise:
    """The enterprise, locked, if `acting_user` holds `cap` and the enterprise is in scope."""
    locked = enterprises_for(acting_user, cap).select_for_update().filter(pk=enterprise_id).first()
    if locked is None:
        raise ObjectNotFound
    return locked


def _locked_fields_unchanged(*, data: Mapping[str, Any], current: Enterprise, issues: Issues) -> None:
    """An enterprise user's edit may carry the locked fields only with their stored values."""

    def region_code(value: Any) -> str | None:
        return normalize_code(str(value or ""))

    checks: dict[str, tuple[Any, Callable[[Any], Any]]] = {
        "uscc": (current.uscc, normalize_uscc),
        "region_code": (current.region_id, region_code),
        "is_assist_workshop": (current.is_assist_workshop, bool),
        "is_assist_base": (current.is_assist_base, bool),
    }
    for name in ENTERPRISE_USER_LOCKED_FIELDS:
        stored, normalize = checks[name]
        if name in data and normalize(data[name]) != stored:
            issues.error(name, ENTERPRISE_FIELD_LOCKED)


def _identity_and_place(
    *,
    acting_user: Any,
    data: Mapping[str, Any],
    current: Enterprise | None,
    issues: Issues,
    values: dict[str, Any],
) -> None:
    """USCC (valid, unique), region (county or below, in the acting user's subtree) and the designations."""
    uscc, uscc_issues = validate_uscc(data.get("uscc"))
    issues.merge(uscc_issues)
    if uscc:
        taken = Enterprise.objects.filter(uscc=uscc)
        if current is not None:
            taken = taken.exclude(pk=current.pk)
        if taken.exists():
            issues.error("uscc", USCC_TAKEN)
        values["uscc"] = uscc
    region = _region(
        data.get("region_code"),
        field="region_code",
        issues=issues,
        current=current.region_id if current is not None else None,
    )
    if region is not None:
        if region_code_in_scope(acting_user, region.code):
            values["region_id"] = region.code
        else:
            issues.error("region_code", REGION_OUT_OF_SCOPE)
    values["is_assist_workshop"] = bool(data.get("is_assist_workshop"))
    values["is_assist_base"] = bool(data.get("is_assist_base"))


def _enterprise_issues(
    *, acting_user: Any, data: Mapping[str, Any], current: Enterprise | None
) -> tuple[Issues, dict[str, Any]]:
    """Validate enterprise input; returns the issues and the cleaned values to apply."""
    issues = Issues()
    values: dict[str, Any] = {}
    values["name"] = _text(data, "name")
    if not values["name"]:
        issues.error("name", NAME_REQUIRED)
    if current is not None and is_enterprise_user(acting_user):
        _locked_fields_unchanged(data=data, current=current, issues=issues)
    else:
        _identity_and_place(acting_user=acting_user, data=data, current=current, issues=issues, values=values)
    values["industry"] = _text(data, "industry")
    if values["industry"] not in c.Industry.values:
        issues.error("industry", INDUSTRY_INVALID)
    values["size"] = _text(data, "size")
    if values["size"] not in c.EnterpriseSize.values:
        issues.error("size", SIZE_INVALID)
    values["contact_name"] = _text(data, "contact_name")
    if not values["contact_name"]:
        issues.error("contact_name", CONTACT_NAME_REQUIRED)
    phone, phone_issues = validate_contact_phone(data.get("contact_phone"), field="contact_phone", required=True)
    issues.merge(phone_issues)
    values["contact_phone"] = phone
    values["address"] = _text(data, "address")
    values["description"] = _text(data, "description")
    return issues, values


def enterprise_validate(
    *, acting_user: Any, data: Mapping[str, Any], current: Enterprise | None
) -> tuple[Issues, dict[str, Any]]:
    """The checks of enterprise_create / enterprise_update without writing: (issues, cleaned values).

    For other writers of enterprises (the spreadsheet import), so that a row passes exactly when the form
    would. `data` holds the form's fields (region as `region_code`); `current` is the stored enterprise.
    """
    return _enterprise_issues(acting_user=acting_user, data=data, current=current)


@transaction.atomic
def enterprise_create(*, acting_user: Any, data: Mapping[str, Any]) -> Enterprise:
    """Register an enterprise in the acting staff member's subtree (enterprise users cannot)."""
    require_can_create_enterprise(acting_user)
    issues, values = _enterprise_issues(acting_user=acting_user, data=data, current=None)
    issues.raise_if_errors()
    enterprise = Enterprise(**values)
    enterprise.full_clean()
    enterprise.save()
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.CREATE,
        instance=enterprise,
        region_code=enterprise.region_id,
        changes=diff({}, snapshot(enterprise, ENTERPRISE_FIELDS)),
    )
    return enterprise


@transaction.atomic
def enterprise_update(
    *, acting_user: Any, enterprise: Enterprise, data: Mapping[str, Any], expected_version: int
) -> Enterprise:
    """Update an enterprise's profile. Enterprise users edit only their own, and not the fields in
    ENTERPRISE_USER_LOCKED_FIELDS (left out of `data`, they keep their stored values). Moving an enterprise
    moves its jobs with it, because a job is managed where its enterprise is."""
    locked = _lock_enterprise(acting_user=acting_user, enterprise_id=enterprise.pk, cap=Cap.EMPLOYERS_EDIT)
    if locked.version != expected_version:
        raise ConflictError
    issues, values = _enterprise_issues(acting_user=acting_user, data=data, current=locked)
    issues.raise_if_errors()
    before = snapshot(locked, ENTERPRISE_FIELDS)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.full_clean()
    locked.save()
    if locked.region_id != before["region"]:
        locked.jobs.update(region_id=locked.region_id, updated_at=timezone.now())
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        region_code=locked.region_id,
        changes=diff(before, snapshot(locked, ENTERPRISE_FIELDS)),
    )
    return locked


# --- job postings -----------------------------------------------------------------------------------------


def _lock_job(*, acting_user: Any, job_id: int) -> JobPosting:
    locked = jobs_for(acting_user, Cap.JOBS_EDIT).select_for_update().filter(pk=job_id).first()
    if locked is None:
        raise ObjectNotFound
    return locked


def _job_issues(*, data: Mapping[str, Any], current: JobPosting | None) -> tuple[Issues, dict[str, Any]]:
    issues = Issues()
    values: dict[str, Any] = {}

    values["title"] = _text(data, "title")
    if not values["title"]:
        issues.error("title", TITLE_REQUIRED)
    values["occupation"] = _text(data, "occupation")
    if not values["occupation"]:
        issues.error("occupation", OCCUPATION_REQUIRED)

    openings = _int_or_none(data.get("openings"))
    if openings is None:
        issues.error("openings", OPENINGS_REQUIRED)
    elif openings < 1:
        issues.error("openings", OPENINGS_TOO_FEW)
    values["openings"] = openings

    wage_min = _int_or_none(data.get("wage_min"))
    wage_max = _int_or_none(data.get("wage_max"))
    if wage_min is None:
        issues.error("wage_min", WAGE_REQUIRED)
    elif wage_min <= 0:
        issues.error("wage_min", WAGE_NOT_POSITIVE)
    if wage_max is None:
        issues.error("wage_max", WAGE_REQUIRED)
    elif wage_max > WAGE_CEILING:
        issues.error("wage_max", WAGE_TOO_HIGH)
    if wage_min is not None and wage_max is not None and wage_min > wage_max:
        issues.error("wage_min", WAGE_RANGE)
    values["wage_min"], values["wage_max"] = wage_min, wage_max

    age_min = _int_or_none(data.get("age_min"))
    age_max = _int_or_none(data.get("age_max"))
    age_min = AGE_FLOOR if age_min is None else age_min
    age_max = JobPosting._meta.get_field("age_max").get_default() if age_max is None else age_max
    if age_min < AGE_FLOOR:
        issues.error("age_min", AGE_TOO_LOW)
    if age_max > AGE_CEILING:
        issues.error("age_max", AGE_TOO_HIGH)
    if age_min > age_max:
        issues.error("age_min", AGE_RANGE)
    values["age_min"], values["age_max"] = age_min, age_max

    valid_from, valid_until = data.get("valid_from"), data.get("valid_until")
    if not isinstance(valid_from, date):
        issues.error("valid_from", VALIDITY_REQUIRED)
    if not isinstance(valid_until, date):
        issues.error("valid_until", VALIDITY_REQUIRED)
    if isinstance(valid_from, date) and isinstance(valid_until, date) and valid_from > valid_until:
        issues.error("valid_until", VALIDITY_RANGE)
    values["valid_from"], values["valid_until"] = valid_from, valid_until

    work_region = _region(
        data.get("work_region_code"),
        field="work_region_code",
        issues=issues,
        current=current.work_region_id if current is not None else None,
    )
    if work_region is not None:
        values["work_region_id"] = work_region.code

    values["sex_requirement"] = _text(data, "sex_requirement")
    if values["sex_requirement"] not in c.SexRequirement.values:
        issues.error("sex_requirement", SEX_REQUIREMENT_INVALID)
    values["education_min"] = _text(data, "education_min")
    if values["education_min"] and values["education_min"] not in Education.values:
        issues.error("education_min", EDUCATION_INVALID)

    for flag in ("provides_accommodation", "provides_meals", "is_low_threshold"):
        values[flag] = bool(data.get(flag))
    values["description"] = _text(data, "description")
    return issues, values


def job_validate(*, data: Mapping[str, Any], current: JobPosting | None) -> tuple[Issues, dict[str, Any]]:
    """The checks of job_create / job_update without writing: (issues, cleaned values), for the import.
    Dates are `date` objects; the enterprise (and so the job's region and scope) is the caller's."""
    return _job_issues(data=data, current=current)


def _audit_job(*, acting_user: Any, job: JobPosting, action: str, before: Mapping[str, Any]) -> None:
    audit_record(
        actor=acting_user,
        action=action,
        instance=job,
        region_code=job.region_id,
        changes=diff(before, snapshot(job, JOB_FIELDS)),
    )


@transaction.atomic
def job_create(*, acting_user: Any, enterprise: Enterprise, data: Mapping[str, Any]) -> JobPosting:
    """Post a job for an enterprise in the acting user's scope; the job's region is the enterprise's."""
    locked = _lock_enterprise(acting_user=acting_user, enterprise_id=enterprise.pk, cap=Cap.JOBS_EDIT)
    issues, values = _job_issues(data=data, current=None)
    issues.raise_if_errors()
    job = JobPosting(enterprise=locked, region_id=locked.region_id, status=c.JobStatus.OPEN, **values)
    job.full_clean()
    job.save()
    _audit_job(acting_user=acting_user, job=job, action=AuditEntry.Action.CREATE, before={})
    # 天天在招聘: a posted job is matched to candidates after the commit (matching).
    job_posted.send(sender=JobPosting, job=job, acting_user=acting_user)
    return job


@transaction.atomic
def job_update(*, acting_user: Any, job: JobPosting, data: Mapping[str, Any], expected_version: int) -> JobPosting:
    """Edit a posting's terms; its enterprise and region do not change here, nor its status, except that an
    expired posting given an end date of today or later is open again."""
    locked = _lock_job(acting_user=acting_user, job_id=job.pk)
    if locked.version != expected_version:
        raise ConflictError
    issues, values = _job_issues(data=data, current=locked)
    issues.raise_if_errors()
    before = snapshot(locked, JOB_FIELDS)
    for name, value in values.items():
        setattr(locked, name, value)
    if locked.status == c.JobStatus.EXPIRED and locked.valid_until >= timezone.localdate():
        locked.status = c.JobStatus.OPEN  # a new end date puts an expired posting back on the market
    locked.region_id = Enterprise.objects.values_list("region_id", flat=True).get(pk=locked.enterprise_id)
    locked.version += 1
    locked.full_clean()
    locked.save()
    _audit_job(acting_user=acting_user, job=locked, action=AuditEntry.Action.UPDATE, before=before)
    return locked


@transaction.atomic
def job_set_status(
    *, acting_user: Any, job: JobPosting, status: str, expected_version: int | None = None
) -> JobPosting:
    """Open, pause or close a posting; setting the status it already has changes nothing (a double click)."""
    locked = _lock_job(acting_user=acting_user, job_id=job.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError
    if status not in c.SETTABLE_JOB_STATUSES:
        raise ValidationError({"status": [STATUS_INVALID]})
    if status in c.EXPIRING_JOB_STATUSES and locked.valid_until < timezone.localdate():
        raise ValidationError({"status": [STATUS_EXPIRED_REOPEN.format(until=f"{locked.valid_until:%Y-%m-%d}")]})
    if locked.status == status:
        return locked
    before = snapshot(locked, JOB_FIELDS)
    locked.status = status
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    _audit_job(acting_user=acting_user, job=locked, action=AuditEntry.Action.UPDATE, before=before)
    return locked


@transaction.atomic
def job_postings_expire(*, today: date | None = None) -> int:
    """Mark the postings past their end date (有效期止 before `today`) that are still open or paused as
    已过期, with one audit row each (actor: the system). The nightly `expire_job_postings` runs it;
    pages and matching already treat such postings as expired on read. Idempotent; returns how many changed."""
    day = today or timezone.localdate()
    rows = list(
        JobPosting.objects.select_for_update()
        .filter(status__in=c.EXPIRING_JOB_STATUSES, valid_until__lt=day)
        .order_by("pk")
        .values_list("pk", "region_id", "title", "status", "valid_until")
    )
    if not rows:
        return 0
    now = timezone.now()
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        JobPosting.objects.filter(pk__in=[r[0] for r in chunk]).update(
            status=c.JobStatus.EXPIRED, version=F("version") + 1, updated_at=now
        )
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    actor=None,
                    action=AuditEntry.Action.UPDATE,
                    object_type=JobPosting._meta.label_lower,
                    object_id=str(pk),
                    object_repr=f"{title}（{pk}）"[:200],
                    region_code=region,
                    changes={"status": [status, c.JobStatus.EXPIRED.value]},
                    reason=EXPIRY_REASON.format(until=f"{until:%Y-%m-%d}"),
                )
                for pk, region, title, status, until in chunk
            ]
        )
    return len(rows)
