"""Reads of destination notices (去向通报) for both sides, and the access checks of the answering services.

- The output side (the laborer's home subtree, registry capability) sees its notices in full, those reported
  未到岗 first: they need its attention.
- The input side (the work county's subtree, or the region of the record's enterprise; an enterprise user: its
  own enterprise's records, as accounts.access.input_side_q) sees employment fields and a masked identity:
  rows are dicts built in the database with the surname and the last four ID digits only; the clear name, the
  ID and the phone are never selected.
"""

from typing import Any

from django.db.models import Case, CharField, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Concat, Substr

from laborcoop.accounts.access import input_side_q, is_enterprise_user, require_cap, scope_q, scoped_queryset
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.employment.names import input_name_expression
from laborcoop.regions.models import Region
from laborcoop.tracking.choices import NoticeStatus
from laborcoop.tracking.models import DestinationNotice

OUTPUT_SIDE_CANNOT_ANSWER = "到岗情况由务工所在地（输入地）或用工企业确认，户籍所在地只能查看。"


def notice_input_scope_q(user: Any) -> Q:
    """Notices of people working in the user's subtree (work county or enterprise region), or at the user's own
    enterprise (accounts.access.input_side_q on the notice's fields)."""
    return input_side_q(
        user,
        work_region_field="work_region",
        enterprise_field="record__enterprise",
        enterprise_region_field="record__enterprise__region",
    )


def access_notice_for_input(
    *, user: Any, notice_id: Any, cap: str = Cap.EMPLOYERS_VIEW, for_update: bool = False
) -> DestinationNotice:
    """A notice the user may answer as the input side. The output side of the notice gets
    PermissionDeniedError (it sees the notice, but the answer is not its to give); anyone else ObjectNotFound,
    the same as a missing notice. With `for_update` the row is locked (after the scope check)."""
    require_cap(user, cap)
    try:
        found = DestinationNotice.objects.filter(pk=notice_id)
        in_input = found.filter(notice_input_scope_q(user)).exists()
    except (ValueError, TypeError) as exc:
        raise ObjectNotFound from exc
    if not in_input:
        if not is_enterprise_user(user) and found.filter(scope_q(user)).exists():
            raise PermissionDeniedError(OUTPUT_SIDE_CANNOT_ANSWER)
        raise ObjectNotFound
    queryset = DestinationNotice.objects.select_for_update() if for_update else DestinationNotice.objects.all()
    return queryset.get(pk=notice_id)


# --- the output side -------------------------------------------------------------------------------------------


def _attention_first() -> Case:
    return Case(When(status=NoticeStatus.NOT_ARRIVED, then=Value(0)), default=Value(1), output_field=IntegerField())


def notice_output_list(*, user: Any, status: str = "") -> QuerySet[DestinationNotice]:
    """Notices of laborers whose home is in the user's subtree: 未到岗 first (needs attention), newest first.
    One query per page (laborer, record, both regions joined)."""
    qs = scoped_queryset(user, DestinationNotice.objects.all(), Cap.REGISTRY_VIEW)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("laborer", "record", "region", "work_region")
        .annotate(attention=_attention_first())
        .order_by("attention", "-created_at", "-id")
    )


def notice_output_counts(*, user: Any) -> dict[str, int]:
    """How many of the user's output-side notices are in each status (one query)."""
    qs = scoped_queryset(user, DestinationNotice.objects.all(), Cap.REGISTRY_VIEW)
    return _counts(qs)


# --- the input side --------------------------------------------------------------------------------------------

# What the input side reads of a notice: the notice, the employment facts, a masked identity.
INPUT_VALUES = [
    "id",
    "record_id",
    "version",
    "status",
    "note",
    "confirmed_at",
    "created_at",
    "region_id",
    "work_region_id",
]


def _home_county_name() -> Subquery:
    county = Concat(Substr(OuterRef("region_id"), 1, 6), Value("000000"), output_field=CharField())
    return Subquery(Region.objects.filter(code=county).values("name")[:1])


def _to_answer_first() -> Case:
    return Case(When(status=NoticeStatus.SENT, then=Value(0)), default=Value(1), output_field=IntegerField())


def notice_input_queryset(*, user: Any) -> QuerySet[DestinationNotice]:
    require_cap(user, Cap.EMPLOYERS_VIEW)
    return DestinationNotice.objects.filter(notice_input_scope_q(user))


def notice_input_list(*, user: Any, status: str = "") -> QuerySet[Any]:
    """Notices of people working in the user's input scope, those still to answer first, newest first. Rows are
    dicts of INPUT_VALUES plus masked_name, id_last4, home_county_name, work_region_name and the record's
    employment facts; nothing else of the laborer is selected."""
    qs = notice_input_queryset(user=user)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.annotate(
            masked_name=input_name_expression(user),  # an enterprise sees its own staff by name
            home_county_name=_home_county_name(),
            to_answer=_to_answer_first(),
        )
        .values(
            *INPUT_VALUES,
            "masked_name",
            "home_county_name",
            id_last4=F("laborer__id_last4"),
            work_region_name=F("work_region__name"),
            employer_name=F("record__employer_name"),
            job_title=F("record__job__title"),
            start_date=F("record__start_date"),
            end_date=F("record__end_date"),
            monthly_wage=F("record__monthly_wage"),
        )
        .order_by("to_answer", "-created_at", "-id")
    )


def notice_input_row(*, user: Any, notice_id: Any) -> dict[str, Any]:
    """One row of notice_input_list (after an answer, to redraw it); ObjectNotFound outside the scope."""
    row = notice_input_list(user=user).filter(pk=notice_id).first()
    if row is None:
        raise ObjectNotFound
    return dict(row)


def notice_input_counts(*, user: Any) -> dict[str, int]:
    return _counts(notice_input_queryset(user=user))


def _counts(qs: QuerySet[DestinationNotice]) -> dict[str, int]:
    found = dict(qs.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {status: found.get(status, 0) for status in NoticeStatus.values}
