"""Row pages rendered afresh (the first reader after a change): few queries, links and
names as before, in either language."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from catalogue.models import Brand, Indicator, Initiative, Programme, Report, Theme
from catalogue.selectors.permalinks import permalink_paths
from catalogue.selectors.region_chain import region_map
from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("name", ["report_detail", "initiative_detail", "indicator_detail"])
def test_permalink_paths_match_reverse(language, name):
    """A path built from the once-reversed prefix is the path Django reverses for that row."""
    with translation.override(language):
        path = permalink_paths(name)
        for pk in (1, 10, 2024, 9_876_543):
            assert path(pk) == reverse(f"catalogue:{name}", args=[pk])


def test_report_page_reads_in_five_queries(client, make_report, django_assert_num_queries):
    """A report page costs the version, the report with its text, and one query per kind of
    item; reprints are only read for a report that has some (the regions, read once per
    version by the process, already read)."""
    report = add_report(make_report)
    region_map()
    with django_assert_num_queries(5):
        assert client.get(f"/reports/{report.pk}/").status_code == 200


def test_report_page_lists_the_sources_of_its_reprints(client, make_report):
    """A report with reprints grouped under it names their sources and links."""
    report = add_report(make_report)
    make_report(hidden=True, duplicate_of=report, sources=["某某网"], url="https://example.org/a")
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "某某网" in page and 'href="https://example.org/a"' in page


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_report_page_links_every_row_in_its_language(client, make_report, prefix):
    """On a report page each programme, initiative and figure links its own permalink, under
    the language prefix of the page."""
    report = add_report(make_report)
    page = client.get(f"{prefix}/reports/{report.pk}/").content.decode()
    for model, kind in (
        (Programme, "programmes"),
        (Initiative, "initiatives"),
        (Indicator, "indicators"),
    ):
        for pk in model.objects.filter(report=report).values_list("pk", flat=True):
            assert f'href="{prefix}/{kind}/{pk}/"' in page
    assert page.count('title="永久链接"' if not prefix else 'title="Permalink"') == 4


def test_initiative_page_reads_in_three_queries(client, make_report, django_assert_num_queries):
    """An initiative page costs the version, the initiative with its themes and brands, and
    its figures, however many themes and brands it has (the regions already read)."""
    initiative = Initiative.objects.get(report=add_report(make_report), title="建设红石榴驿站")
    initiative.themes.add(*(Theme.objects.create(slug=f"t{n}", name=f"主题{n}") for n in range(3)))
    initiative.brands.add(*(Brand.objects.create(name=f"品牌{n}") for n in range(3)))
    region_map()
    with django_assert_num_queries(3):
        assert client.get(f"/initiatives/{initiative.pk}/").status_code == 200


def test_initiative_page_shows_themes_and_brands_in_order(client, make_report):
    """Themes (by slug, English names on /en/) and brands (by name) link where they did."""
    initiative = Initiative.objects.get(report=add_report(make_report), title="建设红石榴驿站")
    initiative.themes.add(
        Theme.objects.create(slug="b-theme", name="乙主题", name_en="Theme B"),
        Theme.objects.create(slug="a-theme", name="甲主题", name_en="Theme A"),
    )
    brands = [Brand.objects.create(name=name) for name in ("石榴籽讲堂", "红石榴驿站")]
    initiative.brands.add(*brands)
    page = client.get(f"/initiatives/{initiative.pk}/").content.decode()
    assert re.findall(r'<a class="tag" href="/initiatives/\?theme=([^"]+)">([^<]+)</a>', page) == [
        ("a-theme", "甲主题"),
        ("b-theme", "乙主题"),
    ]
    by_name = sorted(brands, key=lambda brand: brand.name)
    assert re.findall(r'<a class="brand-link" href="/brands/(\d+)/">“([^”]+)”</a>', page) == [
        (str(brand.pk), brand.name) for brand in by_name
    ]
    english = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
    assert re.findall(
        r'<a class="tag" href="/en/initiatives/\?theme=[^"]+">([^<]+)</a>', english
    ) == [
        "Theme A",
        "Theme B",
    ]


def test_indicator_page_reads_in_two_queries(client, make_report, django_assert_num_queries):
    """A figure's page costs the version and the figure with the part of the text its
    sentence reaches, and still shows that sentence (the regions already read)."""
    indicator = Indicator.objects.get(report=add_report(make_report), label="建成驿站")
    region_map()
    with django_assert_num_queries(2):
        page = client.get(f"/indicators/{indicator.pk}/").content.decode()
    assert re.search(
        r'二是建设红石榴驿站.<mark class="k-indicator">建成驿站8个</mark>.服务群众', page
    )


def test_report_without_text_still_has_a_page(client, make_report):
    """A report whose text row is missing shows an empty body, not an error."""
    report = add_report(make_report)
    Report.objects.filter(pk=report.pk).first().content.delete()
    assert client.get(f"/reports/{report.pk}/").status_code == 200
