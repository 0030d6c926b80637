"""Writes of the wage and social-insurance lines (工资发放、参保缴费) of employment records.

Both lines are upserts: a wage month is keyed by (record, month), an insurance month by (laborer, month,
险种). Recording the same values again writes nothing; a changed wage writes only the changed fields with an
audit row (old -> new). A batch (an enterprise's monthly payroll: many workers, one month) is one
transaction: one bad item rejects the whole batch with a Chinese message per item (ItemsInvalid), and
warnings (a wage under 400 元) need the caller's confirmation (ItemsNeedConfirmation), like the records'
wage rule. The rules are in employment.lines.rules.

Scope is checked through employment.lines.access: staff of the laborer's home region (REGISTRY_EDIT) or an
enterprise user for the records at its own enterprise (EMPLOYERS_EDIT). After every write
`employment_states_stale` is sent (through `refresh_states`: tracking recomputes the derived status of the
laborers concerned; employment.signals).

Locks: the laborers' rows, then the records' rows, each in pk order (the employment services' order).
"""

from laborcoop.employment.lines.common import (
    NOTHING_TO_SAVE,
    RECORD_NOT_FOUND,
    InsuranceEntry,
    ItemsInvalid,
    ItemsNeedConfirmation,
    LinesOutcome,
    WageEntry,
    refresh_states,
    source_of,
    states_refresh_deferred,
)
from laborcoop.employment.lines.insurance import (
    INSURANCE_TWICE,
    insurance_month_delete,
    insurance_months_record,
    insurance_months_record_linked,
)
from laborcoop.employment.lines.wages import WAGE_TWICE, wage_month_delete, wage_month_record, wage_months_record

__all__ = [
    "INSURANCE_TWICE",
    "NOTHING_TO_SAVE",
    "RECORD_NOT_FOUND",
    "WAGE_TWICE",
    "InsuranceEntry",
    "ItemsInvalid",
    "ItemsNeedConfirmation",
    "LinesOutcome",
    "WageEntry",
    "insurance_month_delete",
    "insurance_months_record",
    "insurance_months_record_linked",
    "refresh_states",
    "source_of",
    "states_refresh_deferred",
    "wage_month_delete",
    "wage_month_record",
    "wage_months_record",
]
