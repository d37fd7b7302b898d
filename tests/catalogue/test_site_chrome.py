"""The site header and footer, rendered once per language, stay right for every page."""

from __future__ import annotations

import pytest

from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db


def test_header_and_footer_follow_the_language_page_after_page(client, make_report):
    """Alternating Chinese and English pages, each has its own language's header and links."""
    report = add_report(make_report)
    for _ in range(2):
        chinese = client.get(f"/reports/{report.pk}/").content.decode()
        english = client.get(f"/en/reports/{report.pk}/").content.decode()
        assert 'href="/reports/">报告</a>' in chinese and "关于本目录与方法" in chinese
        assert 'href="/en/reports/">' in english and 'href="/en/about/">' in english
        assert "关于本目录与方法" not in english


def test_what_the_reader_asked_is_never_kept_in_the_header(client, make_report):
    """The search box shows this reader's query and the language link points at this page."""
    add_report(make_report)
    first = client.get("/search/", {"q": "宣讲"}).content.decode()
    second = client.get("/search/", {"q": "驿站"}).content.decode()
    header = second.split("<main")[0]
    assert 'value="宣讲"' in first and 'value="驿站"' in header and "宣讲" not in header
    assert 'href="/en/search/?q=%E9%A9%BF%E7%AB%99"' in header
