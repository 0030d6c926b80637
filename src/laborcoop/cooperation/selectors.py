"""Reading agreements: the scoped list (pages, API) and the pairs in force (matching's cooperation factor)."""

from datetime import date
from typing import Any

from django.db.models import QuerySet

from laborcoop.cooperation.access import agreements_for
from laborcoop.cooperation.models import Agreement, AgreementStatus


def agreement_list(*, user: Any, status: str = "") -> QuerySet[Agreement]:
    qs = agreements_for(user)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "-start_date", "pk")


def agreement_pairs_in_force(*, today: date) -> dict[tuple[str, str], str]:
    """(output prefix, input prefix) -> the agreement's Chinese label, for the agreements in force on `today`
    (what matching's cooperation factor reads)."""
    pairs: dict[tuple[str, str], str] = {}
    rows = (
        Agreement.objects.filter(status=AgreementStatus.ACTIVE, start_date__lte=today, end_date__gte=today)
        .select_related("output_region", "input_region")
        .order_by("pk")
    )
    for agreement in rows:
        key = (agreement.output_region.prefix, agreement.input_region.prefix)
        pairs.setdefault(key, agreement.pair_label)
    return pairs
