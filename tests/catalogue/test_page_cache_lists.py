"""List and search pages kept whole under the catalogue version: cheap to repeat, never stale."""

from __future__ import annotations

import pytest

from catalogue.models import Initiative, Theme
from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db

PAGES = [
    "/reports/",
    "/initiatives/?kind=concrete",
    "/indicators/?unit=场次",
    "/search/?q=驿站",
    "/en/programmes/",
]


@pytest.fixture(autouse=True)
def own_caches(settings):
    """Caches of this module's own, so no page kept by another test is served here."""
    locmem = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {
        "default": {"BACKEND": locmem, "LOCATION": "lists-default"},
        "pages": {"BACKEND": locmem, "LOCATION": "lists-pages"},
    }


@pytest.mark.parametrize("url", PAGES)
def test_a_repeated_list_or_search_page_costs_one_query(
    client, make_report, django_assert_num_queries, url
):
    """The second reader of the same address gets the same page for one query (the version)."""
    add_report(make_report)
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert not again.cookies


def test_a_staff_edit_of_a_theme_name_shows_on_the_next_request(client, make_report):
    """A theme renamed in admin (a save of the vocabulary, not of a row) is not served stale."""
    report = add_report(make_report)
    theme = Theme.objects.create(slug="test-theme", name="旧主题名")
    Initiative.objects.filter(report=report).first().themes.add(theme)
    assert "旧主题名" in client.get("/initiatives/").content.decode()
    theme.name = "新主题名"
    theme.save()
    page = client.get("/initiatives/").content.decode()
    assert "新主题名" in page and "旧主题名" not in page


def test_an_invalid_filter_is_never_kept(client, make_report):
    """A 400 page (its form's errors) is answered afresh each time, never from the cache."""
    add_report(make_report)
    assert client.get("/indicators/?year_min=abc").status_code == 400
    assert client.get("/indicators/?year_min=abc").status_code == 400
