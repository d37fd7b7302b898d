"""Read-side queries for the public pages, each returning what its page needs in few queries.

Public pages never show hidden reports, rejected extractions or history: every
selector starts from the `*_public()` querysets of `base`. The modules:

- base      the public querysets, the catalogue version, cache settings
- lists     the list pages' querysets
- home      the home page's cached figures
- regions   the division tree and a region's page
- reports   a report's page and an initiative's page
- compare, timelines, brands   measures across regions (from the measure summary,
  catalogue/measure_summary.py) and over time; brands

Every name the rest of the code imports from `catalogue.selectors` is re-exported here.
"""

from __future__ import annotations

from .base import (
    HOME_CACHE_SECONDS,
    HOME_REGIONS,
    PROFILE_LABEL,
    catalogue_version,
    indicator_public,
    initiative_public,
    programme_public,
    region_codes_below,
    report_public,
)
from .home import (
    catalogue_counts,
    home_summary,
    refresh_home_summary,
    region_list_top,
    region_list_with_reports,
    report_count,
    theme_list_with_counts,
)
from .lists import (
    indicator_list,
    initiative_list,
    programme_list,
    report_list,
    report_list_latest,
)
from .regions import RegionPage, TreeNode, region_page, region_tree
from .reports import (
    REPORT_ITEMS_SHOWN,
    REPORT_TEXT_SHOWN,
    ReportContents,
    initiative_detail,
    initiative_indicators,
    report_contents,
    report_detail,
    report_with_text,
)

__all__ = [
    "HOME_CACHE_SECONDS",
    "HOME_REGIONS",
    "PROFILE_LABEL",
    "REPORT_ITEMS_SHOWN",
    "REPORT_TEXT_SHOWN",
    "RegionPage",
    "ReportContents",
    "TreeNode",
    "catalogue_counts",
    "catalogue_version",
    "home_summary",
    "indicator_list",
    "indicator_public",
    "initiative_detail",
    "initiative_indicators",
    "initiative_list",
    "initiative_public",
    "programme_list",
    "programme_public",
    "refresh_home_summary",
    "region_codes_below",
    "region_list_top",
    "region_list_with_reports",
    "region_page",
    "region_tree",
    "report_contents",
    "report_count",
    "report_detail",
    "report_with_text",
    "report_list",
    "report_list_latest",
    "report_public",
    "theme_list_with_counts",
]
