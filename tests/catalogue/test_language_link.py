"""The language link and the page cache read the query string as the client sent its bytes."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db

QUERY = "q=红石榴"
ENCODED = "q=" + quote("红石榴")  # q=%E7%BA%A2%E7%9F%B3%E6%A6%B4


def sent(query: str) -> str:
    """`query` as a WSGI server hands it to Django: the bytes on the wire read as Latin-1."""
    return query.encode().decode("latin-1")


@pytest.fixture(autouse=True)
def own_caches(settings):
    """Caches of this module's own, so no page kept by another test is served here."""
    locmem = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {
        "default": {"BACKEND": locmem, "LOCATION": "language-default"},
        "pages": {"BACKEND": locmem, "LOCATION": "language-pages"},
    }


@pytest.mark.parametrize("query", [QUERY, ENCODED], ids=["raw UTF-8", "percent-encoded"])
@pytest.mark.parametrize(
    ("path", "link"),
    [("/initiatives/", "/en/initiatives/"), ("/en/initiatives/", "/initiatives/")],
    ids=["to English", "to Chinese"],
)
def test_the_language_link_keeps_the_query(client, query, path, link):
    """Switching language keeps ?q=红石榴 whether the client percent-encoded it or not."""
    page = client.get(path, QUERY_STRING=sent(query)).content.decode()
    assert f'href="{link}?{ENCODED}"' in page
    assert 'value="红石榴"' in page  # the search box read the same query


def test_a_query_sent_raw_and_its_misread_percent_form_are_different_pages(client, make_report):
    """A raw UTF-8 query is not answered with the page kept for a different, encoded query."""
    add_report(make_report)
    misread = "q=" + quote("驿站".encode().decode("latin-1"))  # the bytes read as Latin-1
    other = client.get("/search/", QUERY_STRING=misread).content.decode()
    page = client.get("/search/", QUERY_STRING=sent("q=驿站")).content.decode()
    assert 'value="驿站"' in page and "<mark>驿站</mark>" in page
    assert "<mark>驿站</mark>" not in other
