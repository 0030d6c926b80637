"""The region picker widget: a text box where a name is typed (or, with script, searched and chosen, or picked
level by level from cascading lists); never a code to type.

Without script the box is a plain text field: the form field resolves the typed name (see regions.lookup).
With static/js/region-picker.js the box searches as one types and shows each region's full path
(山东省 济南市 济阳区); a chosen region also travels as a hidden `<name>__code` input, used only while the
text still reads as the chosen path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from laborcoop.regions.lookup import LIST_SEPARATORS, PATH_SEPARATORS
from laborcoop.regions.paths import RegionNames
from laborcoop.regions.selectors import normalize_code

CODE_SUFFIX = "__code"
LIST_JOINER = "、"


def region_paths(codes: list[str]) -> dict[str, str]:
    """Full paths with spaces ("山东省 济南市 济阳区") of region codes, in one query; unknown codes map to
    themselves."""
    names = RegionNames()
    names.load(codes)
    return {code: names.path(code).replace("/", " ") or code for code in codes}


def _same_text(a: str, b: str) -> bool:
    return PATH_SEPARATORS.sub("", a) == PATH_SEPARATORS.sub("", b)


class RegionPickerWidget(forms.Widget):
    """Renders the text box (and the hidden codes of a chosen value). `within` narrows the search to a
    subtree (the user's scope, set by the view); the form field checks it again on the server."""

    multiple = False

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        within: str = "",
        min_level: int = 1,
        max_level: int = 5,
        placeholder: str = "",
    ) -> None:
        super().__init__(attrs)
        self.within = within
        self.min_level = min_level
        self.max_level = max_level
        self.placeholder = placeholder

    def _codes(self, value: Any) -> list[str]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(v) for v in values if normalize_code(str(v)) == str(v)]

    def format_value(self, value: Any) -> str:
        """The text shown: paths for codes, the typed text as it was otherwise."""
        if not value:
            return ""
        values = value if isinstance(value, list | tuple) else [value]
        paths = region_paths(self._codes(values))
        return LIST_JOINER.join(paths.get(str(v), str(v)) for v in values)

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final.setdefault("placeholder", self.placeholder)
        codes = self._codes(value)
        text = self.format_value(value)
        input_attrs = {**final, "type": "text", "name": name, "value": text, "autocomplete": "off"}
        input_attrs["data-region-input"] = ""
        hidden = format_html_join(
            "", '<input type="hidden" name="{}" value="{}">', ((name + CODE_SUFFIX, c) for c in codes)
        )
        return format_html(
            '<div class="region-picker" data-region-picker data-url="{}" data-within="{}" data-min-level="{}"'
            ' data-max-level="{}" data-multiple="{}" data-chosen="{}"><input{}>{}</div>',
            reverse("regions:lookup"),
            self.within,
            self.min_level,
            self.max_level,
            "1" if self.multiple else "0",
            text if codes else "",
            forms.utils.flatatt(input_attrs),
            hidden,
        )

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> Any:
        """The chosen code(s) while the text still reads as their path(s); the typed text otherwise."""
        text = str(data.get(name) or "")
        codes = data.getlist(name + CODE_SUFFIX) if isinstance(data, MultiValueDict) else []
        codes = [c for c in codes if normalize_code(c) == c]
        if codes:
            paths = region_paths(codes)
            parts = [p for p in LIST_SEPARATORS.split(text) if p.strip()] if self.multiple else [text]
            if len(parts) == len(codes) and all(_same_text(p, paths[c]) for p, c in zip(parts, codes, strict=True)):
                return codes if self.multiple else codes[0]
        return text

    def value_omitted_from_data(self, data: Mapping[str, Any], files: Any, name: str) -> bool:
        return name not in data and name + CODE_SUFFIX not in data


class RegionMultiplePickerWidget(RegionPickerWidget):
    multiple = True
