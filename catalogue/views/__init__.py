"""Public pages: read-only (GET and HEAD only), never showing hidden reports or rejected rows."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import filters, page_cache, search, selectors
from ..models import Initiative, Region, Report
from ..selectors.reports import initiative_page, report_page
from ..selectors.timelines import region_aggregates, region_timelines
from .lists import (  # the list pages, imported from here by urls.py and ingest
    LIST_VIEWS,
    IndicatorListView,
    InitiativeListView,
    ProgrammeListView,
    ReportListView,
    refresh_list_facets,
)
from .permalinks import cite_context

__all__ = [
    "LIST_VIEWS",
    "IndicatorListView",
    "InitiativeListView",
    "ProgrammeListView",
    "ReportListView",
    "refresh_list_facets",
]


@require_safe
def home(request):
    """What the catalogue holds: counts, latest reports, regions with most reports, themes."""
    context = {**selectors.home_summary(), "latest": selectors.report_list_latest()}
    context["report_count"] = context["counts"]["reports"]
    return render(request, "catalogue/home.html", context)


@require_safe
def region_detail(request, code: str):
    """A region: ancestors, children, and the extractions of it and the regions below it."""
    if not filters.REGION_CODE.fullmatch(code):
        raise Http404(_("没有这个行政区划代码。"))
    region = get_object_or_404(Region.objects.select_related("parent__parent"), code=code)
    context = {
        "page": selectors.region_page(region=region),
        "timelines": region_timelines(region=region),
        "aggregates": [] if region.level == "county" else region_aggregates(region=region),
    }
    return render(request, "catalogue/region_detail.html", context)


@require_safe
def report_detail(request, pk: int):
    """A report: metadata, programmes → initiatives → indicators, and the highlighted text."""
    parts = page_cache.rendered("report", pk, lambda: _report_parts(request, pk))
    return render(request, "catalogue/report_detail.html", parts)


def _report_parts(request, pk: int) -> dict:
    try:
        report = report_page(pk=pk)
    except Report.DoesNotExist:
        raise Http404(_("没有这篇报告。")) from None
    contents = selectors.report_contents(report=report)
    context = {"report": report, "contents": contents}
    return {
        "title": report.title,
        "main": render_to_string("catalogue/_report_main.html", context, request),
    }


@require_safe
def initiative_detail(request, pk: int):
    """An initiative with its report, programme, themes and indicators."""
    parts = page_cache.rendered("initiative", pk, lambda: _initiative_parts(request, pk))
    return render(
        request,
        "catalogue/initiative_detail.html",
        {**parts, **cite_context(request, parts["report"])},
    )


def _initiative_parts(request, pk: int) -> dict:
    try:
        initiative = initiative_page(pk=pk)
    except Initiative.DoesNotExist:
        raise Http404(_("没有这项举措。")) from None
    indicators = selectors.initiative_indicators(initiative=initiative)
    context = {"initiative": initiative, "indicators": indicators}
    return {
        "title": initiative.title,
        "main": render_to_string("catalogue/_initiative_main.html", context, request),
        "report": initiative.report,  # what the citation names; the page's URL is the reader's
    }


@require_safe
def search_view(request):
    """Chinese full-text search across reports, programmes, initiatives and indicators
    (a page kept whole under the catalogue version, as the lists are)."""
    return page_cache.whole_page(request, lambda: _search_page(request))


def _search_page(request):
    form = filters.SearchForm(request.GET)
    if not form.is_valid():
        context = {"q": "", "results": None, "errors": form.errors.get("q", [])}
        return render(request, "catalogue/search.html", context, status=400)
    q = form.cleaned_data["q"]
    results = search.search(q) if q else None
    return render(request, "catalogue/search.html", {"q": q, "results": results})
