"""The public list pages: reports, programmes, initiatives and indicators, with facets.

Facets and the page count of a reader's request read at most FACET_BOUND (the
paginator's cap) of the newest matching rows, so their cost follows that bound, not the
size of the catalogue; past it the page says "N+". The whole lists' facets are counted
exactly by ingest when it finishes (`refresh_list_facets`) and kept in the shared cache
under the catalogue version.
"""

from __future__ import annotations

from contextlib import nullcontext

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from .. import export, filters, page_cache, selectors
from ..facets import (
    DENSE,
    EVERY_ROW,
    FACET_BOUND,
    TOTAL,
    Facet,
    FacetSpec,
    Sample,
    bounded_count,
    build_facet,
    counted,
    time_limited,
)
from ..filters import PERIOD_KINDS
from ..models import Indicator, Initiative, Measure, Region
from ..selectors.list_rows import LIST_ROWS
from ..selectors.lists import indicator_list_page, initiative_list_page
from ..windows import walked

SAFE_METHODS = ["get", "head"]
# Parameters that leave a list unfiltered: its facets are the whole list's.
UNFILTERING = {"page", "o", "format"}


def count_facets(
    queryset,
    specs: list[FacetSpec],
    *,
    limit: bool = True,
    bound: int | None = FACET_BOUND,
    text: bool = False,
) -> dict:
    """Field -> Counter of values for each spec (None if its query timed out), and TOTAL rows
    (None likewise): over the newest `bound` + 1 rows (found in windows of ids when the
    rows are filtered by `text`), or every row when `bound` is None.

    Each query runs under the facet time limit unless `limit` is False.
    """
    sample = EVERY_ROW if bound is None else Sample.newest(queryset, bound, text=text)
    with time_limited() if limit else nullcontext(lambda compute: compute()) as run:
        return counted(queryset, specs, run, sample=sample)


def facet_cache_key(kind: str) -> str:
    """Where a list's unfiltered facet counts are cached: under the catalogue version."""
    return f"list-facets-v2:{kind}:{selectors.catalogue_version()}"


EXACT = "__exact__"  # cached counts cover every row (else the newest FACET_BOUND + 1)


def complete(counts: dict) -> bool:
    """Whether `counts` cover every row: none timed out, and no more rows than the bound."""
    return all(value is not None for value in counts.values()) and counts[TOTAL] <= FACET_BOUND


class CappedPaginator(Paginator):
    """A paginator that counts at most CAP rows, so a huge list costs a bounded count.

    Past the cap the page says "more than CAP" and asks for narrower filters. The whole
    list counts up to 10,000 (ingest counted it); a filtered list up to FACET_BOUND.
    """

    CAP = 10_000
    text = False  # whether the rows are filtered by text (counted in windows of ids)

    @cached_property
    def count(self) -> int:
        # The newest CAP + 1 rows tell whether there are more, without sorting them all.
        return min(bounded_count(self.object_list, self.CAP, text=self.text), self.CAP + 1)

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
        return page_cache.whole_page(request, lambda: self._page(request, *args, **kwargs))

    def _page(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.filters_valid:
            response.status_code = 400  # the page still shows the form with its errors
        # A facet dropped for time is not what the next reader should get.
        response.incomplete = any(facet.skipped for facet in getattr(self, "facets", []))
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

    @cached_property
    def text(self) -> bool:
        """Whether the rows are filtered by text (?q=)."""
        return bool(
            self.filters_valid and getattr(self.filterset.form, "cleaned_data", {}).get("q")
        )

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        paginator.CAP, paginator.text = FACET_BOUND, self.text
        self.facets = []
        specs = self.get_facet_specs() if self.filters_valid else []
        if not specs:
            return paginator
        counts = self.facet_counts(queryset, specs)
        self.dense = counts.pop(DENSE, False)
        if self.counted_exactly:  # the whole list, counted by ingest
            paginator.CAP = CappedPaginator.CAP
        if counts.get(TOTAL) is not None:  # no separate COUNT query
            paginator.count = min(counts[TOTAL], paginator.CAP + 1)
        # Past the bound a reader's counts cover only the newest rows: lower bounds.
        bound = None if self.counted_exactly or not paginator.capped else paginator.CAP
        if paginator.capped:
            self._count_to_requested_page(paginator, queryset)
        query = self.request.GET
        for spec in specs:
            counter = counts.get(spec.field)
            if counter is None:
                self.facets.append(Facet(spec.param, spec.title, [], skipped=True))
            else:
                self.facets.append(build_facet(spec, counter, query=query, bound=bound))
        return paginator

    def _count_to_requested_page(self, paginator: CappedPaginator, queryset) -> None:
        """A reader paging past the counted rows: count just far enough to show the page
        asked for and whether another follows (up to 10,000), so every page stays
        reachable by its "next" link; the cost follows the page, as its OFFSET does."""
        try:
            number = int(self.request.GET.get(self.page_kwarg) or 1)
        except ValueError:
            return  # "last" or junk: Django's paginator answers it
        needed = min((number + 1) * self.paginate_by, CappedPaginator.CAP)
        if needed > paginator.CAP:
            paginator.CAP = needed
            paginator.count = min(bounded_count(queryset, needed, text=self.text), needed + 1)

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        if getattr(self, "dense", False):
            # A text filter matching densely (more than the bound among the newest ids):
            # walking the page's order finds its rows within a few thousand, where the
            # text index would collect and sort every match. The planner, which guesses
            # two words' matches as independent, cannot tell; bitmap scans are the only
            # way it reads that index, so this one query goes without them.
            with walked():
                page.object_list = rows = list(page.object_list)
        return paginator, page, rows, is_paginated

    def facet_counts(self, queryset, specs: list[FacetSpec]) -> dict:
        """Field -> value counts (None where the query ran out of time), and the row total.

        A reader's request counts over the newest FACET_BOUND + 1 matching rows, under
        the facet time limit. The whole list's exact counts come from the cache, where
        ingest put them when it finished (`refresh_list_facets`); before that, the first
        reader's bounded counts are cached for the others under the same version.
        """
        self.counted_exactly = False
        if not self.unfiltered:
            return count_facets(queryset, specs, text=self.text)
        key = facet_cache_key(self.kind)
        counts = cache.get(key)
        if counts is None:
            counts = count_facets(queryset, specs)
            if all(value is not None for value in counts.values()):
                # The next reader reuses them, bounded or not, until the version moves.
                cache.set(key, counts | {EXACT: complete(counts)}, selectors.HOME_CACHE_SECONDS)
        self.counted_exactly = bool(counts.pop(EXACT, False))
        return counts

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        valid = self.filters_valid
        context.update(
            kind=self.kind,
            heading=self.heading,
            active=self.filterset.describe(),
            facets=self.facets if valid else [],
            rows=LIST_ROWS[self.kind](context["object_list"]),
            rows_template=f"catalogue/items/{self.kind}_rows.html",
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
        return initiative_list_page()

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
        return indicator_list_page()

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
    """Count every list's unfiltered facets exactly now, with no time limit and no bound,
    under the current version.

    Ingest calls this when it finishes, so the whole lists' exact facets (the costliest
    to count) are ready before a reader asks and are never dropped for being slow.
    """
    for view_class in LIST_VIEWS:
        view = view_class()
        counts = count_facets(view.get_queryset(), view.get_facet_specs(), limit=False, bound=None)
        counts[EXACT] = True
        cache.set(facet_cache_key(view.kind), counts, selectors.HOME_CACHE_SECONDS)
