"""Reads for matching: engine input rows built from the ORM (plain dicts, see engine.arrays), and the stored
recommendation lists as each kind of user may see them."""

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from laborcoop.accounts.access import enterprise_named_ids, is_enterprise_user
from laborcoop.employers.choices import JobStatus
from laborcoop.employers.models import JobPosting
from laborcoop.frontdesk.models import MergeRecord
from laborcoop.matching.access import recommendations_for
from laborcoop.matching.choices import DISCLOSED_STATES, LINK_PAGE_STATES, RecState
from laborcoop.matching.models import MatchingRun, Recommendation
from laborcoop.registry.choices import EmploymentStatus, LaborSkill
from laborcoop.registry.models import Laborer, VitalStatus

ABLE_TO_WORK = (LaborSkill.ORDINARY, LaborSkill.SKILLED, LaborSkill.WEAK)

LABORER_FIELDS = (
    "id",
    "region_id",
    "birth_date",
    "sex",
    "education",
    "student_status",
    "health",
    "labor_skill",
    "employment_status",
    "unreachable",
    "vital_status",
    "work_region_willingness",
    "intended_occupations",
    "intended_regions",
    "expected_wage",
    "skills",
    "qualification",
)
JOB_FIELDS = (
    "id",
    "enterprise_id",
    "work_region_id",
    "occupation",
    "openings",
    "wage_min",
    "wage_max",
    "age_min",
    "age_max",
    "sex_requirement",
    "education_min",
    "provides_accommodation",
    "provides_meals",
    "is_low_threshold",
    "status",
    "valid_until",
    "enterprise__is_assist_workshop",
    "enterprise__is_assist_base",
)


def iter_laborer_rows(queryset: QuerySet[Laborer], *extra: str) -> Iterator[dict[str, Any]]:
    """Engine rows (engine.arrays.encode_laborer keys, plus the `extra` fields) streamed from one query."""
    for row in queryset.order_by().values(*LABORER_FIELDS, *extra).iterator(chunk_size=5000):
        row["region_code"] = row.pop("region_id")
        yield row


def laborer_rows(queryset: QuerySet[Laborer]) -> list[dict[str, Any]]:
    """Engine rows (engine.arrays.encode_laborer keys) for the laborers of `queryset`, in one query."""
    return list(iter_laborer_rows(queryset))


def job_rows(queryset: QuerySet[JobPosting]) -> list[dict[str, Any]]:
    """Engine rows (engine.arrays.encode_job keys) with the employer's flags and the candidates already sent."""
    rows = []
    annotated = queryset.order_by().annotate(sent_count=Count("recommendations")).values(*JOB_FIELDS, "sent_count")
    for row in annotated:
        row["work_region_code"] = row.pop("work_region_id")
        row["is_assist_workshop"] = row.pop("enterprise__is_assist_workshop")
        row["is_assist_base"] = row.pop("enterprise__is_assist_base")
        rows.append(row)
    return rows


def laborer_prefilter(queryset: QuerySet[Laborer], *, job: JobPosting, today: date) -> QuerySet[Laborer]:
    """Narrow a mode-1 pool in SQL with the cheap hard filters, as a superset of what the engine keeps (the
    engine still applies every filter exactly): alive and registered, reachable, not employed, not in school,
    able to work, the job's sex, and birth years around the job's age range (a year of slack each side)."""
    narrowed = queryset.filter(
        vital_status=VitalStatus.NORMAL,
        unreachable=False,
        student_status="",
        labor_skill__in=ABLE_TO_WORK,
        birth_date__gte=date(today.year - job.age_max - 2, 1, 1),
        birth_date__lte=date(today.year - job.age_min + 1, 12, 31),
    ).exclude(employment_status=EmploymentStatus.EMPLOYED)
    if job.sex_requirement:
        narrowed = narrowed.filter(sex=job.sex_requirement)
    return narrowed


def open_jobs(*, today: date) -> QuerySet[JobPosting]:
    """Jobs a laborer may be offered (mode 2): open and still valid, any employer on the platform."""
    return JobPosting.objects.filter(status=JobStatus.OPEN, valid_until__gte=today)


def job_is_open(row: dict[str, Any], *, today: date) -> bool:
    """Whether a job row (of `job_rows`) belongs to `open_jobs(today=today)`."""
    return bool(row["status"] == JobStatus.OPEN and row["valid_until"] >= today)


# --- what changed, for the warm index (services/warm.py) ----------------------------------------------------
# `since` is a time on the application's clock: rows are stamped by the processes that write them.


def laborer_rows_changed(*, since: datetime) -> list[dict[str, Any]]:
    """Engine rows (with `updated_at`) of the laborers created or changed at or after `since`."""
    return list(iter_laborer_rows(Laborer.objects.filter(updated_at__gte=since), "updated_at"))


def laborer_ids_merged_away(*, since: datetime) -> set[int]:
    """Laborers deleted by a duplicate merge (frontdesk) at or after `since` that have not been restored."""
    removed = set(MergeRecord.objects.filter(merged_at__gte=since).values_list("removed_laborer_id", flat=True))
    if removed:
        removed -= set(Laborer.objects.filter(pk__in=removed).values_list("id", flat=True))
    return removed


def job_ids_changed(*, since: datetime) -> set[int]:
    """Jobs whose engine row may have changed at or after `since`: the posting or its employer (the assist
    flags) changed, or candidates were sent for it (the congestion count)."""
    changed = set(
        JobPosting.objects.filter(Q(updated_at__gte=since) | Q(enterprise__updated_at__gte=since)).values_list(
            "id", flat=True
        )
    )
    changed.update(Recommendation.objects.filter(created_at__gte=since).values_list("job_id", flat=True).distinct())
    return changed


def sent_counts(*, today: date) -> dict[int, int]:
    """Candidates sent per open job (the `sent_count` of `job_rows`), for the jobs that have any."""
    rows = (
        Recommendation.objects.filter(job__status=JobStatus.OPEN, job__valid_until__gte=today)
        .order_by()
        .values("job_id")
        .annotate(n=Count("id"))
    )
    return {row["job_id"]: row["n"] for row in rows}


def recommendation_list_for_job(*, user: Any, job: JobPosting) -> QuerySet[Recommendation]:
    """The pipeline of one job, best first, limited to what `user` may see (staff: laborers in their subtree)."""
    return recommendations_for(user).filter(job=job).order_by("-score", "id")


def recommendation_list_for_laborer(*, user: Any, laborer: Laborer) -> QuerySet[Recommendation]:
    return recommendations_for(user).filter(laborer=laborer).order_by("-score", "id")


def recommendation_list_for_link(*, laborer_id: int) -> QuerySet[Recommendation]:
    """What the laborer's personal page shows: their open recommendations and arranged interviews on jobs
    still open."""
    return (
        Recommendation.objects.select_related("job", "job__enterprise", "job__work_region")
        .filter(laborer_id=laborer_id, state__in=LINK_PAGE_STATES)
        .filter(Q(job__status=JobStatus.OPEN), job__valid_until__gte=timezone.localdate())  # not past its end date
        .order_by("-score", "id")
    )


def mask_name(name: str) -> str:
    """`张三丰` -> `张**`: the surname only."""
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def candidate_identity(*, user: Any, recommendation: Recommendation, named: bool | None = None) -> dict[str, str]:
    """Name, ID and phone as `user` may see them. Enterprise users see the surname only, the masked ID and no
    phone until the laborer states interest or works there (accounts.access.enterprise_named_ids; `named`
    passes that answer when the caller asked it for a whole page); then the name and the phone too. Staff see
    the name, the masked ID and the masked phone. The clear ID number is never shown here."""
    laborer = recommendation.laborer
    if is_enterprise_user(user):
        if named is None:
            named = recommendation.state in DISCLOSED_STATES or bool(enterprise_named_ids(user, [laborer.pk]))
        if not named:
            return {"name": mask_name(laborer.name), "id_masked": laborer.id_masked, "phone": ""}
        return {"name": laborer.name, "id_masked": laborer.id_masked, "phone": laborer.phone}
    return {"name": laborer.name, "id_masked": laborer.id_masked, "phone": laborer.phone_masked}


def named_for_page(*, user: Any, recommendations: Any) -> set[int]:
    """The laborers of `recommendations` an enterprise user may see by name (two queries for the page); empty
    for staff, who see names anyway."""
    recs = list(recommendations)
    if not is_enterprise_user(user):
        return set()
    named = {r.laborer_id for r in recs if r.state in DISCLOSED_STATES}
    return named | enterprise_named_ids(user, {r.laborer_id for r in recs} - named)


def interview_text(recommendation: Recommendation) -> str:
    """`12月10日 09:30 · 现场面试 · 济南市历下区经十路 1 号` (empty before an interview is arranged)."""
    rec = recommendation
    if rec.interview_at is None:
        return ""
    parts = [timezone.localtime(rec.interview_at).strftime("%Y-%m-%d %H:%M")]
    if rec.interview_mode:
        parts.append(rec.get_interview_mode_display())
    if rec.interview_place:
        parts.append(rec.interview_place)
    return " · ".join(parts)


def recommendation_item(*, user: Any, recommendation: Recommendation, named: bool | None = None) -> dict[str, Any]:
    """One ranked item as the API and pages show it."""
    rec = recommendation
    return {
        "id": rec.pk,
        "job_id": rec.job_id,
        "job_title": rec.job.title,
        "enterprise": rec.job.enterprise.name,
        "laborer_id": rec.laborer_id,
        "laborer": candidate_identity(user=user, recommendation=rec, named=named),
        "state": rec.state,
        "state_label": rec.get_state_display(),
        "score": float(rec.score),
        "factors": rec.factors,
        "decline_reason": rec.decline_reason,
        "interview_at": rec.interview_at,
        "interview_mode": rec.interview_mode,
        "interview_place": rec.interview_place,
        "interview_note": rec.interview_note,
        "interview_text": interview_text(rec),
        "hire_date": rec.hire_date,
        "result_note": rec.result_note,
        "version": rec.version,
    }


# --- a batch run's own recommendations ---------------------------------------------------------------------


def matching_run_state_counts(*, user: Any, run: MatchingRun) -> list[dict[str, Any]]:
    """How many of the run's recommendations (those the user may see) are in each state, in the order of the
    lifecycle; states with none are left out."""
    counts = dict(recommendations_for(user).filter(run=run).order_by().values_list("state").annotate(n=Count("id")))
    return [
        {"state": value, "label": label, "count": counts[value]} for value, label in RecState.choices if value in counts
    ]


def matching_run_top_jobs(*, user: Any, run: MatchingRun, limit: int = 10) -> list[dict[str, Any]]:
    """The jobs with the most of the run's recommendations the user can see (id, title, enterprise name,
    openings, count)."""
    rows = (
        recommendations_for(user)
        .filter(run=run)
        .order_by()
        .values("job_id", "job__title", "job__enterprise__name", "job__openings")
        .annotate(n=Count("id"))
        .order_by("-n", "job_id")[:limit]
    )
    return [
        {
            "id": r["job_id"],
            "title": r["job__title"],
            "enterprise": r["job__enterprise__name"],
            "openings": r["job__openings"],
            "count": r["n"],
        }
        for r in rows
    ]
