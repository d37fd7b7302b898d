"""A programme staff rejected takes its initiatives and their indicators off every public page."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from catalogue.models import Indicator, Initiative, Programme, Theme
from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def rejected_programme(make_report):
    """A public report whose only programme staff rejected; an initiative carries a theme."""
    cache.clear()
    report = add_report(make_report)
    theme = Theme.objects.create(slug="stations", name="驿站建设")
    Initiative.objects.get(report=report, title="建设红石榴驿站").themes.add(theme)
    Programme.objects.filter(report=report).update(rejected=True)
    return report


def _json_rows(client, url: str) -> list[dict]:
    response = client.get(url)
    return json.loads(b"".join(response.streaming_content))["rows"]


def test_lists_and_exports_leave_out_rows_under_a_rejected_programme(client, rejected_programme):
    """The initiative and indicator lists and their exports show nothing of a rejected programme."""
    assert "建设红石榴驿站" not in client.get("/initiatives/").content.decode()
    assert "服务群众" not in client.get("/indicators/").content.decode()
    assert _json_rows(client, "/initiatives/?format=json") == []
    assert _json_rows(client, "/indicators/?format=json") == []


def test_detail_pages_leave_out_rows_under_a_rejected_programme(client, rejected_programme):
    """The initiative's own page is a 404 and the report page does not list it."""
    initiative = Initiative.objects.get(report=rejected_programme, title="建设红石榴驿站")
    assert client.get(f"/initiatives/{initiative.pk}/").status_code == 404
    page = client.get(f"/reports/{rejected_programme.pk}/").content.decode()
    assert f'href="/initiatives/{initiative.pk}/"' not in page


def test_counts_search_and_facets_leave_out_rows_under_a_rejected_programme(
    client, rejected_programme
):
    """Home counts, theme counts, search and the region page count nothing under it."""
    home = client.get("/")
    assert home.context["counts"]["initiatives"] == 0
    assert home.context["counts"]["indicators"] == 0
    assert {t.slug: t.initiative_count for t in home.context["themes"]}["stations"] == 0
    results = client.get("/search/?q=红石榴驿站").context["results"]
    counts = {s.kind: (s.count, s.hits) for s in results.sections}
    assert counts["initiative"] == (0, []) and counts["indicator"] == (0, [])
    region = client.get("/regions/150102/").context["page"]
    assert region.initiatives == [] and region.indicators == []


def test_indicators_under_a_rejected_initiative_are_hidden(client, make_report):
    """Rejecting an initiative hides its figures, as its programme's rejection would."""
    report = add_report(make_report)
    Initiative.objects.filter(report=report, title="建设红石榴驿站").update(rejected=True)
    assert set(Indicator.objects.public().values_list("label", flat=True)) == {"开展宣讲活动"}
    assert "服务群众" not in client.get("/indicators/").content.decode()
