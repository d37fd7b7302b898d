"""End to end on the real seed reports: compare by measure returns only that measure's figures."""

import io
import json

import pytest
from django.core.management import call_command

from catalogue.models import Measure

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]


@pytest.fixture
def ingested(seeds_dir):
    """The seed reports ingested."""
    call_command("ingest", str(seeds_dir), stdout=io.StringIO(), stderr=io.StringIO())


def compare_rows(client, measure: str) -> list[dict]:
    """The compared figures of `measure` at every administrative level."""
    rows = []
    for level in ("province", "prefecture", "county"):
        response = client.get(f"/compare/?measure={measure}&format=json&level={level}")
        assert response.status_code == 200
        rows += json.loads(b"".join(response.streaming_content))["rows"]
    return rows


def test_population_compare_holds_only_population(client, ingested):
    """?measure=population returns population figures only: 总人口 15.3万人 among them."""
    rows = compare_rows(client, "population")
    assert rows, "some seed reports state their population"
    assert {r["measure"] for r in rows} == {"population"}
    assert {r["unit"] for r in rows} <= set(Measure.objects.get(slug="population").units) | {"人"}
    assert any(r["value"] == "153000" for r in rows)
    level = next(r["level"] for r in rows if r["value"] == "153000")
    page = client.get(f"/compare/?measure=population&level={level}").content.decode()
    assert "15.3万人" in page


def test_events_compare_holds_only_event_counts_with_their_periods(client, ingested):
    """?measure=events returns event counts only, each with its period kind, ranked per kind."""
    rows = compare_rows(client, "events")
    assert rows, "the seed reports count their events"
    assert {r["measure"] for r in rows} == {"events"}
    assert {r["unit"] for r in rows} <= set(Measure.objects.get(slug="events").units)
    kinds = {"point", "year", "half-year", "per-year", "unstated"}
    assert all(r["period_kind"] in kinds for r in rows)
    level = rows[0]["level"]
    page = client.get(f"/compare/?measure=events&level={level}").content.decode()
    kinds_at_level = {r["period_kind"] for r in rows if r["level"] == level}
    assert page.count("<svg") == len(kinds_at_level)


def test_no_comparison_on_the_seeds_mixes_measures_or_kinds(client, ingested):
    """Every measure's comparison holds only that measure's figures, so a context figure
    (population, area, GDP …) is never ranked with one of another kind."""
    compared = 0
    for measure in Measure.objects.all():
        rows = compare_rows(client, measure.slug)
        assert {(r["measure"], r["measure_kind"]) for r in rows} <= {(measure.slug, measure.kind)}
        compared += bool(rows)
    assert compared >= 10, "the seeds report figures of many measures"
