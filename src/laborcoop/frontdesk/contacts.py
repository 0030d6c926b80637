"""Walk-in and hotline registry checks (实名登记核验) and the public employment service contact log.

A lookup is either an ID number (any form the validators accept: 15 or 18 digits, lowercase x, spaces,
full-width digits, a disability certificate number) or a name plus a birth date. Matches are shown only
within the user's scope. For an ID registered elsewhere the page says only that it is registered elsewhere:
the same single bit the registration service already reveals with ID_ALREADY_REGISTERED, and nothing more.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from laborcoop.accounts.access import require_cap
from laborcoop.accounts.access_audit import audit_entries_visible
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.audit import audit_record
from laborcoop.core.chinese import normalize_name
from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.idcard import parse_id_number
from laborcoop.frontdesk.access import contact_log_for, contacts_for
from laborcoop.frontdesk.models import ServiceContact
from laborcoop.regions.selectors import address_code_status
from laborcoop.registry.access import laborers_for
from laborcoop.registry.duplicates import Candidate, likely_duplicates
from laborcoop.registry.identity import id_number_hash
from laborcoop.registry.models import Laborer

NOTE_MAX = 500
LOOKUP_NEEDS_INPUT = "请输入证件号码，或姓名和出生日期。"
NOTE_TOO_LONG = f"备注不能超过{NOTE_MAX}个字。"
CONTACT_NOT_YOURS = "只能把自己登记的服务记录记到人员名下。"
CONTACT_ALREADY_MATCHED = "这条服务记录已记在 {name} 名下。"
ATTACH_REASON = "服务记录记到人员名下"
NOT_IN_SCOPE = "未在本辖区登记"
REGISTERED_ELSEWHERE = "该证件号码已在其他地区登记，请联系上级核实"
MAX_NAME_MATCHES = 10


@dataclass
class LookupResult:
    outcome: str  # ServiceContact.Outcome
    contact: ServiceContact
    matches: list[Candidate] = field(default_factory=list)

    @property
    def message(self) -> str:
        if self.outcome == ServiceContact.Outcome.ELSEWHERE:
            return REGISTERED_ELSEWHERE
        if self.outcome == ServiceContact.Outcome.NOT_FOUND:
            return NOT_IN_SCOPE
        return ""


@transaction.atomic
def contact_log(
    *,
    acting_user: Any,
    channel: str,
    outcome: str,
    kind: str = ServiceContact.Kind.REGISTRY_CHECK,
    matched_laborer: Laborer | None = None,
    id_number_hash: str = "",
    name: str = "",
    birth_date: date | None = None,
    note: str = "",
) -> ServiceContact:
    """Record one public employment service contact by a staff user (never with a clear ID number)."""
    require_cap(acting_user, Cap.REGISTRY_VIEW)
    if len(note.strip()) > NOTE_MAX:
        raise ValidationError({"note": [NOTE_TOO_LONG]})
    contact = ServiceContact(
        staff=acting_user,
        channel=channel,
        kind=kind,
        outcome=outcome,
        matched_laborer=matched_laborer,
        region_code=acting_user.home_region_id or "",
        id_number_hash=id_number_hash,
        name=normalize_name(name)[:50],
        birth_date=birth_date,
        note=note.strip(),
    )
    contact.full_clean()
    contact.save()
    return contact


def walkin_lookup(
    *,
    acting_user: Any,
    channel: str,
    id_number: str = "",
    name: str = "",
    birth_date: date | None = None,
    note: str = "",
) -> LookupResult:
    """Look a person up in the user's scope and log the contact. ValidationError for an unusable ID."""
    require_cap(acting_user, Cap.REGISTRY_VIEW)
    digest = ""
    matches: list[Candidate] = []
    outcome = ServiceContact.Outcome.NOT_FOUND
    if id_number.strip():
        parsed = parse_id_number(id_number, address_status=address_code_status, on=timezone.localdate())
        if not parsed.normalized:
            raise ValidationError({"id_number": parsed.issues.errors.get("id_number", [])})
        digest = id_number_hash(parsed.normalized)
        found = laborers_for(acting_user).filter(id_number_hash=digest).select_related("region", "household")
        matches = [Candidate(laborer=laborer, score=1.0, reasons=["证件号码相同"]) for laborer in found]
        if matches:
            outcome = ServiceContact.Outcome.FOUND
        elif Laborer.objects.filter(id_number_hash=digest).exists():  # one bit, see the module docstring
            outcome = ServiceContact.Outcome.ELSEWHERE
        birth_date = birth_date or parsed.birth_date
    elif name.strip() and birth_date is not None:
        matches = likely_duplicates(user=acting_user, name=name, birth_date=birth_date, sex="", limit=MAX_NAME_MATCHES)
        if matches:
            outcome = ServiceContact.Outcome.FOUND
    else:
        raise ValidationError({"__all__": [LOOKUP_NEEDS_INPUT]})
    contact = contact_log(
        acting_user=acting_user,
        channel=channel,
        outcome=outcome,
        matched_laborer=matches[0].laborer if len(matches) == 1 else None,
        id_number_hash=digest,
        name=name,
        birth_date=birth_date,
        note=note,
    )
    return LookupResult(outcome=outcome, contact=contact, matches=matches)


def _today_start() -> datetime:
    return datetime.combine(timezone.localdate(), time.min, tzinfo=timezone.get_current_timezone())


def contacts_today_count(*, user: Any) -> int:
    """公共就业服务人次 today in the user's subtree."""
    return contacts_for(user).filter(at__gte=_today_start()).count()


def recent_contacts(*, user: Any, limit: int = 10) -> QuerySet[ServiceContact]:
    """The latest contacts in the user's subtree. A contact's matched laborer was in its staff user's scope,
    which lies inside the subtree of anyone who can see the contact."""
    return contacts_for(user).select_related("staff", "matched_laborer__region").order_by("-at", "-id")[:limit]


@dataclass(frozen=True)
class ServiceLine:
    label: str
    count: int
    last_at: datetime | None


def contact_list(*, user: Any, channel: str = "") -> QuerySet[ServiceContact]:
    """The service log (服务记录) of the user's subtree (contacts made there or about its people), latest first,
    with the notes."""
    queryset = contact_log_for(user).select_related("staff", "matched_laborer__region")
    if channel in ServiceContact.Channel.values:
        queryset = queryset.filter(channel=channel)
    return queryset.order_by("-at", "-id")


def laborer_contacts(*, user: Any, laborer: Laborer, limit: int = 10) -> list[ServiceContact]:
    """The service contacts (calls, window visits) of a laborer the caller obtained through the access layer,
    wherever they were made, latest first, with their notes."""
    require_cap(user, Cap.REGISTRY_VIEW)
    queryset = ServiceContact.objects.filter(matched_laborer=laborer).select_related("staff")
    return list(queryset.order_by("-at", "-id")[:limit])


@transaction.atomic
def contact_attach_laborer(*, acting_user: Any, contact: ServiceContact, laborer: Laborer) -> ServiceContact:
    """Put one of the user's own contacts (a lookup that found several people) under the person it was about;
    `contact` and `laborer` come from the access layer. Audited."""
    require_cap(acting_user, Cap.REGISTRY_VIEW)
    locked = ServiceContact.objects.select_for_update().get(pk=contact.pk)
    if locked.staff_id != acting_user.pk:
        raise ValidationError({"__all__": [CONTACT_NOT_YOURS]})
    if locked.matched_laborer_id is not None and locked.matched_laborer_id != laborer.pk:
        name = locked.matched_laborer.name if locked.matched_laborer else ""
        raise ValidationError({"__all__": [CONTACT_ALREADY_MATCHED.format(name=name)]})
    if locked.matched_laborer_id == laborer.pk:
        return locked
    locked.matched_laborer = laborer
    locked.outcome = ServiceContact.Outcome.FOUND
    locked.save(update_fields=["matched_laborer", "outcome", "updated_at"])
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        region_code=laborer.region_id,
        changes={"matched_laborer": [None, laborer.pk]},
        reason=ATTACH_REASON,
    )
    return locked


def services_received(*, user: Any, laborer: Laborer) -> list[ServiceLine]:
    """What the platform has done for a person the caller obtained through the access layer: for now their
    audit history by action (registered, updated, ...; reveals only for admins: accounts.access_audit) and the
    registry checks at the front desk."""
    labels = dict(AuditEntry.Action.choices)
    entries = AuditEntry.objects.filter(object_type="registry.laborer", object_id=str(laborer.pk))
    rows = (
        audit_entries_visible(user=user, entries=entries)
        .order_by()
        .values("action")
        .annotate(n=Count("id"), last=Max("at"))
    )
    lines = [ServiceLine(str(labels.get(r["action"], r["action"])), r["n"], r["last"]) for r in rows]
    checks = ServiceContact.objects.filter(matched_laborer=laborer).aggregate(n=Count("id"), last=Max("at"))
    if checks["n"]:
        lines.append(ServiceLine(str(ServiceContact.Kind.REGISTRY_CHECK.label), checks["n"], checks["last"]))
    return sorted(lines, key=lambda line: line.label)
