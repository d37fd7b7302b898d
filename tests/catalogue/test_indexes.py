"""Extracted tables carry the indexes their pages, filters and ingest use, and no copies."""

from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Indicator, Initiative, Origin, Programme, Report
from ingest.identity import identify
from ingest.parse import parse_report
from tests.ingest.samples import COUNTY_REPORT

pytestmark = pytest.mark.django_db


def plan(queryset) -> str:
    """The query plan of `queryset` (unordered) with sequential scans priced out, as on a
    large table."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.order_by().query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def index_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (lambda: Indicator.objects.filter(report_id=1), "indicator_unique_key"),
        (lambda: Initiative.objects.filter(report_id=1), "initiative_unique_key"),
        (lambda: Programme.objects.filter(report_id=1), "programme_unique_key"),
        (lambda: Indicator.objects.filter(origin=Origin.STAFF), "indicator_staff_rows"),
        (lambda: Initiative.objects.filter(origin=Origin.STAFF), "initiative_staff_rows"),
        (
            lambda: Indicator.objects.filter(unit="人", value__gte=10),
            ("indicator_unit_value", "catalogue_indicator_value_"),
        ),
        (lambda: Indicator.objects.filter(unit="人"), "indicator_unit_value"),
        (lambda: Indicator.objects.filter(measure_id=1), "catalogue_indicator_measure_id"),
        (lambda: Initiative.objects.filter(kind="slogan"), "initiative_kind"),
    ],
    ids=[
        "indicators-of-a-report",
        "initiatives-of-a-report",
        "programmes-of-a-report",
        "staff-indicators",
        "staff-initiatives",
        "unit-and-value",
        "unit",
        "measure",
        "initiative-kind",
    ],
)
def test_lookups_of_pages_admin_and_ingest_use_an_index(queryset, index):
    """Rows by report, staff-owned rows, unit, measure and kind are found through an index."""
    found = plan(queryset())
    assert any(name in found for name in ((index,) if isinstance(index, str) else index)), found


@pytest.mark.parametrize("table", ["catalogue_indicator", "catalogue_initiative"])
def test_no_redundant_index_slows_ingest(table):
    """No text-pattern copy, no index a wider one starts with, no index on a five-value column."""
    names = index_names(table)
    assert not [n for n in names if n.endswith("_like")]
    assert not [n for n in names if n.startswith(f"{table}_report_id")]
    assert not [n for n in names if "_origin_" in n or "_qualifier_" in n or "_period_kind_" in n]
    assert not [n for n in names if n.startswith(f"{table}_unit_")]


@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (lambda: Report.objects.filter(sha256="0" * 64), "catalogue_report_sha256_key"),
        (lambda: Report.objects.filter(source_path="/r/a.txt"), "catalogue_report_source_path_"),
        (
            lambda: Report.objects.filter(review_status="reviewed"),
            "catalogue_report_review_status_",
        ),
        (lambda: Report.objects.filter(region_id="150102"), "catalogue_report_region_id_"),
        (lambda: Report.objects.filter(region__code__startswith="15"), "region_id_01ec609f_like"),
        (lambda: Report.objects.filter(url="https://a.example/1.html"), "report_url"),
        (lambda: Report.objects.filter(minhash_bands__overlap=[1, 2]), "report_minhash_bands"),
    ],
    ids=[
        "by-hash",
        "by-path",
        "by-review-status",
        "by-region",
        "by-province-prefix",
        "by-url",
        "near-duplicates",
    ],
)
def test_report_lookups_of_ingest_and_admin_use_an_index(queryset, index):
    """Ingest's look-ups by hash and path and the admin's filters still find reports by index."""
    found = plan(queryset())
    assert index in found, found


def test_report_table_keeps_no_unused_text_pattern_index():
    """Only the region code, which the admin's province filter matches by prefix, has a _like index."""
    names = index_names("catalogue_report")
    assert [n for n in names if n.endswith("_like")] == ["catalogue_report_region_id_01ec609f_like"]


def test_identifying_a_report_reads_indexes_only():
    """Ingest finds a report by hash, old hash, path and URL without walking the report table."""
    parsed = parse_report(COUNTY_REPORT.encode())
    with CaptureQueriesContext(connection) as captured:
        identify(replace(parsed, url="https://a.example/1.html"), source_path="/r/a.txt")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Its parameters are bound on the server ($1…): the statement as it ran, with them.
        cursor.execute(f"PREPARE identify AS {captured.captured_queries[0]['sql']}")
        cursor.execute(
            "EXPLAIN EXECUTE identify(%s, %s, %s)",
            [parsed.sha256, "/r/a.txt", "https://a.example/1.html"],
        )
        found = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE identify")
    assert "report_url" in found and "catalogue_report_source_path_" in found, found
    assert "Filter" not in found, found


def test_near_duplicate_lookups_never_scan_a_pending_list():
    """The MinHash band index takes each report at once, so ingest's look-ups stay index-bound."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'report_minhash_bands'")
        assert cursor.fetchone()[0] == ["fastupdate=off"]


def test_a_report_vector_is_stored_without_a_compression_attempt(make_report):
    """A report's search vector (3-16 KB) goes out of line without pglz trying to compress it
    (it never wins on a tsvector, and trying costs ingest), and search still finds it there."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute"
            " WHERE attrelid = 'catalogue_report'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone()[0] == "e"  # EXTERNAL: out of line, uncompressed
    report = make_report(search_tokens=" ".join(f"词{n}汇{n}" for n in range(2000)))
    assert list(Report.objects.filter(search_vector="词1999汇1999")) == [report]
