"""Export kinds whose rows come from apps above exports (the warning list, the unreachable list).

Such an app registers, in its ready(), how to build the rows from the stored filters and which form reads and
describes them; the background job then rebuilds the same scoped rows with the requester's current rights,
like the list kinds, and exports never imports upwards (docs/architecture.md, "Events").
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms


@dataclass(frozen=True)
class RegisteredSource:
    # (user, filters) -> a selectors.ListSource of the user's scoped rows (PermissionDeniedError when the role
    # may not see them), or any object with `title`, `count()` and `write_xlsx(ctx, out, on_chunk=None)` for a
    # workbook of its own (xlsx-only kinds). The filters are the page's query values as given (JSON).
    build: Callable[[Any, Mapping[str, Any]], Any]
    filter_form: type[forms.Form]  # reads the filters; its field labels describe them on the job page


_SOURCES: dict[str, RegisteredSource] = {}


def register_export_source(
    kind: str, *, build: Callable[[Any, Mapping[str, Any]], Any], filter_form: type[forms.Form]
) -> None:
    _SOURCES[kind] = RegisteredSource(build=build, filter_form=filter_form)


def registered_source(kind: str) -> RegisteredSource | None:
    return _SOURCES.get(kind)
