"""Search finds candidates newest-first in bounded id windows, through the partial public index."""

from __future__ import annotations

import pytest
from django.db import connection

from catalogue import search, selectors, windows
from catalogue.models import Initiative
from ingest.segment import search_tokens
from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db


def fill_initiatives(report, texts: list[str], tokens: list[str] | None = None) -> list[int]:
    """Bulk-insert one initiative per text under `report` (tokens by jieba unless given); ids."""
    tokens = tokens or [search_tokens(text) for text in texts]
    rows = Initiative.objects.bulk_create(
        Initiative(
            report=report,
            key=f"fill{n}",
            position=100 + n,
            start=0,
            end=1,
            title=text[:20],
            text=text,
            search_tokens=words,
        )
        for n, (text, words) in enumerate(zip(texts, tokens, strict=True))
    )
    return [row.pk for row in rows]


@pytest.mark.parametrize("window", [2, 5, 10_000])
def test_newest_matches_are_found_whatever_the_window(make_report, monkeypatch, window):
    """The candidates are the newest matching rows, also when they lie beyond the first window."""
    report = add_report(make_report)
    texts = ["建设红石榴驿站" if n % 7 == 0 else f"开展第{n}次主题宣讲" for n in range(60)]
    ids = fill_initiatives(report, texts)
    monkeypatch.setattr(windows, "FIRST", window)
    matched = search.text_filter(
        selectors.initiative_list(), "红石榴驿站", search.INITIATIVE_FIELDS
    )
    expected = sorted(matched.values_list("pk", flat=True), reverse=True)[:4]
    assert windows.newest(matched, want=4) == expected
    assert set(expected) & set(ids), "some of the filled rows match"
    assert windows.newest(matched, want=1000) == sorted(
        matched.values_list("pk", flat=True), reverse=True
    )


def test_search_of_one_kind_uses_the_partial_public_index(make_report):
    """With many public rows and a rare word, the list and count queries read
    initiative_search_public, and the candidate window never reads the whole table."""
    report = add_report(make_report)
    # Long rows, so that reading the table costs far more than the index (tokens written out:
    # jieba over 20,000 rows would only slow the test down).
    texts = [f"开展第{n}次主题宣讲活动和文化交流" * 8 for n in range(20_000)]
    tokens = [f"开展 第{n}次 主题 宣讲 活动 和 文化 交流" for n in range(20_000)]
    texts[10_000], tokens[10_000] = "建设石榴籽家园", "建设 石榴籽 家园"
    fill_initiatives(report, texts, tokens)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalogue_initiative")
    matched = search.text_filter(selectors.initiative_list(), "石榴籽", search.INITIATIVE_FIELDS)
    span = windows.spans([Initiative])[Initiative]
    window = windows.first(Initiative, search.CANDIDATES, span=span)
    first = window.within(matched).order_by("-pk").values_list("pk", flat=True)
    first = first[: search.CANDIDATES]
    assert "initiative_search_public" in matched.explain()
    counted = matched.order_by().values("pk")[: search.COUNT_BOUND + 1]
    assert "initiative_search_public" in counted.explain()
    window_plan = first.explain()
    assert "Seq Scan" not in window_plan
    assert (
        "initiative_search_public" in window_plan
        or f"(id > {span[0] - window.size})" in window_plan
    )


def test_a_rare_word_stops_widening_at_the_oldest_id(make_report, django_assert_num_queries):
    """Ids that start high (rows deleted long ago) cost no extra windows: one window that
    reaches the table's oldest id already covers every row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('catalogue_initiative', 'id'), 10000000)"
        )
    report = add_report(make_report)
    fill_initiatives(report, ["建设石榴籽家园"])
    matched = search.text_filter(selectors.initiative_list(), "未见之词", search.INITIATIVE_FIELDS)
    span = windows.spans([Initiative])[Initiative]
    with django_assert_num_queries(1):
        assert windows.newest(matched, want=search.CANDIDATES, span=span) == []


@pytest.mark.parametrize("rows", [10, 500])
def test_walked_windows_keep_the_search_pages_queries_bounded(
    client, make_report, monkeypatch, django_assert_max_num_queries, rows
):
    """With first windows smaller than the tables (so they are walked), the search page
    makes a bounded number of queries at 10 and at 500 matching rows, and still
    lists the newest match first."""
    monkeypatch.setattr(windows, "FIRST", 1)
    report = add_report(make_report)
    ids = fill_initiatives(report, ["建设红石榴驿站"] * rows)
    with django_assert_max_num_queries(20):
        page = client.get("/search/?q=红石榴 驿站").content.decode()
    assert f'href="/initiatives/{ids[-1]}/"' in page
