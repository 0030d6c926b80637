"""Which audit rows a user may read.

Entries that say who saw or took a person's clear data (查看完整证件号, 导出, the phone number revealed to call,
the personal link shown to send) and why are for the readers of
the audit trail (admins, Cap.AUDIT_VIEW) only; everyone else who may see an object sees its change history.
Every reader of an object's audit rows (the history page in `laborcoop.audit`, the front desk's service
counts) goes through `audit_entries_visible`.
"""

from typing import Any

from django.db.models import QuerySet

from laborcoop.accounts.access import user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.models import AuditEntry

REVEAL_ACTIONS = frozenset(
    {
        AuditEntry.Action.UNMASK,
        AuditEntry.Action.EXPORT,
        AuditEntry.Action.CALL,
        AuditEntry.Action.PERSONAL_LINK,
    }
)


def audit_entries_visible(*, user: Any, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    """`entries` narrowed to what `user` may read: without REVEAL_ACTIONS rows (hence their reasons) unless the
    user may read the audit trail."""
    if user_can(user, Cap.AUDIT_VIEW):
        return entries
    return entries.exclude(action__in=REVEAL_ACTIONS)
