"""The one access layer: which rows a user may read or change.

Every list selector, object fetch, export, API view, admin page and background job that touches scoped data
goes through `scoped_queryset` / `get_scoped`. Two questions are asked, in this order:
1. Does one of the user's roles grant the capability? If not: PermissionDeniedError (HTTP 403).
2. Is the row inside the user's scope? If not, it is indistinguishable from a missing row: ObjectNotFound (404).

Scope is the subtree of the user's home region (a range of 12-digit codes on an indexed column); an enterprise
user's scope is their own enterprise (enterprise rows) and its jobs (job rows), and nothing else.
"""

from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet

from laborcoop.accounts.capabilities import Cap
from laborcoop.accounts.roles import Role
from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.regions.models import RegionLevel, level_of_code
from laborcoop.regions.scope import code_in_subtree, in_subtree_q

M = TypeVar("M", bound=Model)

_NOTHING = Q(pk__in=[])


def is_enterprise_user(user: Any) -> bool:
    """An enterprise user (and not the platform operator): scoped to its own enterprise, its jobs and the
    records of its employees; identities masked."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return False
    return Role.ENTERPRISE in (getattr(user, "roles", None) or [])


def enterprise_of(user: Any) -> int | None:
    """The id of the enterprise an enterprise user acts for; None for everyone else (and for an enterprise user
    not bound to one, who then sees no enterprise rows)."""
    return user.enterprise_id if is_enterprise_user(user) else None


def is_hotline_user(user: Any) -> bool:
    """A 12333 hotline agent: looks people and jobs up for callers (their service contacts are phone calls)."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return False
    return Role.HOTLINE in (getattr(user, "roles", None) or [])


def is_admin(user: Any) -> bool:
    """An admin of their region, or the platform operator (e.g. undoing a merge)."""
    return bool(user.is_authenticated and (user.is_superuser or Role.ADMIN in (user.roles or [])))


def can_scan_duplicates(user: Any) -> bool:
    """Admins and officers (and the platform operator) start a duplicate scan; brokers and readers do not."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or {Role.ADMIN, Role.OFFICER} & set(user.roles or []))


def can_unmask(user: Any) -> bool:
    """Whether the user may see clear ID and phone numbers (reveal one, export them): the platform operator and
    accounts granted `can_unmask_id`."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.can_unmask_id))


def require_cap(user: Any, cap: str) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDeniedError("请先登录。")
    if user.is_superuser:
        return
    if not user.has_cap(cap):
        raise PermissionDeniedError()


def user_can(user: Any, cap: str) -> bool:
    """Whether the user's roles grant `cap` (for showing or hiding actions; enforcement uses require_cap)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or user.has_cap(cap))


def region_prefix(user: Any) -> str | None:
    """The prefix of the user's subtree: '' for the platform operator (superuser), None for no region."""
    if user.is_superuser:
        return ""
    return user.scope_prefix


def scope_q(user: Any, *, region_field: str = "region", enterprise_field: str | None = None) -> Q:
    """The row filter for this user. `enterprise_field` names the path to the enterprise id on models that
    enterprise users may see (enterprises: 'pk'; jobs: 'enterprise')."""
    if user.is_superuser:
        return Q()
    if is_enterprise_user(user) and enterprise_field is not None:
        if user.enterprise_id is None:
            return _NOTHING
        return Q(**{enterprise_field: user.enterprise_id})
    prefix = user.scope_prefix
    if prefix is None:
        return _NOTHING
    return in_subtree_q(prefix, region_field)


def input_side_q(user: Any, *, work_region_field: str, enterprise_field: str, enterprise_region_field: str) -> Q:
    """The input side's row filter (labor cooperation: where the work is): rows of people working in the user's
    subtree (by the work county or by the enterprise's region), or, for an enterprise user, at its own
    enterprise. The field arguments are the paths from the queried model to the work region, the enterprise
    and the enterprise's region (records: 'work_region', 'enterprise', 'enterprise__region')."""
    if user.is_superuser:
        return Q()
    if is_enterprise_user(user):
        enterprise_id = enterprise_of(user)
        return Q(**{enterprise_field: enterprise_id}) if enterprise_id is not None else _NOTHING
    prefix = user.scope_prefix
    if prefix is None:
        return _NOTHING
    if not prefix:
        return Q()
    return in_subtree_q(prefix, work_region_field) | in_subtree_q(prefix, enterprise_region_field)


def own_or_administered_q(user: Any, *, owner_field: str, region_field: str = "region") -> Q:
    """Rows the user made (`owner_field` names the user), and for an admin also the rows in their subtree; the
    platform operator sees all (e.g. import jobs: the uploader, the admins above them)."""
    if user.is_superuser:
        return Q()
    visible = Q(**{owner_field: user})
    if Role.ADMIN in (user.roles or []) and region_prefix(user):
        visible |= scope_q(user, region_field=region_field)
    return visible


def scoped_queryset(
    user: Any,
    queryset: QuerySet[M],
    cap: str,
    *,
    region_field: str = "region",
    enterprise_field: str | None = None,
) -> QuerySet[M]:
    require_cap(user, cap)
    return queryset.filter(scope_q(user, region_field=region_field, enterprise_field=enterprise_field))


def get_scoped(
    user: Any,
    queryset: QuerySet[M],
    cap: str,
    pk: Any,
    *,
    region_field: str = "region",
    enterprise_field: str | None = None,
) -> M:
    qs = scoped_queryset(user, queryset, cap, region_field=region_field, enterprise_field=enterprise_field)
    try:
        return qs.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise ObjectNotFound from exc


def region_code_in_scope(user: Any, code: str) -> bool:
    """Whether a region code (for a new or moved row) lies inside the user's subtree."""
    prefix = region_prefix(user)
    return prefix is not None and code_in_subtree(code, prefix)


def require_region_in_scope(user: Any, code: str) -> None:
    if not region_code_in_scope(user, code):
        raise ObjectNotFound


def can_administer_province(*, user: Any, province_code: str) -> bool:
    """Whether the user may change a province's settings (matching weights, tracking thresholds, warning rules):
    an active admin whose home region is that province, or the platform operator."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not (
        len(province_code) == 12 and province_code.isdigit() and level_of_code(province_code) == RegionLevel.PROVINCE
    ):
        return False
    if user.is_superuser:
        return True
    return (
        Role.ADMIN in (user.roles or [])
        and user.home_region_id == province_code
        and region_code_in_scope(user, province_code)
    )


def administered_province(*, user: Any, requested: str, denied_message: str) -> str:
    """The province whose settings a page edits: an admin's home province; the platform operator names one
    (`requested`, e.g. `?province=`). Anyone else (non-admins, admins below the province): 403."""
    code = requested if user.is_superuser else (user.home_region_id or "")
    if not (code and can_administer_province(user=user, province_code=code)):
        raise PermissionDeniedError(denied_message)
    return code


# --- Whose names an enterprise user sees ------------------------------------------------------------------------
# An enterprise knows the people it employs and the people who said yes to one of its jobs; everyone else stays
# masked to it (the surname only). ID numbers stay masked for enterprise users whatever the relation. Its staff
# are the laborers with an ongoing employment record (no end date) at the enterprise; the candidates who showed
# interest are those with a recommendation on one of its jobs in one of these states (matching.choices.RecState
# values; matching builds DISCLOSED_STATES from this set, so the two cannot drift apart).
SHOWED_INTEREST_STATES = frozenset({"interested", "interview", "hired", "rejected", "started"})


def _related_model(model: Any, name: str) -> Any:
    """The model at the other end of `model`'s relation `name`: accounts reaches employers, employment and
    matching through the relations of User.enterprise, never by an import (see docs/architecture.md)."""
    return model._meta.get_field(name).related_model


def _enterprise_model(user: Any) -> Any:
    return _related_model(get_user_model(), "enterprise")


def enterprise_staff_laborers(user: Any) -> QuerySet[Any]:
    """Ids (a `values("laborer_id")` subquery) of the laborers the enterprise user's enterprise employs now: an
    ongoing employment record there. Empty for everyone but an enterprise user bound to an enterprise."""
    enterprise_id = enterprise_of(user)
    records = _related_model(_enterprise_model(user), "employment_records")._default_manager
    if enterprise_id is None:
        return records.none().values("laborer_id")
    return records.filter(enterprise_id=enterprise_id, end_date__isnull=True).values("laborer_id")


def enterprise_interested_laborers(user: Any) -> QuerySet[Any]:
    """Ids (a `values("laborer_id")` subquery) of the laborers who showed interest in one of the enterprise
    user's jobs. Empty for everyone but an enterprise user bound to an enterprise."""
    enterprise_id = enterprise_of(user)
    jobs = _related_model(_enterprise_model(user), "jobs")
    recommendations = _related_model(jobs, "recommendations")._default_manager
    if enterprise_id is None:
        return recommendations.none().values("laborer_id")
    return recommendations.filter(job__enterprise_id=enterprise_id, state__in=SHOWED_INTEREST_STATES).values(
        "laborer_id"
    )


def enterprise_named_q(user: Any, *, laborer_field: str = "laborer") -> Q:
    """The rows (of a model whose path `laborer_field` leads to a Laborer; "pk" for Laborer itself) whose
    laborer an enterprise user may see by name: its staff and the candidates who showed interest in its jobs.
    Nothing for any other user: staff roles see names by their own scope, not by this rule."""
    if not is_enterprise_user(user) or enterprise_of(user) is None:
        return _NOTHING
    field = "pk" if laborer_field == "pk" else f"{laborer_field}_id"
    return Q(**{f"{field}__in": enterprise_staff_laborers(user)}) | Q(
        **{f"{field}__in": enterprise_interested_laborers(user)}
    )


def enterprise_named_ids(user: Any, laborer_ids: Any) -> set[int]:
    """Which of `laborer_ids` the enterprise user may see by name (two queries); empty for other users."""
    ids = set(laborer_ids)
    if not ids or not is_enterprise_user(user) or enterprise_of(user) is None:
        return set()
    named = set(enterprise_staff_laborers(user).filter(laborer_id__in=ids).values_list("laborer_id", flat=True))
    rest = ids - named
    if rest:
        named |= set(
            enterprise_interested_laborers(user).filter(laborer_id__in=rest).values_list("laborer_id", flat=True)
        )
    return named


# --- The job market (劳务协作: open postings are public information) ---------------------------------------------
# Open postings of the whole platform are readable by every signed-in user whose roles grant the jobs capability
# (officers, admins, viewers, brokers, the hotline; enterprise users too, read-only): what an open posting is, is
# the owning app's single predicate (employers.access.market_open_q). Everything else about a posting (closed,
# paused, expired, changing it, its internal fields) keeps the subtree rule above.
MARKET_LOCAL, MARKET_PROVINCE, MARKET_OUTSIDE = "county", "province", "outside"


def market_queryset(user: Any, queryset: QuerySet[M], cap: str, *, open_q: Q) -> QuerySet[M]:
    """The market rows: `open_q` over the whole platform, for a user whose roles grant `cap` (403 otherwise,
    "please sign in" for an anonymous user)."""
    require_cap(user, cap)
    return queryset.filter(open_q)


def get_market(user: Any, queryset: QuerySet[M], cap: str, pk: Any, *, open_q: Q) -> M:
    """One market row for reading; a row that is not open is 404 like a missing one."""
    try:
        return market_queryset(user, queryset, cap, open_q=open_q).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise ObjectNotFound from exc


def market_distance_q(user: Any, distance: str, *, region_field: str) -> Q:
    """县内 / 省内 / 省外 relative to the user's home region: 县内 is the home county (the user's own subtree for
    users above a county), 省内 the home province, 省外 everything else. No filter for a user without a home
    region (the platform operator, an enterprise user) or an unknown `distance`."""
    home = getattr(user, "home_region_id", None) or ""
    if len(home) != 12 or distance not in (MARKET_LOCAL, MARKET_PROVINCE, MARKET_OUTSIDE):
        return Q()
    province = home[:2]
    if distance == MARKET_LOCAL:
        prefix = user.scope_prefix or ""
        return in_subtree_q(home[:6] if len(prefix) > 6 else prefix, region_field)
    if distance == MARKET_PROVINCE:
        return in_subtree_q(province, region_field)
    return ~in_subtree_q(province, region_field)


def can_put_forward(user: Any) -> bool:
    """Whether the user may put a laborer of their own subtree forward for a posting on the job market (a
    recommendation in the matching pipeline): those who keep the registry (officers, admins, brokers) and the
    12333 hotline (a caller asks for a job). Readers (只读) and enterprise users do not."""
    if is_enterprise_user(user):
        return False
    return user_can(user, Cap.REGISTRY_EDIT) or (is_hotline_user(user) and user_can(user, Cap.REGISTRY_VIEW))
