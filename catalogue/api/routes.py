"""The endpoints of /api/v1/: read-only, public rows only (the selectors' public querysets)."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router
from ninja.pagination import paginate

from .. import search, selectors
from ..models import Region
from ..selectors import permalinks
from . import filters, schemas
from .params import CappedPagination, filtered, query_schema

router = Router()

ReportQuery = query_schema(filters.ReportFilter)
ProgrammeQuery = query_schema(filters.ProgrammeFilter)
InitiativeQuery = query_schema(filters.InitiativeFilter)
IndicatorQuery = query_schema(filters.IndicatorApiFilter)
KINDS = ("report", "programme", "initiative", "indicator")
MISSING = {404: schemas.NotFound}
INVALID = {400: schemas.FilterErrors}


def _public(query, pk: int, what: str):
    """The public row `pk` of `query`, or a 404 that says which kind was missing."""
    try:
        return query(pk=pk)
    except ObjectDoesNotExist:
        raise Http404(f"no public {what} {pk}") from None


@router.get("/regions/", response=list[schemas.RegionNode], tags=["regions"])
def region_tree(request: HttpRequest):
    """The division tree, provinces first, with public report counts (descendants included)."""
    return selectors.region_tree()


@router.get(
    "/regions/{code}/", response={200: schemas.RegionDetailOut, **MISSING}, tags=["regions"]
)
def region_detail(request: HttpRequest, code: str):
    """A region: its ancestors, the regions directly below it and its latest public reports."""
    region = get_object_or_404(Region.objects.select_related("parent__parent"), code=code)
    page = selectors.region_page(region=region)
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "ancestors": page.ancestors,
        "reports": page.report_count,
        "children": page.children,
        "latest_reports": page.reports,
    }


@router.get("/reports/", response={200: list[schemas.ReportOut], **INVALID}, tags=["reports"])
@paginate(CappedPagination)
def report_list(request: HttpRequest, filters_: Query[ReportQuery]):
    """Public reports, newest first, with the report list's filters."""
    return filtered(request, filters.ReportFilter, selectors.report_list())


@router.get("/reports/{pk}/", response={200: schemas.ReportDetailOut, **MISSING}, tags=["reports"])
def report_detail(request: HttpRequest, pk: int):
    """A public report with its body and its public programmes, initiatives and indicators."""
    report = _public(selectors.report_with_text, pk, "report")
    in_report = {"report": report}
    return _Detail(
        report,
        programmes=list(selectors.programme_list().filter(**in_report)),
        initiatives=list(permalinks.initiative_with_brands().filter(**in_report)),
        indicators=list(permalinks.indicator_with_measures().filter(**in_report)),
    )


@router.get(
    "/programmes/", response={200: list[schemas.ProgrammeOut], **INVALID}, tags=["programmes"]
)
@paginate(CappedPagination)
def programme_list(request: HttpRequest, filters_: Query[ProgrammeQuery]):
    """Public programmes with the programme list's filters."""
    return filtered(request, filters.ProgrammeFilter, selectors.programme_list())


@router.get(
    "/programmes/{pk}/",
    response={200: schemas.ProgrammeDetailOut, **MISSING},
    tags=["programmes"],
)
def programme_detail(request: HttpRequest, pk: int):
    """A public programme with its public initiatives and indicators."""
    programme = _public(permalinks.programme_detail, pk, "programme")
    initiatives = permalinks.programme_initiatives(programme=programme)
    prefetch_related_objects(initiatives, "brands")
    return _Detail(
        programme,
        initiatives=initiatives,
        indicators=permalinks.programme_indicators(programme=programme),
    )


@router.get(
    "/initiatives/", response={200: list[schemas.InitiativeOut], **INVALID}, tags=["initiatives"]
)
@paginate(CappedPagination)
def initiative_list(request: HttpRequest, filters_: Query[InitiativeQuery]):
    """Public initiatives with the initiative list's filters."""
    return filtered(request, filters.InitiativeFilter, permalinks.initiative_with_brands())


@router.get(
    "/initiatives/{pk}/",
    response={200: schemas.InitiativeDetailOut, **MISSING},
    tags=["initiatives"],
)
def initiative_detail(request: HttpRequest, pk: int):
    """A public initiative with its public indicators."""
    initiative = _public(selectors.initiative_detail, pk, "initiative")
    prefetch_related_objects([initiative], "brands")
    indicators = permalinks.indicator_with_measures().filter(initiative=initiative)
    return _Detail(initiative, indicators=list(indicators))


@router.get(
    "/indicators/", response={200: list[schemas.IndicatorOut], **INVALID}, tags=["indicators"]
)
@paginate(CappedPagination)
def indicator_list(request: HttpRequest, filters_: Query[IndicatorQuery]):
    """Public indicators with the indicator list's filters, and measure and period kind."""
    return filtered(request, filters.IndicatorApiFilter, permalinks.indicator_with_measures())


@router.get(
    "/indicators/{pk}/", response={200: schemas.IndicatorOut, **MISSING}, tags=["indicators"]
)
def indicator_detail(request: HttpRequest, pk: int):
    """A public indicator with its measure, period and report."""
    return _public(permalinks.indicator_detail, pk, "indicator")


@router.get("/measures/", response=list[schemas.MeasureOut], tags=["measures"])
def measure_list(request: HttpRequest):
    """Every measure; filter indicators by one with /indicators/?measure=<slug>."""
    return permalinks.measure_list()


@router.get("/measures/{slug}/", response={200: schemas.MeasureOut, **MISSING}, tags=["measures"])
def measure_detail(request: HttpRequest, slug: str):
    """One measure by its slug."""
    return get_object_or_404(permalinks.measure_list(), slug=slug)


@router.get("/search/", response=schemas.SearchOut, tags=["search"])
def search_all(request: HttpRequest, q: str = Query(..., min_length=1, max_length=100)):
    """Full-text search over public reports, programmes, initiatives and indicators."""
    if not q.strip():  # blank: nothing to match, rather than the latest rows of each kind
        return {"q": "", "short": True, **{f"{kind}s": [] for kind in KINDS}}
    results = search.search(q.strip())
    return {
        "q": results.q,
        "short": results.short,
        **{f"{s.kind}s": [_hit(s.kind, hit) for hit in s.hits] for s in results.sections},
        "counts": {s.kind: min(s.count, s.bound + 1) for s in results.sections},
        "count_bound": max((s.bound for s in results.sections), default=0),
    }


class _Detail:
    """A row with the nested lists of its detail, which shadow its related managers."""

    def __init__(self, row, **nested):
        self._row = row
        self.__dict__.update(nested)

    def __getattr__(self, name: str):
        return getattr(self._row, name)


def _hit(kind: str, hit: search.Hit) -> dict:
    obj = hit.obj
    title = obj.label if kind == "indicator" else obj.title
    return {
        "id": obj.pk,
        "title": title,
        "snippet_html": str(hit.snippet),
        "html_url": reverse(f"catalogue:{kind}_detail", args=[obj.pk]),
    }
