"""Template helpers of the public pages: highlighted report text, query-string links, languages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.urls import translate_url
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from catalogue.models import Indicator, Initiative, Programme
from catalogue.selectors.compare import measure_name, period_text

from .numbers import readable_figure

register = template.Library()
# An indicator's figure as people read it, under the short name the list items use.
register.filter("readable", readable_figure)

# Outer kinds first so that, at the same start, an indicator nests inside its initiative.
_KINDS = {
    Programme: (0, "programme", "p"),
    Initiative: (1, "initiative", "i"),
    Indicator: (2, "indicator", "q"),
}


@register.simple_tag
def highlighted_body(body: str, items: list) -> SafeString:
    """The escaped report text with every extracted item wrapped at its span, anchored #p-/#i-/#q-<id>.

    Spans nest; a span that would cross its enclosing one is clipped to it, so the
    markup always stays well-formed.
    """
    n = len(body)
    spans = []
    for item in items:
        rank, kind, prefix = _KINDS[type(item)]
        start, end = max(0, min(item.start, n)), max(0, min(item.end, n))
        spans.append((start, -end, rank, kind, f"{prefix}-{item.pk}"))
    spans.sort()
    out: list[str] = []
    open_ends: list[int] = []
    pos = 0

    def close_until(limit: int) -> None:
        nonlocal pos
        while open_ends and open_ends[-1] <= limit:
            end = open_ends.pop()
            out.append(escape(body[pos:end]))
            out.append("</mark>")
            pos = end

    for start, neg_end, _rank, kind, anchor in spans:
        close_until(start)
        end = min(-neg_end, open_ends[-1]) if open_ends else -neg_end
        if end <= start:
            continue
        out.append(escape(body[pos:start]))
        pos = start
        out.append(f'<mark class="k-{kind}" id="{anchor}">')
        open_ends.append(end)
    close_until(n)
    out.append(escape(body[pos:]))
    return mark_safe("".join(out))


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters set (None removes one); page always reset."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        params.pop(name, None)
        if value not in (None, ""):
            params[name] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """The current query string pointing at page `number`."""
    params = context["request"].GET.copy()
    params["page"] = number
    return f"?{params.urlencode()}"


@register.simple_tag(takes_context=True)
def language_url(context, language: str) -> str:
    """The current page (with its query string) in `language`."""
    return translate_url(context["request"].get_full_path(), language)


@register.filter
def figure(value) -> str:
    """A decimal without trailing zeros (1200.000000 → 1200)."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return "" if value is None else str(value)


@register.filter
def period_of(indicator) -> str:
    """The period an indicator covers: as written, else its kind (with the year when known)."""
    return period_text(indicator)


@register.filter(name="measure_name")
def measure_name_filter(measure) -> str:
    """A measure's name in the active language."""
    return measure_name(measure)
