"""Reads of the comparison feature, always through linkage.access (or on a comparison obtained through it)."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from laborcoop.linkage.access import comparisons_for
from laborcoop.linkage.models import Comparison, ComparisonEntry, Level, ProposedChange, TheirRecord
from laborcoop.regions.models import prefix_of_code
from laborcoop.regions.scope import in_subtree_q
from laborcoop.registry.models import Laborer

OUR_FIELDS = (
    "id",
    "name",
    "id_number_hash",
    "id_masked",
    "phone_hash",
    "birth_date",
    "sex",
    "region_id",
    "vital_status",
    "vital_status_date",
    "employment_status",
    "employer_name",
)
TABS = ("matched", "review", "conflicts", "changes", "only_ours", "only_theirs")


def comparison_list(*, user: Any) -> QuerySet[Comparison]:
    """The comparisons whose region lies in the user's scope, newest first."""
    return comparisons_for(user).select_related("uploaded_by", "region").order_by("-created_at", "-id")


def comparison_ours_queryset(*, comparison: Comparison) -> QuerySet[Laborer]:
    """'Ours': the registry's laborers in the comparison's region (the uploader's scope when uploading)."""
    qs = Laborer.objects.all()
    if comparison.region_id:
        qs = qs.filter(in_subtree_q(prefix_of_code(comparison.region_id)))
    return qs


def comparison_ours_rows(*, comparison: Comparison) -> Iterator[dict[str, Any]]:
    """The values the run needs of each laborer of 'ours', streamed."""
    return comparison_ours_queryset(comparison=comparison).order_by().values(*OUR_FIELDS).iterator(chunk_size=5000)


def comparison_entry_list(*, comparison: Comparison, tab: str) -> QuerySet[Any]:
    """The rows of one result tab of a comparison the caller obtained through access_comparison."""
    entries = ComparisonEntry.objects.filter(comparison=comparison)
    if tab == "changes":
        return (
            ProposedChange.objects.filter(comparison=comparison)
            .select_related("laborer__region", "entry__their", "decided_by")
            .order_by("status", "-confidence", "id")  # 高可信 first within each status
        )
    if tab == "conflicts":
        entries = entries.filter(kind=ComparisonEntry.Kind.MATCHED, has_conflicts=True)
    elif tab == "review":
        entries = entries.filter(kind=ComparisonEntry.Kind.MATCHED).exclude(level=Level.HIGH)
    elif tab == "only_ours":
        entries = entries.filter(kind=ComparisonEntry.Kind.ONLY_OURS)
    elif tab == "only_theirs":
        entries = entries.filter(kind=ComparisonEntry.Kind.ONLY_THEIRS)
    else:
        entries = entries.filter(kind=ComparisonEntry.Kind.MATCHED)
    return entries.select_related("laborer__region", "their").order_by("id")


def comparison_change_counts(*, comparison: Comparison) -> dict[str, int]:
    """Proposed changes by status."""
    counts = dict.fromkeys(ProposedChange.Status.values, 0)
    rows = ProposedChange.objects.filter(comparison=comparison).order_by().values_list("status")
    for (status,) in rows:
        counts[status] += 1
    return counts


def comparison_high_pending_count(*, comparison: Comparison) -> int:
    """Pending changes of 高可信 matches: what "accept all" would accept."""
    return ProposedChange.objects.filter(
        comparison=comparison, status=ProposedChange.Status.PENDING, entry__level=Level.HIGH
    ).count()


def comparison_only_theirs(*, comparison: Comparison) -> QuerySet[TheirRecord]:
    ids = ComparisonEntry.objects.filter(comparison=comparison, kind=ComparisonEntry.Kind.ONLY_THEIRS).values(
        "their_id"
    )
    return TheirRecord.objects.filter(pk__in=ids).order_by("row", "id")


def comparison_feedback_laborers(*, comparison: Comparison) -> QuerySet[ComparisonEntry]:
    """Our people to report back: those not found on the list, and matched ones marked unreachable."""
    from django.db.models import Q

    return (
        ComparisonEntry.objects.filter(comparison=comparison, laborer__isnull=False)
        .filter(
            Q(kind=ComparisonEntry.Kind.ONLY_OURS) | Q(kind=ComparisonEntry.Kind.MATCHED, laborer__unreachable=True)
        )
        .select_related("laborer__region")
        .order_by("laborer__region_id", "laborer_id")
    )
