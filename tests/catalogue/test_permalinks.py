"""Permalink pages of programmes, initiatives and indicators: context, provenance and citation."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalogue.models import Indicator, Initiative, Measure, Programme, Region, Report
from catalogue.selectors.permalinks import citation_gbt7714, indicator_sentence, sentence_around
from tests.catalogue.test_pages import add_report
from tests.ingest.samples import COUNTY_REPORT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        (
            "前文。全年开展宣讲120场次,覆盖群众。后文",
            "120场次",
            ("全年开展宣讲", "120场次", ",覆盖群众。"),
        ),
        ("一行\n建成驿站8个\n下一行", "8个", ("建成驿站", "8个", "")),
        ("没有句号的120场次", "120场次", ("没有句号的", "120场次", "")),
        ("甲;乙有5个;丙", "5个", ("乙有", "5个", ";")),
    ],
)
def test_sentence_around_a_span(text, span, expected):
    """The context of a figure is the sentence (or line) that holds it."""
    start = text.index(span)
    assert sentence_around(text, start, start + len(span)) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"sources": ["某旗融媒体中心"], "published": date(2024, 3, 5)},
            "某旗融媒体中心. 报告[EB/OL]. (2024-03-05)[2026-01-02]. http://x/i/1/.",
        ),
        ({"sources": [], "published": None}, "新城区. 报告[EB/OL]. [2026-01-02]. http://x/i/1/."),
    ],
)
def test_gbt7714_reference(fields, expected):
    """Author (first source, else the region), title, [EB/OL], (published)[accessed], URL."""
    report = Report(title="报告", region=Region(code="150102", name="新城区"), **fields)
    assert (
        citation_gbt7714(report=report, url="http://x/i/1/", accessed=date(2026, 1, 2)) == expected
    )


def test_indicator_page_shows_its_sentence_provenance_and_citation(client, make_report):
    """A figure's page marks it in its sentence, names report, region, period, measure, and cites."""
    report = add_report(make_report, title="新城区创建工作", sources=["新城区融媒体中心"])
    measure = Measure.objects.first()
    indicator = Indicator.objects.get(report=report, label="建成驿站")
    Indicator.objects.filter(pk=indicator.pk).update(
        measure=measure, period="2023年", period_kind="year", period_year=2023
    )
    page = client.get(f"/indicators/{indicator.pk}/").content.decode()
    assert (
        '二是建设红石榴驿站,<mark class="k-indicator">建成驿站8个</mark>,服务群众5000人次。' in page
    )
    assert f'href="/reports/{report.pk}/#q-{indicator.pk}"' in page
    assert '<a href="/regions/150102/">内蒙古自治区 › 呼和浩特市 › 新城区</a>' in page
    assert measure.name in page and "2023年" in page and "全年" in page
    today = timezone.localdate().isoformat()
    assert (
        f"新城区融媒体中心. 新城区创建工作[EB/OL]. (2024-03-05)[{today}]. "
        f"http://testserver/indicators/{indicator.pk}/." in page
    )
    assert f'<a class="cite-url" href="http://testserver/indicators/{indicator.pk}/">' in page
    initiative = indicator.initiative
    assert f'href="/initiatives/{initiative.pk}/"' in page
    assert f'href="/programmes/{indicator.programme_id}/"' in page


def test_programme_page_lists_its_initiatives_and_figures_and_cites(client, make_report):
    """A programme's page links its initiatives and figures to their own pages, and cites."""
    report = add_report(make_report)
    programme = Programme.objects.get(report=report)
    page = client.get(f"/programmes/{programme.pk}/").content.decode()
    for initiative in Initiative.objects.filter(report=report):
        assert f'<a href="/initiatives/{initiative.pk}/">{initiative.title}</a>' in page
    for indicator in Indicator.objects.filter(report=report):
        assert f'<a href="/indicators/{indicator.pk}/">{indicator.label}</a>' in page
    assert f'href="/reports/{report.pk}/#p-{programme.pk}"' in page
    assert f"http://testserver/programmes/{programme.pk}/." in page


def test_initiative_page_cites_and_links_figures_to_their_pages(client, make_report):
    """An initiative's page has the cite block, and its figures link to their permalinks."""
    report = add_report(make_report)
    initiative = Initiative.objects.get(report=report, title="建设红石榴驿站")
    page = client.get(f"/initiatives/{initiative.pk}/").content.decode()
    assert f"http://testserver/initiatives/{initiative.pk}/." in page and "[EB/OL]" in page
    indicator = Indicator.objects.get(report=report, label="建成驿站")
    assert f'<a href="/indicators/{indicator.pk}/">建成驿站</a>' in page


def test_english_permalink_page_is_translated(client, make_report):
    """Under /en/ the figure's page says Cite, Measure and Link in English."""
    report = add_report(make_report)
    indicator = Indicator.objects.filter(report=report).first()
    page = client.get(f"/en/indicators/{indicator.pk}/").content.decode()
    assert ">Cite<" in page and ">Measure<" in page and ">Link<" in page
    assert f"http://testserver/en/indicators/{indicator.pk}/." in page


def test_lists_and_report_page_link_to_permalinks(client, make_report):
    """Indicator and programme lists, and the report page, link each row to its own page."""
    report = add_report(make_report)
    programme = Programme.objects.get(report=report)
    indicators = Indicator.objects.filter(report=report)
    indicator_list = client.get("/indicators/").content.decode()
    report_page = client.get(f"/reports/{report.pk}/").content.decode()
    for indicator in indicators:
        assert f'<a class="title" href="/indicators/{indicator.pk}/">' in indicator_list
        assert f'class="permalink" href="/indicators/{indicator.pk}/"' in report_page
    programme_list = client.get("/programmes/").content.decode()
    assert f'<a class="title" href="/programmes/{programme.pk}/">' in programme_list
    assert f'class="permalink" href="/programmes/{programme.pk}/"' in report_page


def test_hidden_and_rejected_rows_have_no_permalink(client, make_report):
    """A hidden report's rows and rejected rows answer 404 on their pages."""
    hidden = add_report(make_report, hidden=True)
    shown = add_report(make_report)
    rejected = Indicator.objects.get(report=shown, label="服务群众")
    Indicator.objects.filter(pk=rejected.pk).update(rejected=True)
    Programme.objects.filter(report=shown).update(rejected=True)
    assert client.get(f"/indicators/{rejected.pk}/").status_code == 404
    assert client.get(f"/programmes/{Programme.objects.get(report=shown).pk}/").status_code == 404
    for row in Indicator.objects.filter(report=hidden):
        assert client.get(f"/indicators/{row.pk}/").status_code == 404
    assert client.get(f"/programmes/{Programme.objects.get(report=hidden).pk}/").status_code == 404
    assert client.get("/indicators/999999/").status_code == 404


def test_permalinks_survive_reingest(tmp_path):
    """Re-ingesting the same report (even with --force) keeps every figure at its URL."""
    (tmp_path / "county.txt").write_text(COUNTY_REPORT, encoding="utf-8")
    call_command("ingest", str(tmp_path), stdout=io.StringIO())
    before = dict(Indicator.objects.values_list("pk", "label"))
    assert before
    call_command("ingest", "--force", str(tmp_path), stdout=io.StringIO())
    assert dict(Indicator.objects.values_list("pk", "label")) == before


@pytest.mark.parametrize("rows", [1, 5])
@pytest.mark.parametrize("kind", ["indicators", "programmes", "initiatives"])
def test_permalink_query_count_does_not_grow_with_rows(
    client, make_report, django_assert_max_num_queries, kind, rows
):
    """A permalink page costs the same few queries however many rows its report holds."""
    figures = [
        (f"指标{n}", "120余场次", 120, "场次", "more_than", 0) for n in range(rows)
    ]  # one sentence, many figures
    report = add_report(make_report, figures=figures)
    model = {"indicators": Indicator, "programmes": Programme, "initiatives": Initiative}[kind]
    pk = model.objects.filter(report=report).first().pk
    with django_assert_max_num_queries(6):
        response = client.get(f"/{kind}/{pk}/")
    assert response.status_code == 200


def test_a_figure_under_a_rejected_initiative_has_no_public_page(client, make_report):
    """Rejecting an initiative rejects its figures too: their permalinks answer 404."""
    report = add_report(make_report)
    indicator = Indicator.objects.get(report=report, label="建成驿站")
    assert client.get(f"/indicators/{indicator.pk}/").status_code == 200
    Initiative.objects.filter(pk=indicator.initiative_id).update(rejected=True)
    assert client.get(f"/indicators/{indicator.pk}/").status_code == 404


# A long report: sentences without stops longer than the context, a figure near each end
# and one deep inside, so the window read around a figure decides what is shown.
LONG_BODY = "开头12场次。" + "甲" * 900 + "中间34个," + "乙" * 900 + "。末尾56人"


@pytest.mark.parametrize("figure", ["12场次", "34个", "56人"])
def test_a_figure_page_shows_its_sentence_from_a_window_of_the_text(client, make_report, figure):
    """A figure's sentence read from the text around it is the one the whole text gives."""
    report = make_report(body=LONG_BODY)
    start = LONG_BODY.index(figure)
    indicator = Indicator.objects.create(
        report=report, key="q", start=start, end=start + len(figure), label="数", value=1,
        unit="个", figure=figure, quote=figure,
    )  # fmt: skip
    expected = sentence_around(LONG_BODY, start, start + len(figure))
    assert indicator_sentence(indicator=indicator) == expected
    page = client.get(f"/indicators/{indicator.pk}/").content.decode()
    assert f'{expected[0]}<mark class="k-indicator">{figure}</mark>{expected[2]}' in page
