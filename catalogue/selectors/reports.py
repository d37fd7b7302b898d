"""A report's page and an initiative's page: the public rows under them, bounded in size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models.functions import Length, Substr

from ..models import Indicator, Initiative, Programme, Report, ReportText
from .base import indicator_public, initiative_public, programme_public, report_public
from .lists import initiative_list


def report_detail(*, pk: int) -> Report:
    """A public report with its region chain (raises Report.DoesNotExist)."""
    return report_public().select_related("region__parent__parent").get(pk=pk)


def report_with_text(*, pk: int) -> Report:
    """A public report with its region chain and its whole text (for the API's detail)."""
    return report_public().select_related("region__parent__parent", "content").get(pk=pk)


def _body_shown(report: Report) -> dict:
    """The first REPORT_TEXT_SHOWN characters of the body and its length, in one query."""
    row = (
        ReportText.objects.filter(pk=report.pk)
        .values_list(Substr("body", 1, REPORT_TEXT_SHOWN), Length("body"))
        .first()
    )
    body, total = row or ("", 0)
    return {"body": body, "body_total": total}


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


def report_contents(*, report: Report) -> ReportContents:
    """The public extractions of `report`, nested programme → initiative → indicator (3 queries).

    Long machine-made reports are cut to the first REPORT_ITEMS_SHOWN items of each kind and
    REPORT_TEXT_SHOWN characters of text; `truncated` and `body_total` say what was left out.
    """
    truncated: dict[str, tuple[int, int]] = {}
    # In text order: the lists' default order starts with the report's date, which would
    # join the report table to sort rows that all belong to one report.
    programmes = _first_items(
        programme_public()
        .filter(report=report)
        .order_by("position")
        .defer("search_tokens", "search_vector"),
        "programmes",
        truncated,
    )
    initiatives = _first_items(
        initiative_public()
        .filter(report=report)
        .order_by("position")
        .defer("search_tokens", "search_vector")
        .prefetch_related("themes"),
        "initiatives",
        truncated,
    )
    indicators = _first_items(
        indicator_public()
        .filter(report=report)
        .order_by("position")
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
