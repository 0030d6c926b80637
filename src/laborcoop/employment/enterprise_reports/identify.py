"""Finding the laborer an enterprise reports about, from the ID number and name it typed.

The ID is parsed and checked like everywhere else, then looked up by its keyed hash; the name must be the
registered one (after the usual normalisation: full-width, spaces, traditional characters). An unknown ID
and a name that does not fit give the same message, so that an enterprise cannot probe which ID numbers are
in the registry of poor and monitored laborers.
"""

from datetime import date

from laborcoop.core.chinese import normalize_name
from laborcoop.core.validation.idcard import parse_id_number
from laborcoop.core.validation.issues import Issues
from laborcoop.regions.selectors import address_code_status
from laborcoop.registry.identity import id_number_hash
from laborcoop.registry.models import Laborer

NAME_REQUIRED = "请填写姓名"
PERSON_NOT_FOUND = "证件号码与姓名不符，或该人员未在平台登记；请核对，或联系人员户籍地人社部门"


def identify_laborer(*, id_number: str, name: str, today: date) -> tuple[Laborer | None, Issues]:
    """(laborer, issues): the laborer when the ID and name fit one; errors on `id_number` / `name` else."""
    issues = Issues()
    parsed = parse_id_number(id_number, address_status=address_code_status, on=today)
    for messages in parsed.issues.errors.values():
        for message in messages:
            issues.error("id_number", message)
    clean_name = normalize_name(name)
    if not clean_name:
        issues.error("name", NAME_REQUIRED)
    if issues.has_errors:
        return None, issues
    laborer = Laborer.objects.filter(id_number_hash=id_number_hash(parsed.normalized)).first()
    if laborer is None or normalize_name(laborer.name) != clean_name:
        issues.error("id_number", PERSON_NOT_FOUND)
        return None, issues
    return laborer, issues
