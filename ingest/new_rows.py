"""The extracted rows of new reports, written for a whole batch at its end.

Part of the writer (load.py). A new report has no rows yet, so nothing about them
needs looking up: its text, programmes, initiatives, indicators, their theme and brand
links are collected while the batch's reports are identified and grouped, and written
when the batch ends, one statement per table for all of its reports (a column array
each, through unnest). The batch's transaction makes that write all or nothing with
its reports; a failure there rolls the batch back and its files are loaded again one
by one (load.load_batch), so one bad file still fails alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from catalogue.models import Indicator, Initiative, Programme, Report, ReportText
from ingest.binary import binary_cursor
from ingest.keyed_rows import KeyedRow
from ingest.links import BRAND_NAME, brand_ids


@dataclass
class NewReport:
    """One new report's parsed rows, and the counter its load result reports them in."""

    report: Report
    programmes: list[KeyedRow]
    initiatives: list[KeyedRow]
    indicators: list[KeyedRow]
    rows: Counter
    text: str = ""
    body: str = ""


@dataclass
class NewRows:
    """The rows of the new reports of one batch, written by `write()` at its end."""

    theme_ids: dict[str, int]
    reports: list[NewReport] = field(default_factory=list)

    def add(self, new: NewReport) -> None:
        """Keep a new report's rows for the end of the batch (after its savepoint held)."""
        self.reports.append(new)

    def holds(self, report_id: int) -> bool:
        """Whether rows of this report are waiting to be written."""
        return any(new.report.pk == report_id for new in self.reports)

    def write(self) -> None:
        """Insert every kept text, row and link, and the reports' history rows; then forget them."""
        if not self.reports:
            return
        ids = [new.report.pk for new in self.reports]
        self._insert_texts()
        # Grouping inside the batch may have hidden a report whose rows come only now.
        hidden = set(Report.objects.filter(pk__in=ids, hidden=True).values_list("pk", flat=True))
        p_ids = self._insert(Programme, "programmes", hidden, {})
        i_ids = self._insert(Initiative, "initiatives", hidden, {"programme": p_ids})
        self._insert(Indicator, "indicators", hidden, {"programme": p_ids, "initiative": i_ids})
        self._link_themes(i_ids)
        self._link_brands(i_ids)
        # History of the reports' creation, as their saves would have written it.
        Report.history.bulk_history_create([new.report for new in self.reports])
        self.reports = []

    def _insert(self, model, kind: str, hidden: set[int], parents: dict) -> dict:
        """Insert one kind of row of every kept report; (report id, key) -> id."""
        values = []
        for new in self.reports:
            rid = new.report.pk
            for row in getattr(new, kind):
                parent_ids = {
                    f"{parent}_id": ids.get((rid, getattr(row, f"{parent}_key")))
                    for parent, ids in parents.items()
                }
                values.append(
                    {"report_id": rid, "key": row.key, "public": rid not in hidden}
                    | row.fields
                    | parent_ids
                )
            if getattr(new, kind):
                new.rows[f"{model._meta.model_name}.inserted"] += len(getattr(new, kind))
        return insert_rows(model, values)

    def _insert_texts(self) -> None:
        """The reports' text rows (ReportText), in one statement."""
        table = connection.ops.quote_name(ReportText._meta.db_table)
        sql = (
            f'INSERT INTO {table} ("report_id", "text", "body") '
            f"SELECT * FROM unnest(%b::bigint[], %b::text[], %b::text[])"
        )
        columns = [[new.report.pk for new in self.reports]]
        columns += [[new.text for new in self.reports], [new.body for new in self.reports]]
        with binary_cursor() as cursor:
            cursor.execute(sql, columns)

    def _link_themes(self, i_ids: dict) -> None:
        pairs = [
            (i_ids[new.report.pk, row.key], self.theme_ids[slug])
            for new in self.reports
            for row in new.initiatives
            for slug in row.themes
            if slug in self.theme_ids
        ]
        insert_links(Initiative.themes.through, "theme_id", pairs)

    def _link_brands(self, i_ids: dict) -> None:
        names = [
            (i_ids[new.report.pk, row.key], name[:BRAND_NAME])
            for new in self.reports
            for row in new.initiatives
            for name in row.brands
        ]
        found = brand_ids(name for _, name in names)
        insert_links(Initiative.brands.through, "brand_id", [(i, found[n]) for i, n in names])


def insert_rows(model, rows: list[dict]) -> dict[tuple[int, str], int]:
    """Insert extracted rows in one INSERT … SELECT FROM unnest(…); (report id, key) -> id.

    One array per column: for dozens of rows this costs a fraction of building a
    model instance per row for bulk_create. Fields a row does not give get their
    default; timestamps are now.
    """
    if not rows:
        return {}
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    names, arrays = [], []
    for column in fields:
        if getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False):
            values = [now] * len(rows)
        elif column.attname in rows[0]:
            values = [row[column.attname] for row in rows]
        else:
            values = [column.get_default()] * len(rows)
        names.append(connection.ops.quote_name(column.column))
        arrays.append((values, f"{column.db_type(connection)}[]"))
    table = connection.ops.quote_name(model._meta.db_table)
    unnest = ", ".join(f"%b::{array_type}" for _, array_type in arrays)
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) SELECT * FROM unnest({unnest}) "
        f'RETURNING "report_id", "key", "id"'
    )
    with binary_cursor() as cursor:
        cursor.execute(sql, [values for values, _ in arrays])
        return {(rid, key): pk for rid, key, pk in cursor.fetchall()}


def insert_links(through, target: str, pairs: list[tuple[int, int]]) -> None:
    """Insert (initiative id, target id) link rows in one statement; repeats once."""
    pairs = list(dict.fromkeys(pairs))
    if not pairs:
        return
    table = connection.ops.quote_name(through._meta.db_table)
    sql = (
        f'INSERT INTO {table} ("initiative_id", {connection.ops.quote_name(target)}) '
        f"SELECT * FROM unnest(%b::bigint[], %b::bigint[])"
    )
    with binary_cursor() as cursor:
        cursor.execute(sql, [[i for i, _ in pairs], [t for _, t in pairs]])
