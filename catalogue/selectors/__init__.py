"""Read-side queries for the public pages, each returning what its page needs in few queries.

Public pages never show hidden reports, rejected extractions or history: every
selector here starts from the `*_public()` querysets below.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Length, Substr

from .. import state
from ..models import Indicator, Initiative, Programme, Region, Report, ReportText, Theme

# Labels of indicators that describe a region rather than the work done in it.
PROFILE_LABEL = r"面积|人口|户籍|常住|民族成分|少数民族"
# The version changes with every write, so cached home figures only need to expire
# eventually (a day) to leave no garbage behind.
HOME_CACHE_SECONDS = 24 * 3600
HOME_REGIONS = 15


def report_public() -> QuerySet[Report]:
    """Reports the public site shows."""
    return Report.objects.published()


def programme_public() -> QuerySet[Programme]:
    """Programmes of public reports that staff did not reject."""
    return Programme.objects.public()


def initiative_public() -> QuerySet[Initiative]:
    """Initiatives of public reports that staff did not reject."""
    return Initiative.objects.public()


def indicator_public() -> QuerySet[Indicator]:
    """Indicators of public reports that staff did not reject."""
    return Indicator.objects.public()


def region_codes_below(region: Region) -> QuerySet[Region]:
    """The codes of `region` and every region below it, as a subquery."""
    return Region.objects.descendants_of(region, include_self=True).values("code")


# --- lists -----------------------------------------------------------------------------

_REPORT_REGION = "report__region__parent__parent"
# Columns a list row never shows: its search columns and its report's (a report's text
# and body live in ReportText, which lists never join).
_UNSHOWN = (
    "search_tokens",
    "search_vector",
    "report__search_tokens",
    "report__search_vector",
)


def report_list() -> QuerySet[Report]:
    """Public reports with their region chain, newest first; heavy text columns deferred."""
    return (
        report_public()
        .select_related("region__parent__parent")
        .defer("search_tokens", "search_vector", "summary")
    )


def programme_list() -> QuerySet[Programme]:
    """Public programmes with their report and its region chain."""
    return programme_public().select_related(_REPORT_REGION).defer(*_UNSHOWN)


def initiative_list() -> QuerySet[Initiative]:
    """Public initiatives with report, region chain, programme and themes."""
    return (
        initiative_public()
        .select_related(_REPORT_REGION, "programme")
        .prefetch_related("themes")
        .defer(*_UNSHOWN)
    )


def indicator_list() -> QuerySet[Indicator]:
    """Public indicators with report, region chain, initiative and measure."""
    return (
        indicator_public()
        .select_related(_REPORT_REGION, "initiative", "measure")
        .defer(
            *_UNSHOWN, "initiative__text", "initiative__search_tokens", "initiative__search_vector"
        )
    )


# --- home ------------------------------------------------------------------------------


def report_count() -> int:
    """How many public reports the catalogue holds."""
    return report_public().count()


def catalogue_version() -> str:
    """The catalogue's version (catalogue.state): one primary-key read, changed by every write."""
    return state.version()


def catalogue_counts() -> dict[str, int]:
    """How many public reports, programmes, initiatives and indicators there are (uncached)."""
    return {
        "reports": report_count(),
        "programmes": programme_public().count(),
        "initiatives": initiative_public().count(),
        "indicators": indicator_public().count(),
    }


def region_list_top(*, limit: int = 15) -> list[Region]:
    """The regions with most public reports of their own (uncached)."""
    return list(region_list_with_reports(limit=limit))


def home_summary() -> dict:
    """Counts, top regions and themes of the home page, cached under the catalogue version.

    Counting 500,000 extracted rows takes most of a second, so the figures live in the
    shared cache (settings.CACHES: files under the data dir, or Redis) under the version,
    which is read once per request; ingest refreshes them when it finishes
    (`refresh_home_summary`), so readers seldom compute them.
    """
    key = f"home-summary:{catalogue_version()}"
    summary = cache.get(key)
    if summary is None:
        summary = refresh_home_summary(key=key)
    return summary


def refresh_home_summary(*, key: str | None = None) -> dict:
    """Compute the home figures and store them under the current version; return them."""
    key = key or f"home-summary:{catalogue_version()}"
    summary = {
        "counts": catalogue_counts(),
        "regions": region_list_top(limit=HOME_REGIONS),
        "themes": theme_list_with_counts(),
    }
    cache.set(key, summary, HOME_CACHE_SECONDS)
    return summary


def region_list_with_reports(*, limit: int | None = None) -> QuerySet[Region]:
    """Regions that have public reports of their own, most first, with parents loaded."""
    regions = (
        Region.objects.annotate(report_count=Count("reports", filter=Q(reports__hidden=False)))
        .filter(report_count__gt=0)
        .select_related("parent__parent")
        .order_by("-report_count", "code")
    )
    return regions[:limit] if limit else regions


def report_list_latest(*, limit: int = 10) -> QuerySet[Report]:
    """The most recently published public reports."""
    return report_list()[:limit]


def theme_list_with_counts() -> list[Theme]:
    """Themes with how many public initiatives carry each (uncached: home_summary caches)."""
    public = (
        initiative_public()
        .filter(themes=OuterRef("pk"))
        .order_by()
        .values("themes")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Theme.objects.annotate(initiative_count=Coalesce(Subquery(public), 0)).order_by(
            "-initiative_count", "slug"
        )
    )


# --- region tree -----------------------------------------------------------------------


@dataclass
class TreeNode:
    """A region in the division tree with its public report count, descendants included."""

    code: str
    name: str
    level: str
    own: int = 0
    total: int = 0
    children: list[TreeNode] = field(default_factory=list)
    name_en: str = ""


def region_tree() -> list[TreeNode]:
    """Provinces → prefectures → counties with report counts including descendants (2 queries)."""
    own = dict(
        report_public()
        .filter(region__isnull=False)
        .values_list("region_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    nodes: dict[str, TreeNode] = {}
    children: dict[str | None, list[TreeNode]] = defaultdict(list)
    for code, name, level, parent_id, name_en in Region.objects.order_by("code").values_list(
        "code", "name", "level", "parent_id", "name_en"
    ):
        node = TreeNode(code, name, level, own.get(code, 0), name_en=name_en)
        nodes[code] = node
        children[parent_id].append(node)
    for code, node in nodes.items():
        node.children = children.get(code, [])

    def total(node: TreeNode) -> int:
        node.total = node.own + sum(total(child) for child in node.children)
        return node.total

    roots = children[None]
    for root in roots:
        total(root)
    return roots


# --- region page -----------------------------------------------------------------------


@dataclass
class RegionPage:
    """What a region's page shows: its own and its descendants' extractions."""

    region: Region
    ancestors: list[Region]
    report_count: int
    reports: list[Report]
    programmes: list[Programme]
    initiatives: list[Initiative]
    indicators: list[Indicator]
    profile: list[Indicator]
    children: list[TreeNode]


def region_page(*, region: Region, limit: int = 10) -> RegionPage:
    """A region's reports, and the programmes, initiatives and indicators of its latest reports.

    Extractions come from the `limit` latest reports of the region and the regions below
    it, so a province with thousands of reports costs what a county does; the full lists
    are one link away.
    """
    below = list(
        Region.objects.descendants_of(region, include_self=True).values_list(
            "code", "name", "level", "parent_id", "name_en"
        )
    )
    codes = [code for code, *_ in below]
    own = dict(
        report_public()
        .filter(region_id__in=codes)
        .values_list("region_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    reports = list(report_list().filter(region_id__in=codes)[:limit])
    latest = [r.pk for r in reports]
    by_latest = {"report_id__in": latest}
    return RegionPage(
        region=region,
        ancestors=region.ancestors(),
        report_count=sum(own.values()),
        reports=reports,
        programmes=list(
            programme_list().filter(**by_latest).order_by("-report__published")[:limit]
        ),
        initiatives=list(
            initiative_list().filter(**by_latest).order_by("-report__published")[:limit]
        ),
        indicators=list(
            indicator_list().filter(**by_latest).order_by("-report__published")[:limit]
        ),
        profile=list(
            indicator_list()
            .filter(report__region=region, label__regex=PROFILE_LABEL)
            .order_by("label", "-report__published")[:limit]
        ),
        children=_children(region, below, own),
    )


def _children(region: Region, below: list[tuple], own: dict[str, int]) -> list[TreeNode]:
    """The regions directly under `region`, each counting the reports of its own subtree."""
    nodes = {
        code: TreeNode(code, name, level, own.get(code, 0), name_en=name_en)
        for code, name, level, _, name_en in below
    }
    for code, _name, _level, parent, _name_en in below:
        if parent in nodes and code != region.code:
            nodes[parent].children.append(nodes[code])

    def total(node: TreeNode) -> int:
        node.total = node.own + sum(total(child) for child in node.children)
        return node.total

    total(nodes[region.code])
    return nodes[region.code].children


# --- report and initiative pages -------------------------------------------------------


def report_detail(*, pk: int) -> Report:
    """A public report with its region chain (raises Report.DoesNotExist)."""
    return report_public().select_related("region__parent__parent").get(pk=pk)


def report_with_text(*, pk: int) -> Report:
    """A public report with its region chain and its whole text (for the API's detail)."""
    return report_public().select_related("region__parent__parent", "content").get(pk=pk)


# A report page shows at most this many programmes, initiatives and indicators each, and
# this much of the text: a machine-made page of thousands would weigh megabytes.
REPORT_ITEMS_SHOWN = 500
REPORT_TEXT_SHOWN = 100_000


@dataclass
class ReportContents:
    """A report's programmes (each with initiatives and indicators) and what stands outside them."""

    programmes: list[Programme]
    loose_initiatives: list[Initiative]
    loose_indicators: list[Indicator]
    all_items: list[Programme | Initiative | Indicator]
    body: str = ""  # the text shown: the whole body, or its first REPORT_TEXT_SHOWN characters
    body_total: int = 0  # characters in the whole body
    # kind -> (shown, total) for each kind of item cut to REPORT_ITEMS_SHOWN on the page
    truncated: dict[str, tuple[int, int]] = field(default_factory=dict)


def _first_items(queryset, kind: str, truncated: dict[str, tuple[int, int]]) -> list:
    """The first REPORT_ITEMS_SHOWN rows in text order; a count query only when there are more."""
    rows = list(queryset[: REPORT_ITEMS_SHOWN + 1])
    if len(rows) > REPORT_ITEMS_SHOWN:
        rows = rows[:REPORT_ITEMS_SHOWN]
        truncated[kind] = (len(rows), queryset.count())
    return rows


def _body_shown(report: Report) -> dict:
    """The first REPORT_TEXT_SHOWN characters of the body and its length, in one query."""
    row = (
        ReportText.objects.filter(pk=report.pk)
        .values_list(Substr("body", 1, REPORT_TEXT_SHOWN), Length("body"))
        .first()
    )
    body, total = row or ("", 0)
    return {"body": body, "body_total": total}


def report_contents(*, report: Report) -> ReportContents:
    """The public extractions of `report`, nested programme → initiative → indicator (3 queries).

    Long machine-made reports are cut to the first REPORT_ITEMS_SHOWN items of each kind and
    REPORT_TEXT_SHOWN characters of text; `truncated` and `body_total` say what was left out.
    """
    truncated: dict[str, tuple[int, int]] = {}
    programmes = _first_items(
        programme_public().filter(report=report).defer("search_tokens", "search_vector"),
        "programmes",
        truncated,
    )
    initiatives = _first_items(
        initiative_public()
        .filter(report=report)
        .defer("search_tokens", "search_vector")
        .prefetch_related("themes"),
        "initiatives",
        truncated,
    )
    indicators = _first_items(
        indicator_public()
        .filter(report=report)
        .select_related("measure")
        .defer("search_tokens", "search_vector"),
        "indicators",
        truncated,
    )
    by_programme: dict[int | None, list] = defaultdict(list)
    by_initiative: dict[int | None, list] = defaultdict(list)
    for indicator in indicators:
        by_initiative[indicator.initiative_id].append(indicator)
    for initiative in initiatives:
        initiative.public_indicators = by_initiative.get(initiative.pk, [])
        by_programme[initiative.programme_id].append(initiative)
    loose_indicators = []
    direct: dict[int, list] = defaultdict(list)
    for indicator in by_initiative.get(None, []):
        if indicator.programme_id:
            direct[indicator.programme_id].append(indicator)
        else:
            loose_indicators.append(indicator)
    for programme in programmes:
        programme.public_initiatives = by_programme.get(programme.pk, [])
        programme.public_indicators = direct.get(programme.pk, [])
    return ReportContents(
        programmes=programmes,
        loose_initiatives=by_programme.get(None, []),
        loose_indicators=loose_indicators,
        all_items=[*programmes, *initiatives, *indicators],
        **_body_shown(report),
        truncated=truncated,
    )


def initiative_detail(*, pk: int) -> Initiative:
    """A public initiative with its report, region chain, programme and themes."""
    return initiative_list().get(pk=pk)


def initiative_indicators(*, initiative: Initiative) -> list[Indicator]:
    """The public indicators of one initiative, with their measures."""
    return list(
        indicator_public()
        .filter(initiative=initiative)
        .select_related("measure")
        .defer("search_tokens", "search_vector")
    )
