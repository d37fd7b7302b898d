"""Region -> Report -> Programme / Initiative / Indicator, the vocabularies they are filed
under, and the maintained tables the pages read. One module per part; every name is
imported from here."""

from .extracted import Extracted, ExtractedQuerySet, Indicator, Initiative, Origin, Programme
from .reference import Brand, Measure, Region, RegionQuerySet, Theme
from .reports import Report, ReportQuerySet, ReportText, ReportVersion
from .search import public_search_index, search_index, search_vector_field
from .summaries import CatalogueState, MeasureSummary, RegionCount, RegionSeries

__all__ = [
    "search_vector_field",
    "search_index",
    "public_search_index",
    "RegionQuerySet",
    "Region",
    "Theme",
    "Measure",
    "Brand",
    "ReportQuerySet",
    "Report",
    "ReportText",
    "ReportVersion",
    "Origin",
    "ExtractedQuerySet",
    "Extracted",
    "Programme",
    "Initiative",
    "Indicator",
    "CatalogueState",
    "MeasureSummary",
    "RegionCount",
    "RegionSeries",
]
