"""Staff set or clear an indicator's measure and period, and edit the measure taxonomy."""

import pytest

from catalogue.models import Indicator, Measure, Origin

from .admin_support import post_change
from .test_admin import editor_client, report  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_setting_a_measure_makes_the_indicator_staff_owned(editor_client, report):  # noqa: F811
    """An editor who sets a measure and period owns the row; clearing the measure is kept too."""
    indicator = report.indicators.get(key="n:1")
    events = Measure.objects.get(slug="events")
    url = f"/admin/catalogue/indicator/{indicator.pk}/change/"
    response = post_change(
        editor_client, url, measure=str(events.pk), period_kind="year", period_year="2023"
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    indicator.refresh_from_db()
    assert (indicator.measure, indicator.period_kind, indicator.period_year) == (
        events,
        "year",
        2023,
    )
    assert indicator.origin == Origin.STAFF
    Indicator.objects.filter(pk=indicator.pk).update(origin=Origin.MACHINE)
    response = post_change(editor_client, url, measure="")
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.measure is None and indicator.origin == Origin.STAFF


def test_changelist_shows_and_filters_by_measure_and_period_kind(editor_client, report):  # noqa: F811
    """The indicator list has measure and period columns and filters on both."""
    events = Measure.objects.get(slug="events")
    report.indicators.filter(key="n:1").update(measure=events, period_kind="half-year")
    listing = editor_client.get("/admin/catalogue/indicator/", {"measure__id__exact": events.pk})
    assert [i.key for i in listing.context["cl"].result_list] == ["n:1"]
    listing = editor_client.get("/admin/catalogue/indicator/", {"period_kind__exact": "unstated"})
    assert [i.key for i in listing.context["cl"].result_list] == ["n:2"]
    page = listing.content.decode()
    assert "column-measure" in page and "column-period_kind" in page


def test_editor_finds_a_measure_by_name_when_picking_one(editor_client, report):  # noqa: F811
    """The measure picker searches measures by name for an editor (not only for superusers)."""
    name = Measure.objects.get(slug="population").name
    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "catalogue",
            "model_name": "indicator",
            "field_name": "measure",
            "term": name,
        },
    )
    assert response.status_code == 200
    assert name in [r["text"] for r in response.json()["results"]]


def test_editor_edits_a_measure_but_not_its_slug(editor_client):  # noqa: F811
    """Names, kind, units and keywords are editable; the slug that links use is read-only."""
    measure = Measure.objects.get(slug="events")
    url = f"/admin/catalogue/measure/{measure.pk}/change/"
    response = post_change(editor_client, url, name="活动场次(校)", units="场,场次", slug="renamed")
    assert response.status_code == 302, response.context["adminform"].form.errors
    measure.refresh_from_db()
    assert (measure.slug, measure.name, measure.units) == ("events", "活动场次(校)", ["场", "场次"])
