"""Region timelines, the whole-timeline page, province aggregates and readable numbers."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from catalogue.models import Indicator, Region
from catalogue.selectors.timelines import region_aggregates, region_timelines
from catalogue.templatetags.numbers import readable_figure, readable_number
from tests.catalogue.measure_support import Fig, measured_report, reject

pytestmark = pytest.mark.django_db

XINCHENG = "150102"


def events(value, *, figure=None, kind="year", period="", unit="场次") -> Fig:
    """An invented event count."""
    return Fig(
        "events", "开展宣讲活动", figure or f"{value}{unit}", value, unit, "exact", kind, period
    )


def population(value, figure) -> Fig:
    """An invented population figure."""
    return Fig("population", "常住人口", figure, value, "人", "exact", "point")


def timelines_section(page: str) -> str:
    """The region page's timeline section."""
    return re.search(r'<section aria-labelledby="timelines-h".*?</section>', page, re.S).group(0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (36_310_000_000, "363.1亿"),
        (153_000, "15.3万"),
        (1800, "1,800"),
        (Decimal("44.3"), "44.3"),
        (100_000, "10万"),
        (10_000, "1万"),
        (9999, "9,999"),
        (12_345, "1.23万"),
        (Decimal("1200.000000"), "1,200"),
        (Decimal("0.5"), "0.5"),
        (0, "0"),
        (-25_000, "-2.5万"),
        (None, ""),
    ],
)
def test_readable_number(value, expected):
    """Numbers read as people write them: 亿 and 万 for large ones, thousands separated below."""
    assert readable_number(value) == expected


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "expected"),
    [
        (100_000, "人", "more_than", "10万余人"),
        (150, "场次", "approx", "约150场次"),
        (20, "个", "at_least", "不少于20个"),
        (5, "%", "less_than", "不到5%"),
        (36_310_000_000, "元", "exact", "363.1亿元"),
    ],
)
def test_readable_figure_keeps_the_qualifier(value, unit, qualifier, expected):
    """A figure keeps its qualifier where a sentence would say it (10万余人, 约150场次)."""
    assert readable_figure(Indicator(value=value, unit=unit, qualifier=qualifier)) == expected


def test_region_page_shows_only_measures_reported_in_more_than_one_report(client, make_report):
    """Events (two reports) get a timeline with both points linked to their sentences;
    population (one report) and a measure repeated inside one report do not."""
    old = measured_report(
        make_report,
        code=XINCHENG,
        published=date(2022, 6, 1),
        figures=[events(120, period="2022年"), population(153_000, "15.3万人")],
    )
    new = measured_report(
        make_report,
        code=XINCHENG,
        published=date(2023, 6, 1),
        figures=[
            events(130, figure="130余场次", period="2023年"),
            Fig("funding", "投入资金", "100万元", 1_000_000, "元"),
            Fig("funding", "落实经费", "50万元", 500_000, "元"),
        ],
    )
    section = timelines_section(client.get(f"/regions/{XINCHENG}/").content.decode())
    first, second = (
        old.indicators.get(label="开展宣讲活动"),
        new.indicators.get(label="开展宣讲活动"),
    )
    assert f'href="/reports/{old.pk}/#q-{first.pk}"' in section
    assert f'href="/reports/{new.pk}/#q-{second.pk}"' in section
    assert section.index("2022-06-01") < section.index("2023-06-01"), "oldest first"
    assert "开展活动" in section, "the measure is named"
    assert "总人口" not in section and "15.3万人" not in section
    assert "100万元" not in section, "two figures in one report are not a time series"
    assert f'href="/regions/{XINCHENG}/timeline/"' in section


def test_timeline_draws_a_line_only_within_one_period_kind(client, make_report):
    """Yearly counts of two years are joined by a line linked to each sentence; a yearly and
    a half-yearly count are listed but never joined."""
    yearly = [
        measured_report(
            make_report, code=XINCHENG, published=date(year, 3, 1), figures=[events(year - 1900)]
        )
        for year in (2021, 2022)
    ]
    for year, kind in ((2021, "year"), (2022, "half-year")):
        measured_report(
            make_report,
            code="150103",
            published=date(year, 3, 1),
            figures=[events(year - 1900, kind=kind)],
        )
    same = timelines_section(client.get(f"/regions/{XINCHENG}/").content.decode())
    svg = re.search(r'<svg class="sparkline".*?</svg>', same, re.S).group(0)
    assert "<polyline" in svg and "全年" in same
    for report in yearly:
        assert f'href="/reports/{report.pk}/#q-{report.indicators.get().pk}"' in svg
    mixed = timelines_section(client.get("/regions/150103/").content.decode())
    assert "<svg" not in mixed
    assert "121场次" in mixed and "122场次" in mixed, "both figures are still listed"


def test_region_page_lists_the_latest_points_and_links_to_the_rest(client, make_report):
    """With more figures than the region page lists, it shows the latest and links to all."""
    for year in range(2010, 2020):
        measured_report(
            make_report, code=XINCHENG, published=date(year, 1, 1), figures=[events(year - 2000)]
        )
    section = timelines_section(client.get(f"/regions/{XINCHENG}/").content.decode())
    assert ">19场次<" in section and ">14场次<" in section
    assert ">13场次<" not in section
    assert f'href="/regions/{XINCHENG}/timeline/#m-events-' in section
    assert "全部 10 个数字" in section


def test_hidden_reports_and_rejected_figures_never_make_a_timeline(client, make_report):
    """A measure seen twice only thanks to a hidden report or a rejected figure gets no timeline,
    and neither figure appears on the timeline page."""
    measured_report(make_report, code=XINCHENG, published=date(2021, 1, 1), figures=[events(11)])
    measured_report(
        make_report,
        code=XINCHENG,
        published=date(2022, 1, 1),
        figures=[events(22, figure="二十二场次")],
        hidden=True,
    )
    rejected = measured_report(
        make_report, code=XINCHENG, published=date(2023, 1, 1), figures=[events(33)]
    )
    reject(rejected.indicators.all())
    assert region_timelines(region=Region.objects.get(code=XINCHENG)) == []
    page = client.get(f"/regions/{XINCHENG}/timeline/").content.decode()
    assert "11场次" in page
    assert "22场次" not in page and "33场次" not in page


def test_timeline_page_lists_every_measure_figure_period_date_and_report(client, make_report):
    """The whole table has measures reported once too, with period, date and report link;
    figures without a measure are left to the indicator list."""
    report = measured_report(
        make_report,
        code=XINCHENG,
        published=date(2023, 8, 1),
        title="新城区上半年工作",
        figures=[
            Fig(
                "gdp",
                "地区生产总值",
                "363.1亿元",
                36_310_000_000,
                "元",
                "exact",
                "half-year",
                "2023年上半年",
            ),
            population(153_000, "15.3万人"),
            Fig(None, "其他数字", "7件", 7, "件"),
        ],
    )
    gdp = report.indicators.get(label="地区生产总值")
    page = client.get(f"/regions/{XINCHENG}/timeline/").content.decode()
    assert "363.1亿元" in page and "15.3万人" in page
    assert "半年" in page and "2023年上半年" in page
    assert "2023-08-01" in page
    assert f'href="/reports/{report.pk}/#q-{gdp.pk}"' in page
    assert "新城区上半年工作" in page
    assert "其他数字" not in page
    assert client.get("/regions/999999/timeline/").status_code == 404


def test_aggregates_take_each_regions_latest_figure_per_level_unit_and_period_kind(make_report):
    """Per measure: count, median and range of latest figures, one row per level, unit and
    period kind; older figures, hidden reports and rejected figures are left out."""
    measured_report(make_report, code="150102", published=date(2020, 1, 1), figures=[events(9000)])
    measured_report(make_report, code="150102", published=date(2023, 1, 1), figures=[events(10)])
    measured_report(make_report, code="150103", published=date(2023, 1, 1), figures=[events(30)])
    measured_report(make_report, code="150104", published=date(2023, 1, 1), figures=[events(80)])
    measured_report(
        make_report,
        code="150104",
        published=date(2023, 7, 1),
        figures=[events(5, kind="half-year")],
    )
    measured_report(
        make_report, code="150105", published=date(2024, 1, 1), figures=[events(7777)], hidden=True
    )
    rejected = measured_report(
        make_report, code="150202", published=date(2024, 1, 1), figures=[events(6666)]
    )
    reject(rejected.indicators.all())
    measured_report(make_report, code="150200", published=date(2023, 1, 1), figures=[events(500)])
    measured_report(
        make_report,
        code="150103",
        published=date(2023, 1, 1),
        figures=[Fig("participants", "参与群众", "2000人次", 2000, "人次")],
    )
    measured_report(
        make_report,
        code="150104",
        published=date(2023, 1, 1),
        figures=[Fig("participants", "参与群众", "300人", 300, "人")],
    )
    by_measure = {
        m.measure.slug: m.rows for m in region_aggregates(region=Region.objects.get(code="150000"))
    }
    rows = {(r.level, r.unit, r.period_kind): r for r in by_measure["events"]}
    counties = rows[("county", "场次", "year")]
    assert (counties.region_count, counties.median, counties.minimum, counties.maximum) == (
        3,
        30,
        10,
        80,
    )
    assert rows[("county", "场次", "half-year")].values == [5]
    assert rows[("prefecture", "场次", "year")].values == [500]
    assert len(rows) == 3
    assert {(r.unit, r.region_count) for r in by_measure["participants"]} == {
        ("人次", 1),
        ("人", 1),
    }


def test_province_page_shows_aggregates_and_county_page_does_not(client, make_report):
    """The province page shows the median and range row in words; a county has no aggregates."""
    for code, value in (("150102", 10), ("150103", 30), ("150104", 80)):
        measured_report(make_report, code=code, published=date(2023, 1, 1), figures=[events(value)])
    page = client.get("/regions/150000/").content.decode()
    section = re.search(r'<section aria-labelledby="aggregates-h".*?</section>', page, re.S)
    assert section, "the province page has an aggregates section"
    row = re.search(r"<tr><th scope=\"row\">[^<]*</th>.*?</tr>", section.group(0), re.S).group(0)
    assert "县级" in row and "全年" in row
    assert '<td class="num">3</td>' in row
    assert "30场次" in row and "10–80场次" in row
    prefecture = client.get("/regions/150100/").content.decode()
    assert "10–80场次" in prefecture, "a prefecture aggregates its counties too"
    assert 'aria-labelledby="aggregates-h"' not in client.get("/regions/150102/").content.decode()


def test_timeline_pages_in_english_name_measures_and_periods_in_english(client, make_report):
    """/en/ region and timeline pages use the measure's English name and English period words."""
    for year in (2022, 2023):
        measured_report(
            make_report, code=XINCHENG, published=date(year, 1, 1), figures=[events(year - 2000)]
        )
    region = client.get(f"/en/regions/{XINCHENG}/").content.decode()
    assert "Figures across reports" in timelines_section(region)
    timeline = client.get(f"/en/regions/{XINCHENG}/timeline/").content.decode()
    assert "Year" in timeline and "Figures of Xincheng District over time" in timeline
    assert "开展活动" not in timeline, "the measure is named in English"


@pytest.mark.parametrize("reports", [2, 30])
@pytest.mark.parametrize(
    "url", [f"/regions/{XINCHENG}/", f"/regions/{XINCHENG}/timeline/", "/regions/150000/"]
)
def test_timeline_pages_query_count_does_not_grow_with_rows(
    client, make_report, django_assert_max_num_queries, url, reports
):
    """The region, timeline and province pages make a bounded number of queries at any size."""
    for n in range(reports):
        measured_report(
            make_report,
            code=XINCHENG if n % 2 else "150103",
            published=date(2000 + n, 1, 1),
            figures=[events(n), population(1000 + n, f"{1000 + n}人"), events(n, kind="half-year")],
        )
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert "/reports/" in response.content.decode()


def test_one_region_aggregate_states_its_figure_once_and_a_period_is_not_repeated(
    client, make_report
):
    """A measure one subdivision reports reads "130场次", not "130–130场次"; a period written
    as its kind's own name (全年) is shown once in the timeline table."""
    measured_report(
        make_report, code=XINCHENG, published=date(2023, 1, 1), figures=[events(130, period="全年")]
    )
    section = re.search(
        r'<section aria-labelledby="aggregates-h".*?</section>',
        client.get("/regions/150000/").content.decode(),
        re.S,
    ).group(0)
    assert "130场次" in section and "130–130" not in section
    table = client.get(f"/regions/{XINCHENG}/timeline/").content.decode()
    cell = re.search(r'<td class="period">(.*?)</td>', table, re.S).group(1)
    assert cell.count("全年") == 1
