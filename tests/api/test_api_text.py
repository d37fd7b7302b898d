"""The API's ?q= is the list pages' text filter: the same rows, read the same way."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.facets import FACET_BOUND
from catalogue.models import Initiative, Region
from ingest.segment import search_tokens

pytestmark = pytest.mark.django_db

# Written without spaces; as two words; with one word inside the other.
DENSE_QUERIES = ["红石榴驿站", "红石榴 驿站", "石榴 红石榴"]
TEXTS = ["建设红石榴驿站", "红石榴花开，驿站建成", "开展主题宣讲"]


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Pages rendered afresh: these tests compare what each request reads."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
        "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }


def initiatives(make_report, n: int, published: str) -> None:
    """`n` initiatives of one report published on `published`, cycling through TEXTS."""
    report = make_report(region=Region.objects.get(code="150102"), published=published)
    texts = [TEXTS[k % len(TEXTS)] for k in range(n)]
    Initiative.objects.bulk_create(
        Initiative(report=report, key=f"i{k}", position=k, start=k, end=k + 1, title=text, text=text, search_tokens=search_tokens(text))
        for k, text in enumerate(texts)
    )  # fmt: skip


def listed(page: str) -> list[int]:
    """Ids of the initiatives a list page shows, in order."""
    return [int(pk) for pk in dict.fromkeys(re.findall(r'href="/initiatives/(\d+)/"', page))]


@pytest.mark.parametrize("q", DENSE_QUERIES)
def test_the_api_and_the_list_page_give_the_same_rows_for_a_dense_query(client, make_report, q):
    """A query matching more rows than the bound gives the API the list page's rows, page by page."""
    initiatives(make_report, 3 * FACET_BOUND, "2020-05-01")
    initiatives(make_report, 30, "2024-05-01")
    for number in (1, 2, 5):
        api = client.get("/api/v1/initiatives/", {"q": q, "page": number}).json()
        page = client.get("/initiatives/", {"q": q, "page": number}).content.decode()
        assert [row["id"] for row in api["items"]] == listed(page)
        assert len(api["items"]) == 50 and api["capped"] is True
    newest = Initiative.objects.filter(report__published="2024-05-01").values_list("pk", flat=True)
    first = client.get("/api/v1/initiatives/", {"q": q}).json()["items"]
    assert first[0]["id"] in set(newest), "the newest report's rows come first"


def test_a_dense_querys_api_page_is_read_walking_the_lists_order(client, make_report):
    """The API reads a dense query's page without bitmap scans, as the list page does, so
    the text's index does not collect and sort every match."""
    initiatives(make_report, 4 * FACET_BOUND, "2020-05-01")  # a third matches: more than the bound
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/initiatives/", {"q": "红石榴驿站"})
    sqls = [query["sql"] for query in queries]
    page = next(k for k, sql in enumerate(sqls) if "LIMIT 51" in sql)
    assert any("enable_bitmapscan = off" in sql for sql in sqls[:page])
    assert not any("enable_bitmapscan = on" in sql for sql in sqls[:page][-3:])
