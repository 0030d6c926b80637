"""What other apps hear about employment writes. Every signal here is sent inside the writing transaction:
a receiver that fails rolls the write back, so keep receivers small and defer slow work with
transaction.on_commit. Receivers live in the apps above employment (tracking, matching, earlywarning) and are
connected by their AppConfig.ready(); employment never imports them.

`employment_changed` is sent by every write of records (the services one record at a time, the work import a
chunk at a time), after the records and the laborers' summaries are saved:

- `records`: the EmploymentRecord rows written (saved state);
- `created`: ids of the records created by this write;
- `ended`: ids of the records that were ongoing before this write and have an end date now;
- `acting_user`: who wrote (None for system writes).

Receivers: the derived status (tracking.status.receivers), destination notices, follow-up tasks, warnings.

`employment_states_stale` says that the derived status (EmploymentState, computed by tracking.status) of some
laborers may no longer match their wage or insurance months: sent by employment.lines after each write, with
the laborers' rows locked, or once at the end of a `states_refresh_deferred` block (an import chunk) for every
laborer written in it (sender: EmploymentState):

- `laborer_ids`: sorted list of laborer ids (never empty).

The receiver (tracking.status.receivers) recomputes their states in the same transaction. Record writes do not
send it: `employment_changed` covers them.
"""

from django.dispatch import Signal

employment_changed = Signal()
employment_states_stale = Signal()
