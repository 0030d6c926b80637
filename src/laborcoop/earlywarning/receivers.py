"""Re-evaluating warnings when data changes (imported by EarlyWarningConfig.ready()).

Receivers only note which laborers or households changed and which rules the change can affect; after the
commit, one task per transaction (earlywarning.tasks.evaluate_warnings) re-evaluates those rules for those
households (members and records included). A receiver never fails the write that triggered it, and a
rolled-back write costs at most one evaluation too many.

- employment_changed (every employment write, services and the work import): the employment rules;
- wage and insurance months saved or deleted: the wage and insurance rules;
- follow-ups saved: 离岗未及时联系 and 无法联系;
- laborers and households saved through the registry services (Django's post_save): every rule.
Bulk paths without signals (the seed, bulk imports of the registry, bulk updates) are covered by the
nightly run.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from laborcoop.earlywarning.engine import ALL_RULES, EMPLOYMENT_RULES
from laborcoop.earlywarning.tasks import evaluate_warnings
from laborcoop.employment.models import EmploymentRecord, InsuranceMonth, WageMonth
from laborcoop.employment.signals import employment_changed
from laborcoop.registry.models import Household, Laborer
from laborcoop.tracking.models import FollowUp

LINE_RULES = frozenset({"wage_missing", "wage_low", "insurance_missing"})
FOLLOWUP_RULES = frozenset({"leave_no_contact", "unreachable"})

_PENDING = "_earlywarning_pending"


def _pending() -> dict[str, dict[int, set[str]]]:
    pending = getattr(connection, _PENDING, None)
    if pending is None:
        pending = {"households": {}, "laborers": {}}
        setattr(connection, _PENDING, pending)
    return pending


def _flush() -> None:
    """After a commit: one task per set of rules for everything noted since the last flush."""

    pending = _pending()
    households, laborers = pending["households"], pending["laborers"]
    if not households and not laborers:
        return
    pending["households"], pending["laborers"] = {}, {}
    groups: dict[frozenset[str], tuple[list[int], list[int]]] = {}
    for pk, codes in households.items():
        groups.setdefault(frozenset(codes), ([], []))[0].append(pk)
    for pk, codes in laborers.items():
        groups.setdefault(frozenset(codes), ([], []))[1].append(pk)
    for rules, (household_ids, laborer_ids) in groups.items():
        evaluate_warnings.enqueue(sorted(household_ids), sorted(laborer_ids), sorted(rules))


def schedule(*, households: Iterable[int] = (), laborers: Iterable[int] = (), rules: frozenset[str]) -> None:
    """Note subjects to re-evaluate once the current transaction commits (at once outside one)."""
    pending = _pending()
    for pk in households:
        if pk is not None:
            pending["households"].setdefault(int(pk), set()).update(rules)
    for pk in laborers:
        if pk is not None:
            pending["laborers"].setdefault(int(pk), set()).update(rules)
    transaction.on_commit(_flush, robust=True)


@receiver(employment_changed, dispatch_uid="earlywarning.employment_changed")
def warnings_on_employment_changed(sender: Any, *, records: Sequence[EmploymentRecord], **kwargs: Any) -> None:
    schedule(laborers=[r.laborer_id for r in records], rules=EMPLOYMENT_RULES)


@receiver(post_save, sender=WageMonth, dispatch_uid="earlywarning.wage_saved")
@receiver(post_delete, sender=WageMonth, dispatch_uid="earlywarning.wage_deleted")
@receiver(post_save, sender=InsuranceMonth, dispatch_uid="earlywarning.insurance_saved")
@receiver(post_delete, sender=InsuranceMonth, dispatch_uid="earlywarning.insurance_deleted")
def warnings_on_line_changed(sender: Any, instance: WageMonth | InsuranceMonth, **kwargs: Any) -> None:
    schedule(laborers=[instance.laborer_id], rules=LINE_RULES)


@receiver(post_save, sender=FollowUp, dispatch_uid="earlywarning.followup_saved")
def warnings_on_followup_saved(sender: Any, instance: FollowUp, **kwargs: Any) -> None:
    schedule(laborers=[instance.laborer_id], rules=FOLLOWUP_RULES)


@receiver(post_save, sender=Laborer, dispatch_uid="earlywarning.laborer_saved")
def warnings_on_laborer_saved(sender: Any, instance: Laborer, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        schedule(households=[instance.household_id], rules=ALL_RULES)


@receiver(post_save, sender=Household, dispatch_uid="earlywarning.household_saved")
def warnings_on_household_saved(sender: Any, instance: Household, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        schedule(households=[instance.pk], rules=ALL_RULES)
