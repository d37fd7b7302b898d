"""Read-side queries for the public pages, each returning what its page needs in few queries."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import Region, Report


def report_count() -> int:
    """How many public reports the catalogue holds."""
    return Report.objects.published().count()


def region_list_with_reports() -> QuerySet[Region]:
    """Regions that have public reports of their own, with their count and parents loaded."""
    return (
        Region.objects.annotate(report_count=Count("reports", filter=Q(reports__hidden=False)))
        .filter(report_count__gt=0)
        .select_related("parent__parent")
        .order_by("-report_count", "code")
    )


def report_list_latest(*, limit: int = 10) -> QuerySet[Report]:
    """The most recently published public reports."""
    return Report.objects.published().select_related("region__parent__parent")[:limit]
