"""Panel slots: a page of a low app shows blocks that higher apps render, without knowing those apps.

A low app must not depend on the apps built on it: no import of theirs, and no `{% include %}` of their templates
nor `{% load %}` of their tag libraries either (tests/architecture/test_template_layers.py). A page that shows what
higher apps know about its object (the laborer's record page shows employment records, follow-ups, warnings, ...)
declares a `PanelSlot` in its own app; each higher app registers its panel in its AppConfig.ready() with a render
function of its own (its selectors, its access checks, its template), and the page's view passes
`slot.render(request, obj)` to its template, which loops over the panels: `{% for panel in panels %}{{ panel }}
{% endfor %}`. A panel that the user may not see renders "" and is left out.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.http import HttpRequest
from django.utils.safestring import SafeString

T = TypeVar("T")


@dataclass(frozen=True)
class Panel(Generic[T]):
    key: str
    render: Callable[[HttpRequest, T], SafeString]
    order: int


class PanelSlot(Generic[T]):
    """A place on a page where the panels registered by other apps are shown, by `order` (then key)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._panels: dict[str, Panel[T]] = {}

    def register(self, key: str, render: Callable[[HttpRequest, T], SafeString], *, order: int) -> None:
        """Add the panel `key` (registering the same key again replaces it); called from the owner's ready()."""
        self._panels[key] = Panel(key=key, render=render, order=order)

    def panels(self) -> list[Panel[T]]:
        return sorted(self._panels.values(), key=lambda panel: (panel.order, panel.key))

    def render(self, request: HttpRequest, obj: T) -> list[SafeString]:
        """The HTML of each panel shown to this request's user, in order (blank ones left out)."""
        return [html for panel in self.panels() if (html := panel.render(request, obj)).strip()]
