"""What other apps hear about employment records.

`employment_changed` is sent by every write of records (the services one record at a time, the work import a
chunk at a time), inside the writing transaction, after the records and the laborers' summaries are saved:

- `records`: the EmploymentRecord rows written (saved state);
- `created`: ids of the records created by this write;
- `ended`: ids of the records that were ongoing before this write and have an end date now;
- `acting_user`: who wrote (None for system writes).

Receivers (derived status, destination notices, follow-up tasks, warnings) run in the same transaction: a
receiver that fails rolls the write back, so keep them small and defer slow work with transaction.on_commit.
"""

from django.dispatch import Signal

employment_changed = Signal()
