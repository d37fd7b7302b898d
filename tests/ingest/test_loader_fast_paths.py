"""The loader's fast paths write what the slower ones they replaced wrote, row for row."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Indicator, Initiative, Programme, Report
from ingest import identity, links
from ingest.binary import binary_cursor, insert_columns, insert_instance, packed
from ingest.keyed_rows import keyed_rows
from ingest.load import BatchItem, load_batch
from ingest.new_rows import insert_history

from .samples import CITY_REPORT, COUNTY_OTHER_REPORT, COUNTY_REPORT, reprint
from .test_load_batch import held_by_another_load, item

pytestmark = pytest.mark.django_db

# Every history column but its own id and the moment it was written.
WRITTEN_ELSEWHERE = {"history_id", "history_date"}


def new_reports() -> list[Report]:
    """Inserted reports whose arrays need quoting: quotes, backslashes, braces, NULL, Chinese."""
    reports = [
        Report(
            title="民族团结",
            sha256=f"{1:064x}",
            source_file="a.txt",
            parser_version="test",
            sources=['融媒体"中心"', "back\\slash", "{braces}, comma", "NULL", "红石榴"],
            flags=["region_undecided"],
            published=datetime.date(2024, 3, 5),
        ),
        Report(
            title="空数组",
            sha256=f"{2:064x}",
            source_file="b.txt",
            parser_version="test",
            hidden=True,
            staff_fields=["hidden", "title"],
        ),
    ]
    reports[1]._change_reason = "重新导入"
    for report in reports:
        insert_instance(report)
    return reports


def history_rows(report_ids: list[int]) -> list[dict]:
    """The reports' history rows as stored, without the columns set at writing time."""
    rows = Report.history.filter(id__in=report_ids).order_by("id").values()
    return [{k: v for k, v in row.items() if k not in WRITTEN_ELSEWHERE} for row in rows]


def test_history_rows_hold_what_simple_history_writes():
    """A new report's creation history row has every column bulk_history_create gives it."""
    reports = new_reports()
    ids = [report.pk for report in reports]
    insert_history(reports)
    fast = history_rows(ids)
    Report.history.filter(id__in=ids).delete()
    Report.history.bulk_history_create(reports)
    assert fast == history_rows(ids)
    assert fast[0]["sources"] == reports[0].sources
    assert [row["history_type"] for row in fast] == ["+", "+"]
    assert [row["history_change_reason"] for row in fast] == ["", "重新导入"]


def test_a_new_reports_rows_hold_every_field_of_its_keyed_rows():
    """Programmes, initiatives and indicators written for a batch's new report have the
    key, parents and every machine field keyed_rows gives them, and are public."""
    parsed = item(COUNTY_REPORT, "county.txt").parsed
    [result] = load_batch([BatchItem(parsed, "county.txt", "/in/county.txt")], parser_version="t")
    programmes, initiatives, indicators = keyed_rows(parsed, links.reference_ids()[0])
    kinds = ((Programme, programmes), (Initiative, initiatives), (Indicator, indicators))
    stored = {
        row["key"]: row
        for model, _ in kinds
        for row in model.objects.filter(report_id=result.report_id).values()
    }
    assert set(stored) == {row.key for _, rows in kinds for row in rows}
    for model, rows in kinds:
        for row in rows:
            expected = dict(row.fields, report_id=result.report_id, public=True)
            if model is not Programme:
                expected["programme_id"] = stored[row.programme_key]["id"]
            if model is Indicator:
                expected["initiative_id"] = stored[row.initiative_key]["id"]
            assert {name: stored[row.key][name] for name in expected} == expected


@pytest.mark.parametrize(
    ("values", "element", "packs"),
    [
        ([2**63 - 1, -(2**63), 0], "bigint", True),
        ([1, -2, 3], "integer", True),
        ([2**31], "integer", False),  # out of range: psycopg sends it (and the server refuses)
        ([1, None, 3], "bigint", False),  # a NULL: psycopg's own array
        ([True, False], "bigint", False),  # not ints
        ([], "bigint", False),
        ([1, 2], "text", False),  # not an integer array
    ],
)
def test_integer_arrays_reach_the_server_as_sent(values, element, packs):
    """An integer array packed in one go arrives as psycopg's own would; others go unpacked."""
    sent = packed(values, element)
    assert isinstance(sent, bytes) is packs
    if packs:
        with binary_cursor() as cursor:
            cursor.execute(f"SELECT %b::{element}[]", [sent])
            assert cursor.fetchone()[0] == values


def savepoints(texts: list[str]) -> int:
    """SAVEPOINT statements of a batch loading `texts` as new reports."""
    items = [item(text, f"r{n}.txt") for n, text in enumerate(texts)]
    with CaptureQueriesContext(connection) as captured:
        results = load_batch(items, parser_version="test")
    assert [r.status for r in results] == ["new"] * len(texts)
    return sum(q["sql"].startswith("SAVEPOINT") for q in captured.captured_queries)


def test_a_batch_that_loads_whole_takes_no_savepoint_per_file():
    """Three new reports take the savepoints of one: none of their own."""
    one = savepoints([COUNTY_REPORT])
    Report.objects.all().delete()
    assert savepoints([COUNTY_REPORT, CITY_REPORT, COUNTY_OTHER_REPORT]) == one


@pytest.mark.django_db(transaction=True)
def test_a_reprint_busy_after_its_insert_is_loaded_after_the_batch(division_table):
    """A new reprint whose group another load is changing (its INSERT already made) is
    rolled back with its batch, which loads again with savepoints: the other file
    commits, and the reprint loads alone once the grouping lock is free, grouped."""
    [original] = load_batch([item(COUNTY_REPORT, "county.txt")], parser_version="test")
    grouping = [identity._lock_key(identity._GROUPING)]
    with held_by_another_load(grouping, until="city.txt") as seen:
        results = load_batch(
            [
                item(reprint(COUNTY_REPORT, "某某新闻网"), "reprint.txt"),
                item(CITY_REPORT, "city.txt"),
            ],
            parser_version="test",
        )
    assert [getattr(r, "status", r) for r in results] == ["new", "new"]
    assert seen == ["city.txt committed while the locks were held"]
    copy = Report.objects.get(source_file="reprint.txt")
    group = Report.objects.filter(pk__in=[copy.pk, original.report_id]).order_by("hidden")
    head, member = group.values_list("pk", "duplicate_of_id", "hidden")
    assert (head[1:], member[1:]) == ((None, False), (head[0], True))
    assert Report.history.filter(source_file="reprint.txt").count() == 1


@pytest.mark.parametrize(
    "titles",
    [
        ["红石榴驿站", "", 'quote " and \\ backslash', "{braces}, NULL"],
        [""],  # one empty string is one row, not none
        ["", ""],
        ["holds the separator \x1f here", "plain"],  # goes as an array instead
    ],
)
def test_text_columns_reach_the_server_as_sent(titles, make_report):
    """Text columns sent joined (or, holding the separator, as arrays) arrive value for value."""
    report = make_report()
    columns = {
        "report_id": [report.pk] * len(titles),
        "key": [f"p:{n}" for n in range(len(titles))],
        "title": titles,
        **{name: [0] * len(titles) for name in ("start", "end")},
    }
    returned = insert_columns(Programme, columns, len(titles), returning='"key", "title"')
    assert [title for _, title in sorted(returned)] == titles
