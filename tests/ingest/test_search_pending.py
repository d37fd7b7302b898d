"""An ingest leaves the search indexes merged, so the first searches after it scan no pending list."""

import pytest

from ingest.pipeline import flush_search_entries

from .command_support import ingest
from .samples import CITY_REPORT, COUNTY_REPORT

pytestmark = pytest.mark.django_db


def test_ingest_ends_with_no_pending_search_entries(tmp_path):
    """After an ingest, no search index holds new entries in its pending list."""
    (tmp_path / "county.txt").write_text(COUNTY_REPORT, encoding="utf-8")
    (tmp_path / "city.txt").write_text(CITY_REPORT, encoding="utf-8")
    status, out, _ = ingest(str(tmp_path))
    assert status == 0 and "files: 2 new" in out
    assert flush_search_entries() == 0  # nothing was left to merge
