"""Server-rendered charts: no JavaScript library, readable on a phone and printable.

The bar chart is HTML rows whose bars are small SVGs stretched to the row's width: labels and figures are
text in the page, so they keep their size on a 390 px phone instead of shrinking with a scaled drawing, and the
bars reflow with the screen. Widths are SVG attributes, because the CSP forbids style= attributes.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

SWATCH = '<svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" class="{}"/></svg>'
ROW = (
    '<div class="bar-row"><span class="bar-label">{}</span>'
    '<svg class="bar-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">'
    '<rect width="{}" height="10" class="bar"/><rect y="3" width="{}" height="4" class="bar2"/></svg>'
    '<span class="bar-value">{}／{}</span></div>'
)


@dataclass(frozen=True)
class Chart:
    html: SafeString
    empty: bool


def bar_chart(rows: list[tuple[str, int, int]], *, series: tuple[str, str]) -> Chart:
    """Horizontal bars, one row per label: the first value as a full bar, the second (a part of it) overlaid."""
    if not rows:
        return Chart(html=SafeString(""), empty=True)
    peak = max((r[1] for r in rows), default=0) or 1
    legend = format_html(
        '<figcaption class="bar-legend"><span>' + SWATCH + " {}</span><span>" + SWATCH + " {}</span></figcaption>",
        "bar",
        series[0],
        "bar2",
        series[1],
    )
    bars = format_html_join(
        "",
        ROW,
        (
            (label, f"{100 * total / peak:.2f}", f"{100 * min(part, total) / peak:.2f}", total, part)
            for label, total, part in rows
        ),
    )
    html = format_html(
        '<figure class="bar-chart" role="img" aria-label="{}与{}">{}{}</figure>', series[0], series[1], legend, bars
    )
    return Chart(html=html, empty=False)
