"""A region's timeline as a small inline SVG sparkline: no JavaScript, every label escaped."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from catalogue.selectors.timelines import Line

from .numbers import readable_figure

register = template.Library()

WIDTH, HEIGHT, PAD = 240, 48, 6


@register.simple_tag
def sparkline(line: Line, title: str = "") -> SafeString:
    """The points of `line` over time (x: report date, y: value), each linked to its sentence."""
    points = line.points
    days = [p.report.published.toordinal() for p in points]
    values = [float(p.value) for p in points]
    first, span = min(days), (max(days) - min(days)) or 1
    low, rise = min(values), (max(values) - min(values)) or 1.0

    def xy(day: int, value: float) -> tuple[float, float]:
        x = PAD + (WIDTH - 2 * PAD) * (day - first) / span
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value - low) / rise
        return round(x, 1), round(y, 1)

    coords = [xy(d, v) for d, v in zip(days, values, strict=True)]
    line = " ".join(f"{x},{y}" for x, y in coords)
    parts = [
        f'<svg class="sparkline" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<polyline points="{line}" fill="none" stroke="currentColor" stroke-width="1.5"/>',
    ]
    for point, (x, y) in zip(points, coords, strict=True):
        href = reverse("catalogue:report_detail", args=[point.report_id]) + f"#q-{point.pk}"
        label = f"{point.report.published:%Y-%m-%d} {readable_figure(point)}"
        parts.append(
            f'<a href="{escape(href)}"><circle cx="{x}" cy="{y}" r="3.5">'
            f"<title>{escape(label)}</title></circle></a>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
