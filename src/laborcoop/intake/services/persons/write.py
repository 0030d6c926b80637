"""Writing a planned PERSONS chunk: new rows with one INSERT per table (services.bulk: executemany, COPY on
PostgreSQL; new laborers and audit rows without model instances), changed ones with bulk_update, one audit
row per created or changed object.

Audit rows of updates hold the changed fields, old -> new (personal values masked). Audit rows of creations
name the job's file and row ("导入：人员.xlsx 第 12 行") and carry no values: the file is kept with the job,
and copying 30 values of every new person into the audit table would double what the import writes.
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, transaction
from django.utils import timezone

from laborcoop.core.audit import diff, snapshot
from laborcoop.core.models import AuditEntry
from laborcoop.intake.models import ImportJob
from laborcoop.intake.services.bulk import insert_objects, insert_rows
from laborcoop.intake.services.common import SAVE_FAILED
from laborcoop.intake.services.persons.plan import CREATE, UPDATE, HouseholdPlan, RowPlan
from laborcoop.registry.models import Household, Laborer
from laborcoop.registry.signals import laborers_imported, laborers_moved

logger = logging.getLogger(__name__)

_CREATED, _UPDATED = AuditEntry.Action.CREATE.value, AuditEntry.Action.UPDATE.value
_LABORER_TYPE = Laborer._meta.label_lower


@dataclass(frozen=True)
class _Shown:
    """What Laborer.__str__ reads."""

    name: str
    id_masked: str


class Writer:
    """Writes the plans of one import job, with `user` as the audit rows' actor."""

    def __init__(self, *, job: ImportJob, user: Any) -> None:
        self.job = job
        self.user = user
        self.reason_prefix = f"导入：{job.original_name[:200]}"

    def _audit(self, *, action: str, instance: Any, changes: dict[str, Any], row: int) -> dict[str, Any]:
        """An AuditEntry row (attnames) for `bulk.insert_rows`."""
        return {
            "actor_id": self.user.pk,
            "action": action,
            "object_type": instance._meta.label_lower,
            "object_id": str(instance.pk),
            "object_repr": str(instance)[:200],
            "region_code": instance.region_id,
            "changes": changes,
            "reason": f"{self.reason_prefix} 第 {row} 行",
        }

    def _created_audit(self, pk: int, values: dict[str, Any], row: int) -> dict[str, Any]:
        """The audit row of a new laborer, without a model instance (object_repr is Laborer.__str__)."""
        shown = Laborer.__str__(_Shown(values["name"], values["id_masked"]))  # type: ignore[arg-type]
        return {
            "actor_id": self.user.pk,
            "action": _CREATED,
            "object_type": _LABORER_TYPE,
            "object_id": str(pk),
            "object_repr": shown[:200],
            "region_code": values["region_id"],
            "reason": f"{self.reason_prefix} 第 {row} 行",
        }  # "changes" left to its default, {}

    def write_bulk(self, plans: list[RowPlan]) -> list[RowPlan]:
        """Write every plan; the caller's transaction makes it all or nothing. Returns the plans written."""
        households: dict[int, tuple[HouseholdPlan, int]] = {}  # id(plan) -> (plan, row that writes it)
        for plan in plans:
            hp = plan.household
            plan.writes_household = bool(hp.action and not hp.done and id(hp) not in households)
            if plan.writes_household:
                households[id(hp)] = (hp, plan.parsed.row)
        audits: list[dict[str, Any]] = []
        new_households = [hp.household for hp, _ in households.values() if hp.action == CREATE]
        insert_objects(Household, new_households)
        changed_households = [hp for hp, _ in households.values() if hp.action == UPDATE]
        if changed_households:
            fields = sorted(set().union(*(hp.fields for hp in changed_households)))
            Household.objects.bulk_update([hp.household for hp in changed_households], fields, batch_size=500)
        moved_households = []
        for hp, _ in households.values():
            if hp.moved:
                hh = hp.household
                hh.members.update(region_id=hh.region_id, updated_at=timezone.now())
                moved_households.append(hh.pk)
        for hp, row in households.values():
            if hp.action == CREATE:
                action, changes = _CREATED, {}
            else:
                action, changes = _UPDATED, diff(hp.before, snapshot(hp.household, list(hp.before)))
            audits.append(self._audit(action=action, instance=hp.household, changes=changes, row=row))

        new_laborers: list[tuple[RowPlan, dict[str, Any]]] = []
        changed_laborers: list[tuple[RowPlan, Laborer]] = []
        for plan in plans:
            if plan.action == CREATE:
                assert plan.values is not None
                plan.values["household_id"] = plan.household.household.pk  # it has a pk now
                new_laborers.append((plan, plan.values))
            elif plan.action == UPDATE:
                assert plan.laborer is not None
                plan.laborer.household = plan.household.household  # sets household_id now that it has a pk
                changed_laborers.append((plan, plan.laborer))
        ids = insert_rows(Laborer, [values for _, values in new_laborers])
        if changed_laborers:
            fields = sorted(set().union(*(plan.fields for plan, _ in changed_laborers)))
            Laborer.objects.bulk_update([lab for _, lab in changed_laborers], fields, batch_size=500)
        # Employment records, notices and open tasks follow their laborer's home (moved households, laborers
        # moved to another one): the same signal as a household edit on the page.
        laborers_moved.send(
            sender=Laborer,
            laborer_ids=[lab.pk for plan, lab in changed_laborers if "region_id" in plan.fields],
            household_ids=moved_households,
        )
        for (plan, values), pk in zip(new_laborers, ids, strict=True):
            audits.append(self._created_audit(pk, values, plan.parsed.row))
        # New people and people the file now says are out of work get recommendations, as if entered by hand.
        laborers_imported.send(
            sender=Laborer,
            laborer_ids=[
                *ids,
                *(lab.pk for plan, lab in changed_laborers if "employment_status" in plan.fields),
            ],
            acting_user=self.user,
        )
        for plan, lab in changed_laborers:
            changes = diff(plan.before, snapshot(lab, list(plan.before)))
            audits.append(self._audit(action=_UPDATED, instance=lab, changes=changes, row=plan.parsed.row))
        insert_rows(AuditEntry, audits)
        for hp, _ in households.values():
            hp.done = True
        return plans

    def write_per_row(self, plans: list[RowPlan]) -> list[RowPlan]:
        """Each row in its own savepoint: a row that the database refuses is rejected, the others are kept."""
        written = []
        for plan in plans:
            hp = plan.household
            created_household = hp.action == CREATE and not hp.done
            try:
                with transaction.atomic():
                    self.write_bulk([plan])
            except DatabaseError as exc:
                logger.warning("import job %s row %s not saved: %s", self.job.pk, plan.parsed.row, type(exc).__name__)
                if created_household:
                    hp.household.pk = None
                    hp.household._state.adding = True
                    hp.done = False
                plan.parsed.error("", SAVE_FAILED)
                continue
            written.append(plan)
        return written
