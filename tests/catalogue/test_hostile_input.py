"""Hostile input: no public URL answers 5xx, whatever its query string or path segment holds."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db

LISTS = ["/reports/", "/programmes/", "/initiatives/", "/indicators/"]
OTHERS = ["/", "/regions/", "/compare/", "/search/", "/en/indicators/", "/en/search/"]
PARAMS = [
    "region",
    "province",
    "level",
    "year_min",
    "year_max",
    "q",
    "theme",
    "unit",
    "qualifier",
    "value_min",
    "value_max",
    "o",
    "page",
    "format",
    "label",
]
# Values that broke pages before: out-of-range years, overflowing decimals, NUL bytes,
# over-long codes, non-finite numbers.
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
    "-value,published",
    "场次",
    "宣" * 5000,
    "%",
    "'",
]
values = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))
queries = st.dictionaries(st.sampled_from(PARAMS), values, max_size=5)


@pytest.fixture
def catalogue_with_a_report(make_report):
    """One public report with a programme, two initiatives and three figures."""
    return add_report(make_report)


def _status(client, url: str, params: dict | None = None) -> int:
    response = client.get(url, params or {})
    if response.streaming:
        b"".join(response.streaming_content)  # errors while streaming count too
    return response.status_code


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(url=st.sampled_from(LISTS + OTHERS), params=queries)
def test_no_query_string_makes_a_public_page_fail(client, catalogue_with_a_report, url, params):
    """Any combination of filter, sort, page and format values gives a page or a 4xx, never 5xx."""
    assert _status(client, url, params) < 500


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    prefix=st.sampled_from(["/regions/", "/reports/", "/initiatives/"]),
    segment=st.one_of(
        st.sampled_from(["%00", "1%00", "9" * 30, "0", "-1", "150102", "1501021", ".."]),
        st.text(min_size=1, max_size=20).map(lambda s: quote(s, safe="")),
    ),
)
def test_no_path_segment_makes_a_detail_page_fail(client, catalogue_with_a_report, prefix, segment):
    """Detail URLs with odd segments (NUL, huge numbers, long codes) give 404, never 5xx."""
    assert _status(client, f"{prefix}{segment}/") < 500


@pytest.mark.parametrize(
    "url",
    [
        "/regions/%00/",
        "/search/?q=%00",
        "/indicators/?year_max=0",
        "/indicators/?year_min=10000",
        "/reports/?year_min=1e5",
        "/reports/?year_max=-1",
        "/indicators/?value_min=-1e-200000",
        "/indicators/?value_max=1e999999999",
        "/indicators/?region=%00",
        "/indicators/?theme=%00",
        "/initiatives/?province=1501021",
        "/indicators/?format=csv&value_min=-1e-200000",
        "/reports/99999999999999999999/",
    ],
)
def test_known_crashers_answer_4xx(client, catalogue_with_a_report, url):
    """The inputs that used to raise DataError or ValidationError now answer 400 or 404."""
    assert 400 <= _status(client, url) < 500
