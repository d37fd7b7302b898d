"""Public pages: read-only (GET and HEAD only), never showing hidden reports or rejected rows."""

from __future__ import annotations

from contextlib import nullcontext

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_filters.views import FilterView

from .. import export, filters, page_cache, search, selectors
from ..facets import Facet, FacetSpec, build_facet, grouped_counts, through_counts, time_limited
from ..filters import PERIOD_KINDS
from ..models import Indicator, Initiative, Measure, Region, Report
from ..selectors.timelines import region_aggregates, region_timelines
from .permalinks import cite_context

SAFE_METHODS = ["get", "head"]
# Parameters that leave a list unfiltered: its facets are the whole list's.
UNFILTERING = {"page", "o", "format"}
TOTAL = "__total__"


def count_facets(queryset, specs: list[FacetSpec], *, limit: bool = True) -> dict:
    """Field -> Counter of values for each spec (None if its query timed out), and TOTAL rows.

    Single-valued fields share one GROUP BY; each many-to-many field has its own query.
    Each query runs under the facet time limit unless `limit` is False.
    """
    with time_limited() if limit else nullcontext(lambda compute: compute()) as run:
        single = [spec.field for spec in specs if not spec.many]
        counts: dict = {}
        if single:
            grouped = run(lambda: grouped_counts(queryset, single))
            counters, total = grouped if grouped is not None else ([None] * len(single), None)
            counts |= dict(zip(single, counters, strict=True)) | {TOTAL: total}
        for spec in specs:
            if spec.many:
                counts[spec.field] = run(lambda field=spec.field: through_counts(queryset, field))
    return counts


def facet_cache_key(kind: str) -> str:
    """Where a list's unfiltered facet counts are cached: under the catalogue version."""
    return f"list-facets:{kind}:{selectors.catalogue_version()}"


class CappedPaginator(Paginator):
    """A paginator that counts at most CAP rows, so a huge unfiltered list costs a bounded count.

    Past the cap the page says "more than CAP" and asks for narrower filters.
    """

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        return min(self.object_list[: self.CAP + 1].count(), self.CAP + 1)

    @property
    def capped(self) -> bool:
        """Whether there are more rows than were counted."""
        return self.count > self.CAP


class CatalogueListView(FilterView):
    """A filterable, sortable, paginated list that also answers ?format=csv and ?format=json."""

    http_method_names = SAFE_METHODS
    paginate_by = 50
    paginator_class = CappedPaginator
    template_name = "catalogue/list.html"
    kind = ""
    heading = ""

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt in export.FORMATS:
            filterset = self.get_filterset(self.get_filterset_class())
            if not filterset.is_valid():
                return HttpResponseBadRequest(filterset.errors.as_text())
            return export.export_response(filterset.qs, self.kind, fmt, filename=f"{self.kind}s")
        response = super().get(request, *args, **kwargs)
        if not self.filters_valid:
            response.status_code = 400  # the page still shows the form with its errors
        return response

    def get_facet_specs(self) -> list[FacetSpec]:
        """The list's facets: single-valued fields are counted together with the page count."""
        return []

    @property
    def filters_valid(self) -> bool:
        return not self.filterset.is_bound or self.filterset.form.is_valid()

    @property
    def unfiltered(self) -> bool:
        """Whether the rows are the whole list (sorting and paging do not change facets)."""
        return not any(value for name, value in self.request.GET.items() if name not in UNFILTERING)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        self.facets = []
        specs = self.get_facet_specs() if self.filters_valid else []
        if not specs:
            return paginator
        counts = self.facet_counts(queryset, specs)
        query = self.request.GET
        for spec in specs:
            counter = counts.get(spec.field)
            if counter is None:
                self.facets.append(Facet(spec.param, spec.title, [], skipped=True))
            else:
                self.facets.append(build_facet(spec, counter, query=query))
        if counts.get(TOTAL) is not None:  # no separate COUNT query
            paginator.count = min(counts[TOTAL], paginator.CAP + 1)
        return paginator

    def facet_counts(self, queryset, specs: list[FacetSpec]) -> dict:
        """Field -> value counts (None where the query ran out of time), and the row total.

        Single-valued fields share one GROUP BY, each many-to-many field has its own
        query, each under the facet time limit. The whole list's counts are cached under
        the catalogue version (and refreshed after ingest), so the unfiltered page,
        the costliest to count, is counted once per change of the catalogue.
        """
        if not self.unfiltered:
            return count_facets(queryset, specs)
        key = facet_cache_key(self.kind)
        counts = cache.get(key)
        if counts is None:
            counts = count_facets(queryset, specs)
            if all(value is not None for value in counts.values()):
                cache.set(key, counts, selectors.HOME_CACHE_SECONDS)
        return counts

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        valid = self.filters_valid
        context.update(
            kind=self.kind,
            heading=self.heading,
            active=self.filterset.describe(),
            facets=self.facets if valid else [],
            item_template=f"catalogue/items/{self.kind}.html",
        )
        return context


def _level_spec(path: str) -> FacetSpec:
    return FacetSpec(f"{path}__level", "level", _("行政级别"), dict(Region.Level.choices))


class ReportListView(CatalogueListView):
    """All public reports."""

    filterset_class = filters.ReportFilter
    kind = "report"

    @property
    def heading(self):
        return _("报告")

    def get_queryset(self):
        return selectors.report_list()

    def get_facet_specs(self):
        return [_level_spec("region")]


class ProgrammeListView(CatalogueListView):
    """All public programmes."""

    filterset_class = filters.ProgrammeFilter
    kind = "programme"

    @property
    def heading(self):
        return _("工作项目")

    def get_queryset(self):
        return selectors.programme_list()

    def get_facet_specs(self):
        return [_level_spec("report__region")]


class InitiativeListView(CatalogueListView):
    """All public initiatives."""

    filterset_class = filters.InitiativeFilter
    kind = "initiative"

    @property
    def heading(self):
        return _("举措")

    def get_queryset(self):
        return selectors.initiative_list()

    def get_facet_specs(self):
        kinds = dict(Initiative._meta.get_field("kind").choices)
        return [
            FacetSpec("themes", "theme", _("主题"), many=True),
            FacetSpec("kind", "kind", _("性质"), kinds),
            _level_spec("report__region"),
        ]


class IndicatorListView(CatalogueListView):
    """All public indicators."""

    filterset_class = filters.IndicatorFilter
    kind = "indicator"

    @property
    def heading(self):
        return _("指标")

    def get_queryset(self):
        return selectors.indicator_list()

    @cached_property
    def measures(self) -> list[tuple[int, str, str]]:
        return list(Measure.objects.values_list("pk", "slug", "name"))

    def get_facet_specs(self):
        return [
            FacetSpec("unit", "unit", _("单位")),
            FacetSpec("qualifier", "qualifier", _("限定"), dict(Indicator.Qualifier.choices)),
            FacetSpec(
                "measure_id",
                "measure",
                _("度量"),
                labels={pk: name for pk, _slug, name in self.measures},
                params={pk: slug for pk, slug, _name in self.measures},
            ),
            FacetSpec("period_kind", "period_kind", _("时期类型"), dict(PERIOD_KINDS)),
            _level_spec("report__region"),
        ]


LIST_VIEWS = (ReportListView, ProgrammeListView, InitiativeListView, IndicatorListView)


def refresh_list_facets() -> None:
    """Count every list's unfiltered facets now, with no time limit, under the current version.

    Ingest calls this when it finishes, so the whole lists' facets (the costliest to
    count) are ready before a reader asks and are never dropped for being slow.
    """
    for view_class in LIST_VIEWS:
        view = view_class()
        counts = count_facets(view.get_queryset(), view.get_facet_specs(), limit=False)
        cache.set(facet_cache_key(view.kind), counts, selectors.HOME_CACHE_SECONDS)


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
        report = selectors.report_detail(pk=pk)
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
        initiative = selectors.initiative_detail(pk=pk)
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
    """Chinese full-text search across reports, programmes, initiatives and indicators."""
    form = filters.SearchForm(request.GET)
    if not form.is_valid():
        context = {"q": "", "results": None, "errors": form.errors.get("q", [])}
        return render(request, "catalogue/search.html", context, status=400)
    q = form.cleaned_data["q"]
    results = search.search(q) if q else None
    return render(request, "catalogue/search.html", {"q": q, "results": results})
