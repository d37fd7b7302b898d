"""Every region with its chain of parents, kept in the process per catalogue version.

A row page names its report's region as province › prefecture › county. Joining the
region table three times in each row query cost more to plan than the index scans
cost to run; the regions are a small reference table (a few thousand rows), so each
process reads them once per catalogue version (catalogue.state: a renamed or added
region moves it) and row pages take their region from that map instead.

The version is read before the map, so a map kept under a version never holds data
older than that version: a reader of a newer version reads the regions again.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Region, Report
from .base import catalogue_version

# (catalogue version, code -> region with its parents linked); replaced whole, never mutated.
_kept: tuple[str, dict[str, Region]] | None = None


def region_map() -> dict[str, Region]:
    """Every region by code, each linked to its parent objects (one query per process
    per catalogue version, none otherwise). The regions are shared: read them only."""
    global _kept
    version = catalogue_version()
    kept = _kept
    if kept is not None and kept[0] == version:
        return kept[1]
    regions = _linked(Region.objects.order_by())
    _kept = (version, regions)
    return regions


def _linked(rows: Iterable[Region]) -> dict[str, Region]:
    """Regions by code, each with `parent` set to the parent object from the same map."""
    regions = {region.code: region for region in rows}
    for region in regions.values():
        region.parent = regions.get(region.parent_id) if region.parent_id else None
    return regions


def region_of(code: str | None) -> Region | None:
    """The region `code` with its parent chain (None for no code). A region the kept map
    lacks (added since it was read, under the same version) is read with its chain."""
    if code is None:
        return None
    region = region_map().get(code)
    if region is None:
        region = Region.objects.select_related("parent__parent").filter(code=code).first()
    return region


def attach_region(report: Report) -> Report:
    """Set `report.region` to its region with the parent chain, without a query (usually)."""
    report.region = region_of(report.region_id)
    return report
