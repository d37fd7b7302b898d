"""The public list pages' querysets: each row's relations loaded, heavy text columns deferred."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Indicator, Initiative, Programme, Report
from .base import indicator_public, initiative_public, programme_public, report_public

_REPORT_REGION = "report__region__parent__parent"
# Columns a list row never shows: its search columns and its report's texts.
_UNSHOWN = (  # a report's text and body live in ReportText, which lists never join
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


def initiative_list_page() -> QuerySet[Initiative]:
    """Public initiatives as the initiatives list prints them: report, region chain and
    themes, without the programme or the text (a row shows neither)."""
    return (
        initiative_public()
        .select_related(_REPORT_REGION)
        .prefetch_related("themes")
        .defer(*_UNSHOWN, "text")
    )


def indicator_list_page() -> QuerySet[Indicator]:
    """Public indicators as the indicators list prints them: report, region chain and
    measure, without the initiative (a row does not show it)."""
    return indicator_public().select_related(_REPORT_REGION, "measure").defer(*_UNSHOWN)


def report_list_latest(*, limit: int = 10) -> QuerySet[Report]:
    """The most recently published public reports."""
    return report_list()[:limit]
