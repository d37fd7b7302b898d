"""Read-side queries for the permalink pages and the API's detail views.

Every query starts from the public querysets of `catalogue.selectors`, so a row the
lists hide (hidden report, rejected row) has no permalink and no API detail either.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Greatest, Substr
from django.urls import reverse

from ..models import Indicator, Initiative, Measure, Programme, ReportText
from . import indicator_list, initiative_list, programme_list
from .base import indicator_public, initiative_public, programme_public
from .region_chain import attach_region

# Columns a permalink page never shows: search columns, and its report's hashes and summary.
_UNSHOWN = ("search_tokens", "search_vector")
_REPORT_UNSHOWN = tuple(
    f"report__{name}" for name in (*_UNSHOWN, "minhash", "minhash_bands", "summary")
)


def programme_detail(*, pk: int) -> Programme:
    """A public programme with its report and region chain (raises Programme.DoesNotExist)."""
    return programme_list().get(pk=pk)


def programme_page(*, pk: int) -> Programme:
    """A public programme for its page: its report in one query, the region chain from
    region_map (raises Programme.DoesNotExist)."""
    programme = (
        programme_public().select_related("report").defer(*_UNSHOWN, *_REPORT_UNSHOWN).get(pk=pk)
    )
    attach_region(programme.report)
    return programme


def programme_initiatives(*, programme: Programme) -> list[Initiative]:
    """The public initiatives of one programme, in report order, with themes."""
    return list(initiative_list().filter(programme=programme).order_by("position"))


def programme_initiative_links(*, programme: Programme) -> list[Initiative]:
    """The public initiatives of one programme, in report order, with only what its page
    links by (pk and title): no themes, report or region."""
    return list(
        initiative_public().filter(programme=programme).order_by("position").only("pk", "title")
    )


def programme_indicator_rows(*, programme: Programme) -> list[Indicator]:
    """The public indicators of one programme, in report order, with what its page shows
    (label, value, unit, measure name): no report, region or initiative joined."""
    return list(
        indicator_public()
        .filter(programme=programme)
        .select_related("measure")
        .order_by("position")
        .only("pk", "label", "value", "unit", "measure__name")
    )


def programme_indicators(*, programme: Programme) -> list[Indicator]:
    """The public indicators of one programme, in report order, with their measures."""
    return list(
        indicator_list().filter(programme=programme).select_related("measure").order_by("position")
    )


def indicator_detail(*, pk: int) -> Indicator:
    """A public indicator with report, region chain, programme, initiative and measure."""
    return indicator_list().select_related("programme", "measure").get(pk=pk)


def indicator_page(*, pk: int) -> Indicator:
    """A public indicator for its page, in one query: as indicator_detail, with the part of
    its report's body that its sentence can reach (`window`, from `window_start`), not the
    whole text of a long report; the region chain from region_map. Raises
    Indicator.DoesNotExist."""
    first = Greatest(F("start") - SENTENCE_CONTEXT, Value(0))
    length = Greatest(F("end") + SENTENCE_CONTEXT - first, Value(0))
    indicator = (
        indicator_public()
        .select_related("report", "initiative", "programme", "measure")
        .defer(
            *_UNSHOWN,
            *_REPORT_UNSHOWN,
            *(f"{row}__{name}" for row in ("initiative", "programme") for name in _UNSHOWN),
            "initiative__text",
        )
        .annotate(window_start=first, window=Substr("report__content__body", first + 1, length))
        .get(pk=pk)
    )
    attach_region(indicator.report)
    return indicator


def indicator_with_measures() -> QuerySet[Indicator]:
    """The public indicator list with each row's measure loaded."""
    return indicator_list().select_related("measure")


def initiative_with_brands() -> QuerySet[Initiative]:
    """The public initiative list with each row's brands loaded."""
    return initiative_list().prefetch_related("brands")


def measure_list() -> QuerySet[Measure]:
    """Every measure of the taxonomy, by kind."""
    return Measure.objects.all()


def permalink_paths(name: str) -> Callable[[int], str]:
    """pk -> the path of page `catalogue:<name>` (a `<int:pk>/` route) in the active language,
    reversed once for a whole page's rows instead of once per row."""
    head, _, tail = reverse(f"catalogue:{name}", args=[0]).rpartition("/0/")
    return lambda pk: f"{head}/{pk}/{tail}"


SENTENCE_CONTEXT = 400  # characters of context a figure's sentence may reach either side


def sentence_around(
    text: str, start: int, end: int, *, limit: int = SENTENCE_CONTEXT
) -> tuple[str, str, str]:
    """The sentence holding text[start:end], split as (before, span, after), at most `limit`
    characters of context either side."""
    stops = "。!?!?;;\n"
    left = max((text.rfind(mark, 0, start) for mark in stops), default=-1) + 1
    left = max(left, start - limit)
    rights = [i for i in (text.find(mark, end) for mark in stops) if i >= 0]
    right = min(min(rights) + 1 if rights else len(text), end + limit)
    return text[left:start], text[start:end], text[end:right].rstrip("\n")


def citation_gbt7714(*, report, url: str, accessed: date) -> str:
    """A GB/T 7714-2015 reference to `report` as an online item at `url` (the permalink):
    author (first source, else the region), title, [EB/OL], (published)[accessed], URL."""
    author = (report.sources[0] if report.sources else "") or (
        report.region.name if report.region else "佚名"
    )
    published = f"({report.published.isoformat()})" if report.published else ""
    return f"{author}. {report.title}[EB/OL]. {published}[{accessed.isoformat()}]. {url}."


def indicator_sentence(*, indicator: Indicator) -> tuple[str, str, str]:
    """The sentence around a figure, as sentence_around splits it, reading only the part of
    its report's body that sentence can reach (not the whole text of a long report); no
    query for an indicator from indicator_page, which read that part already."""
    if hasattr(indicator, "window_start"):
        start, end = (
            indicator.start - indicator.window_start,
            indicator.end - indicator.window_start,
        )
        return sentence_around(indicator.window or "", start, end, limit=SENTENCE_CONTEXT)
    first = max(indicator.start - SENTENCE_CONTEXT, 0)
    length = max(indicator.end + SENTENCE_CONTEXT - first, 0)
    window = (
        ReportText.objects.filter(pk=indicator.report_id)
        .values_list(Substr("body", first + 1, length), flat=True)
        .first()
    )
    start, end = indicator.start - first, indicator.end - first
    return sentence_around(window or "", start, end, limit=SENTENCE_CONTEXT)
