"""Server-rendered SVG bar charts: no JavaScript, no external requests, every label escaped.

The chart is drawn for a phone: 360 units wide, each region's name and figure on one
line above its bar, so at 390 px wide the text is read at its full size; on a wide
screen it grows to at most 1.5 times that (CSS max-width).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360
HEAD = 32  # the title line
ROW = 44  # a name-and-figure line, then the bar
BAR_HEIGHT = 12
LABEL_CHARS = 12  # longer region names are cut with an ellipsis so they never meet the figure


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value and the text shown after it."""

    label: str
    value: Decimal
    caption: str


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def bar_chart(bars: list[Bar], *, title: str) -> SafeString:
    """A horizontal bar chart as inline SVG, titled, bars scaled to the largest value."""
    top = max((bar.value for bar in bars), default=Decimal(0))
    height = HEAD + ROW * len(bars)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text class="chart-title" x="0" y="20" font-weight="bold">{escape(title)}</text>',
    ]
    for i, bar in enumerate(bars):
        y = HEAD + i * ROW
        length = max(int(WIDTH * bar.value / top), 1) if top > 0 and bar.value > 0 else 1
        parts.append(
            f'<g class="bar"><text class="label" x="0" y="{y + 16}">{escape(_short(bar.label))}</text>'
            f'<text class="value" x="{WIDTH}" y="{y + 16}" text-anchor="end">'
            f"{escape(bar.caption)}</text>"
            f'<rect x="0" y="{y + 23}" width="{length}" height="{BAR_HEIGHT}">'
            f"<title>{escape(bar.label)}: {escape(bar.caption)}</title></rect></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
