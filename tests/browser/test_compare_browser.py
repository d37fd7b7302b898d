"""Compare by measure in a real Chromium, on a phone-sized screen (390 px wide)."""

import importlib
from datetime import date

import pytest

from tests.catalogue.test_compare import PEOPLE_10WAN_PLUS, add_figure

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def measures(division_table):
    """The measure table, reloaded if an earlier transactional test flushed it."""
    from django.apps import apps

    from catalogue.models import Measure

    if not Measure.objects.exists():
        importlib.import_module("catalogue.migrations.0009_load_measures").load(apps, None)


@pytest.fixture
def participants(measures, make_report):
    """Participants in three counties: 10万余人, 3,000人 and 25人, and a population beside them."""
    add_figure(
        make_report,
        code="150102",
        **PEOPLE_10WAN_PLUS,
        label="参与网上答题",
        period_kind="half-year",
        period_year=2023,
        period="2023年上半年",
    )
    add_figure(
        make_report,
        code="150121",
        measure="participants",
        value=3000,
        unit="人",
        label="覆盖群众",
        period_kind="half-year",
        period_year=2023,
    )
    add_figure(
        make_report,
        code="450205",
        measure="participants",
        value=25,
        unit="人",
        label="参与活动",
        period_kind="year",
        period_year=2023,
        published=date(2024, 1, 2),
    )
    add_figure(
        make_report,
        code="150602",
        measure="population",
        value=153000,
        unit="人",
        figure="15.3万人",
        label="总人口",
    )


def test_compare_chart_reads_at_phone_width(live_server, page, screenshot, participants):
    """At 390 px the chart names the measure, shows 10万余人 legibly, and nothing overflows."""
    from catalogue.models import Measure

    name = Measure.objects.get(slug="participants").name
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/compare/?measure=participants")
    chart = page.locator("svg.chart").first
    assert chart.locator("text.chart-title").text_content().startswith(f"{name} · 县级")
    values = chart.locator("text.value")
    assert values.all_text_contents() == ["10万余人", "3,000人"]  # the half-year ranking
    assert chart.locator("text.label").all_text_contents() == ["新城区", "土默特左旗"]
    first = values.first.bounding_box()
    # drawn at its full size (15 px text), not shrunk to fit, and inside the screen
    assert first["x"] + first["width"] <= 390 and first["height"] >= 15
    assert page.locator("svg.chart").count() == 2  # the yearly figure is ranked apart
    assert "15.3万人" not in page.content()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot()


def test_pick_a_measure_from_the_measure_list(live_server, page, screenshot, participants):
    """/measures/ shows how many regions report each measure; its link opens the comparison."""
    from catalogue.models import Measure

    name = Measure.objects.get(slug="participants").name
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/measures/")
    item = page.locator("ul.measure-list li", has=page.get_by_role("link", name=name, exact=True))
    assert item.locator(".count").inner_text() == "3"
    screenshot()
    item.get_by_role("link", name=name, exact=True).click()
    assert page.url.endswith("/compare/?measure=participants")
    assert page.locator("svg.chart").count() == 2
