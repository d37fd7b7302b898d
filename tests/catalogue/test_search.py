"""Chinese full-text search: same segmentation as documents, ranked, highlighted, short-query fallback."""

import pytest

from catalogue.models import Initiative
from tests.catalogue.test_pages import BODY, add_report

pytestmark = pytest.mark.django_db


def test_search_finds_initiative_by_segmented_word_and_highlights_it(client, make_report):
    """红石榴 finds the initiative that mentions it, with the word marked in its snippet."""
    add_report(make_report)
    page = client.get("/search/?q=红石榴").content.decode()
    hits = page[page.index('id="h-initiative"') :]
    assert "<mark>红石榴</mark>" in hits
    initiative = Initiative.objects.get(title="建设红石榴驿站")
    assert f'href="/initiatives/{initiative.pk}/"' in hits


def test_all_query_words_must_match(client, make_report):
    """A two-word query finds rows having both words only."""
    add_report(make_report)
    page = client.get("/search/?q=红石榴 宣讲").content.decode()
    assert 'id="h-initiative"' not in page
    assert 'id="h-report"' in page  # the report text has both


def test_one_or_two_character_queries_match_substrings(client, make_report):
    """A single character finds rows containing it, and the page says substring matching was used."""
    add_report(make_report)
    page = client.get("/search/?q=榴").content.decode()
    assert "一两个字的检索按字串匹配" in page
    assert "<mark>榴</mark>" in page


def test_search_never_shows_hidden_or_rejected(client, make_report):
    """Hidden reports and rejected initiatives are not found."""
    add_report(make_report, hidden=True, title="隐藏")
    report = add_report(make_report)
    Initiative.objects.filter(report=report, title="建设红石榴驿站").update(rejected=True)
    page = client.get("/search/?q=红石榴").content.decode()
    assert 'id="h-initiative"' not in page and "隐藏" not in page


def test_search_escapes_the_query_and_the_text(client, make_report):
    """Markup in the query or the matched text is shown as text."""
    add_report(make_report, body=BODY + "红石榴<b>x</b>")
    page = client.get("/search/?q=<b>红石榴</b>").content.decode()
    assert "<b>x</b>" not in page and "<b>红石榴" not in page
