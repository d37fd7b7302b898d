"""The loader writes measures, periods, initiative kinds and brands, and keeps staff edits."""

from __future__ import annotations

from dataclasses import replace

import pytest

from catalogue.models import Brand, Indicator, Initiative, Measure, Origin
from ingest.load import load_report, sync_measures
from ingest.parse import parse_report
from ingest.types import InitiativeKind, ParsedReport, PeriodKind

from .samples import COUNTY_REPORT

pytestmark = pytest.mark.django_db


def classified(parsed: ParsedReport, *, measure: str | None = "events", brands=("红石榴驿站",)):
    """The parsed report with every indicator of `measure`, yearly 2023, and branded initiatives."""
    indicators = tuple(
        replace(n, measure=measure, period_kind=PeriodKind.YEAR, period_year=2023)
        for n in parsed.indicators
    )
    programmes = tuple(
        replace(
            p,
            initiatives=tuple(
                replace(i, kind=InitiativeKind.SLOGAN, brands=brands) for i in p.initiatives
            ),
        )
        for p in parsed.programmes
    )
    return replace(parsed, indicators=indicators, programmes=programmes)


def load(parsed: ParsedReport, **kwargs):
    return load_report(parsed, source_file="county.txt", parser_version="test", **kwargs)


def test_loader_writes_measure_period_kind_and_brands():
    """Indicators get the measure of their slug and their period; initiatives their kind and brands."""
    parsed = classified(parse_report(COUNTY_REPORT.encode()))
    load(parsed)
    events = Measure.objects.get(slug="events")
    indicators = Indicator.objects.all()
    assert indicators and {(n.measure, n.period_kind, n.period_year) for n in indicators} == {
        (events, "year", 2023)
    }
    initiatives = Initiative.objects.prefetch_related("brands")
    assert {i.kind for i in initiatives} == {"slogan"}
    assert {b.name for i in initiatives for b in i.brands.all()} == {"红石榴驿站"}
    assert Brand.objects.count() == 1


def test_an_unknown_slug_leaves_the_measure_empty():
    """A slug the Measure table lacks is no measure, never a guess."""
    load(classified(parse_report(COUNTY_REPORT.encode()), measure="no-such-measure"))
    assert not Indicator.objects.filter(measure__isnull=False).exists()


def test_reingest_updates_machine_rows_and_keeps_staff_measure():
    """--force moves machine rows to the new measure and brands; a staff-set measure stays."""
    parsed = parse_report(COUNTY_REPORT.encode())
    load(classified(parsed))
    population = Measure.objects.get(slug="population")
    staff = Indicator.objects.order_by("position").first()
    Indicator.objects.filter(pk=staff.pk).update(measure=population, origin=Origin.STAFF)
    result = load(classified(parsed, measure="participants", brands=("石榴籽",)), force=True)
    assert result.rows["indicator.kept"] == 1
    staff.refresh_from_db()
    assert staff.measure == population
    others = Indicator.objects.exclude(pk=staff.pk)
    assert {n.measure.slug for n in others} == {"participants"}
    linked = set(Initiative.brands.through.objects.values_list("brand__name", flat=True))
    assert linked == {"石榴籽"}
    assert set(Brand.objects.values_list("name", flat=True)) == {"红石榴驿站", "石榴籽"}


def test_sync_measures_adds_missing_and_keeps_staff_edits():
    """Fixture measures missing from the table are added; a measure staff renamed keeps its name."""
    Measure.objects.filter(slug="events").update(name="活动(校)")
    Measure.objects.filter(slug="households").delete()
    assert sync_measures() == 1
    assert Measure.objects.get(slug="events").name == "活动(校)"
    assert Measure.objects.filter(slug="households").exists()
    assert sync_measures() == 0
