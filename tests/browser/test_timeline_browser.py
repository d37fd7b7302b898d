"""Region timelines in a real headless Chromium: from a timeline point to its sentence."""

import importlib
from datetime import date

import pytest

from tests.catalogue.measure_support import Fig, measured_report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def reference_data(db):
    """Divisions and measures, reloaded if an earlier transactional test flushed them."""
    from django.apps import apps
    from django.db import connection

    from catalogue.models import Measure, Region

    for model, migration in ((Region, "0002_load_divisions"), (Measure, "0009_load_measures")):
        if not model.objects.exists():
            load = importlib.import_module(f"catalogue.migrations.{migration}").load
            load(apps, connection.schema_editor())


def test_timeline_point_leads_to_its_highlighted_sentence_at_phone_width(
    live_server, page, screenshot, reference_data, make_report
):
    """At 390 px, 新城区's page shows its event counts over two years without sideways
    scrolling; clicking the later one opens the report with that sentence highlighted."""
    for year, figure, value in ((2022, "120场次", 120), (2023, "130余场次", 130)):
        report = measured_report(
            make_report,
            code="150102",
            published=date(year, 6, 1),
            title=f"新城区{year}年创建工作",
            figures=[
                Fig("events", "开展宣讲活动", figure, value, "场次", "exact", "year", f"{year}年")
            ],
        )
    later = report.indicators.get()
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/regions/150102/")
    timeline = page.locator("figure.timeline#m-events")
    assert "开展活动" in timeline.locator("figcaption").inner_text()
    assert timeline.locator("svg.sparkline circle").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("-region")
    timeline.locator("ol.points a.timeline-point", has_text="130场次").click()
    page.wait_for_url(f"**/reports/{report.pk}/#q-{later.pk}")
    target = page.locator(":target")
    assert target.get_attribute("id") == f"q-{later.pk}"
    assert target.inner_text() == "130余场次"  # the figure itself, inside its sentence
    assert target.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 176, 0)"
    assert target.is_visible()
    screenshot("-report")
