"""The duplicate scan: finds likely duplicate laborers in a subtree and keeps the review queue up to date.

Blocking: laborers are grouped by (birth date, sex); each group is compared with itself and with the group of
the month/day-swapped date. Names are compared on pinyin computed on the fly (cached per distinct name).
The whole subtree is read with one `values_list(...).iterator()` and the pairs are written in bulk, so the
scan issues a handful of queries whatever the number of laborers.

Rules for existing pairs: an open pair found again gets its score, reasons and region updated; a pair
marked not_duplicate or merged is never touched (never reopened); an open pair no longer found (a name or
birth date was corrected) is removed from the queue, since nobody reviewed it.
"""

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from laborcoop.accounts.access import region_prefix
from laborcoop.core.errors import ObjectNotFound
from laborcoop.frontdesk.access import require_scan
from laborcoop.frontdesk.models import DuplicatePair
from laborcoop.regions.scope import in_subtree_q
from laborcoop.registry.likeness import SCAN_THRESHOLD, Match, Person, common_region_code, score_pair, swapped
from laborcoop.registry.models import Laborer

READ_CHUNK = 5000
WRITE_BATCH = 1000


@dataclass
class ScanSummary:
    region_prefix: str
    laborers: int = 0
    groups: int = 0  # (birth date, sex) groups with at least two records, swapped dates included
    comparisons: int = 0
    found: int = 0  # pairs at or above the threshold
    created: int = 0
    updated: int = 0
    kept_reviewed: int = 0  # found again but already reviewed (not_duplicate / merged): left alone
    removed_stale: int = 0
    seconds: float = 0.0


def _scan_prefix(*, region_prefix_arg: str, acting_user: Any) -> str:
    if acting_user is None:
        return region_prefix_arg
    require_scan(acting_user)
    user_prefix = region_prefix(acting_user)
    if user_prefix is None:
        raise ObjectNotFound
    if not region_prefix_arg:
        return user_prefix
    if not region_prefix_arg.startswith(user_prefix):
        raise ObjectNotFound
    return region_prefix_arg


def find_pairs(rows: Iterable[tuple[str, Person]], summary: ScanSummary) -> dict[tuple[int, int], Match]:
    """Pairs scoring >= SCAN_THRESHOLD among (sex, person) rows, keyed (smaller id, larger id)."""
    groups: dict[tuple[date, str], list[Person]] = defaultdict(list)
    for sex, person in rows:
        groups[(person.birth_date, sex)].append(person)
        summary.laborers += 1
    found: dict[tuple[int, int], Match] = {}

    def consider(a: Person, b: Person) -> None:
        summary.comparisons += 1
        match = score_pair(a, b)
        if match is not None and match.score >= SCAN_THRESHOLD:
            key = (a.id, b.id) if a.id < b.id else (b.id, a.id)
            found[key] = match

    for (birth, sex), members in groups.items():
        if len(members) > 1:
            summary.groups += 1
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    consider(a, b)
        other = swapped(birth)
        if other is None or other < birth:  # each swapped pair of dates once
            continue
        partners = groups.get((other, sex))
        if not partners:
            continue
        summary.groups += 1
        for a in members:
            for b in partners:
                consider(a, b)
    summary.found = len(found)
    return found


def duplicate_scan(*, region_prefix: str = "", acting_user: Any = None) -> ScanSummary:
    """Scan the subtree `region_prefix` ('' = everything) for likely duplicates and update the queue.

    On demand: admins and officers from the queue page, limited to their own subtree (`acting_user` given).
    Scheduled: the `run_duplicate_scan` task or `manage.py scan_duplicates` (no acting user, any prefix).
    Idempotent: a second run over unchanged data creates and updates nothing.
    """
    started = time.monotonic()
    prefix = _scan_prefix(region_prefix_arg=region_prefix, acting_user=acting_user)
    summary = ScanSummary(region_prefix=prefix)
    people: dict[int, Person] = {}

    def rows() -> Iterable[tuple[str, Person]]:
        qs = (
            Laborer.objects.filter(in_subtree_q(prefix))
            .order_by()
            .values_list("id", "name", "birth_date", "sex", "region_id", "id_last4")
            .iterator(chunk_size=READ_CHUNK)
        )
        for pk, name, birth, sex, region_code, last4 in qs:
            person = Person.of(id=pk, name=name, birth_date=birth, region_code=region_code, id_last4=last4)
            people[pk] = person
            yield sex, person

    found = find_pairs(rows(), summary)
    _write_pairs(found=found, people=people, prefix=prefix, summary=summary)
    summary.seconds = round(time.monotonic() - started, 2)
    return summary


@transaction.atomic
def _write_pairs(
    *, found: dict[tuple[int, int], Match], people: dict[int, Person], prefix: str, summary: ScanSummary
) -> None:
    existing = {
        (a, b): (pk, status, score, reasons, region_code)
        for pk, a, b, status, score, reasons, region_code in DuplicatePair.objects.filter(
            in_subtree_q(prefix, "region_code")
        )
        .order_by()
        .values_list("id", "laborer_a_id", "laborer_b_id", "status", "score", "reasons", "region_code")
    }
    now = timezone.now()
    to_create: list[DuplicatePair] = []
    to_update: list[DuplicatePair] = []
    for (a, b), match in found.items():
        region_code = common_region_code(people[a].region_code, people[b].region_code)
        row = existing.get((a, b))
        if row is None:
            to_create.append(
                DuplicatePair(
                    laborer_a_id=a, laborer_b_id=b, score=match.score, reasons=match.reasons, region_code=region_code
                )
            )
            continue
        pk, status, score, reasons, old_region = row
        if status != DuplicatePair.Status.OPEN:
            summary.kept_reviewed += 1
            continue
        if (score, reasons, old_region) != (match.score, match.reasons, region_code):
            to_update.append(
                DuplicatePair(pk=pk, score=match.score, reasons=match.reasons, region_code=region_code, updated_at=now)
            )
    stale = [
        row[0]
        for key, row in existing.items()
        if row[1] == DuplicatePair.Status.OPEN and key not in found and key[0] in people and key[1] in people
    ]
    # ignore_conflicts: a pair whose stored region is outside this prefix (a laborer moved) already exists;
    # the unique constraint keeps it as it is, in particular a not_duplicate decision is never reopened.
    DuplicatePair.objects.bulk_create(to_create, batch_size=WRITE_BATCH, ignore_conflicts=True)
    DuplicatePair.objects.bulk_update(
        to_update, ["score", "reasons", "region_code", "updated_at"], batch_size=WRITE_BATCH
    )
    for start in range(0, len(stale), WRITE_BATCH):
        DuplicatePair.objects.filter(pk__in=stale[start : start + WRITE_BATCH]).delete()
    summary.created = len(to_create)
    summary.updated = len(to_update)
    summary.removed_stale = len(stale)
