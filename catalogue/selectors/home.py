"""The home page's figures: counts, the regions with most reports, themes; cached by version."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ..models import Region, RegionCount, Theme
from .base import (
    HOME_CACHE_SECONDS,
    HOME_REGIONS,
    catalogue_version,
    indicator_public,
    initiative_public,
    programme_public,
    report_public,
)


def report_count() -> int:
    """How many public reports the catalogue holds."""
    return report_public().count()


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
    """Regions that have public reports of their own, most first, with parents loaded
    (counts from the maintained RegionCount table)."""
    own = RegionCount.objects.filter(region=OuterRef("pk")).values("reports")
    regions = (
        Region.objects.annotate(report_count=Subquery(own))
        .filter(report_count__gt=0)
        .select_related("parent__parent")
        .order_by("-report_count", "code")
    )
    return regions[:limit] if limit else regions


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
