"""The Content-Security-Policy allows no inline script or style (docs/architecture.md, "Security headers"), so no
template or HTML-building code may carry them: a `<script>` without src, an `on...=` handler, a `javascript:`
URL, htmx's `hx-on` (it evals), a `style=` attribute or a `<style>` element. Behaviour goes in
src/laborcoop/static/js/ (data attributes + listeners), looks in src/laborcoop/static/css/app.css. The browser
proves the same at run time: tests/browser/test_csp.py."""

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "laborcoop"
TEMPLATES = sorted(p for p in SRC.rglob("templates/**/*") if p.is_file() and p.suffix in {".html", ".txt", ".svg"})
PYTHON = sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)

FORBIDDEN_IN_TEMPLATES = {
    "inline <script>": re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=[\"']application/json)[^>]*>", re.I),
    "on...= handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "hx-on": re.compile(r"\shx-on", re.I),
    "eval in hx-vals/hx-vars": re.compile(r"hx-vars|hx-vals=[\"']js:", re.I),
    "style= attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I | re.S),
    "<style> element": re.compile(r"<style[\s>]", re.I),
}
FORBIDDEN_IN_PYTHON = {
    "on...= handler": re.compile(r"<[a-z][^>\n]*\son[a-z]+\s*=\s*\\?[\"']", re.I),
    "style= attribute": re.compile(r"<[a-z][^>\n]*\sstyle\s*=\s*\\?[\"']", re.I),
    "inline <script>": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I),
}


def test_there_are_templates_to_check() -> None:
    assert len(TEMPLATES) > 100
    assert SRC / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize("kind", sorted(FORBIDDEN_IN_TEMPLATES))
def test_templates_have_no_inline_script_or_style(kind: str) -> None:
    pattern = FORBIDDEN_IN_TEMPLATES[kind]
    found = [
        f"{path.relative_to(SRC)}: {match.group(0)[:80]}"
        for path in TEMPLATES
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize("kind", sorted(FORBIDDEN_IN_PYTHON))
def test_html_built_in_python_has_no_inline_script_or_style(kind: str) -> None:
    pattern = FORBIDDEN_IN_PYTHON[kind]
    found = [
        f"{path.relative_to(SRC)}: {match.group(0)[:80]}"
        for path in PYTHON
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
