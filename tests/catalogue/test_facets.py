"""List facets: counted in the through table, cached for the whole list, dropped when too slow."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from catalogue.facets import limited
from catalogue.models import Initiative, Region, Theme
from catalogue.views import refresh_list_facets

pytestmark = pytest.mark.django_db

SLEEP = "SELECT pg_sleep(0.5)"
HOLD = 2.0  # seconds another session holds a table locked: well past the 200 ms limit
NAMES = {"exchange": "交往交流交融", "education": "宣传教育", "culture": "文化"}


def run(sql: str) -> list:
    """Rows of one SQL statement."""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_a_query_over_the_time_limit_is_cancelled_and_later_queries_are_not_limited():
    """A facet query past its limit gives None; the next query runs without that limit."""
    assert limited(lambda: run(SLEEP), ms=50) is None
    assert limited(lambda: run("SELECT 1"), ms=1000) == [(1,)]
    assert run(SLEEP) == [("",)]  # 500 ms: the 50 ms limit did not outlive its facet


@pytest.mark.django_db(transaction=True)
def test_the_time_limit_works_outside_a_transaction_too(division_table):
    """In autocommit (how pages run), the limit holds for the facet and is gone after it."""
    assert not connection.in_atomic_block
    assert limited(lambda: run(SLEEP), ms=50) is None
    assert run(SLEEP) == [("",)]


def initiatives(make_report, n: int, *, themes: tuple[str, ...] = ("exchange",)) -> None:
    """`n` initiatives of one Xincheng report, each carrying `themes`."""
    report = make_report(region=Region.objects.get(code="150102"), body="甲" * (n + 1))
    rows = Initiative.objects.bulk_create(
        Initiative(report=report, key=f"i{k}", position=k, start=k, end=k + 1, title=f"举措{k}", text="甲")
        for k in range(n)
    )  # fmt: skip
    linked = [
        Theme.objects.get_or_create(slug=slug, defaults={"name": NAMES[slug]})[0] for slug in themes
    ]
    Initiative.themes.through.objects.bulk_create(
        Initiative.themes.through(initiative=row, theme=theme) for row in rows for theme in linked
    )


def facet_section(page: str, title: str) -> str:
    """The HTML of the facet titled `title`."""
    start = page.index('<section class="facet')
    start = page.index(f'aria-label="{title}"', start)
    return page[start : page.index("</section>", start)]


def test_theme_facet_counts_initiatives_per_theme_of_the_filtered_rows(client, make_report):
    """The theme facet counts, per theme, the initiatives the current filters leave."""
    initiatives(make_report, 3, themes=("exchange", "education"))
    initiatives(make_report, 2, themes=("exchange",))
    page = client.get("/initiatives/").content.decode()
    exchange, education = NAMES["exchange"], NAMES["education"]
    section = facet_section(page, "主题")
    assert f'{exchange}</a> <span class="count">5</span>' in section
    assert f'{education}</a> <span class="count">3</span>' in section
    page = client.get("/initiatives/?theme=education").content.decode()
    assert f'{exchange}</a> <span class="count">3</span>' in facet_section(page, "主题")


def test_a_facet_that_runs_out_of_time_is_dropped_with_a_note(client, make_report, settings):
    """A theme facet that waits past the limit (another session holds its table locked) is
    dropped with a note; the page still answers, with the other facets counted."""
    settings.FACET_TIME_LIMIT_MS = 200
    # Concrete initiatives without themes (this test's transaction must not lock the
    # through table itself). The theme facet reads the table for the sampled initiatives
    # and gives up after 200 ms; the page's own rows read it too (their themes), without
    # a limit, so the other session lets go after HOLD seconds and the page finishes.
    initiatives(make_report, 3, themes=())
    other = connections.create_connection("default")
    other.inc_thread_sharing()  # its lock is let go from a timer's thread
    with other.cursor() as cursor:
        cursor.execute(
            "SET lock_timeout = '5s'; BEGIN; "
            "LOCK TABLE catalogue_initiative_themes IN ACCESS EXCLUSIVE MODE"
        )
    release = threading.Timer(HOLD, lambda: other.cursor().execute("ROLLBACK"))
    release.start()
    try:
        response = client.get("/initiatives/?kind=concrete")
    finally:
        release.join()
        other.close()
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("分面已跳过:统计太慢") == 1
    assert "分面已跳过" in facet_section(page, "主题")
    assert "分面已跳过" not in client.get("/initiatives/?kind=concrete").content.decode()


@pytest.fixture
def own_cache(settings):
    """A cache of this test's own: the shared file cache culls entries when the suite fills it.
    No page cache: these tests read the facet layer beneath it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "facets",
        },
        "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }


def test_the_whole_lists_facets_are_counted_once_per_catalogue_version(
    client, make_report, own_cache
):
    """The unfiltered list's facets come from the cache until the catalogue changes."""
    initiatives(make_report, 4)
    exchange = NAMES["exchange"]
    assert (
        f'{exchange}</a> <span class="count">4</span>'
        in client.get("/initiatives/").content.decode()
    )
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/initiatives/?o=-published").content.decode()
    assert f'{exchange}</a> <span class="count">4</span>' in page
    assert not [q for q in queries if "COUNT(" in q["sql"]], "sorting reuses the cached counts"
    initiatives(make_report, 1)  # a new report moves the catalogue version
    page = client.get("/initiatives/").content.decode()
    assert f'{exchange}</a> <span class="count">5</span>' in page


def test_ingest_counts_the_whole_lists_facets_before_a_reader_asks(client, make_report, own_cache):
    """After refresh_list_facets (run by ingest) no list page counts its unfiltered facets."""
    initiatives(make_report, 2)
    refresh_list_facets()
    for url in ("/reports/", "/programmes/", "/initiatives/", "/indicators/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert not [q for q in queries if "GROUP BY" in q["sql"]], url


def test_the_theme_facet_counts_in_the_through_table_without_an_anti_join(client, make_report):
    """The theme facet's query groups the through table; no anti-join (NOT IN / NOT EXISTS)
    over every initiative."""
    initiatives(make_report, 3)
    with CaptureQueriesContext(connection) as queries:
        client.get("/initiatives/?kind=concrete")
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "initiative_themes" in q["sql"]]
    assert len(counts) == 1
    assert counts[0].startswith('SELECT "catalogue_theme"."slug"')
    assert not re.search(r"NOT \((EXISTS|\S+ IN) ?\(SELECT", counts[0]), counts[0]
