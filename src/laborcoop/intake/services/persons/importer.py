"""The PERSONS kind's Importer: a chunk of rows through parse, validate, prefetch, plan, write and report."""

from collections import defaultdict
from typing import Any

from django.utils import timezone

from laborcoop.core.models import AuditEntry
from laborcoop.intake.columns import PERSON_COLUMNS, ImportKind
from laborcoop.intake.services.common import ChunkOutcome, Importer, Row, RowReporter
from laborcoop.intake.services.persons import plan, prefetch
from laborcoop.intake.services.persons.parse import Parsed, RowParser
from laborcoop.intake.services.persons.plan import RowPlan
from laborcoop.intake.services.persons.report import chunk_outcome
from laborcoop.intake.services.persons.validate import RowValidator
from laborcoop.intake.services.persons.write import Writer
from laborcoop.registry.models import Household, Laborer


class PersonsImporter(Importer):
    kind = ImportKind.PERSONS

    def __init__(self, *, job: Any, user: Any, mapping: Any, headers: list[str]) -> None:
        super().__init__(job=job, user=user, mapping=mapping, headers=headers)
        self.reporter = RowReporter(job=job, columns=PERSON_COLUMNS, mapping=mapping, headers=headers)
        index = dict(mapping.by_key)
        today = timezone.localdate()
        self.parser = RowParser(index=index, user=user, today=today)
        self.validator = RowValidator(user=user, today=today)
        self.writer = Writer(job=job, user=user)
        self._hh_index = index.get("household_no")

    # --- file-wide state --------------------------------------------------------------------------------

    def group_key(self, cells: list[str]) -> str:
        i = self._hh_index
        return cells[i].strip() if i is not None and i < len(cells) else ""

    def chunk_committed(self) -> None:
        self.validator.chunk_committed()

    def chunk_rolled_back(self) -> None:
        self.validator.chunk_rolled_back()

    def tables_written(self) -> list[str]:
        return [Laborer._meta.db_table, Household._meta.db_table, AuditEntry._meta.db_table]

    # --- a chunk ----------------------------------------------------------------------------------------

    def process_chunk(self, rows: list[Row], *, per_row: bool) -> ChunkOutcome:
        validator = self.validator
        validator.start_chunk()
        parsed = [self.parser.parse(row, cells) for row, cells in rows]
        valid = validator.check_repeats([p for p in parsed if not p.rejected])

        laborers = prefetch.existing_laborers([p.id_hash for p in valid])
        households = prefetch.existing_households({p.household_no for p in valid})
        valid = validator.check_stored(valid, laborers, households)

        groups: dict[str, list[Parsed]] = defaultdict(list)
        for p in valid:
            groups[p.household_no].append(p)
        members = prefetch.other_members(
            [households[number].pk for number in groups if number in households], {p.id_hash for p in valid}
        )
        plans: list[RowPlan] = []
        for household_no, group in groups.items():
            household = households.get(household_no)
            base = members[household.pk] if household else []
            accepted = validator.check_household(base, group)
            if accepted:
                plans.extend(plan.plan_group(household_no, household, accepted, laborers))

        plan.load_changed(plans)
        written = self.writer.write_per_row(plans) if per_row else self.writer.write_bulk(plans)
        return chunk_outcome(parsed, written, self.reporter)
