"""Server-rendered SVG charts: no JavaScript library, readable on a phone and printable."""

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Chart:
    svg: str
    empty: bool


def bar_chart(rows: list[tuple[str, int, int]], *, series: tuple[str, str], width: int = 640) -> Chart:
    """Horizontal bars: the first value as a full bar, the second (a part of it) overlaid."""
    if not rows:
        return Chart(svg="", empty=True)
    label_w, bar_h, gap, top = 150, 16, 8, 26
    plot_w = width - label_w - 70
    peak = max((r[1] for r in rows), default=0) or 1
    height = top + len(rows) * (bar_h + gap) + 10
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{escape(series[0])}与{escape(series[1])}">',
        f'<rect x="{label_w}" y="4" width="12" height="12" class="bar"/>'
        f'<text x="{label_w + 16}" y="14">{escape(series[0])}</text>',
        f'<rect x="{label_w + 90}" y="4" width="12" height="12" class="bar2"/>'
        f'<text x="{label_w + 106}" y="14">{escape(series[1])}</text>',
    ]
    for i, (label, total, part) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w_total = plot_w * total / peak
        w_part = plot_w * min(part, total) / peak
        parts.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{escape(label[:10])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w_total:.1f}" height="{bar_h}" class="bar"/>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{w_part:.1f}" height="{bar_h - 8}" class="bar2"/>')
        parts.append(f'<text x="{label_w + w_total + 4:.1f}" y="{y + 12}">{total}／{part}</text>')
    parts.append("</svg>")
    return Chart(svg="".join(parts), empty=False)
