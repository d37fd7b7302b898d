"""A list's count and facets read at most the newest FACET_BOUND matching rows, and say so."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.facets import FACET_BOUND
from catalogue.models import Initiative, Region, Theme
from catalogue.views import refresh_list_facets
from catalogue.windows import FIRST as WINDOW

pytestmark = pytest.mark.django_db

MORE = FACET_BOUND + 5
NOTE = f"按最新的 {FACET_BOUND} 条统计"


@pytest.fixture(autouse=True)
def own_cache(settings):
    """A cache of this module's own: the shared file cache is culled when the suite fills it.
    No page cache: these tests read the counts beneath it."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "b"},
        "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }


def initiatives(
    make_report, n: int, *, code: str = "150102", ids: list[int] | None = None
) -> list[Initiative]:
    """`n` concrete initiatives of one report in region `code` (with these `ids`, if given),
    each with the theme exchange."""
    report = make_report(region=Region.objects.get(code=code), body="甲" * (n + 1))
    rows = Initiative.objects.bulk_create(
        Initiative(id=ids[k] if ids else None, report=report, key=f"i{k}", position=k, start=k, end=k + 1, title=f"举措{k}", text="甲")
        for k in range(n)
    )  # fmt: skip
    theme = Theme.objects.get_or_create(slug="exchange", defaults={"name": "交往交流交融"})[0]
    Initiative.themes.through.objects.bulk_create(
        Initiative.themes.through(initiative=row, theme=theme) for row in rows
    )
    return rows


def facet(page: str, title: str) -> str:
    """The HTML of the facet titled `title`."""
    start = page.index(f'<section class="facet" aria-label="{title}"')
    return page[start : page.index("</section>", start)]


def test_a_filtered_list_past_the_bound_gives_lower_bounds_marked_plus(client, make_report):
    """More matches than the bound: the page says "more than", each facet count ends in "+"
    and the facet says it counted only the newest rows."""
    initiatives(make_report, MORE)
    page = client.get("/initiatives/?kind=concrete").content.decode()
    assert f"超过 {FACET_BOUND} 条" in page
    assert f'<span class="count">{FACET_BOUND + 1}+</span>' in facet(page, "主题")
    assert f'<span class="count">{FACET_BOUND + 1}+</span>' in facet(page, "性质")
    assert NOTE in facet(page, "主题")


def test_a_filtered_list_within_the_bound_is_counted_exactly(client, make_report):
    """Fewer matches than the bound: exact counts, no "+", no note."""
    initiatives(make_report, 5)
    page = client.get("/initiatives/?kind=concrete").content.decode()
    assert "共 5 条" in page
    assert '<span class="count">5</span>' in facet(page, "主题")
    assert "+</span>" not in page and NOTE not in page


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/initiatives/?kind=concrete", {"省级": 3, "地级": 1, "县级": 2}),
        ("/programmes/?province=150000", {}),  # no programmes: no facet, not an error
        ("/reports/?province=150000", {"省级": 1, "地级": 1, "县级": 1}),
    ],
)
def test_the_level_facet_counts_rows_by_their_reports_level(client, make_report, url, expected):
    """The level facet counts each row under its report's region level."""
    initiatives(make_report, 2, code="150102")  # Xincheng: county level
    initiatives(make_report, 3, code="150000")  # Inner Mongolia: province
    initiatives(make_report, 1, code="150100")  # Hohhot: prefecture
    page = client.get(url).content.decode()
    for label, n in expected.items():
        assert f'{label}</a> <span class="count">{n}</span>' in facet(page, "行政级别")
    if not expected:
        assert 'aria-label="行政级别"' not in page


def test_a_text_filter_finds_matches_older_than_its_first_window(client, make_report):
    """A match among old ids is found and counted once the window widens past the newest ids."""
    initiatives(make_report, 2, ids=[1, 2 * WINDOW * FACET_BOUND])
    Initiative.objects.filter(pk=1).update(title="红石榴驿站", search_tokens="红石榴驿站")
    page = client.get("/initiatives/?q=红石榴驿站").content.decode()
    assert "共 1 条" in page
    assert '<span class="count">1</span>' in facet(page, "主题")


def test_a_text_filter_stops_widening_at_the_oldest_id(client, make_report):
    """Ids that start high (rows deleted long ago) cost no extra windows: the first window
    that reaches the table's oldest id already counts every row."""
    high = 100 * WINDOW * FACET_BOUND
    initiatives(make_report, 2, ids=[high, high + 1])
    Initiative.objects.filter(pk=high).update(title="红石榴驿站", search_tokens="红石榴驿站")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/initiatives/?q=红石榴驿站").content.decode()
    assert "共 1 条" in page
    windows = [q["sql"] for q in queries if "WITH sample" in q["sql"]]
    assert len(windows) == 1, windows


def test_the_whole_lists_exact_counts_come_from_ingests_refresh(client, make_report):
    """Before ingest's refresh a reader counts only the newest rows ("+"); after it, every row."""
    initiatives(make_report, MORE)
    page = client.get("/initiatives/").content.decode()
    assert f'<span class="count">{FACET_BOUND + 1}+</span>' in facet(page, "主题")
    refresh_list_facets()
    page = client.get("/initiatives/").content.decode()
    assert f'<span class="count">{MORE}</span>' in facet(page, "主题")
    assert f"共 {MORE} 条" in page


def test_a_common_words_first_page_keeps_the_lists_order(client, make_report):
    """A word matching more rows than the bound (read by walking the list's order instead of
    its index) still lists the newest report's rows first, in their order."""
    older = initiatives(make_report, MORE)
    newer = initiatives(make_report, 2)
    older[0].report.__class__.objects.filter(pk=older[0].report_id).update(published="2020-01-01")
    newer[0].report.__class__.objects.filter(pk=newer[0].report_id).update(published="2024-01-01")
    Initiative.objects.update(title="红石榴驿站", search_tokens="红石榴驿站")
    page = client.get("/initiatives/?q=红石榴驿站").content.decode()
    assert f"超过 {FACET_BOUND} 条" in page
    links = [f'href="/initiatives/{row.pk}/"' for row in (*newer, older[0])]
    assert page.index(links[0]) < page.index(links[1]) < page.index(links[2])


def test_the_first_readers_bounded_counts_serve_the_next_reader(client, make_report):
    """Before ingest's refresh, the whole list's bounded counts are counted once per version."""
    initiatives(make_report, MORE)
    client.get("/initiatives/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/initiatives/?page=2").content.decode()
    assert f'<span class="count">{FACET_BOUND + 1}+</span>' in facet(page, "主题")
    assert not [q for q in queries if "WITH sample" in q["sql"]]


def test_every_page_of_a_long_filtered_list_stays_reachable(client, make_report):
    """Past the bound, the page asked for is counted far enough to exist and to link a next
    one, so a reader can page on through a filtered list longer than the bound."""
    rows = FACET_BOUND + 165
    initiatives(make_report, rows)
    pages = (rows + 49) // 50
    past_the_bound = (FACET_BOUND + 1 + 49) // 50 + 1  # beyond what the bounded count shows
    assert past_the_bound < pages
    page = client.get(f"/initiatives/?kind=concrete&page={past_the_bound}")
    assert page.status_code == 200 and 'rel="next"' in page.content.decode()
    final = client.get(f"/initiatives/?kind=concrete&page={pages}")
    assert final.status_code == 200 and 'rel="next"' not in final.content.decode()
    assert client.get(f"/initiatives/?kind=concrete&page={pages + 1}").status_code == 404


def test_warm_cache_gives_exact_whole_list_counts_again_after_a_staff_edit(client, make_report):
    """A staff edit moves the version (bounded counts again); `manage.py warm_cache` counts
    every row for the new version, as ingest does, before a reader has to."""
    rows = initiatives(make_report, MORE)
    refresh_list_facets()
    rows[0].title = "改过的标题"
    rows[0].save()  # as staff would: a save moves the catalogue version
    assert f"共 {MORE} 条" not in client.get("/initiatives/").content.decode()
    call_command("warm_cache", stdout=io.StringIO())  # replaces the reader's bounded counts
    assert f"共 {MORE} 条" in client.get("/initiatives/").content.decode()
