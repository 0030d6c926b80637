"""PERSONS import: households and their members, upserted by 户编号 and by the ID number's keyed hash.

Per chunk (`importer.PersonsImporter.process_chunk`), one module per step:
- `parse`: every row's cells by the rules of the registry forms (cells that repeat, such as code lists and the
  household's cells, converted once per distinct value; converters in `cells`);
- `validate`: an ID number twice in the file, records of another region, check_person, and each household's
  members (file rows merged with the members already stored);
- `prefetch`: the chunk's existing laborers (as tuples, not model instances), households and other members;
- `plan`: create / update / unchanged per household and row, the changed fields computed in memory (only the
  laborers that change are loaded as model instances);
- `write`: new rows with one INSERT per table, changed ones with bulk_update, one audit row per created or
  changed object;
- `report`: the chunk's counters and its rows' issues.
An identical row writes nothing.

A row is written whole or not at all: the runner wraps a chunk in one transaction and, when a bulk write
fails, redoes the chunk with `per_row=True`, where every row (its household and its member) gets a savepoint.
"""

from laborcoop.intake.services.persons.cells import UNREADABLE_IGNORED, WAGE_OUT_OF_RANGE
from laborcoop.intake.services.persons.importer import PersonsImporter
from laborcoop.intake.services.persons.parse import BIRTH_DIFFERS, ID_DAMAGED, SEX_DIFFERS
from laborcoop.intake.services.persons.plan import HOUSEHOLD_VALUES_DIFFER
from laborcoop.intake.services.persons.validate import HOUSEHOLD_ELSEWHERE, ID_ELSEWHERE, ID_TWICE_IN_FILE

__all__ = [
    "BIRTH_DIFFERS",
    "HOUSEHOLD_ELSEWHERE",
    "HOUSEHOLD_VALUES_DIFFER",
    "ID_DAMAGED",
    "ID_ELSEWHERE",
    "ID_TWICE_IN_FILE",
    "SEX_DIFFERS",
    "UNREADABLE_IGNORED",
    "WAGE_OUT_OF_RANGE",
    "PersonsImporter",
]
