"""What other apps hear about the registry (and ask it).

The registry sits low in the layers: the apps built on it (employment, tracking, matching) react to its writes
through these signals, connected in their own `ready()`, never through an import of theirs from here. Every
signal is sent inside the writing transaction, after the rows are saved: a receiver that fails rolls the write
back, so receivers stay small and defer slow work with `transaction.on_commit`.

- `laborer_registered(sender=Laborer, laborer, acting_user)`: a laborer was registered one at a time (form,
  API, front desk). Matching recommends jobs after the commit.
- `laborers_imported(sender=Laborer, laborer_ids, acting_user)`: an import chunk created these laborers or made
  them 未就业 (bulk writes, so no `laborer_registered` per person). Matching recommends jobs after the commit.
- `laborers_moved(sender=Laborer, laborer_ids, household_ids)`: these laborers, or the members of these
  households, have a new home region (a household edit or an import). Their employment records (output side),
  destination notices and open follow-up tasks follow the home.
- `laborer_summary_locked(sender=Laborer, laborer_id)`: asked before a hand edit of a laborer's employment
  summary (就业状态, employer, ...). A receiver answers True when the summary is owned by other records
  (employment: an ongoing employment record); `summary_locked()` reads the answers.
"""

from django.dispatch import Signal

laborer_registered = Signal()
laborers_imported = Signal()
laborers_moved = Signal()
laborer_summary_locked = Signal()


def summary_locked(*, sender: type, laborer_id: int) -> bool:
    """Whether any app owns this laborer's employment summary (see `laborer_summary_locked`)."""
    return any(answer for _receiver, answer in laborer_summary_locked.send(sender=sender, laborer_id=laborer_id))
