"""Compare like with like: one measure across the regions of one administrative level.

A comparison never mixes measures (one measure has one kind, so a `context` figure
such as a population is never ranked with a count of events) nor period kinds (a
half-year figure is never ranked against a yearly one): each period kind is ranked
on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.core.cache import cache
from django.db.models import Count, F, QuerySet
from django.utils.translation import get_language

from ..models import Indicator, Measure, MeasureSummary, Region
from .base import HOME_CACHE_SECONDS, catalogue_version
from .lists import indicator_list

PERIOD_KINDS = dict(Indicator._meta.get_field("period_kind").choices)
LEVELS = dict(Region.Level.choices)
# Latest figures read for one comparison: every region (3,214) in every period kind (5)
# fits; a LIMIT close to the row count also leads the planner into a slow nested loop.
ROW_CAP = 20_000


def measure_name(measure: Measure) -> str:
    """The measure's name in the active language: its English name on English pages."""
    if measure.name_en and get_language().startswith("en"):
        return measure.name_en
    return measure.name


def period_text(indicator: Indicator) -> str:
    """The period of a figure: as written (2023年上半年), else its kind and year."""
    if indicator.period:
        return indicator.period
    label = str(PERIOD_KINDS.get(indicator.period_kind, indicator.period_kind))
    return f"{indicator.period_year}年 {label}" if indicator.period_year else label


@dataclass
class LevelChoice:
    """An administrative level with how many of its regions report the measure."""

    level: str
    label: str
    regions: int
    selected: bool


@dataclass
class PeriodGroup:
    """Figures of one period kind, ranked largest first: the only figures ranked together."""

    kind: str
    label: str
    rows: list[Indicator]  # the largest, at most the comparison's limit
    total: int  # how many regions have a figure of this kind


@dataclass
class Comparison:
    """One measure at one level: the levels to choose from and a ranking per period kind."""

    measure: Measure
    level: str
    levels: list[LevelChoice]
    groups: list[PeriodGroup]

    @property
    def level_label(self) -> str:
        return str(LEVELS.get(self.level, self.level))

    @cached_property
    def every(self) -> list[int]:
        """Ids of every region's latest figures at this level, shown or not (for exports)."""
        latest = latest_figures(measure=self.measure)
        return [pk for region_level, *_, pk in latest if region_level == self.level]


@dataclass(frozen=True)
class Ranking:
    """What a comparison ranks, without labels or rows: cached per measure, level and limit."""

    level: str
    regions: dict[str, int]  # level -> how many regions have a figure there
    shown: dict[str, list[int]]  # period kind -> ids of the `limit` largest latest figures
    totals: dict[str, int]  # period kind -> how many regions have a figure of that kind


def measure_figures(*, measure: Measure) -> QuerySet[Indicator]:
    """Public figures of `measure` in reports with a known region."""
    return indicator_list().filter(measure=measure, report__region__isnull=False)


def latest_summary(*, measure: Measure) -> QuerySet[MeasureSummary]:
    """(level, period kind, value, region code, id) of each region's latest figure per period kind.

    Read from the measure summary (each region's latest figure per measure, unit and
    period kind), taking the latest of a region's units in the same order: one range
    of the summary's (measure, region, period kind) index, a few thousand rows at most,
    instead of a walk over every figure of the measure.
    """
    return (
        MeasureSummary.objects.filter(measure=measure)
        .order_by(
            "region_id",
            "period_kind",
            F("period_year").desc(nulls_last=True),
            F("published").desc(nulls_last=True),
            "-report_id",
            "-value",
            "indicator_id",
        )
        .distinct("region_id", "period_kind")
        .values_list("level", "period_kind", "value", "region_id", "indicator_id")[:ROW_CAP]
    )


def latest_figures(*, measure: Measure, version: str | None = None) -> list[tuple]:
    """latest_summary as a list, cached under the catalogue version like the home counts."""
    key = f"measure-latest:{measure.pk}:{version or catalogue_version()}"
    latest = cache.get(key)
    if latest is None:
        latest = list(latest_summary(measure=measure))
        cache.set(key, latest, HOME_CACHE_SECONDS)
    return latest


def measure_compare(*, measure: Measure, level: str = "", limit: int = 30) -> Comparison:
    """Each region's latest figure of `measure` per period kind at one level, ranked per kind.

    "Latest" is the figure of the latest period year, then of the latest report; in one
    report the largest figure of the measure stands for it. The level is `level` if it
    has figures, else the level where most regions report the measure. Only the `limit`
    largest of each period kind are loaded as full rows (ranking).
    """
    ranking = measure_ranking(measure=measure, level=level, limit=limit)
    levels = [
        LevelChoice(code, str(label), ranking.regions[code], code == ranking.level)
        for code, label in LEVELS.items()
        if code in ranking.regions
    ]
    # Filtered by measure again: a figure staff moved to another measure since the ranking
    # was cached never shows under this one.
    ids = [pk for pks in ranking.shown.values() for pk in pks]
    rows = measure_figures(measure=measure).in_bulk(ids)
    groups = [
        PeriodGroup(
            kind,
            str(PERIOD_KINDS.get(kind, kind)),
            [rows[pk] for pk in pks if pk in rows],
            ranking.totals[kind],
        )
        for kind, pks in ranking.shown.items()
    ]
    groups.sort(key=lambda g: (-g.total, list(PERIOD_KINDS).index(g.kind)))
    return Comparison(measure=measure, level=ranking.level, levels=levels, groups=groups)


def measure_ranking(*, measure: Measure, level: str = "", limit: int = 30) -> Ranking:
    """The ranking of a comparison, cached under the catalogue version: ranking a few
    thousand regions' latest figures per request was most of the page's time."""
    version = catalogue_version()
    key = f"measure-ranking:{measure.pk}:{level}:{limit}:{version}"
    ranking = cache.get(key)
    if ranking is None:
        latest = latest_figures(measure=measure, version=version)
        ranking = _rank(latest, level=level, limit=limit)
        cache.set(key, ranking, HOME_CACHE_SECONDS)
    return ranking


def _rank(latest: list[tuple], *, level: str, limit: int) -> Ranking:
    """Ranking of the latest figures (level, period kind, value, region, id) at `level`, or at
    the level where most regions report the measure."""
    regions: dict[str, set[str]] = {}
    by_level: dict[str, dict[str, list[tuple]]] = {}
    for region_level, kind, value, region, pk in latest:
        regions.setdefault(region_level, set()).add(region)
        by_level.setdefault(region_level, {}).setdefault(kind, []).append((-value, region, pk))
    if level not in regions:
        level = max(LEVELS, key=lambda code: (len(regions.get(code, ())), code == "county"))
    by_kind = by_level.get(level, {})
    return Ranking(
        level=level,
        regions={code: len(found) for code, found in regions.items()},
        shown={kind: [pk for *_, pk in sorted(rows)[:limit]] for kind, rows in by_kind.items()},
        totals={kind: len(rows) for kind, rows in by_kind.items()},
    )


def compare_export(*, comparison: Comparison) -> QuerySet[Indicator]:
    """Every region's latest figure for CSV/JSON (not only those charted): by period kind,
    largest first."""
    return (
        measure_figures(measure=comparison.measure)
        .filter(pk__in=comparison.every)
        .order_by("period_kind", "-value", "report__region_id")
    )


@dataclass
class KindGroup:
    """The measures of one kind (activity, reach, context …) with their region counts."""

    kind: str
    label: str
    measures: list[Measure]


def measure_region_counts() -> dict[int, int]:
    """Measure id -> how many distinct regions report public figures of it (from the summary)."""
    key = f"measure-regions:{catalogue_version()}"
    counts = cache.get(key)
    if counts is None:
        counts = dict(
            MeasureSummary.objects.order_by()
            .values_list("measure_id")
            .annotate(n=Count("region_id", distinct=True))
        )
        cache.set(key, counts, HOME_CACHE_SECONDS)
    return counts


def measure_list_with_counts() -> list[KindGroup]:
    """Every measure, grouped by kind, with how many regions report public figures of it."""
    counts = measure_region_counts()
    by_kind: dict[str, list[Measure]] = {}
    for measure in Measure.objects.all():
        measure.region_count = counts.get(measure.pk, 0)
        by_kind.setdefault(measure.kind, []).append(measure)
    return [
        KindGroup(kind, str(label), sorted(by_kind[kind], key=lambda m: (-m.region_count, m.slug)))
        for kind, label in Measure.Kind.choices
        if kind in by_kind
    ]
