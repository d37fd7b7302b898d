"""History tables keep the indexes their readers use (admin history, curation) and no others."""

import pytest
from django.db import connection

from catalogue.models import Indicator, Initiative, Programme, Report

pytestmark = pytest.mark.django_db

HISTORY_TABLES = [
    "catalogue_historicalreport",
    "catalogue_historicalprogramme",
    "catalogue_historicalinitiative",
    "catalogue_historicalindicator",
]
# The primary key, the object a version belongs to, the order of versions, their editor.
READ_COLUMNS = {("history_id",), ("id",), ("history_date",), ("history_user_id",)}


def plan(queryset) -> str:
    """The query plan of `queryset` with sequential scans priced out, as on a large table."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def indexed_columns(table: str) -> set[tuple[str, ...]]:
    """The column list of every index on `table`."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT array_agg(a.attname ORDER BY k.n)
            FROM pg_index i
            CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = %s::regclass
            GROUP BY i.indexrelid
            """,
            [table],
        )
        return {tuple(row[0]) for row in cursor.fetchall()}


@pytest.mark.parametrize("table", HISTORY_TABLES)
def test_history_tables_index_only_what_history_is_read_by(table):
    """Each history table indexes its key, object, date and editor, nothing ingest pays for."""
    assert indexed_columns(table) == READ_COLUMNS


@pytest.mark.parametrize("model", [Report, Programme, Initiative, Indicator])
@pytest.mark.parametrize(
    "lookup",
    [
        # The admin's history page and curation's "has a first version" read by object.
        lambda model: model.history.filter(id=1),
        # The newest versions first (the history tables' default order).
        lambda model: model.history.all()[:20],
        # Deleting a user sets their versions' editor to NULL.
        lambda model: model.history.filter(history_user_id=1),
    ],
    ids=["by-object", "newest-first", "by-editor"],
)
def test_history_reads_use_an_index(model, lookup):
    """Reading the versions of a row, the newest versions or an editor's never scans a table."""
    assert "Seq Scan" not in plan(lookup(model))


def test_history_of_an_edited_row_still_lists_its_versions(make_report):
    """A row's history lists its versions newest first, with their type, after the change."""
    report = make_report(body="正文")
    report.title = "改过的标题"
    report.save()
    versions = list(report.history.all())
    assert [v.history_type for v in versions] == ["~", "+"]
    assert versions[0].title == "改过的标题"
