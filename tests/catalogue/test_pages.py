"""The public pages: what they show, what they never show, filters, facets and query counts."""

from __future__ import annotations

import re
from datetime import date

import pytest

from catalogue.models import Indicator, Initiative, Programme, Region, Report, Theme
from ingest.segment import search_tokens

pytestmark = pytest.mark.django_db

# An invented report: one programme, two initiatives, three figures.
BODY = (
    "某旗扎实推进民族团结进步创建。\n"
    "一、强化宣传教育\n"
    "一是开展主题宣讲,全年开展宣讲活动120余场次。"
    "二是建设红石榴驿站,建成驿站8个,服务群众5000人次。\n"
)


def add_report(make_report, *, code="150102", body=BODY, figures=None, **fields) -> Report:
    """A public report in `code` with a programme, two initiatives and its figures extracted."""
    report = make_report(
        region=Region.objects.get(code=code),
        body=body,
        published=fields.pop("published", date(2024, 3, 5)),
        search_tokens=search_tokens(fields.get("title", "") + body),
        **fields,
    )
    heading = "强化宣传教育"
    programme = Programme.objects.create(
        report=report,
        key="p1",
        start=max(body.find(heading), 0),
        end=len(body),
        title=heading,
        search_tokens=search_tokens(heading),
    )
    initiatives = []
    for n, (title, marker) in enumerate((("开展主题宣讲", "一是"), ("建设红石榴驿站", "二是"))):
        if marker not in body:
            continue
        start = body.index(marker)
        ends = [i for i in (body.find("二是", start + 1), body.find("\n", start)) if i > 0]
        end = min(ends) if ends else len(body)
        initiatives.append(
            Initiative.objects.create(
                report=report,
                key=f"i{n}",
                position=n,
                programme=programme,
                start=start,
                end=end,
                title=title,
                text=body[start:end],
                search_tokens=search_tokens(body[start:end]),
            )
        )
    figures = figures or [
        ("开展宣讲活动", "120余场次", 120, "场次", "more_than", 0),
        ("建成驿站", "8个", 8, "个", "exact", 1),
        ("服务群众", "5000人次", 5000, "人次", "exact", 1),
    ]
    for n, (label, figure, value, unit, qualifier, i) in enumerate(figures):
        quote_start = body.index(figure) - len(label) if label in body else body.index(figure)
        Indicator.objects.create(
            report=report,
            key=f"q{n}",
            position=n,
            programme=programme,
            initiative=initiatives[i] if initiatives else None,
            start=quote_start,
            end=body.index(figure) + len(figure),
            label=label,
            value=value,
            unit=unit,
            qualifier=qualifier,
            figure=figure,
            quote=body[quote_start : body.index(figure) + len(figure)],
            search_tokens=search_tokens(label),
        )
    return report


def test_region_tree_counts_descendants_and_opens_only_branches_with_reports(client, make_report):
    """The tree shows 内蒙古 → 呼和浩特 → 新城区 with counts including descendants, others closed."""
    add_report(make_report)
    add_report(make_report, code="150100", body=BODY + "市级。")
    page = client.get("/regions/").content.decode()
    inner = re.search(
        r'<details open>\s*<summary><a href="/regions/150000/">内蒙古自治区</a> <span class="count">2</span>',
        page,
    )
    assert inner, "the province with reports is open with its total"
    assert re.search(
        r'<details open>\s*<summary><a href="/regions/150100/">呼和浩特市</a> <span class="count">2</span>',
        page,
    )
    assert '<a href="/regions/150102/">新城区</a> <span class="count">1</span>' in page
    assert re.search(
        r'<details>\s*<summary><a href="/regions/450000/">广西壮族自治区</a></summary>', page
    )
    assert '<a href="/regions/450200/">柳州市</a>' in page  # closed branches are still reachable


def test_region_page_shows_breadcrumb_descendants_and_profile(client, make_report):
    """A prefecture's page has its ancestors, its county's report and figures, and a profile."""
    add_report(make_report, title="新城区创建工作")
    add_report(
        make_report,
        code="150100",
        title="呼和浩特概况",
        body="全市总面积1.72万平方公里,常住人口355万人。",
        figures=[("总面积", "1.72万平方公里", 17200, "平方公里", "exact", 0)],
    )
    page = client.get("/regions/150100/").content.decode()
    assert '<a href="/regions/150000/">内蒙古自治区</a>' in page
    assert "新城区创建工作" in page and "呼和浩特概况" in page
    assert "开展宣讲活动" in page and "建设红石榴驿站" in page
    profile = page[page.index('id="profile-h"') : page.index("</dl>")]
    assert "总面积" in profile and "1.72万平方公里" in profile


def test_unknown_region_is_404(client):
    """A code that is not a division is a 404."""
    assert client.get("/regions/999999/").status_code == 404


def test_report_page_highlights_every_item_at_its_offsets_and_escapes(client, make_report):
    """The report text marks each figure itself with an anchor inside its sentence, and markup
    in the text shows as text."""
    report = add_report(make_report, body=BODY + "<script>alert('x')</script>")
    page = client.get(f"/reports/{report.pk}/").content.decode()
    for indicator in report.indicators.all():
        label = indicator.quote.removesuffix(indicator.figure)
        figure = f'<mark class="k-indicator" id="q-{indicator.pk}">{indicator.figure}</mark>'
        assert f'<span class="k-sentence">{label}{figure}</span>' in page
        assert f'href="#q-{indicator.pk}"' in page
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_hidden_reports_and_rejected_rows_never_appear(client, make_report):
    """Hidden reports are 404 and absent from lists; rejected figures are absent everywhere."""
    hidden = add_report(make_report, title="不公开的报告", hidden=True)
    shown = add_report(make_report, title="公开的报告")
    Indicator.objects.filter(report=shown, label="服务群众").update(rejected=True)
    Initiative.objects.filter(report=shown, title="开展主题宣讲").update(rejected=True)
    assert client.get(f"/reports/{hidden.pk}/").status_code == 404
    hidden_initiative = Initiative.objects.filter(report=hidden).first()
    assert client.get(f"/initiatives/{hidden_initiative.pk}/").status_code == 404
    for url in ("/", "/reports/", "/indicators/", "/initiatives/", "/regions/150102/"):
        page = client.get(url).content.decode()
        assert "不公开的报告" not in page, url
        assert "服务群众" not in page and "开展主题宣讲" not in page, url
    page = client.get(f"/reports/{shown.pk}/").content.decode()
    assert "公开的报告" in page and "建设红石榴驿站" in page
    assert "服务群众" in page  # the sentence itself stays in the text …
    assert 'id="q-' + str(Indicator.objects.get(report=shown, label="服务群众").pk) not in page


def test_indicators_filter_by_unit_and_region_with_descendants(client, make_report):
    """Filtering by unit and by a prefecture keeps its counties' figures only, and says so."""
    add_report(make_report, code="150102")
    add_report(make_report, code="450205")
    page = client.get("/indicators/?unit=场次&region=150100").content.decode()
    assert page.count('class="item indicator"') == 1
    assert "新城区" in page and "柳北区" not in page
    assert "筛选条件:地区(含下级):呼和浩特市及下级;单位:场次" in page


def test_facets_count_values_and_toggle_from_the_current_query(client, make_report):
    """The unit facet shows counts; its links add or remove the value and keep other filters."""
    add_report(make_report)
    add_report(make_report, code="450205")
    page = client.get("/indicators/?region=150000").content.decode()
    assert re.search(
        r'href="\?region=150000&amp;unit=%E5%9C%BA%E6%AC%A1">场次</a> <span class="count">1</span>',
        page,
    )
    page = client.get("/indicators/?region=150000&unit=场次&page=1").content.decode()
    assert re.search(r'href="\?region=150000" aria-current="true"[^>]*>✓ 场次</a>', page)


def test_value_and_year_ranges_and_ordering(client, make_report):
    """Value and year ranges filter; ordering by value puts the largest first."""
    add_report(make_report, published=date(2021, 5, 1), title="旧报告")
    add_report(make_report, published=date(2024, 5, 1), title="新报告")
    page = client.get("/indicators/?value_min=100&year_min=2023&o=-value").content.decode()
    assert page.count('class="item indicator"') == 2
    assert page.index("5000人次") < page.index("120余场次")
    assert "旧报告" not in page


def test_theme_filter_on_initiatives(client, make_report):
    """Initiatives filter by theme slug."""
    report = add_report(make_report)
    theme = Theme.objects.create(slug="migrant-services", name="流动人口服务")
    Initiative.objects.get(report=report, title="建设红石榴驿站").themes.add(theme)
    page = client.get("/initiatives/?theme=migrant-services").content.decode()
    assert "建设红石榴驿站" in page and "开展主题宣讲" not in page


@pytest.mark.parametrize(
    "query",
    ["region=abc", "region=999999", "year_min=abc", "qualifier=lots", "value_min=x", "o=evil"],
)
def test_invalid_filters_show_a_form_error_not_500(client, make_report, query):
    """A bad filter value is reported on the form, with no results and status 400."""
    add_report(make_report)
    response = client.get(f"/indicators/?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error"' in page and 'class="item indicator"' not in page


def test_page_past_the_end_is_404(client, make_report):
    """Asking for a page beyond the last is a 404."""
    add_report(make_report)
    assert client.get("/indicators/?page=1").status_code == 200
    assert client.get("/indicators/?page=2").status_code == 404
    assert client.get("/indicators/?page=x").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/regions/",
        "/regions/150102/",
        "/reports/",
        "/indicators/",
        "/compare/",
        "/search/?q=宣讲",
    ],
)
def test_public_pages_are_read_only(client, url):
    """Every public URL answers GET and HEAD and refuses writes."""
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
    assert client.delete(url).status_code == 405


def test_english_pages_have_english_text_and_lang(client, make_report):
    """/en/ serves the same page in English with lang="en" and a link back to Chinese."""
    add_report(make_report)
    page = client.get("/en/indicators/?unit=场次").content.decode()
    assert '<html lang="en">' in page
    assert "Indicators" in page and "Unit" in page
    assert 'href="/indicators/?unit=' in page and ">中文<" in page
    assert '<html lang="zh-Hans">' in client.get("/indicators/").content.decode()


# --- query-count guards ---------------------------------------------------------------


def _bulk(make_report, n: int) -> Report:
    """One report with `n` initiatives and `n` indicators, bulk-created."""
    body = "甲" * (20 * n + 20)
    report = make_report(region=Region.objects.get(code="150102"), body=body)
    programme = Programme.objects.create(
        report=report, key="p", start=0, end=len(body), title="项目"
    )
    theme, _ = Theme.objects.get_or_create(slug="exchange", defaults={"name": "交往交流交融"})
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            report=report,
            key=f"i{k}",
            position=k,
            programme=programme,
            start=20 * k,
            end=20 * k + 10,
            title=f"举措{k}",
            text="甲" * 10,
        )
        for k in range(n)
    )
    Initiative.themes.through.objects.bulk_create(
        Initiative.themes.through(initiative=i, theme=theme) for i in initiatives
    )
    Indicator.objects.bulk_create(
        Indicator(
            report=report,
            key=f"q{k}",
            position=k,
            programme=programme,
            initiative=initiatives[k],
            start=20 * k + 2,
            end=20 * k + 8,
            label="开展活动",
            value=k,
            unit="场次",
            figure=f"{k}场次",
            quote="甲" * 6,
        )
        for k in range(n)
    )
    return report


PAGES = [
    "/",
    "/regions/",
    "/regions/150102/",
    "/regions/150000/",
    "/reports/",
    "/reports/{report}/",
    "/programmes/",
    "/initiatives/",
    "/initiatives/?theme=exchange",
    "/initiatives/{initiative}/",
    "/indicators/",
    "/indicators/?unit=场次&region=150100&year_min=2000&o=-value",
    "/search/?q=举措",
    "/search/?q=甲",
]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("rows", [10, 500])
def test_query_count_does_not_grow_with_rows(
    client, make_report, django_assert_max_num_queries, url, rows
):
    """Each page makes the same bounded number of queries at 10 and at 500 rows."""
    report = _bulk(make_report, rows)
    for _ in range(3):
        make_report(region=Region.objects.get(code="450205"))
    url = url.format(report=report.pk, initiative=report.initiatives.first().pk)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
