"""Loading reports costs a fixed number of round trips per batch and per report, whatever their size."""

from __future__ import annotations

import re
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Brand, Indicator, Report
from ingest.links import brand_ids
from ingest.load import BatchItem, load_batch
from ingest.parse import parse_report

from .samples import CITY_REPORT, COUNTY_OTHER_REPORT, COUNTY_REPORT

pytestmark = pytest.mark.django_db

# Per new report in a batch: its locks, then its identity, report row and near duplicates
# in one statement (a batch that loads whole takes no savepoint per file). Before issue 10
# a new report took 19 round trips of its own, then 6.
NEW_REPORT_QUERIES = 2
# Once per batch, however many reports: BEGIN and COMMIT, reference ids, the texts and
# rows of its new reports (one statement per table and per link), their history rows,
# the measure summary of their regions and the version.
BATCH_QUERIES = 17
NUMERALS = "一二三四五六七八九十"


def longer(text: str, times: int) -> str:
    """The report with its programmes repeated `times` times, figures changed: more rows."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("一、"))
    out = lines[:first]
    for n in range(times):
        for line in lines[first:]:
            line = re.sub(r"\d+", partial(_plus, n), line)
            if line[1:2] == "、" and line[0] in "一二":
                line = NUMERALS[2 * n + (line[0] == "二")] + line[1:]
            out.append(line)
    return "\n".join(out) + "\n"


def _plus(n: int, match: re.Match) -> str:
    return str(int(match[0]) + n)


def queries_to_load(texts: list[str]) -> tuple[int, int]:
    """Round trips to load `texts` as new reports in one batch, and how many indicators they have."""
    items = [
        BatchItem(parse_report(text.encode()), f"r{n}.txt", f"/a/r{n}.txt")
        for n, text in enumerate(texts)
    ]
    with CaptureQueriesContext(connection) as captured:
        results = load_batch(items, parser_version="test")
    assert [r.status for r in results] == ["new"] * len(texts)
    return len(captured.captured_queries), sum(len(i.parsed.indicators) for i in items)


ARTICLES = [COUNTY_REPORT, CITY_REPORT, COUNTY_OTHER_REPORT]


def test_a_new_report_costs_the_same_round_trips_whatever_its_rows():
    """Reports with four times the rows load in as many round trips as short ones."""
    short, short_rows = queries_to_load(ARTICLES)
    Report.objects.all().delete()  # else the longer texts are grouped with them as reprints
    long, long_rows = queries_to_load([longer(text, 4) for text in ARTICLES])
    assert long_rows >= 4 * short_rows
    assert short == long
    assert Indicator.objects.count() == long_rows


def test_each_new_report_of_a_batch_adds_a_fixed_few_round_trips():
    """A batch costs a fixed number of round trips plus two per report, not 19 (or 6) per report."""
    one, _ = queries_to_load(ARTICLES[:1])
    Report.objects.all().delete()
    three, _ = queries_to_load(ARTICLES)
    per_report = (three - one) / 2
    assert per_report <= NEW_REPORT_QUERIES
    assert one - per_report <= BATCH_QUERIES


def test_brands_are_created_once_and_found_again():
    """New brand names are created, known ones found; each name has one id."""
    Brand.objects.create(name="红石榴驿站")
    first = brand_ids(["红石榴驿站", "石榴籽家园", "石榴籽家园"])
    assert set(first) == {"红石榴驿站", "石榴籽家园"}
    assert brand_ids(["石榴籽家园"]) == {"石榴籽家园": first["石榴籽家园"]}
    assert Brand.objects.count() == 2
