"""Who hears of a destination notice (去向通报) and what they read: the outbox messages of tracking.notices.

Recipients, resolved for a whole write (an import chunk) with three queries:
- output side: active officers whose home region lies in the laborer's home county and whose subtree holds the
  laborer's village (the county's officers, the township's, the village's);
- input side: active officers of the nearest region covering the work county that has any (the county's; if
  it has none on the platform, the prefecture's; then the province's), so that a province office is not told
  of every arrival in the province; plus the users of the record's enterprise when it is on the platform.

The home side reads the laborer's name; the input side only the surname and the last four ID digits. A
recipient with more than DIGEST_AFTER notices in one write gets one summary message instead of one per person.
Dedupe keys name the notice, its version (a notice re-sent after the work county changed is a new message),
the side and the recipient: however often a write is repeated, each side hears of a notice once.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse

from laborcoop.accounts.access import enterprise_of
from laborcoop.accounts.models import User
from laborcoop.accounts.recipients import enterprise_users_of, officers_at, officers_in_subtrees
from laborcoop.employers.choices import Industry
from laborcoop.employers.models import JobPosting
from laborcoop.employment.models import EmploymentRecord
from laborcoop.notifications.choices import Channel
from laborcoop.notifications.services import notification_enqueue
from laborcoop.regions.models import Region, prefix_of_code
from laborcoop.regions.selectors import PLACEHOLDER_NAMES
from laborcoop.registry.models import Laborer
from laborcoop.tracking.models import DestinationNotice

SIDE_OUTPUT = "output"
SIDE_INPUT = "input"

DIGEST_AFTER = 5  # more notices than this for one recipient in one write: one summary message
PLACES_NAMED = 3  # places named in a summary message

TEMPLATE_OUTPUT = "destination_notice"
TEMPLATE_INPUT = "destination_notice_input"
TEMPLATE_OUTPUT_DIGEST = "destination_notice_digest"
TEMPLATE_INPUT_DIGEST = "destination_notice_input_digest"

NO_EMPLOYER = "（未登记单位名称）"
NO_JOB = "岗位未登记"


def masked_name(name: str) -> str:
    """`张三丰` -> `张**`, as the input side sees every name (employment.records.selectors.mask_name_expression)."""
    return f"{name[:1]}**" if name else "**"


def county_code(code: str) -> str:
    return code[:6].ljust(12, "0")


@dataclass(frozen=True)
class NoticeFacts:
    """What the messages of one notice say (read once per write)."""

    notice_id: int
    version: int
    laborer_id: int
    region_code: str  # home village
    work_region_code: str  # work county
    enterprise_id: int | None
    name: str
    id_last4: str
    start_date: date
    employer: str
    job_title: str


def _facts(notices: Sequence[DestinationNotice], records: dict[int, EmploymentRecord]) -> list[NoticeFacts]:
    laborers = {
        pk: (name, last4)
        for pk, name, last4 in Laborer.objects.filter(pk__in={n.laborer_id for n in notices}).values_list(
            "pk", "name", "id_last4"
        )
    }
    job_ids = {job_id for n in notices if (job_id := records[n.record_id].job_id) is not None}
    titles = dict(JobPosting.objects.filter(pk__in=job_ids).values_list("pk", "title")) if job_ids else {}
    industries = dict(Industry.choices)
    facts = []
    for notice in notices:
        record = records[notice.record_id]
        name, last4 = laborers.get(notice.laborer_id, ("", ""))
        job_title = (
            (titles.get(record.job_id) if record.job_id is not None else None)
            or str(industries.get(record.industry, ""))
            or NO_JOB
        )
        facts.append(
            NoticeFacts(
                notice_id=notice.pk,
                version=notice.version,
                laborer_id=notice.laborer_id,
                region_code=notice.region_id,
                work_region_code=notice.work_region_id,
                enterprise_id=record.enterprise_id,
                name=name,
                id_last4=last4,
                start_date=record.start_date,
                employer=record.employer_name or NO_EMPLOYER,
                job_title=job_title,
            )
        )
    return facts


def place_names(codes: Iterable[str]) -> dict[str, str]:
    """The place name ("山东省济南市历下区") of each province, prefecture or county code: its names from the
    province down, placeholder rows such as 市辖区 left out (one query)."""
    codes = set(codes)
    wanted = {code[:cut].ljust(12, "0") for code in codes for cut in (2, 4, 6)}
    names = dict(Region.objects.filter(code__in=wanted).values_list("code", "name"))
    places = {}
    for code in codes:
        parts: list[str] = []
        for cut in (2, 4, 6):
            name = names.get(code[:cut].ljust(12, "0"), "")
            if name and name not in parts and not (cut == 4 and name in PLACEHOLDER_NAMES):
                parts.append(name)
        places[code] = "".join(parts) or code
    return places


def _output_recipients(facts: Sequence[NoticeFacts]) -> dict[int, list[User]]:
    officers = officers_in_subtrees({f.region_code[:6] for f in facts})
    return {
        f.notice_id: [u for u in officers if f.region_code.startswith(prefix_of_code(u.home_region_id or ""))]
        for f in facts
    }


def _input_recipients(facts: Sequence[NoticeFacts]) -> dict[int, list[User]]:
    by_region = officers_at({f.work_region_code[:cut].ljust(12, "0") for f in facts for cut in (6, 4, 2)})
    by_enterprise = enterprise_users_of({f.enterprise_id for f in facts if f.enterprise_id is not None})
    recipients = {}
    for f in facts:
        officers: list[User] = []
        for cut in (6, 4, 2):
            officers = by_region.get(f.work_region_code[:cut].ljust(12, "0"), [])
            if officers:
                break
        company = by_enterprise.get(f.enterprise_id, []) if f.enterprise_id is not None else []
        recipients[f.notice_id] = sorted([*officers, *company], key=lambda u: u.pk)
    return recipients


def _recipient_name(user: User) -> str:
    if enterprise_of(user) is not None:
        return user.enterprise.name if user.enterprise else ""
    return user.home_region.name if user.home_region else user.get_full_name() or user.username


def _summary(places: Counter[str]) -> str:
    named = "、".join(f"{place}{n}人" for place, n in places.most_common(PLACES_NAMED))
    return named + ("等" if len(places) > PLACES_NAMED else "")


def notices_announce(*, notices: Sequence[DestinationNotice], records: dict[int, EmploymentRecord]) -> int:
    """Enqueue the in-app messages of new (or re-sent) notices to both sides, inside the caller's transaction.
    `records` maps record id -> record. Returns how many messages were enqueued (or found already there)."""
    if not notices:
        return 0
    facts = _facts(notices, records)
    places = place_names({f.work_region_code for f in facts} | {county_code(f.region_code) for f in facts})
    sent = 0
    for side, recipients in ((SIDE_OUTPUT, _output_recipients(facts)), (SIDE_INPUT, _input_recipients(facts))):
        per_user: dict[int, tuple[User, list[NoticeFacts]]] = {}
        for f in facts:
            for user in recipients[f.notice_id]:
                per_user.setdefault(user.pk, (user, []))[1].append(f)
        for user, items in per_user.values():
            if len(items) > DIGEST_AFTER:
                _enqueue_digest(side=side, user=user, items=items, places=places)
                sent += 1
            else:
                for f in items:
                    _enqueue_one(side=side, user=user, facts=f, places=places)
                    sent += 1
    return sent


def _enqueue_one(*, side: str, user: User, facts: NoticeFacts, places: dict[str, str]) -> None:
    context: dict[str, Any] = {
        "region_name": _recipient_name(user),
        "start_date": facts.start_date,
        "employer": facts.employer,
        "job_title": facts.job_title,
    }
    if side == SIDE_OUTPUT:
        template, region_code = TEMPLATE_OUTPUT, facts.region_code
        context |= {"person": facts.name, "work_area": places[facts.work_region_code]}
        url = reverse("registry:laborer_detail", kwargs={"pk": facts.laborer_id})  # their own laborer
    else:
        template, region_code = TEMPLATE_INPUT, facts.work_region_code
        url = reverse("tracking:notice_input_list")
        context |= {
            # The employer's own users are told about their new staff member by name (issue 13 items 1, 10);
            # the work region's officers, who do not serve the person, see the masked name.
            "person": facts.name
            if facts.enterprise_id is not None and enterprise_of(user) == facts.enterprise_id
            else masked_name(facts.name),
            "id_last4": facts.id_last4 or "—",
            "home_name": places[county_code(facts.region_code)],
        }
    notification_enqueue(
        channel=Channel.IN_APP,
        recipient_user=user,
        template=template,
        context=context,
        dedupe_key=f"destination_notice:{facts.notice_id}:v{facts.version}:{side}:u{user.pk}",
        region_code=region_code,
        url=url,
    )


def _enqueue_digest(*, side: str, user: User, items: list[NoticeFacts], places: dict[str, str]) -> None:
    ids = sorted(f.notice_id for f in items)
    if side == SIDE_OUTPUT:
        template, region_code = TEMPLATE_OUTPUT_DIGEST, items[0].region_code
        counted = Counter(places[f.work_region_code] for f in items)
    else:
        template, region_code = TEMPLATE_INPUT_DIGEST, items[0].work_region_code
        counted = Counter(places[county_code(f.region_code)] for f in items)
    notification_enqueue(
        channel=Channel.IN_APP,
        recipient_user=user,
        template=template,
        context={"region_name": _recipient_name(user), "count": len(items), "places": _summary(counted)},
        dedupe_key=f"destination_notice_digest:{side}:u{user.pk}:{ids[0]}-{ids[-1]}:{len(ids)}",
        region_code=region_code,
        url=reverse("tracking:notice_list" if side == SIDE_OUTPUT else "tracking:notice_input_list"),
    )
