"""Templates follow the layers too: a template of an app (src/laborcoop/templates/<app>/...) may not `{% load %}` a
tag library of an app above it or beside it, nor `{% include %}` / `{% extends %}` a template of such an app. Those
are imports import-linter cannot see: the tag runs the higher app's code, the included template reads its data.

The layers are the import-linter contract with id "layers" in pyproject.toml (as scripts/import_graph.py reads
them): top first, apps of one layer separated by `|` are independent of each other. A lower page that shows what
higher apps know declares a slot (core.panels.PanelSlot, e.g. registry.panels.LABORER_PANELS) that the higher apps
fill from their ready().

Exempt: the templates at the root of templates/ (base.html, 403.html, 404.html, ...) are the project's layout, the
top layer: they may load and include any app's templates (base.html loads notifications' tags for the menu).
"""

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "laborcoop"
TEMPLATES = SRC / "templates"

LOAD = re.compile(r"{%-?\s*load\s+(?P<args>[^%]*?)\s*-?%}")
INCLUDE = re.compile(r"""{%-?\s*(?P<tag>include|extends)\s+(?P<quote>["'])(?P<name>[^"']+)(?P=quote)""")


def layer_rank() -> dict[str, int]:
    """App label -> layer index (0 = top), from the "layers" contract."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c.get("id") == "layers")
    return {
        name.strip().split(".")[1]: rank for rank, layer in enumerate(contract["layers"]) for name in layer.split("|")
    }


def library_owners() -> dict[str, str]:
    """Tag library name -> the app that defines it (<app>/templatetags/<library>.py)."""
    return {
        path.stem: path.relative_to(SRC).parts[0] for path in SRC.glob("*/templatetags/*.py") if path.stem != "__init__"
    }


def loaded_libraries(args: str) -> list[str]:
    """`{% load a b %}` -> [a, b]; `{% load tag1 tag2 from lib %}` -> [lib]."""
    words = args.split()
    return [words[-1]] if "from" in words else words


def app_templates() -> Iterator[tuple[str, Path]]:
    for path in sorted(TEMPLATES.rglob("*.html")):
        rel = path.relative_to(TEMPLATES)
        if len(rel.parts) > 1:  # templates at the root are the layout: exempt
            yield rel.parts[0], path


def violations() -> Iterator[str]:
    rank = layer_rank()
    owners = library_owners()
    for app, path in app_templates():
        rel = path.relative_to(ROOT)
        if app not in rank:
            yield f"{rel}: templates/{app}/ is not an app of the layers in pyproject.toml"
            continue

        def above_or_beside(other: str) -> bool:
            return other != app and other in rank and rank[other] <= rank[app]

        for lineno, line in enumerate(path.read_text().splitlines(), start=1):
            for match in LOAD.finditer(line):
                for library in loaded_libraries(match["args"]):
                    owner = owners.get(library)
                    if owner is not None and above_or_beside(owner):
                        yield f"{rel}:{lineno}: loads `{library}`, the tag library of {owner} (not below {app})"
            for match in INCLUDE.finditer(line):
                other = match["name"].split("/")[0] if "/" in match["name"] else ""
                if above_or_beside(other):
                    yield f"{rel}:{lineno}: {match['tag']}s {match['name']!r}, a template of {other} (not below {app})"


def test_the_layers_and_libraries_are_read() -> None:
    rank = layer_rank()
    assert rank["bench"] < rank["tracking"] < rank["registry"] == rank["employers"] < rank["core"]
    assert library_owners()["laborcoop"] == "core"


def test_the_scan_finds_what_it_looks_for() -> None:
    assert loaded_libraries("humanize laborcoop") == ["humanize", "laborcoop"]
    assert loaded_libraries("rule_title from earlywarning") == ["earlywarning"]
    text = """{% include "tracking/_x.html" with a=1 %}{% extends 'b.html' %}"""
    assert [m["name"] for m in INCLUDE.finditer(text)] == ["tracking/_x.html", "b.html"]


def test_templates_load_and_include_only_lower_apps() -> None:
    found = list(violations())
    assert not found, "templates that depend on an app above (or beside) their own:\n" + "\n".join(found)
