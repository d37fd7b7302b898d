"""A report's page and an initiative's page: the public rows under them, bounded in size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import JSONObject, Length, Substr

from ..models import Brand, Indicator, Initiative, Programme, Report, ReportText, Theme
from .base import indicator_public, initiative_public, programme_public, report_public
from .lists import initiative_list
from .permalinks import permalink_paths
from .prepared import Prepared
from .region_chain import attach_region

# Columns a row page never shows: search columns, and a report's near-duplicate hashes.
_UNSHOWN = ("search_tokens", "search_vector")
_REPORT_UNSHOWN = (*_UNSHOWN, "minhash", "minhash_bands", "summary")

# A report page shows at most this many programmes, initiatives and indicators each, and
# this much of the text: a machine-made page of thousands would weigh megabytes.
REPORT_ITEMS_SHOWN = 500
REPORT_TEXT_SHOWN = 100_000


def report_detail(*, pk: int) -> Report:
    """A public report with its region chain (raises Report.DoesNotExist)."""
    return report_public().select_related("region__parent__parent").get(pk=pk)


def report_with_text(*, pk: int) -> Report:
    """A public report with its region chain and its whole text (for the API's detail)."""
    return report_public().select_related("region__parent__parent", "content").get(pk=pk)


def _report_page_query(pk: int, text_shown: int) -> QuerySet[Report]:
    reprints = Report.objects.filter(duplicate_of=OuterRef("pk"))
    return (
        report_public()
        .defer(*_REPORT_UNSHOWN)
        .annotate(
            body_shown=Substr("content__body", 1, text_shown),
            body_total=Length("content__body"),
            has_reprints=Exists(reprints),
        )
        .filter(pk=pk)
    )


_REPORT_PAGE = Prepared(_report_page_query)


def report_page(*, pk: int) -> Report:
    """A public report for its page, in one query (its region chain from region_map): the first
    REPORT_TEXT_SHOWN characters of its body (`body_shown`) and the body's length
    (`body_total`), and whether reprints are grouped under it (`has_reprints`).
    Raises Report.DoesNotExist."""
    rows = _REPORT_PAGE.rows(pk, REPORT_TEXT_SHOWN)
    if not rows:
        raise Report.DoesNotExist(f"no public report {pk}")
    return attach_region(rows[0])


def _body_shown(report: Report) -> dict:
    """The first REPORT_TEXT_SHOWN characters of the body and its length: read by
    report_page already, else in one query."""
    if hasattr(report, "body_total"):
        return {"body": report.body_shown or "", "body_total": report.body_total or 0}
    row = (
        ReportText.objects.filter(pk=report.pk)
        .values_list(Substr("body", 1, REPORT_TEXT_SHOWN), Length("body"))
        .first()
    )
    body, total = row or ("", 0)
    return {"body": body, "body_total": total}


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
    other_sources: list[dict] = field(default_factory=list)  # of the reprints grouped under it


def _first_items(prepared: Prepared, report: Report, kind: str, truncated: dict) -> list:
    """The first REPORT_ITEMS_SHOWN rows in text order; a count query only when there are more."""
    rows = prepared.rows(report.pk, REPORT_ITEMS_SHOWN + 1)
    if len(rows) > REPORT_ITEMS_SHOWN:
        rows = rows[:REPORT_ITEMS_SHOWN]
        truncated[kind] = (len(rows), prepared.build(report.pk, None).count())
    return rows


# A report's first `limit` rows of each kind in text order (None: all of them). Not
# the lists' default order: that starts with the report's date, which would join the
# report table to sort rows that all belong to one report.
_PROGRAMMES = Prepared(
    lambda pk, limit: (
        programme_public().filter(report_id=pk).order_by("position").defer(*_UNSHOWN)[:limit]
    )
)
_INITIATIVES = Prepared(
    lambda pk, limit: (
        initiative_public().filter(report_id=pk).order_by("position").defer(*_UNSHOWN)[:limit]
    )
)
_INDICATORS = Prepared(
    lambda pk, limit: (
        indicator_public()
        .filter(report_id=pk)
        .order_by("position")
        .select_related("measure")
        .defer(*_UNSHOWN)[:limit]
    )
)


def report_contents(*, report: Report) -> ReportContents:
    """The public extractions of `report`, nested programme → initiative → indicator, each
    with its permalink path as `url` (3 queries; 2 more unless `report` is report_page's).

    Long machine-made reports are cut to the first REPORT_ITEMS_SHOWN items of each kind and
    REPORT_TEXT_SHOWN characters of text; `truncated` and `body_total` say what was left out.
    """
    truncated: dict[str, tuple[int, int]] = {}
    programmes = _first_items(_PROGRAMMES, report, "programmes", truncated)
    initiatives = _first_items(_INITIATIVES, report, "initiatives", truncated)
    indicators = _first_items(_INDICATORS, report, "indicators", truncated)
    _link(programmes, "programme_detail")
    _link(initiatives, "initiative_detail")
    _link(indicators, "indicator_detail")
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
        other_sources=_other_sources(report),
    )


def _link(rows: list, name: str) -> None:
    """Give each row its permalink path as `url`, reversing the URL once for all of them."""
    path = permalink_paths(name)
    for row in rows:
        row.url = path(row.pk)


def _other_sources(report: Report) -> list[dict]:
    """The reprints' sources and links; no query when report_page found none."""
    if getattr(report, "has_reprints", True):
        return report.other_sources
    return []


def initiative_detail(*, pk: int) -> Initiative:
    """A public initiative with its report, region chain, programme and themes."""
    return initiative_list().get(pk=pk)


def _initiative_page_query(pk: int) -> QuerySet[Initiative]:
    themes = Theme.objects.filter(initiatives=OuterRef("pk")).order_by("slug")
    brands = Brand.objects.filter(initiatives=OuterRef("pk")).order_by("name")
    report_unshown = [f"report__{name}" for name in _REPORT_UNSHOWN]
    return (
        initiative_public()
        .select_related("report", "programme")
        .defer(*_UNSHOWN, *report_unshown, "programme__search_tokens", "programme__search_vector")
        .annotate(
            theme_rows=ArraySubquery(
                themes.values(json=JSONObject(slug="slug", name="name", name_en="name_en"))
            ),
            brand_rows=ArraySubquery(brands.values(json=JSONObject(pk="id", name="name"))),
        )
        .filter(pk=pk)
    )


_INITIATIVE_PAGE = Prepared(_initiative_page_query)


def initiative_page(*, pk: int) -> Initiative:
    """A public initiative for its page, in one query: its report and programme (the region
    chain from region_map), and its themes and brands as lists of dicts (`theme_rows`: slug,
    name, name_en, by slug; `brand_rows`: pk, name and `url`, by name). Raises
    Initiative.DoesNotExist."""
    rows = _INITIATIVE_PAGE.rows(pk)
    if not rows:
        raise Initiative.DoesNotExist(f"no public initiative {pk}")
    initiative = rows[0]
    attach_region(initiative.report)
    brand_path = permalink_paths("brand_detail")
    for brand in initiative.brand_rows:
        brand["url"] = brand_path(brand["pk"])
    return initiative


_INITIATIVE_INDICATORS = Prepared(
    lambda pk: (
        indicator_public().filter(initiative_id=pk).select_related("measure").defer(*_UNSHOWN)
    )
)


def initiative_indicators(*, initiative: Initiative) -> list[Indicator]:
    """The public indicators of one initiative, with their measures and permalink paths (`url`)."""
    indicators = _INITIATIVE_INDICATORS.rows(initiative.pk)
    _link(indicators, "indicator_detail")
    return indicators
