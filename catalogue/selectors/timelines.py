"""A region's figures over time, measure by measure, and a province's or prefecture's figures
aggregated over the regions below it.

Figures compare only within one measure, one unit and one period kind: a half-year GDP
is never drawn or summarised beside a yearly one, nor 人 beside 人次.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import QuerySet

from ..models import Indicator, Measure, MeasureSummary, Region, RegionSeries
from ..region_counts import SERIES_LATEST
from .base import HOME_CACHE_SECONDS, catalogue_version, indicator_public

_PERIOD_KINDS = dict(Indicator._meta.get_field("period_kind").choices)
_PERIOD_ORDER = {kind: n for n, kind in enumerate(_PERIOD_KINDS)}
# The region page lists this many latest points per measure and draws its sparklines from
# SPARKLINE_POINTS; the timeline page lists SERIES_LATEST (what the series table keeps).
RECENT_POINTS = 6
SPARKLINE_POINTS = 24
TIMELINE_POINTS = SERIES_LATEST


@dataclass
class Line:
    """The dated points of one period kind in a timeline: what a sparkline may join."""

    period_kind: str
    points: list[Indicator]

    @property
    def period_label(self) -> str:
        """The period kind in words."""
        return str(_PERIOD_KINDS.get(self.period_kind, self.period_kind))


@dataclass
class Timeline:
    """One measure's latest figures (in one unit) across a region's reports, oldest first."""

    measure: Measure
    unit: str
    points: list[Indicator]
    report_count: int = 0
    figure_count: int = 0  # all of the region's figures of this measure and unit

    @property
    def recent(self) -> list[Indicator]:
        """The latest RECENT_POINTS points, oldest first (the region page shows these)."""
        return self.points[-RECENT_POINTS:]

    @property
    def cut(self) -> bool:
        """Whether older figures than those in `points` exist."""
        return self.figure_count > len(self.points)

    @property
    def lines(self) -> list[Line]:
        """One line per period kind with dated points on at least two dates.

        A half-year figure is never joined to a yearly one, so each line compares like
        with like.
        """
        by_kind: dict[str, list[Indicator]] = defaultdict(list)
        for point in self.points:
            if point.report.published:
                by_kind[point.period_kind].append(point)
        return [
            Line(kind, points)
            for kind, points in sorted(by_kind.items(), key=lambda item: _PERIOD_ORDER[item[0]])
            if len({p.report.published for p in points}) >= 2
        ]


def region_timelines(*, region: Region, min_reports: int = 2) -> list[Timeline]:
    """Measures `region` reported in at least `min_reports` of its public reports, each with
    its SPARKLINE_POINTS latest figures and how many it has in all."""
    return _timelines(region, min_reports=min_reports, points=SPARKLINE_POINTS)


def region_timeline_table(*, region: Region) -> list[Timeline]:
    """Every measure and unit of `region`'s public figures, each with its TIMELINE_POINTS latest."""
    return _timelines(region, min_reports=1, points=TIMELINE_POINTS)


def _timelines(region: Region, *, min_reports: int, points: int) -> list[Timeline]:
    """Timelines from the region's maintained series (catalogue.region_counts): which
    measures, how many figures and reports, and the ids of the latest figures; then only
    those figures are loaded (two queries, bounded by measures × `points`)."""
    series = list(
        RegionSeries.objects.filter(region=region, reports__gte=min_reports)
        .select_related("measure")
        .order_by("measure__kind", "measure__slug", "unit")
    )
    ids = [pk for one in series for pk in one.latest[:points]]
    figures = _timeline_figures().in_bulk(ids)
    timelines = []
    for one in series:
        # Re-checked against the series: the ids were written in the same transaction as
        # the figures, so this only guards a figure moved since (never shown under both).
        shown = [
            figures[pk]
            for pk in reversed(one.latest[:points])
            if pk in figures
            and figures[pk].measure_id == one.measure_id
            and figures[pk].unit == one.unit
            and figures[pk].report.region_id == region.code
        ]
        timelines.append(Timeline(one.measure, one.unit, shown, one.reports, one.figures))
    return timelines


def _timeline_figures() -> QuerySet[Indicator]:
    """Public figures with a measure, with what a timeline shows of them and their report
    (looked up by id: filtering by region here led the planner to every figure of it)."""
    return (
        indicator_public()
        .filter(measure__isnull=False)
        .select_related("report")
        .only(
            "label",
            "value",
            "unit",
            "qualifier",
            "figure",
            "period",
            "period_kind",
            "period_year",
            "measure_id",
            "report__title",
            "report__published",
            "report__region_id",
        )
    )


# --- aggregates over the regions below ---------------------------------------------------


@dataclass
class Aggregate:
    """Each region's latest figure of one measure, at one level, unit and period kind."""

    level: str
    unit: str
    period_kind: str
    values: list[Decimal] = field(default_factory=list)

    @property
    def level_label(self) -> str:
        """The administrative level in words."""
        return str(dict(Region.Level.choices).get(self.level, self.level))

    @property
    def period_label(self) -> str:
        """The period kind in words."""
        return str(_PERIOD_KINDS.get(self.period_kind, self.period_kind))

    @property
    def region_count(self) -> int:
        """How many regions report this measure (one latest figure each)."""
        return len(self.values)

    @property
    def median(self) -> Decimal:
        """The median of the regions' latest figures."""
        return statistics.median(self.values)

    @property
    def minimum(self) -> Decimal:
        """The smallest region's latest figure."""
        return min(self.values)

    @property
    def maximum(self) -> Decimal:
        """The largest region's latest figure."""
        return max(self.values)


@dataclass
class MeasureAggregates:
    """One measure's aggregates, one row per level, unit and period kind."""

    measure: Measure
    rows: list[Aggregate]


def region_aggregates(*, region: Region) -> list[MeasureAggregates]:
    """Per measure, the regions below `region` that report it: count, median and range.

    Each region contributes its latest public figure per measure, unit and period kind
    (the measure summary: latest period year, then latest report); regions of different
    levels, units or period kinds are never put in one row. The result is cached under
    the catalogue version, which every write that changes the summary moves.
    """
    key = f"region-aggregates:{region.code}:{catalogue_version()}"
    aggregates = cache.get(key)
    if aggregates is None:
        aggregates = _aggregates(region)
        cache.set(key, aggregates, HOME_CACHE_SECONDS)
    return aggregates


def _aggregates(region: Region) -> list[MeasureAggregates]:
    """region_aggregates without the cache (one query over the measure summary)."""
    below = Region.objects.descendants_of(region).values("code")
    latest = (
        MeasureSummary.objects.filter(region__in=below)
        .order_by()
        .values_list(
            "measure_id",
            "measure__slug",
            "measure__name",
            "measure__name_en",
            "measure__kind",
            "level",
            "unit",
            "period_kind",
            "value",
        )
    )
    groups: dict[int, dict[tuple[str, str, str], Aggregate]] = defaultdict(dict)
    measures: dict[int, Measure] = {}
    for pk, slug, name, name_en, kind, level, unit, period_kind, value in latest:
        measures.setdefault(pk, Measure(pk=pk, slug=slug, name=name, name_en=name_en, kind=kind))
        rows = groups[pk]
        rows.setdefault((level, unit, period_kind), Aggregate(level, unit, period_kind))
        rows[(level, unit, period_kind)].values.append(value)
    result = [
        MeasureAggregates(measures[pk], sorted(rows.values(), key=_row_order))
        for pk, rows in groups.items()
    ]
    return sorted(result, key=lambda m: (m.measure.kind, m.measure.slug))


_LEVEL_ORDER = {level: n for n, (level, _label) in enumerate(Region.Level.choices)}


def _row_order(row: Aggregate) -> tuple:
    return (_LEVEL_ORDER.get(row.level, 9), _PERIOD_ORDER.get(row.period_kind, 9), row.unit)
