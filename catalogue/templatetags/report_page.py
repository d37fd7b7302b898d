"""The report page's repeated fragment, written in Python: a figure list under every
programme and initiative would otherwise be one template include per item."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from catalogue.selectors.compare import measure_name, period_text

register = template.Library()

_LINK = (
    '<li><a class="indicator-link" href="#q-{}">{} <span class="figure">{}</span></a> '
    '<span class="measure-period">{}<span class="period">{}</span></span> '
    '<a class="permalink" href="{}" title="{}" aria-label="{}: {}">#</a></li>'
)


@register.simple_tag
def indicator_links(indicators: list, permalink_label: str) -> SafeString | str:
    """Each figure as a link to its place in the text (#q-<id>), with its measure, period and
    permalink (the `url` report_contents gave it); "" for none."""
    if not indicators:
        return ""
    rows = format_html_join(
        "",
        _LINK,
        (
            (
                i.pk,
                i.label,
                i.figure,
                format_html('<span class="tag measure">{}</span> ', measure_name(i.measure))
                if i.measure
                else "",
                period_text(i),
                i.url,
                permalink_label,
                permalink_label,
                i.label,
            )
            for i in indicators
        ),
    )
    return format_html('<ul class="indicator-links">{}</ul>', rows)
