"""Compare by measure and the measure list: like with like, never mixing measures or periods."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest

from catalogue.models import Indicator, Measure, Region, Report
from tests.catalogue.measure_support import hide

pytestmark = pytest.mark.django_db

# Figures several tests (and the browser tests) build on: 10万余人 of participants, 130余场 events.
PEOPLE_10WAN_PLUS = {
    "measure": "participants",
    "value": 100000,
    "unit": "人",
    "figure": "10万余人",
    "qualifier": "more_than",
}
EVENTS_130_PLUS = {
    "measure": "events",
    "value": 130,
    "unit": "场",
    "figure": "130余场",
    "qualifier": "more_than",
}


def add_figure(
    make_report,
    *,
    code: str,
    measure: str | None,
    value,
    unit: str,
    figure: str = "",
    qualifier: str = "exact",
    period_kind: str = "unstated",
    period_year: int | None = None,
    period: str = "",
    published: date = date(2024, 3, 5),
    report: Report | None = None,
    label: str = "数字",
    **fields,
) -> Indicator:
    """One public figure of `measure` in a report of region `code` (a new report unless given)."""
    figure = figure or f"{value}{unit}"
    quote = f"{label}{figure}"
    report = report or make_report(
        region=Region.objects.get(code=code), body=quote, published=published
    )
    return Indicator.objects.create(
        report=report,
        key=f"n{Indicator.objects.count()}",
        start=0,
        end=len(quote),
        label=label,
        value=Decimal(str(value)),
        unit=unit,
        qualifier=qualifier,
        figure=figure,
        quote=quote,
        period=period,
        period_kind=period_kind,
        period_year=period_year,
        measure=Measure.objects.get(slug=measure) if measure else None,
        **fields,
    )


def compare_json(client, query: str) -> list[dict]:
    response = client.get(f"/compare/?{query}&format=json")
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))["rows"]


@pytest.fixture
def people(make_report):
    """Participants in three counties, and population figures in the same unit (人) beside them."""
    add_figure(
        make_report,
        code="150102",
        **PEOPLE_10WAN_PLUS,
        label="参与网上答题",
    )
    add_figure(
        make_report, code="450205", measure="participants", value=25, unit="人", label="参与活动"
    )
    add_figure(
        make_report, code="150121", measure="participants", value=3000, unit="人", label="覆盖群众"
    )
    add_figure(
        make_report,
        code="150602",
        measure="population",
        value=153000,
        unit="人",
        figure="15.3万人",
        label="总人口",
        period_kind="point",
    )
    add_figure(
        make_report,
        code="150102",
        measure="population",
        value=500000,
        unit="人",
        label="常住人口",
        period_kind="point",
    )
    add_figure(make_report, code="450205", measure=None, value=999999, unit="人", label="其他")


def test_compare_ranks_only_figures_of_the_measure(client, people):
    """?measure=participants ranks the three counties' participants, never a population."""
    page = client.get("/compare/?measure=participants").content.decode()
    assert page.count("<svg") == 1
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert chart.index("新城区") < chart.index("土默特左旗") < chart.index("柳北区")
    assert "10万余人" in chart and "15.3万人" not in page
    assert "999999" not in page and "99.9999万人" not in page
    rows = compare_json(client, "measure=participants")
    assert {r["measure"] for r in rows} == {"participants"}
    assert [r["region_name"] for r in rows] == ["新城区", "土默特左旗", "柳北区"]


def test_context_measure_is_never_ranked_with_another_kind(client, people):
    """A population (context) compare holds only context figures, whatever shares its unit."""
    rows = compare_json(client, "measure=population")
    assert {(r["measure"], r["measure_kind"]) for r in rows} == {("population", "context")}
    assert sorted(r["region_name"] for r in rows) == ["东胜区", "新城区"]
    for measure in Measure.objects.all():
        kinds = {r["measure_kind"] for r in compare_json(client, f"measure={measure.slug}")}
        assert kinds <= {measure.kind}, measure.slug


def test_chart_names_the_measure_and_writes_numbers_as_read(client, people):
    """The chart's title names the measure and level; values read 10万余人, not 100000 人."""
    page = client.get("/compare/?measure=participants").content.decode()
    name = Measure.objects.get(slug="participants").name
    assert f'<text class="chart-title" x="0" y="20" font-weight="bold">{name} · 县级' in page
    assert "3,000人" in page and "100000" not in page.split("<svg")[1].split("</svg>")[0]


def test_period_kinds_are_ranked_apart(client, make_report):
    """A half-year figure and a yearly one never share a ranking: one chart per period kind."""
    add_figure(
        make_report,
        code="150102",
        **EVENTS_130_PLUS,
        period_kind="half-year",
        period_year=2023,
        period="2023年上半年",
    )
    add_figure(
        make_report,
        code="450205",
        measure="events",
        value=500,
        unit="场",
        period_kind="year",
        period_year=2023,
        period="2023年",
    )
    add_figure(
        make_report,
        code="150121",
        measure="events",
        value=90,
        unit="场",
        period_kind="year",
        period_year=2023,
    )
    page = client.get("/compare/?measure=events").content.decode()
    charts = page.split("<svg")[1:]
    assert len(charts) == 2
    year = next(c for c in charts if "柳北区" in c)
    half = next(c for c in charts if "新城区" in c)
    assert "土默特左旗" in year and "新城区" not in year and "柳北区" not in half
    assert "130余场" in half and "2023年上半年" in page and "2023年 全年" in page
    rows = compare_json(client, "measure=events")
    assert {r["period_kind"] for r in rows} == {"half-year", "year"}
    assert next(r for r in rows if r["region_name"] == "新城区")["period"] == "2023年上半年"


def test_each_region_shows_its_latest_figure(client, make_report):
    """A region's newer report wins over an older, larger figure of the same period kind."""
    add_figure(
        make_report,
        code="150102",
        measure="events",
        value=900,
        unit="场",
        published=date(2021, 1, 1),
    )
    add_figure(
        make_report,
        code="150102",
        measure="events",
        value=40,
        unit="场",
        published=date(2024, 1, 1),
    )
    rows = compare_json(client, "measure=events")
    assert [(r["region_name"], r["value"]) for r in rows] == [("新城区", "40")]


def test_one_level_at_a_time_defaulting_to_the_level_with_most_figures(client, make_report):
    """Counties (two figures) by default; ?level=prefecture shows the city alone."""
    add_figure(make_report, code="150102", measure="events", value=10, unit="场")
    add_figure(make_report, code="450205", measure="events", value=20, unit="场")
    add_figure(make_report, code="150100", measure="events", value=3000, unit="场")
    rows = compare_json(client, "measure=events")
    assert sorted(r["level"] for r in rows) == ["county", "county"]
    assert [r["region_name"] for r in compare_json(client, "measure=events&level=prefecture")] == [
        "呼和浩特市"
    ]
    page = client.get("/compare/?measure=events").content.decode()
    assert 'aria-current="true">县级</strong> <span class="count">2</span>' in page
    assert "?measure=events&amp;level=prefecture" in page


def test_hidden_reports_and_rejected_figures_are_not_compared(client, make_report):
    """Figures staff rejected or in hidden reports never appear in a comparison."""
    add_figure(make_report, code="150102", measure="events", value=10, unit="场")
    add_figure(make_report, code="450205", measure="events", value=20, unit="场", rejected=True)
    hidden = add_figure(make_report, code="150121", measure="events", value=30, unit="场")
    hide(hidden.report)
    assert [r["region_name"] for r in compare_json(client, "measure=events")] == ["新城区"]


def test_json_and_csv_carry_what_a_reader_needs_to_check_a_figure(client, make_report):
    """Both exports carry region, value, unit, qualifier, figure as written, period, report, quote."""
    indicator = add_figure(
        make_report,
        code="150102",
        **PEOPLE_10WAN_PLUS,
        period_kind="point",
        period="截至目前",
        label="参与答题",
    )
    Report.objects.filter(pk=indicator.report_id).update(url="https://example.org/r/1")
    (row,) = compare_json(client, "measure=participants")
    expected = {
        "region_code": "150102",
        "region_name": "新城区",
        "value": "100000",
        "unit": "人",
        "qualifier": "more_than",
        "figure": "10万余人",
        "period_kind": "point",
        "period_year": None,
        "period": "截至目前",
        "report_id": indicator.report_id,
        "report_url": "https://example.org/r/1",
        "quote": "参与答题10万余人",
        "measure": "participants",
    }
    assert {k: row[k] for k in expected} == expected
    response = client.get("/compare/?measure=participants&format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    (csv_row,) = csv.DictReader(io.StringIO(text))
    assert csv_row["figure"] == "10万余人" and csv_row["period"] == "截至目前"
    assert csv_row["region_name"] == "新城区" and csv_row["report_url"].endswith("/r/1")


def test_compare_by_unit_now_leads_to_the_measure_list(client):
    """The old ?unit= comparison redirects to the measures a reader can pick from."""
    response = client.get("/compare/?unit=人")
    assert response.status_code == 302 and response["Location"] == "/measures/"


def test_unknown_measure_is_refused(client):
    """An unknown slug is a form error (400), not an empty or mixed comparison."""
    assert client.get("/compare/?measure=no-such").status_code == 400
    assert client.get("/compare/?measure=no-such&format=json").status_code == 400


def test_measure_list_groups_by_kind_and_counts_regions(client, make_report):
    """Each measure shows how many distinct regions report it publicly, grouped by kind."""
    add_figure(make_report, code="150102", measure="events", value=10, unit="场")
    add_figure(make_report, code="150102", measure="events", value=11, unit="场")
    add_figure(make_report, code="450205", measure="events", value=12, unit="场")
    hidden = add_figure(make_report, code="150121", measure="events", value=13, unit="场")
    hide(hidden.report)
    page = client.get("/measures/").content.decode()
    events = Measure.objects.get(slug="events")
    assert f'<a href="/compare/?measure=events">{events.name}</a> <span class="count"' in page
    assert re.search(rf">{events.name}</a> <span class=\"count\"[^>]*>2</span>", page)
    for kind, label in Measure.Kind.choices:
        if Measure.objects.filter(kind=kind).exists():
            assert f'<h2 id="kind-{kind}">{label}</h2>' in page
    activity, context = page.index('id="kind-activity"'), page.index('id="kind-context"')
    assert activity < page.index(events.name) < context  # kinds in their fixed order


# --- query-count guards ----------------------------------------------------------------


def _many(make_report, n: int) -> None:
    """`n` event figures over `n` reports in counties, prefectures and half-year/year periods."""
    counties = list(Region.objects.filter(level="county").values_list("code", flat=True)[:n])
    for k in range(n):
        add_figure(
            make_report,
            code=counties[k % len(counties)],
            measure="events",
            value=k + 1,
            unit="场",
            period_kind=("year", "half-year", "point")[k % 3],
            period_year=2023,
        )


@pytest.mark.parametrize(
    "url",
    [
        "/compare/",
        "/compare/?measure=events",
        "/compare/?measure=events&level=county",
        "/compare/?measure=events&format=json",
        "/measures/",
    ],
)
@pytest.mark.parametrize("rows", [5, 120])
def test_query_count_does_not_grow_with_rows(
    client, make_report, django_assert_max_num_queries, url, rows
):
    """Compare and the measure list make the same few queries at 5 and at 120 figures."""
    _many(make_report, rows)
    with django_assert_max_num_queries(6):
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200


def test_compare_and_measure_list_in_english(client, make_report):
    """/en/ pages translate the compare headings, period kinds and measure kinds."""
    add_figure(
        make_report, code="150102", measure="events", value=10, unit="场", period_kind="year"
    )
    events = Measure.objects.get(slug="events")
    page = client.get("/en/compare/?measure=events").content.decode()
    assert f"<h1>{events.name_en}: regions compared</h1>" in page and "period kind: Year" in page
    assert f'<option value="events" selected>{events.name_en}</option>' in page
    assert (
        '<h2 id="kind-context">Place profile</h2>' in client.get("/en/measures/").content.decode()
    )


def test_chart_shows_the_largest_and_exports_hold_every_region(client, make_report):
    """With more regions than the chart's limit, it says so; the JSON still lists every region."""
    from catalogue.selectors.compare import measure_compare

    for code, value in (("150102", 5), ("450205", 9), ("150121", 7)):
        add_figure(make_report, code=code, measure="events", value=value, unit="场")
    comparison = measure_compare(measure=Measure.objects.get(slug="events"), limit=2)
    (group,) = comparison.groups
    assert [i.report.region.name for i in group.rows] == ["柳北区", "土默特左旗"]
    assert group.total == 3 and len(comparison.every) == 3
    assert len(compare_json(client, "measure=events")) == 3


def test_a_measure_nobody_reports_says_so(client, people):
    """A measure without public figures shows no chart and says no region reports it yet."""
    page = client.get("/compare/?measure=artworks").content.decode()
    assert "<svg" not in page and "还没有地区报告这个度量的数字。" in page


def test_a_figure_moved_to_another_measure_leaves_the_comparison_at_once(client, make_report):
    """Staff moving a figure to another measure takes it out of the comparison, cache or not."""
    add_figure(make_report, code="150102", measure="events", value=10, unit="场")
    moved = add_figure(make_report, code="450205", measure="events", value=20, unit="场")
    assert len(compare_json(client, "measure=events")) == 2
    Indicator.objects.filter(pk=moved.pk).update(measure=Measure.objects.get(slug="artworks"))
    assert [r["region_name"] for r in compare_json(client, "measure=events")] == ["新城区"]
    assert "柳北区" not in client.get("/compare/?measure=events").content.decode()
