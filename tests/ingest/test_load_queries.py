"""Loading a report costs a fixed number of database round trips, whatever its size."""

from __future__ import annotations

import re
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Brand, Report
from ingest.links import brand_ids
from ingest.load import load_report
from ingest.parse import parse_report

from .samples import CITY_REPORT, COUNTY_REPORT

pytestmark = pytest.mark.django_db

# BEGIN, locks, identity, report, its text row and its history row, reference ids, three
# kinds of rows, near duplicates, version, COMMIT; a report with themes and brands adds
# their two link inserts and one brand statement; then the measure summary of its region
# (savepoint, lock, the region's reprint group, delete, insert, release). Before issue 10
# the load took 15 without a summary.
NEW_REPORT_QUERIES = 19
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


def queries_to_load(text: str, path: str) -> tuple[int, int]:
    """Round trips to load `text` as a new report, and how many indicators it has."""
    parsed = parse_report(text.encode())
    with CaptureQueriesContext(connection) as captured:
        load_report(parsed, source_file=path, source_path=path, parser_version="test")
    return len(captured.captured_queries), len(parsed.indicators)


@pytest.mark.parametrize("text", [COUNTY_REPORT, CITY_REPORT], ids=["county", "city"])
def test_a_new_report_costs_the_same_round_trips_whatever_its_rows(text):
    """A report with four times the rows loads in as many round trips as the short one."""
    short, short_rows = queries_to_load(text, "/a/short.txt")
    Report.objects.all().delete()  # else the longer text is grouped with it as a reprint
    long, long_rows = queries_to_load(longer(text, 4), "/a/long.txt")
    assert long_rows >= 4 * short_rows
    assert short == long <= NEW_REPORT_QUERIES
    assert Report.objects.get().indicators.count() == long_rows


def test_brands_are_created_once_and_found_again():
    """New brand names are created, known ones found; each name has one id."""
    Brand.objects.create(name="红石榴驿站")
    first = brand_ids(["红石榴驿站", "石榴籽家园", "石榴籽家园"])
    assert set(first) == {"红石榴驿站", "石榴籽家园"}
    assert brand_ids(["石榴籽家园"]) == {"石榴籽家园": first["石榴籽家园"]}
    assert Brand.objects.count() == 2
