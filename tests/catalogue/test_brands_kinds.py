"""The brand index and brand pages, and slogans against concrete initiatives in lists and reports."""

from __future__ import annotations

import re
from datetime import date

import pytest

from catalogue.models import Brand
from tests.catalogue.measure_support import branded_initiative, measured_report

pytestmark = pytest.mark.django_db


def report_in(make_report, code: str, **fields):
    """An invented public report in `code` with no figures."""
    return measured_report(make_report, code=code, published=date(2024, 1, 1), figures=[], **fields)


def brand_rows(page: str) -> list[tuple[str, int, int]]:
    """(name, regions, reports) of each row of the brand table, in page order."""
    return [
        (name, int(regions), int(reports))
        for name, regions, reports in re.findall(
            r'<a href="/brands/\d+/">“([^”]+)”</a></th>\s*<td class="num">(\d+)</td><td class="num">(\d+)</td>',
            page,
        )
    ]


def test_brands_list_regions_and_reports_most_regions_first(client, make_report):
    """A brand used in three regions comes before one used in three reports of one region;
    each row links the regions that use it."""
    for code in ("150102", "150103", "450205"):
        branded_initiative(report_in(make_report, code), "建设驿站", brands=["红石榴驿站"])
    for _ in range(3):
        branded_initiative(report_in(make_report, "150102"), "开设讲堂", brands=["石榴籽讲堂"])
    page = client.get("/brands/").content.decode()
    assert brand_rows(page) == [("红石榴驿站", 3, 3), ("石榴籽讲堂", 1, 3)]
    row = re.search(r"<tr>\s*<th scope=\"row\"><a [^>]*>“红石榴驿站”.*?</tr>", page, re.S).group(0)
    for code in ("150102", "150103", "450205"):
        assert f'href="/regions/{code}/"' in row


def test_hidden_reports_and_rejected_initiatives_never_count_for_a_brand(client, make_report):
    """A brand seen only in a hidden report or a rejected initiative is not listed and has no
    page; a brand's counts leave such uses out."""
    branded_initiative(report_in(make_report, "150102"), "驿站", brands=["红石榴驿站"])
    branded_initiative(report_in(make_report, "150103", hidden=True), "驿站", brands=["红石榴驿站"])
    branded_initiative(
        report_in(make_report, "150104"), "驿站", brands=["红石榴驿站"], rejected=True
    )
    branded_initiative(report_in(make_report, "150105", hidden=True), "隐", brands=["隐藏品牌"])
    page = client.get("/brands/").content.decode()
    assert brand_rows(page) == [("红石榴驿站", 1, 1)]
    assert "150103" not in page and "150104" not in page
    hidden_brand = Brand.objects.get(name="隐藏品牌")
    assert client.get(f"/brands/{hidden_brand.pk}/").status_code == 404


def test_brand_page_lists_its_regions_reports_and_initiatives(client, make_report):
    """A brand's page links each region, report and initiative using it, and nothing else."""
    first = report_in(make_report, "150102", title="新城区驿站报道")
    second = report_in(make_report, "450205", title="柳北区驿站报道")
    other = report_in(make_report, "150103", title="无关报道")
    one = branded_initiative(first, "建设驿站", brands=["红石榴驿站"])
    two = branded_initiative(second, "驿站服务", brands=["红石榴驿站"])
    branded_initiative(other, "其他举措", brands=["石榴籽讲堂"])
    brand = Brand.objects.get(name="红石榴驿站")
    page = client.get(f"/brands/{brand.pk}/").content.decode()
    for href in (
        "/regions/150102/",
        "/regions/450205/",
        f"/reports/{first.pk}/",
        f"/reports/{second.pk}/",
        f"/initiatives/{one.pk}/",
        f"/initiatives/{two.pk}/",
    ):
        assert f'href="{href}' in page
    assert "无关报道" not in page and "其他举措" not in page


def test_initiative_page_links_to_its_brands_and_says_its_kind(client, make_report):
    """An initiative's page links each of its brands and says whether it is a slogan."""
    initiative = branded_initiative(
        report_in(make_report, "150102"), "建设驿站", brands=["红石榴驿站", "石榴籽讲堂"]
    )
    slogan = branded_initiative(report_in(make_report, "150102"), "坚持高位推动", kind="slogan")
    page = client.get(f"/initiatives/{initiative.pk}/").content.decode()
    for brand in Brand.objects.all():
        assert f'<a class="brand-link" href="/brands/{brand.pk}/">“{brand.name}”</a>' in page
    assert "具体举措" in page
    assert 'class="tag kind-slogan"' in client.get(f"/initiatives/{slogan.pk}/").content.decode()


def test_initiatives_filter_and_facet_on_kind(client, make_report):
    """?kind=slogan lists only slogans; the facet counts each kind and says the filter in words."""
    report = report_in(make_report, "150102")
    branded_initiative(report, "建设红石榴驿站")
    branded_initiative(report, "开设讲堂")
    branded_initiative(report, "坚持高位推动", kind="slogan")
    page = client.get("/initiatives/?kind=slogan").content.decode()
    assert "坚持高位推动" in page
    assert "建设红石榴驿站" not in page and "开设讲堂" not in page
    assert "性质:原则口号" in page
    assert re.search(r'>坚持高位推动</a><span class="tag kind-slogan">口号</span>', page)
    everything = client.get("/initiatives/").content.decode()
    facet = re.search(r'<section class="facet" aria-label="性质">.*?</section>', everything, re.S)
    facet = facet.group(0)
    assert '具体举措</a> <span class="count">2</span>' in facet
    assert '原则口号</a> <span class="count">1</span>' in facet
    assert "?kind=slogan" in facet


def test_report_page_marks_slogans_with_a_legend(client, make_report):
    """On the report page slogans carry a 口号 mark explained by a legend; concrete ones do not."""
    report = report_in(make_report, "150102")
    branded_initiative(report, "建设红石榴驿站")
    branded_initiative(report, "坚持高位推动", kind="slogan")
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert re.search(r'<p class="legend kinds"><span class="tag kind-slogan">口号</span>', page)
    slogan = re.search(r'<li class="slogan">.*?</li>', page, re.S).group(0)
    assert "坚持高位推动" in slogan and "口号" in slogan
    concrete = re.search(r"<li>[^<]*<a [^>]*>建设红石榴驿站</a>", page)
    assert concrete, "a concrete initiative carries no slogan mark"


@pytest.mark.parametrize("rows", [3, 40])
@pytest.mark.parametrize("url", ["/brands/", "/brands/{brand}/", "/initiatives/?kind=slogan"])
def test_brand_and_kind_pages_query_count_does_not_grow(
    client, make_report, django_assert_max_num_queries, url, rows
):
    """The brand list, a brand page and the kind-filtered list make bounded queries at any size."""
    codes = ("150102", "150103", "150104", "450205")
    for n in range(rows):
        report = report_in(make_report, codes[n % 4])
        branded_initiative(
            report,
            f"举措{n}",
            brands=["红石榴驿站", f"品牌{n % 7}"],
            kind=("slogan", "concrete")[n % 2],
        )
    url = url.format(brand=Brand.objects.get(name="红石榴驿站").pk)
    with django_assert_max_num_queries(9):  # 8, and the version that keys the page cache
        response = client.get(url)
    assert response.status_code == 200
    assert "/regions/150102/" in response.content.decode()
