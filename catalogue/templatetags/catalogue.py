"""Template helpers of the public pages: highlighted report text, query-string links, languages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, translate_url
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from catalogue.addresses import full_path
from catalogue.models import Indicator, Initiative, Programme
from catalogue.selectors.compare import measure_name, period_text

from .numbers import readable_figure

register = template.Library()
# An indicator's figure as people read it, under the short name the list items use.
register.filter("readable", readable_figure)

# Outer kinds first so that, at the same start, a figure nests inside its sentence, the
# sentence inside its initiative and the initiative inside its programme.
_RANK = {"programme": 0, "heading": 1, "initiative": 2, "sentence": 3, "indicator": 4}
_ELEMENT = {"sentence": "span"}  # a figure's sentence is context, not a highlight of its own


def _span(body: str, start: int, end: int, kind: str, anchor: str = "") -> tuple:
    n = len(body)
    start, end = max(0, min(start, n)), max(0, min(end, n))
    return (start, -end, _RANK[kind], kind, anchor)


def _heading_span(body: str, programme: Programme) -> tuple:
    """The programme's heading inside its section: its title where the text has it, else the
    section's first line."""
    at = body.find(programme.title, programme.start, programme.end) if programme.title else -1
    if at >= 0:
        return _span(body, at, at + len(programme.title), "heading")
    line_end = body.find("\n", programme.start, programme.end)
    return _span(body, programme.start, line_end if line_end >= 0 else programme.end, "heading")


def _indicator_spans(body: str, indicators: list[Indicator]) -> list[tuple]:
    """Each figure marked by itself (anchored #q-<id>) inside its sentence, which is marked
    once however many figures share it; a figure not found in its sentence anchors that."""
    spans, sentences, taken = [], set(), set()
    for indicator in indicators:
        anchor = f"q-{indicator.pk}"
        at = body.find(indicator.figure, indicator.start, indicator.end) if indicator.figure else -1
        while at >= 0 and at in taken:  # the same figure twice in one sentence: the next one
            at = body.find(indicator.figure, at + 1, indicator.end)
        if at < 0:
            spans.append(_span(body, indicator.start, indicator.end, "indicator", anchor))
            continue
        taken.add(at)
        spans.append(_span(body, at, at + len(indicator.figure), "indicator", anchor))
        if (indicator.start, indicator.end) not in sentences:
            sentences.add((indicator.start, indicator.end))
            spans.append(_span(body, indicator.start, indicator.end, "sentence"))
    return spans


def _body_spans(body: str, items: list) -> list[tuple]:
    """Every span to mark in `body`, sorted so enclosing spans open first."""
    spans = []
    for item in items:
        if isinstance(item, Programme):
            spans.append(_span(body, item.start, item.end, "programme", f"p-{item.pk}"))
            spans.append(_heading_span(body, item))
        elif isinstance(item, Initiative):
            spans.append(_span(body, item.start, item.end, "initiative", f"i-{item.pk}"))
    spans += _indicator_spans(body, [item for item in items if isinstance(item, Indicator)])
    return sorted(spans)


@register.simple_tag
def highlighted_body(body: str, items: list) -> SafeString:
    """The escaped report text with every extracted item wrapped at its span: programme
    sections (#p-<id>) with their headings, initiatives (#i-<id>) and each figure (#q-<id>)
    inside its sentence.

    Spans nest; a span that would cross its enclosing one is clipped to it, so the
    markup always stays well-formed.
    """
    n = len(body)
    out: list[str] = []
    open_spans: list[tuple[int, str]] = []
    pos = 0

    def close_until(limit: int) -> None:
        nonlocal pos
        while open_spans and open_spans[-1][0] <= limit:
            end, element = open_spans.pop()
            out.append(escape(body[pos:end]))
            out.append(f"</{element}>")
            pos = end

    for start, neg_end, _rank, kind, anchor in _body_spans(body, items):
        close_until(start)
        end = min(-neg_end, open_spans[-1][0]) if open_spans else -neg_end
        if end <= start:
            continue
        out.append(escape(body[pos:start]))
        pos = start
        element = _ELEMENT.get(kind, "mark")
        id_attr = f' id="{anchor}"' if anchor else ""
        out.append(f'<{element} class="k-{kind}"{id_attr}>')
        open_spans.append((end, element))
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


@register.simple_tag
def page_numbers(page, *, around: int = 2) -> list[int | None]:
    """The page numbers to link, None for a gap: 1 … 4 5 [6] 7 8 … 20."""
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=around, on_ends=1)
    return [n if isinstance(n, int) else None for n in numbers]


@register.simple_tag(takes_context=True)
def language_url(context, language: str) -> str:
    """The current page (with its query string, as the client sent it) in `language`."""
    return translate_url(full_path(context["request"]), language)


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


@register.filter
def region_name(region) -> str:
    """A region's name in the active language: its stored English name on /en/ pages."""
    if region is None:
        return ""
    english = getattr(region, "name_en", "")
    if english and (get_language() or "").startswith("en"):
        return english
    return region.name


# Markup that depends on the language alone, rendered once per process: (name, language,
# script prefix) -> HTML. The site header and footer are a dozen URL reversals and
# translations that came out the same on every page.
_PER_LANGUAGE: dict[tuple[str, str, str], SafeString] = {}


@receiver(setting_changed)
def _forget_per_language(**kwargs) -> None:
    """A changed setting (tests) may change URLs or translations: render anew."""
    _PER_LANGUAGE.clear()


class PerLanguageNode(template.Node):
    """The rendered nodelist, kept per language (see per_language)."""

    def __init__(self, name: str, nodelist: template.NodeList):
        self.name, self.nodelist = name, nodelist

    def render(self, context) -> SafeString:
        key = (self.name, get_language() or "", get_script_prefix())
        html = _PER_LANGUAGE.get(key)
        if html is None:
            html = _PER_LANGUAGE[key] = self.nodelist.render(context)
        return html


@register.tag
def per_language(parser, token) -> PerLanguageNode:
    """{% per_language "name" %}…{% endper_language %}: markup that reads nothing but the
    active language (URLs, translations, static paths), rendered once per process and
    language. Never put request or page data inside."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("per_language takes one name")
    nodelist = parser.parse(("endper_language",))
    parser.delete_first_token()
    return PerLanguageNode(bits[1].strip("\"'"), nodelist)
