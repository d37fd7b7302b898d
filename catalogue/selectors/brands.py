"""The brand index: quoted brand names of initiatives and the regions and reports using them.

Only public initiatives count: a brand seen only in hidden reports or rejected
initiatives is not listed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from ..models import Brand, Initiative, Region, Report
from .base import HOME_CACHE_SECONDS, catalogue_version, initiative_public, report_public

_PUBLIC = Q(initiatives__public=True)


def brand_index_page(*, number, per_page: int = 100, regions_per_row: int = 12) -> Page:
    """One page of brand_list, each brand with `region_list`: its first regions by code.

    Counting every branded initiative's report and region takes a few hundred
    milliseconds on a large catalogue, so the page is cached like the home page's counts:
    a new, hidden or re-ingested report shows at once, a staff rejection within
    HOME_CACHE_SECONDS.
    """
    key = f"brand-index:{number}:{per_page}:{catalogue_version()}"
    page = cache.get(key)
    if page is None:
        page = Paginator(list(brand_list()), per_page).get_page(number)
        regions = brand_regions(brands=list(page.object_list))
        for brand in page.object_list:
            brand.region_list = regions.get(brand.pk, [])[:regions_per_row]
        cache.set(key, page, HOME_CACHE_SECONDS)
    return page


def brand_list() -> QuerySet[Brand]:
    """Brands used by public initiatives, with region and report counts, most regions first."""
    return (
        Brand.objects.annotate(
            region_count=Count("initiatives__report__region", filter=_PUBLIC, distinct=True),
            report_count=Count("initiatives__report", filter=_PUBLIC, distinct=True),
        )
        .filter(report_count__gt=0)
        .order_by("-region_count", "-report_count", "name")
    )


def brand_regions(*, brands: list[Brand]) -> dict[int, list[Region]]:
    """The regions whose public initiatives use each of `brands`, by brand id (one query)."""
    rows = (
        Initiative.brands.through.objects.filter(
            brand__in=brands,
            initiative__public=True,
            initiative__report__region__isnull=False,
        )
        .order_by()
        .values_list(
            "brand_id",
            "initiative__report__region_id",
            "initiative__report__region__name",
            "initiative__report__region__name_en",
        )
        .distinct()
    )
    regions: dict[int, list[Region]] = defaultdict(list)
    for brand_id, code, name, name_en in rows:
        regions[brand_id].append(Region(code=code, name=name, name_en=name_en))
    for names in regions.values():
        names.sort(key=lambda r: r.code)
    return regions


@dataclass
class BrandPage:
    """One brand: the regions that use it and the reports and initiatives naming it."""

    brand: Brand
    regions: list[Region]
    reports: list[Report]
    initiatives: list[Initiative]


def brand_page(*, brand: Brand, limit: int = 200) -> BrandPage:
    """A brand's regions, public reports (newest first) and public initiatives (4 queries)."""
    initiatives = list(
        initiative_public()
        .filter(brands=brand)
        .select_related("report__region__parent__parent")
        .defer("search_tokens", "search_vector", "text")
        .defer("report__search_tokens", "report__search_vector")
        .order_by("-report__published", "report_id", "position")[:limit]
    )
    reports = list(
        report_public()
        .filter(initiatives__in=initiative_public().filter(brands=brand))
        .distinct()
        .select_related("region__parent__parent")
        .defer("search_tokens", "search_vector", "summary")[:limit]
    )
    regions = {r.region.code: r.region for r in reports if r.region}
    return BrandPage(
        brand=brand,
        regions=sorted(regions.values(), key=lambda r: r.code),
        reports=reports,
        initiatives=initiatives,
    )
