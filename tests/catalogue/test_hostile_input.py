"""Hostile input: no public URL answers 5xx, whatever its query string or path segment holds."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.catalogue.measure_support import Fig, branded_initiative, measured_report
from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db

FILTERS = ["region", "province", "level", "year_min", "year_max", "q", "o", "page", "format"]
# Every public page with the parameters it reads (anything else must be ignored too).
PAGES = {
    "/": ["q"],
    "/regions/": ["q"],
    "/reports/": FILTERS,
    "/programmes/": FILTERS,
    "/initiatives/": [*FILTERS, "theme", "kind"],
    "/indicators/": [
        *FILTERS,
        *["theme", "unit", "qualifier", "value_min", "value_max", "measure", "period_kind"],
    ],
    "/compare/": ["measure", "level", "format", "unit"],
    "/measures/": ["page", "format"],
    "/brands/": ["page", "q"],
    "/search/": ["q", "page", "kind"],
    "/en/indicators/": ["measure", "period_kind", "unit", "format"],
    "/en/compare/": ["measure", "level", "format"],
    "/en/search/": ["q"],
}
# Detail pages: a path segment goes where {} stands.
DETAILS = [
    "/regions/{}/",
    "/regions/{}/timeline/",
    "/reports/{}/",
    "/initiatives/{}/",
    "/brands/{}/",
    "/en/regions/{}/timeline/",
    "/en/brands/{}/",
]
# Values that broke pages before: out-of-range years, overflowing decimals, NUL bytes,
# over-long codes, non-finite numbers; and real values, so valid filters combine with bad ones.
NASTY = [
    "\x00",
    "a\x00b",
    "0",
    "-1",
    "10000",
    "1e5",
    "1E+5",
    "-1e-200000",
    "1e999999999",
    "9" * 40,
    "0." + "0" * 40 + "1",
    "NaN",
    "-Infinity",
    "1" * 7,
    "15010\x00",
    "../../etc",
    "csv",
    "json",
    "xml",
    "-value,published",
    "场次",
    "宣" * 5000,
    "%",
    "'",
    "150102",
    "150000",
    "county",
    "prefecture",
    "population",
    "events",
    "population\x00",
    "concrete",
    "slogan",
    "point",
    "year",
    "half-year",
    "per-year",
    "unstated",
]
values = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))
SEGMENTS = st.one_of(
    st.sampled_from(["%00", "1%00", "9" * 30, "0", "-1", "150102", "1501021", "..", "{brand}"]),
    st.text(min_size=1, max_size=20).map(lambda s: quote(s, safe="")),
)
HYPOTHESIS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


@pytest.fixture
def catalogue_with_a_report(make_report):
    """Public reports with programmes, initiatives of both kinds, a brand, measured figures and
    a timeline (one measure reported twice by one region)."""
    add_report(make_report)
    for year, people in ((2022, 150000), (2024, 153000)):
        report = measured_report(
            make_report,
            code="150102",
            published=date(year, 6, 1),
            figures=[
                Fig("population", "总人口", f"{people / 10000:g}万人", people, "人", "exact"),
                Fig("events", "开展活动", "130余场", 130, "场", "more_than", "year", f"{year}年"),
            ],
        )
    branded_initiative(report, "建设“红石榴驿站”", brands=["红石榴驿站"])
    branded_initiative(report, "坚持高位推动", kind="slogan")
    return report


def _status(client, url: str, params: dict | None = None) -> int:
    response = client.get(url, params or {})
    if response.streaming:
        b"".join(response.streaming_content)  # errors while streaming count too
    return response.status_code


@pytest.mark.parametrize("url", PAGES)
@settings(max_examples=25, **HYPOTHESIS)
@given(data=st.data())
def test_no_query_string_makes_a_public_page_fail(client, catalogue_with_a_report, url, data):
    """Any combination of the page's parameters (filter, sort, page, format) gives a page or a
    4xx, never 5xx."""
    params = data.draw(st.dictionaries(st.sampled_from(PAGES[url]), values, max_size=5))
    assert _status(client, url, params) < 500


@pytest.mark.parametrize("pattern", DETAILS)
@settings(max_examples=20, **HYPOTHESIS)
@given(segment=SEGMENTS)
def test_no_path_segment_makes_a_detail_page_fail(
    client, catalogue_with_a_report, pattern, segment
):
    """Detail URLs with odd segments (NUL, huge numbers, long codes) give 404, never 5xx."""
    brand = catalogue_with_a_report.initiatives.get(brands__isnull=False).brands.get().pk
    url = pattern.format(segment.replace("{brand}", str(brand)))
    assert _status(client, url) < 500


@pytest.mark.parametrize(
    "url",
    [
        "/regions/%00/",
        "/regions/%00/timeline/",
        "/regions/1501021/timeline/",
        "/search/?q=%00",
        "/indicators/?year_max=0",
        "/indicators/?year_min=10000",
        "/reports/?year_min=1e5",
        "/reports/?year_max=-1",
        "/indicators/?value_min=-1e-200000",
        "/indicators/?value_max=1e999999999",
        "/indicators/?region=%00",
        "/indicators/?theme=%00",
        "/indicators/?measure=%00",
        "/indicators/?period_kind=%00",
        "/initiatives/?kind=%00",
        "/initiatives/?province=1501021",
        "/indicators/?format=csv&value_min=-1e-200000",
        "/compare/?measure=%00",
        "/compare/?measure=population&level=%00",
        "/compare/?measure=%00&format=json",
        "/reports/99999999999999999999/",
        "/brands/99999999999999999999/",
    ],
)
def test_known_crashers_answer_4xx(client, catalogue_with_a_report, url):
    """The inputs that used to raise DataError or ValidationError now answer 400 or 404."""
    assert 400 <= _status(client, url) < 500
