"""Server-rendered SVG bar charts: no JavaScript, no external requests, every label escaped."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ROW = 26
LABEL_WIDTH = 150
BAR_WIDTH = 420
VALUE_WIDTH = 110


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value and the text shown after it."""

    label: str
    value: Decimal
    caption: str


def bar_chart(bars: list[Bar], *, title: str) -> SafeString:
    """A horizontal bar chart as inline SVG, bars scaled to the largest value."""
    top = max((bar.value for bar in bars), default=Decimal(0))
    height = ROW * len(bars) + 8
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = 4 + i * ROW
        length = int(BAR_WIDTH * bar.value / top) if top > 0 else 0
        parts.append(
            f'<g class="bar"><text x="{LABEL_WIDTH - 6}" y="{y + 17}" text-anchor="end">'
            f"{escape(bar.label)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{max(length, 1)}" height="{ROW - 8}">'
            f"<title>{escape(bar.label)}: {escape(bar.caption)}</title></rect>"
            f'<text x="{LABEL_WIDTH + max(length, 1) + 6}" y="{y + 17}">{escape(bar.caption)}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
