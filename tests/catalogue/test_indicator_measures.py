"""Every public indicator shows its measure and period: list, facets, filters, exports, report."""

from __future__ import annotations

import csv
import io
import json

import pytest

from catalogue.models import Measure
from tests.catalogue.test_compare import EVENTS_130_PLUS, add_figure

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(make_report):
    """An event count for 2023 (more than 130), a population at a point, and an unclassified figure."""
    events = add_figure(
        make_report,
        code="150102",
        **EVENTS_130_PLUS,
        period_kind="year",
        period_year=2023,
        period="2023年",
        label="开展宣传活动",
    )
    population = add_figure(
        make_report,
        code="150602",
        measure="population",
        value=153000,
        unit="人",
        figure="15.3万人",
        period_kind="point",
        label="总人口",
    )
    loose = add_figure(make_report, code="450205", measure=None, value=8, unit="个", label="驿站")
    return events, population, loose


def test_indicator_list_shows_measure_and_period(client, figures):
    """Each row names its measure (linking to its comparison) and its period, or says unclassified."""
    page = client.get("/indicators/").content.decode()
    events = Measure.objects.get(slug="events")
    assert f'<a class="tag measure" href="/compare/?measure=events">{events.name}</a>' in page
    assert '<span class="period">2023年</span>' in page
    assert '<span class="period">截至某时</span>' in page  # population: kind, nothing written
    assert '<span class="tag no-measure">未归类</span>' in page
    assert '<span class="figure" title="15.3万人">15.3万人</span>' in page


def test_indicator_list_facets_and_filters_by_measure_and_period_kind(client, figures):
    """Facets count measures and period kinds; ?measure= and ?period_kind= narrow the list."""
    page = client.get("/indicators/").content.decode()
    events = Measure.objects.get(slug="events")
    assert f'<a href="?measure=events">{events.name}</a> <span class="count">1</span>' in page
    assert '<a href="?period_kind=point">截至某时</a> <span class="count">1</span>' in page
    narrowed = client.get("/indicators/?measure=population").content.decode()
    assert ">总人口</a>" in narrowed and ">开展宣传活动</a>" not in narrowed
    by_period = client.get("/indicators/?period_kind=year").content.decode()
    assert ">开展宣传活动</a>" in by_period and ">总人口</a>" not in by_period
    assert "时期类型:全年" in by_period  # the active filter in words


def test_indicator_exports_carry_measure_and_period(client, figures):
    """CSV and JSON of the indicator list have measure, period kind and period year columns."""
    response = client.get("/indicators/?format=json&measure=events")
    (row,) = json.loads(b"".join(response.streaming_content))["rows"]
    assert (row["measure"], row["period_kind"], row["period_year"], row["period"]) == (
        "events",
        "year",
        2023,
        "2023年",
    )
    response = client.get("/indicators/?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {r["label"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["总人口"]["measure"] == "population" and rows["总人口"]["period_kind"] == "point"
    assert rows["驿站"]["measure"] == "" and rows["驿站"]["period_kind"] == "unstated"


def test_report_page_rows_show_measure_and_period(client, figures):
    """On the report page each indicator row names its measure and period."""
    events, *_ = figures
    page = client.get(f"/reports/{events.report_id}/").content.decode()
    name = Measure.objects.get(slug="events").name
    assert f'<span class="tag measure">{name}</span> <span class="period">2023年</span>' in page


def test_initiative_page_rows_show_measure_and_period(client, figures):
    """An initiative's indicator table names each figure's measure and period."""
    from catalogue.models import Initiative

    events, *_ = figures
    initiative = Initiative.objects.create(
        report_id=events.report_id, key="i", start=0, end=events.end, title="宣传", text="宣传"
    )
    events.initiative = initiative
    events.save()
    page = client.get(f"/initiatives/{initiative.pk}/").content.decode()
    name = Measure.objects.get(slug="events").name
    assert f'<td class="measure"><a href="/compare/?measure=events">{name}</a></td>' in page
    assert '<td class="period">2023年</td>' in page
