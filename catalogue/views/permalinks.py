"""Permalink pages of programmes and indicators: the row in its sentence, where it comes from,
and how to cite it. Read-only (GET and HEAD only); rows the lists hide answer 404.

Each page's content is rendered once per catalogue version (catalogue.page_cache); the
citation, which names the address the reader used and the day, is added per request."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import page_cache
from ..models import Indicator, Programme
from ..selectors import permalinks


def cite_context(request, report) -> dict:
    """The plain link and the GB/T 7714 reference of the page being shown."""
    url = request.build_absolute_uri(request.path)
    accessed = timezone.localdate()
    return {
        "cite_url": url,
        "cite_gbt": permalinks.citation_gbt7714(report=report, url=url, accessed=accessed),
    }


@require_safe
def programme_detail(request, pk: int):
    """A programme: its heading in context, report, region, initiatives, figures and citation."""
    parts = page_cache.rendered("programme", pk, lambda: _programme_parts(request, pk))
    context = {**parts, **cite_context(request, parts["report"])}
    return render(request, "catalogue/programme_detail.html", context)


def _programme_parts(request, pk: int) -> dict:
    try:
        programme = permalinks.programme_page(pk=pk)
    except Programme.DoesNotExist:
        raise Http404(_("没有这个工作项目。")) from None
    context = {
        "programme": programme,
        "initiatives": permalinks.programme_initiative_links(programme=programme),
        "indicators": permalinks.programme_indicator_rows(programme=programme),
    }
    main = render_to_string("catalogue/_programme_main.html", context, request)
    return {"title": programme.title, "main": main, "report": programme.report}


@require_safe
def indicator_detail(request, pk: int):
    """A figure: its sentence in context, report, region, period, measure and citation."""
    parts = page_cache.rendered("indicator", pk, lambda: _indicator_parts(request, pk))
    context = {**parts, **cite_context(request, parts["report"])}
    return render(request, "catalogue/indicator_detail.html", context)


def _indicator_parts(request, pk: int) -> dict:
    try:
        indicator = permalinks.indicator_page(pk=pk)
    except Indicator.DoesNotExist:
        raise Http404(_("没有这个指标。")) from None
    before, span, after = permalinks.indicator_sentence(indicator=indicator)
    context = {
        "indicator": indicator,
        "sentence": {"before": before, "span": span or indicator.quote, "after": after},
    }
    main = render_to_string("catalogue/_indicator_main.html", context, request)
    title = f"{indicator.label} {indicator.figure}"
    return {"title": title, "main": main, "report": indicator.report}
