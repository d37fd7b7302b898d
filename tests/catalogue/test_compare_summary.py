"""Compare reads the measure summary: the same figures as ranking every indicator, through its index."""

from __future__ import annotations

import hashlib
import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F

from catalogue import measure_summary
from catalogue.models import Indicator, Measure, Region, Report
from catalogue.selectors.compare import ROW_CAP, latest_summary, measure_compare

pytestmark = pytest.mark.django_db


def ranked_from_indicators(measure: Measure) -> list[tuple]:
    """What compare computed before the summary: DISTINCT ON over every public figure."""
    return list(
        Indicator.objects.public()
        .filter(measure=measure, report__region__isnull=False)
        .order_by(
            "report__region_id",
            "period_kind",
            F("period_year").desc(nulls_last=True),
            F("report__published").desc(nulls_last=True),
            "-report_id",
            "-value",
            "pk",
        )
        .distinct("report__region_id", "period_kind")
        .values_list("report__region__level", "period_kind", "value", "report__region_id", "pk")[
            :ROW_CAP
        ]
    )


def reports(count: int, codes: list[str], **fields) -> list[Report]:
    """`count` reports spread over `codes`, bulk-created (no signals: callers rebuild)."""
    rows = []
    for n in range(count):
        body = f"第{n}篇。"
        rows.append(
            Report(
                title=f"报告{n}",
                source_file=f"r{n}.txt",
                sha256=hashlib.sha256(body.encode()).hexdigest(),
                text=body,
                body=body,
                parser_version="test",
                region_id=codes[n % len(codes)],
                **fields,
            )
        )
    return Report.objects.bulk_create(rows)


def figure(report: Report, n: int, measure: Measure, value, **fields) -> Indicator:
    """An unsaved figure of `measure` in `report`."""
    return Indicator(
        report=report, key=f"k{n}", position=n, start=0, end=1, label="活动", value=value,
        unit=fields.pop("unit", "场"), figure=f"{value}", quote="甲", measure=measure, **fields,
    )  # fmt: skip


def test_compare_ranks_the_same_figures_as_a_scan_of_every_indicator():
    """Ties on period year, report date, report and value, several units and hidden or
    rejected figures: the summary gives each region's latest figure exactly as before."""
    events = Measure.objects.get(slug="events")
    codes = ["150102", "150103", "150104", "150200", "150000"]
    dated = reports(10, codes)
    for n, report in enumerate(dated):
        report.published = date(2020 + n % 3, 1 + n % 2, 1) if n % 4 else None
        report.hidden = n == 7
    Report.objects.bulk_update(dated, ["published", "hidden"])
    rows = []
    for n, (report, year, kind, unit, value) in enumerate(
        itertools.product(
            dated, (None, 2022, 2023), ("year", "half-year"), ("场", "次"), (Decimal(5), Decimal(9))
        )
    ):
        rows.append(
            figure(report, n, events, value, period_year=year, period_kind=kind, unit=unit,
                   rejected=n % 11 == 0)
        )  # fmt: skip
    Indicator.objects.bulk_create(rows)
    measure_summary.rebuild()
    assert sorted(latest_summary(measure=events)) == sorted(ranked_from_indicators(events))
    comparison = measure_compare(measure=events, level="county")
    assert {g.kind for g in comparison.groups} == {"year", "half-year"}
    assert all(len(g.rows) == g.total == 3 for g in comparison.groups)


def test_the_comparison_query_reads_the_summary_through_its_index():
    """EXPLAIN of a comparison at 400 regions × 10 measures uses the summary's measure index."""
    measures = list(Measure.objects.order_by("slug")[:10])
    assert len(measures) == 10
    codes = list(Region.objects.filter(level="county").values_list("code", flat=True)[:400])
    made = reports(len(codes), codes, published=date(2023, 1, 1))
    Indicator.objects.bulk_create(
        figure(report, m, measure, Decimal(m + 1))
        for report in made
        for m, measure in enumerate(measures)
    )
    measure_summary.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalogue_measuresummary")
    plan = latest_summary(measure=measures[3]).explain()
    assert "measure_summary_compare" in plan, plan
    assert len(latest_summary(measure=measures[3])) == len(codes)
