"""The division tree and a region's page: report counts and its latest extractions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from ..models import Indicator, Initiative, Programme, Region, RegionCount, Report
from .base import PROFILE_LABEL, report_public
from .lists import indicator_list, initiative_list, programme_list, report_list


@dataclass
class TreeNode:
    """A region in the division tree with its public report count, descendants included."""

    code: str
    name: str
    level: str
    own: int = 0
    total: int = 0
    children: list[TreeNode] = field(default_factory=list)
    name_en: str = ""


def own_report_counts(codes: list[str] | None = None) -> dict[str, int]:
    """Region code -> its public reports of its own, for `codes` (or every region), from the
    maintained RegionCount table (a few thousand rows at most)."""
    counts = RegionCount.objects.all()
    if codes is not None:
        counts = counts.filter(region_id__in=codes)
    return dict(counts.values_list("region_id", "reports"))


def region_tree() -> list[TreeNode]:
    """Provinces → prefectures → counties with report counts including descendants (2 queries)."""
    own = own_report_counts()
    nodes: dict[str, TreeNode] = {}
    children: dict[str | None, list[TreeNode]] = defaultdict(list)
    for code, name, level, parent_id, name_en in Region.objects.order_by("code").values_list(
        "code", "name", "level", "parent_id", "name_en"
    ):
        node = TreeNode(code, name, level, own.get(code, 0), name_en=name_en)
        nodes[code] = node
        children[parent_id].append(node)
    for code, node in nodes.items():
        node.children = children.get(code, [])

    def total(node: TreeNode) -> int:
        node.total = node.own + sum(total(child) for child in node.children)
        return node.total

    roots = children[None]
    for root in roots:
        total(root)
    return roots


# --- region page -----------------------------------------------------------------------


# A region's profile (面积, 人口 …) comes from this many of its latest reports.
PROFILE_REPORTS = 50


@dataclass
class RegionPage:
    """What a region's page shows: its own and its descendants' extractions."""

    region: Region
    ancestors: list[Region]
    report_count: int
    reports: list[Report]
    programmes: list[Programme]
    initiatives: list[Initiative]
    indicators: list[Indicator]
    profile: list[Indicator]
    children: list[TreeNode]


def region_page(*, region: Region, limit: int = 10) -> RegionPage:
    """A region's reports, and the programmes, initiatives and indicators of its latest reports.

    Extractions come from the `limit` latest reports of the region and the regions below
    it, and the profile from the PROFILE_REPORTS latest of its own, so a province with
    thousands of reports costs what a county does; the full lists are one link away.
    """
    below = list(
        Region.objects.descendants_of(region, include_self=True).values_list(
            "code", "name", "level", "parent_id", "name_en"
        )
    )
    codes = [code for code, *_ in below]
    own = own_report_counts(codes)
    reports = list(report_list().filter(region_id__in=codes)[:limit])
    latest = [r.pk for r in reports]
    by_latest = {"report_id__in": latest}
    return RegionPage(
        region=region,
        ancestors=region.ancestors(),
        report_count=sum(own.values()),
        reports=reports,
        programmes=list(
            programme_list().filter(**by_latest).order_by("-report__published")[:limit]
        ),
        initiatives=list(
            initiative_list().filter(**by_latest).order_by("-report__published")[:limit]
        ),
        indicators=list(
            indicator_list().filter(**by_latest).order_by("-report__published")[:limit]
        ),
        profile=list(
            indicator_list()
            .filter(report__in=_profile_reports(region), label__regex=PROFILE_LABEL)
            .order_by("label", "-report__published")[:limit]
        ),
        children=_children(region, below, own),
    )


def _profile_reports(region: Region) -> QuerySet[Report]:
    """The PROFILE_REPORTS latest public reports of `region` itself, as a subquery: its profile
    figures are looked for there, not in every figure of every report it ever had."""
    latest = report_public().filter(region=region).order_by("-published", "-id")
    return latest.values("pk")[:PROFILE_REPORTS]


def _children(region: Region, below: list[tuple], own: dict[str, int]) -> list[TreeNode]:
    """The regions directly under `region`, each counting the reports of its own subtree."""
    nodes = {
        code: TreeNode(code, name, level, own.get(code, 0), name_en=name_en)
        for code, name, level, _, name_en in below
    }
    for code, _name, _level, parent, _name_en in below:
        if parent in nodes and code != region.code:
            nodes[parent].children.append(nodes[code])

    def total(node: TreeNode) -> int:
        node.total = node.own + sum(total(child) for child in node.children)
        return node.total

    total(nodes[region.code])
    return nodes[region.code].children
