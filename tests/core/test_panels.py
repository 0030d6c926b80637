"""core.panels: a slot renders the registered panels by order (then key), replaces a panel registered again under
its key, and leaves out the panels that render nothing (the ones the user may not see)."""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from laborcoop.core.panels import PanelSlot


def panel(text: str) -> Callable[[HttpRequest, int], SafeString]:
    def render(request: HttpRequest, obj: int) -> SafeString:
        return SafeString(text.format(obj=obj))

    return render


def test_panels_render_in_order_and_blank_ones_are_left_out() -> None:
    slot: PanelSlot[int] = PanelSlot("test")
    slot.register("c", panel("<p>c{obj}</p>"), order=20)
    slot.register("b", panel("<p>b{obj}</p>"), order=10)
    slot.register("a", panel("<p>a{obj}</p>"), order=20)
    slot.register("hidden", panel("  \n"), order=5)
    assert slot.render(HttpRequest(), 7) == ["<p>b7</p>", "<p>a7</p>", "<p>c7</p>"]
    assert [p.key for p in slot.panels()] == ["hidden", "b", "a", "c"]


def test_registering_a_key_again_replaces_the_panel() -> None:
    slot: PanelSlot[int] = PanelSlot("test")
    slot.register("a", panel("old"), order=10)
    slot.register("a", panel("new"), order=10)
    assert slot.render(HttpRequest(), 1) == ["new"]
