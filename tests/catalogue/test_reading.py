"""Pages people read: the marked report text, the About page, sort labels, numbered pages,
the collapsible filters, English region names and the province map."""

from __future__ import annotations

import re

import pytest

from catalogue.models import Indicator, Region, Report
from catalogue.province_map import GRID, Tile, province_map, shade
from catalogue.region_names import english_name
from catalogue.views import ReportListView
from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db

SENTENCE = "建成驿站8个,服务群众5000人次"
SHARED = f"一、强化宣传教育\n一是建设红石榴驿站,{SENTENCE}。\n"
PAIR = [
    ("建成驿站", "8个", 8, "个", "exact", 0),
    ("服务群众", "5000人次", 5000, "人次", "exact", 0),
]
HAN = re.compile(r"[\u3400-\u9fff]")


def shared_sentence_report(make_report):
    """A report whose two figures are quoted by the same sentence."""
    report = add_report(make_report, body=SHARED, figures=PAIR)
    start = SHARED.index(SENTENCE)
    Indicator.objects.filter(report=report).update(
        start=start, end=start + len(SENTENCE), quote=SENTENCE
    )
    return report


def test_two_figures_in_one_sentence_are_anchored_each_on_itself(client, make_report):
    """Each figure carries its own #q- anchor inside its sentence, which is marked once."""
    report = shared_sentence_report(make_report)
    first, second = Indicator.objects.filter(report=report).order_by("position")
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert (
        f'<span class="k-sentence">建成驿站<mark class="k-indicator" id="q-{first.pk}">8个</mark>'
        f',服务群众<mark class="k-indicator" id="q-{second.pk}">5000人次</mark></span>'
    ) in page
    assert page.count('class="k-sentence"') == 1


def test_programme_heading_alone_is_marked_as_heading_not_its_whole_section(client, make_report):
    """Only the programme's title is the heading mark; the rest of its section reads plain."""
    report = add_report(make_report)
    programme = report.programmes.get()
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert (
        f'<mark class="k-programme" id="p-{programme.pk}"><mark class="k-heading">强化宣传教育</mark>'
        in page
    )
    assert 'class="legend"' in page and 'class="k-heading">工作项目标题<' in page


def test_about_page_explains_terms_and_measured_accuracy_in_both_languages(
    client, django_assert_max_num_queries
):
    """/about/ says what derived and flagged mean and the accuracy, honestly; the footer links it."""
    with django_assert_max_num_queries(2):
        page = client.get("/about/").content.decode()
    assert "标题为系统生成" in page and "待核标记" in page
    assert "P=1.000" in page and "R=1.000" in page and "很少的页面" in page
    english = client.get("/en/about/").content.decode()
    assert "precision P=1.000" in english and "very few pages" in english
    assert 'href="/en/about/"' in client.get("/en/reports/").content.decode()
    assert 'href="/about/"' in client.get("/").content.decode()


def test_sort_choices_read_as_words_in_both_languages(client):
    """Sort labels name both directions in words, never django-filter's "(descending)"."""
    chinese = client.get("/indicators/").content.decode()
    assert "日期(从新到旧)" in chinese and "数值(从大到小)" in chinese
    english = client.get("/en/indicators/").content.decode()
    assert "Date (newest first)" in english and "Value (smallest first)" in english
    assert "descending)" not in chinese and "日期" not in english


def test_lists_number_their_pages_around_the_current_one(client, make_report, monkeypatch):
    """Page 6 of 20 links 1 … 4 5 [6] 7 8 … 20, with the current page not a link."""
    monkeypatch.setattr(ReportListView, "paginate_by", 2)
    for _ in range(40):
        make_report(region=Region.objects.get(code="150102"))
    page = client.get("/reports/?page=6").content.decode()
    nav = page[
        page.index('<nav class="pages"') : page.index("</nav>", page.index('<nav class="pages"'))
    ]
    linked = [int(n) for n in re.findall(r'href="\?page=(\d+)"', nav)]
    assert linked == [5, 1, 4, 5, 7, 8, 20, 7]  # previous, the numbers, next
    assert '<span aria-current="page" class="current">6</span>' in nav
    assert nav.count("…") == 2


def test_list_filters_sit_in_a_details_element_open_only_on_errors(client):
    """The filters are behind a summary button (collapsed on phones by CSS), open on an error."""
    page = client.get("/indicators/").content.decode()
    assert '<details class="filter-panel">' in page and "<summary>筛选与排序" in page
    bad = client.get("/indicators/?year_min=abc").content.decode()
    assert '<details class="filter-panel" open>' in bad


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("北京市", "Beijing City"),
        ("内蒙古自治区", "Nei Mongol Autonomous Region"),
        ("新疆维吾尔自治区", "Xinjiang Uygur Autonomous Region"),
        ("西藏自治区", "Xizang Autonomous Region"),
        ("长白朝鲜族自治县", "Changbai Korean Autonomous County"),
        ("双江拉祜族佤族布朗族傣族自治县", "Shuangjiang Lahu Va Blang Dai Autonomous County"),
        ("鄂温克族自治旗", "Ewenki Autonomous Banner"),
        ("恩施土家族苗族自治州", "Enshi Tujia Miao Autonomous Prefecture"),
        ("管城回族区", "Guancheng Hui District"),
        ("朝阳区", "Chaoyang District"),
        ("重庆市", "Chongqing City"),
        ("西安市", "Xi'an City"),
        ("锡林郭勒盟", "Xilinguolei League"),
        ("大兴安岭地区", "Daxing'anling Prefecture"),
        ("沙县", "Sha County"),
        ("香港特别行政区", "Hong Kong Special Administrative Region"),
        ("陕西省", "Shaanxi Province"),
        ("山西省", "Shanxi Province"),
    ],
)
def test_english_region_names(chinese, english):
    """A division's English name is its pinyin, its ethnic groups and its translated suffix."""
    assert english_name(chinese) == english


def test_every_division_has_an_english_name_from_the_migration():
    """Migration 0017 filled name_en for every division, without Chinese characters."""
    assert not Region.objects.filter(name_en="").exists()
    assert not any(HAN.search(n) for n in Region.objects.values_list("name_en", flat=True))


def test_english_pages_name_regions_in_english(client, make_report):
    """/en/ pages show a region's English name (breadcrumb, heading, lists, filter summary)."""
    add_report(make_report, code="150102", title="新城区创建工作报道")
    region_page = client.get("/en/regions/150102/").content.decode()
    assert "Xincheng District" in region_page and "Nei Mongol Autonomous Region" in region_page
    assert "新城区" not in region_page.split("<main")[1].split("新城区创建工作报道")[0]
    assert "Xincheng District" in client.get("/en/reports/").content.decode()
    report = client.get(f"/en/reports/{Report.objects.get().pk}/").content.decode()
    assert "<dt>Region</dt>" in report and "Regions" not in report.split("</nav>")[1]
    listed = client.get("/en/indicators/?region=150100").content.decode()
    assert "Huhehaote City and below" in listed
    assert "新城区" in client.get("/regions/150102/").content.decode()


def test_province_map_shades_and_links_every_province(client, make_report):
    """/regions/ shows a tile per province, linked, with its count and a darker shade for more."""
    add_report(make_report, code="150102")
    page = client.get("/regions/").content.decode()
    svg = page[page.index('<svg class="province-map"') : page.index("</svg>")]
    assert svg.count("<rect") == len(GRID) == 34
    assert '<a href="/regions/150000/" class="tile n5"><title>内蒙古自治区: 1</title>' in svg
    assert '<a href="/regions/110000/" class="tile n0">' in svg
    english = client.get("/en/regions/").content.decode()
    assert "Nei Mongol Autonomous Region: 1" in english


@pytest.mark.parametrize(
    ("reports", "most", "step"), [(0, 10, 0), (1, 10, 1), (5, 10, 3), (10, 10, 5), (3, 0, 0)]
)
def test_shade_steps(reports, most, step):
    """No reports is blank; the rest shade in five steps relative to the busiest province."""
    assert shade(reports, most) == step


def test_province_map_escapes_labels():
    """Tile names are escaped (the SVG is inline in the page)."""
    svg = province_map([Tile("110000", "<b>", "<b>", 1)], title="t")
    assert "<b>" not in svg and "&lt;b&gt;: 1" in svg


def test_region_tree_with_map_keeps_its_query_count(
    client, make_report, django_assert_max_num_queries
):
    """The map costs one query (short names) on top of the tree's, whatever the data."""
    for code in ("150102", "450205", "110101"):
        add_report(make_report, code=code)
    with django_assert_max_num_queries(5):
        assert client.get("/regions/").status_code == 200


def test_admin_history_list_reads_in_chinese(admin_client, make_report):
    """A history page labels its changes column in Chinese and shows no Python "None"."""
    report = add_report(make_report)
    report.title = "改过的标题"
    report.save()
    page = admin_client.get(f"/admin/catalogue/report/{report.pk}/history/").content.decode()
    table = page[page.index('<table id="change-history"') :]
    table = table[: table.index("</table>")]
    assert "变更内容" in table and "Changes" not in table
    assert not re.search(r">\s*None\s*<", table)
