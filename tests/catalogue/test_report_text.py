"""A report's text and body live in ReportText: lists and search never read them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Report, ReportText
from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db

TEXT_COLUMNS = ('"catalogue_reporttext"."text"', '"catalogue_reporttext"."body"')


def selected_columns(sql: str) -> str:
    """The select list of a query (what it reads, not what it filters on)."""
    return sql.split(" FROM ", 1)[0]


def test_text_and_body_are_kept_in_their_own_row(make_report):
    """Report(text=…, body=…) writes one ReportText row, read back through report.text/.body."""
    report = make_report(text="原文全文", body="正文内容")
    stored = ReportText.objects.get(report=report)
    assert (stored.text, stored.body) == ("原文全文", "正文内容")
    again = Report.objects.get(pk=report.pk)
    assert (again.text, again.body) == ("原文全文", "正文内容")


def test_a_changed_body_is_saved_through_update_fields(make_report):
    """Saving with update_fields naming body (as ingest does) updates the ReportText row."""
    report = make_report(body="旧的正文")
    report = Report.objects.get(pk=report.pk)
    report.body = "新的正文"
    report.save(update_fields=["body", "updated_at"])
    assert ReportText.objects.get(report=report).body == "新的正文"


def test_deleting_a_report_deletes_its_text(make_report):
    """No orphan text rows remain after a report is deleted."""
    report = make_report()
    report.delete()
    assert not ReportText.objects.exists()


def test_report_list_never_reads_text_or_body(client, make_report):
    """The SQL of the report list (and its filtered form) selects no text column."""
    for n in range(3):
        add_report(make_report, title=f"报告甲{n}")
    for url in ("/reports/", "/reports/?q=红石榴驿站"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        for query in queries.captured_queries:
            head = selected_columns(query["sql"])
            assert not any(column in head for column in TEXT_COLUMNS), query["sql"]
            assert '"catalogue_report"."text"' not in head, query["sql"]


def test_search_reads_only_a_stretch_of_each_hit_body(client, make_report):
    """Search selects no whole text or body: only a SUBSTRING around the hit, for shown hits."""
    for n in range(3):
        add_report(make_report, title=f"报告乙{n}")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/search/?q=红石榴驿站")
    assert "<mark>红石榴驿站</mark>" in page.content.decode()
    for query in queries.captured_queries:
        head = selected_columns(query["sql"])
        assert TEXT_COLUMNS[0] not in head, query["sql"]
        if TEXT_COLUMNS[1] in head:
            assert "SUBSTRING" in head, query["sql"]


def test_report_page_shows_the_body(client, make_report, django_assert_max_num_queries):
    """The report page still shows its body, in a bounded number of queries."""
    report = add_report(make_report, title="报告丙")
    with django_assert_max_num_queries(12):
        page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "红石榴驿站" in page
