"""The list pages, their facets and search read the big tables through indexes, not whole.

Generated reports (the page benchmark's generator, bench/data.py) are COPYed into the
test database and VACUUM ANALYZEd, so the planner prices each query as on a real
catalogue (inside a test's transaction the statistics differ with what ran before);
then every query a page runs is EXPLAINed and no big table may be read by a Seq Scan.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.db import connection

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import pgload  # noqa: E402

REPORTS = 3_000  # 45,000 initiatives, ~37,500 indicators: big enough for the planner
BIG_TABLES = (
    "catalogue_report",
    "catalogue_programme",
    "catalogue_initiative",
    "catalogue_initiative_themes",
    "catalogue_indicator",
)
PAGES = [
    "/reports/",
    "/reports/?province=150000",
    "/programmes/",
    "/initiatives/",
    "/initiatives/?kind=concrete",
    "/initiatives/?theme=exchange",
    "/initiatives/?q=红石榴 驿站",
    "/indicators/",
    "/indicators/?unit=场次&province=150000&year_min=2022",
    "/search/?q=红石榴 驿站",
    "/api/v1/indicators/?unit=场次&province=150000&year_min=2022",
    "/api/v1/initiatives/?page=20",
]


@pytest.fixture
def catalogue(division_table):
    """Generated reports committed to the test database and VACUUM ANALYZEd, as the page
    benchmark builds them (the test's flush empties the tables afterwards)."""
    pgload.build(REPORTS, seed=7)


def page_queries(client, url: str) -> list[tuple[str, tuple]]:
    """The SELECT statements (with their parameters) that answering `url` runs."""
    seen = []

    def record(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(url).status_code == 200, url
    return [
        (sql, params) for sql, params in seen if sql.lstrip().upper().startswith(("SELECT", "WITH"))
    ]


def plan(sql: str, params) -> str:
    """EXPLAIN of one statement."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_no_query_of_a_list_or_search_scans_a_big_table(catalogue, client):
    """Each list page's rows, count and facets, and search, find their rows through indexes
    (one build of the data for every page: it takes seconds)."""
    scans = []
    for url in PAGES:
        for sql, params in page_queries(client, url):
            found = plan(sql, params)
            scans += [
                f"{url} {table}: {sql[:150]}"
                for table in BIG_TABLES
                if f"Seq Scan on {table} " in found
            ]
    assert not scans, "\n".join(scans)
