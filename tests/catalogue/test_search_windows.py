"""Search finds candidates newest-first in bounded id windows, through the partial public index."""

from __future__ import annotations

import pytest
from django.db import connection

from catalogue import search, selectors
from catalogue.models import Initiative
from ingest.segment import search_tokens
from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db


def fill_initiatives(report, texts: list[str]) -> list[int]:
    """Bulk-insert one initiative per text under `report`; their ids in order."""
    rows = Initiative.objects.bulk_create(
        Initiative(
            report=report,
            key=f"fill{n}",
            position=100 + n,
            start=0,
            end=1,
            title=text[:20],
            text=text,
            search_tokens=search_tokens(text),
        )
        for n, text in enumerate(texts)
    )
    return [row.pk for row in rows]


@pytest.mark.parametrize("window", [2, 5, 10_000])
def test_newest_matches_are_found_whatever_the_window(make_report, monkeypatch, window):
    """The candidates are the newest matching rows, also when they lie beyond the first window."""
    report = add_report(make_report)
    texts = ["建设红石榴驿站" if n % 7 == 0 else f"开展第{n}次主题宣讲" for n in range(60)]
    ids = fill_initiatives(report, texts)
    monkeypatch.setattr(search, "WINDOW", window)
    matched = search.text_filter(
        selectors.initiative_list(), "红石榴驿站", search.INITIATIVE_FIELDS
    )
    expected = sorted(matched.values_list("pk", flat=True), reverse=True)[:4]
    assert search.newest(matched, want=4) == expected
    assert set(expected) & set(ids), "some of the filled rows match"
    assert search.newest(matched, want=1000) == sorted(
        matched.values_list("pk", flat=True), reverse=True
    )


def test_search_of_one_kind_uses_the_partial_public_index(make_report):
    """With many public rows and a rare word, the planner reads initiative_search_public."""
    report = add_report(make_report)
    texts = [f"开展第{n}次主题宣讲活动和文化交流" for n in range(3000)]
    texts[1500] = "建设石榴籽家园"
    fill_initiatives(report, texts)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalogue_initiative")
    matched = search.text_filter(selectors.initiative_list(), "石榴籽", search.INITIATIVE_FIELDS)
    top = search.newest_ids([Initiative])[Initiative]
    first = search.window_query(matched, top=top, window=search.WINDOW, want=search.CANDIDATES)
    assert "initiative_search_public" in first.explain()
    assert "initiative_search_public" in matched.explain()
