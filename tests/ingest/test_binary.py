"""The writer's statements with binary parameters store what the parse says, and are counted."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Report
from ingest import minhash
from ingest.binary import binary_cursor, insert_instance
from ingest.load import BatchItem, load_batch
from ingest.parse import PARSER_VERSION, parse_report

from .samples import COUNTY_REPORT

pytestmark = pytest.mark.django_db


def test_a_new_report_row_holds_its_parse_defaults_and_signature():
    """A new report's row has its parse's fields, the model's defaults, timestamps and its
    MinHash signature and bands as the parser computes them (64-bit, negative ones too)."""
    parsed = parse_report(COUNTY_REPORT.encode())
    [result] = load_batch([BatchItem(parsed, "a.txt", "/in/a.txt")], parser_version=PARSER_VERSION)
    report = Report.objects.get(pk=result.report_id)
    signature = minhash.signature(parsed.body)
    assert (report.minhash, report.minhash_bands) == (signature, minhash.bands(signature))
    assert any(band < 0 for band in report.minhash_bands)
    assert (report.title, report.region_id, report.sources) == (
        parsed.title,
        parsed.region.code,
        list(parsed.sources),
    )
    assert (report.review_status, report.hidden, report.staff_fields) == ("needs_review", False, [])
    assert report.created_at is not None and report.updated_at is not None
    assert report.body == parsed.body
    assert Report.history.filter(id=report.pk, history_type="+").count() == 1


@pytest.mark.parametrize(
    "values, array_type",
    [
        ([2**63 - 1, -(2**63), None], "bigint"),
        (["a", None, 'quote " and \\ backslash', "红石榴"], "text"),
        ([None, None], "integer"),
        ([], "bigint"),
    ],
)
def test_binary_arrays_come_back_as_sent(values, array_type):
    """An array bound in binary reaches the server unchanged: extremes, NULLs, quotes, empty."""
    with binary_cursor() as cursor:
        cursor.execute(f"SELECT %b::{array_type}[]", [values])
        assert cursor.fetchone()[0] == values


def test_binary_statements_are_counted_like_any_other():
    """Query-count guards see the statements of the binary cursor and an instance insert."""
    report = Report(title="t", sha256="0" * 64, source_file="x.txt", parser_version="1")
    with CaptureQueriesContext(connection) as queries:
        with binary_cursor() as cursor:
            cursor.execute("SELECT %b::integer", [1])
        insert_instance(report)
    assert len(queries) == 2
    assert Report.objects.filter(pk=report.pk, sha256="0" * 64).exists()
