"""The page benchmarks' data builders still fit the schema (a drift fails here, not mid-benchmark)."""

import sqlite3
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import data  # noqa: E402
import peer  # noqa: E402
import pgload  # noqa: E402

from catalogue.models import Indicator, Initiative, Report  # noqa: E402

REPORTS = 3


@pytest.fixture
def built(db):
    """A handful of generated reports COPYed into the test database (in its transaction)."""
    return pgload.build(REPORTS, seed=1)


def test_build_fills_every_table(built):
    """Each generated report arrives with its programmes, initiatives, indicators and links."""
    assert built["catalogue_report"] == Report.objects.count() == REPORTS
    assert built["catalogue_initiative"] == REPORTS * data.INITIATIVES_PER_REPORT
    assert Initiative.objects.count() == built["catalogue_initiative"]
    assert (
        Initiative.objects.filter(themes__isnull=False).distinct().count()
        == (built["catalogue_initiative"])
    )
    assert Indicator.objects.count() == built["catalogue_indicator"] > 0


def test_generated_spans_quote_the_report(built):
    """Initiatives and indicators point at the very text of their report, as the pages show it."""
    for initiative in Initiative.objects.select_related("report"):
        assert initiative.report.body[initiative.start : initiative.end] == initiative.text
    for indicator in Indicator.objects.select_related("report"):
        assert indicator.report.body[indicator.start : indicator.end] == indicator.quote


def test_generated_reports_are_served(built, client):
    """The catalogue's list and detail pages answer on the generated data."""
    report = Report.objects.filter(hidden=False).first()
    for url in ("/", "/reports/", f"/reports/{report.pk}/", "/indicators/?unit=场次"):
        assert client.get(url).status_code == 200, url


def test_sqlite_copy_has_the_rows_and_their_search_tokens(built, tmp_path):
    """The Datasette copy holds the same rows, and FTS5 finds a word in the same initiatives."""
    path = tmp_path / "peer.db"
    peer.build_sqlite(path, "test")
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM catalogue_indicator").fetchone()[0] == (
            Indicator.objects.count()
        )
        found = db.execute(
            "SELECT count(*) FROM catalogue_initiative_fts WHERE catalogue_initiative_fts "
            "MATCH '\"驿站\"'"
        ).fetchone()[0]
    assert found == Initiative.objects.filter(search_tokens__regex=r"(^| )驿站( |$)").count() > 0
