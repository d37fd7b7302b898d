"""Compare like with like: one measure across the regions of one administrative level.

A comparison never mixes measures (one measure has one kind, so a `context` figure
such as a population is never ranked with a count of events) nor period kinds (a
half-year figure is never ranked against a yearly one): each period kind is ranked
on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from ..models import Indicator, Measure, Region
from . import indicator_list

PERIOD_KINDS = dict(Indicator._meta.get_field("period_kind").choices)
LEVELS = dict(Region.Level.choices)
# Figures read for one comparison: far more regions than one level of a province holds.
ROW_CAP = 5_000


def period_text(indicator: Indicator) -> str:
    """The period of a figure: as written (2023年上半年), else its kind and year."""
    if indicator.period:
        return indicator.period
    label = str(PERIOD_KINDS.get(indicator.period_kind, indicator.period_kind))
    return f"{indicator.period_year}年 {label}" if indicator.period_year else label


@dataclass
class LevelChoice:
    """An administrative level with how many figures of the measure its regions report."""

    level: str
    label: str
    figures: int
    selected: bool


@dataclass
class PeriodGroup:
    """Figures of one period kind, ranked largest first: the only figures ranked together."""

    kind: str
    label: str
    rows: list[Indicator]


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

    @property
    def indicator_ids(self) -> list[int]:
        """Every compared figure, in page order."""
        return [i.pk for group in self.groups for i in group.rows]


def measure_figures(*, measure: Measure) -> QuerySet[Indicator]:
    """Public figures of `measure` in reports with a known region."""
    return indicator_list().filter(measure=measure, report__region__isnull=False)


def measure_levels(*, measure: Measure, level: str = "") -> list[LevelChoice]:
    """The levels with figures of `measure`; `level` selected, else the one with most figures."""
    counts = dict(
        measure_figures(measure=measure)
        .order_by()
        .values_list("report__region__level")
        .annotate(n=Count("pk"))
    )
    if level not in counts:
        level = max(LEVELS, key=lambda code: (counts.get(code, 0), code == "county"))
    return [
        LevelChoice(code, str(label), counts[code], code == level)
        for code, label in LEVELS.items()
        if code in counts
    ]


def measure_compare(*, measure: Measure, level: str = "", limit: int = 50) -> Comparison:
    """Each region's latest figure of `measure` per period kind, ranked within each kind.

    "Latest" is the figure of the latest period year, then of the latest report; in one
    report the largest figure of the measure stands for it. Two queries.
    """
    levels = measure_levels(measure=measure, level=level)
    chosen = next((c.level for c in levels if c.selected), level)
    latest = (
        measure_figures(measure=measure)
        .filter(report__region__level=chosen)
        .select_related("measure")
        .order_by(
            "report__region_id",
            "period_kind",
            F("period_year").desc(nulls_last=True),
            F("report__published").desc(nulls_last=True),
            "-report_id",
            "-value",
            "pk",
        )
        .distinct("report__region_id", "period_kind")[:ROW_CAP]
    )
    by_kind: dict[str, list[Indicator]] = {}
    for indicator in latest:
        by_kind.setdefault(indicator.period_kind, []).append(indicator)
    groups = [
        PeriodGroup(kind, str(PERIOD_KINDS.get(kind, kind)), _ranked(rows)[:limit])
        for kind, rows in by_kind.items()
    ]
    groups.sort(key=lambda g: (-len(g.rows), list(PERIOD_KINDS).index(g.kind)))
    return Comparison(measure=measure, level=chosen, levels=levels, groups=groups)


def _ranked(rows: list[Indicator]) -> list[Indicator]:
    return sorted(rows, key=lambda i: (-i.value, i.report.region_id))


def compare_export(*, comparison: Comparison) -> QuerySet[Indicator]:
    """The compared figures for CSV/JSON: by period kind, largest first, as the page ranks them."""
    return (
        indicator_list()
        .filter(pk__in=comparison.indicator_ids)
        .order_by("period_kind", "-value", "report__region_id")
    )


@dataclass
class KindGroup:
    """The measures of one kind (activity, reach, context …) with their region counts."""

    kind: str
    label: str
    measures: list[Measure]


def measure_list_with_counts() -> list[KindGroup]:
    """Every measure, grouped by kind, with how many regions report public figures of it."""
    public = Q(
        indicators__rejected=False,
        indicators__report__hidden=False,
        indicators__report__region__isnull=False,
    )
    measures = Measure.objects.annotate(
        region_count=Count("indicators__report__region", filter=public, distinct=True)
    ).order_by("kind", "-region_count", "slug")
    by_kind: dict[str, list[Measure]] = {}
    for measure in measures:
        by_kind.setdefault(measure.kind, []).append(measure)
    return [
        KindGroup(kind, str(label), by_kind[kind])
        for kind, label in Measure.Kind.choices
        if kind in by_kind
    ]
