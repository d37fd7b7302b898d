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

from django.utils import timezone
from simple_history.utils import get_change_reason_from_object

from catalogue.models import Indicator, Initiative, Programme, Report, ReportText
from ingest.binary import insert_columns
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
        insert_history([new.report for new in self.reports])
        self.reports = []

    def _insert(self, model, kind: str, hidden: set[int], parents: dict) -> dict:
        """Insert one kind of row of every kept report; (report id, key) -> id."""
        rows = []
        for new in self.reports:
            kept = getattr(new, kind)
            if kept:
                rows += [(new.report.pk, row) for row in kept]
                new.rows[f"{model._meta.model_name}.inserted"] += len(kept)
        if not rows:
            return {}
        # Column by column, not a dict per row: the rows of a kind share their fields.
        columns = {
            "report_id": [rid for rid, _ in rows],
            "key": [row.key for _, row in rows],
            "public": [rid not in hidden for rid, _ in rows],
        }
        for name in rows[0][1].fields:
            columns[name] = [row.fields[name] for _, row in rows]
        for parent, ids in parents.items():
            attname = f"{parent}_key"
            columns[f"{parent}_id"] = [ids.get((rid, getattr(row, attname))) for rid, row in rows]
        return _created(insert_columns(model, columns, len(rows), returning=_RETURNING))

    def _insert_texts(self) -> None:
        """The reports' text rows (ReportText), in one statement."""
        columns = {
            "report_id": [new.report.pk for new in self.reports],
            "text": [new.text for new in self.reports],
            "body": [new.body for new in self.reports],
        }
        insert_columns(ReportText, columns, len(self.reports))

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
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    return _created(insert_columns(model, columns, len(rows), returning=_RETURNING))


_RETURNING = '"report_id", "key", "id"'


def _created(returned: list[tuple]) -> dict[tuple[int, str], int]:
    return {(rid, key): pk for rid, key, pk in returned}


def insert_history(reports: list[Report]) -> None:
    """The creation history rows of new reports, in one statement.

    The columns and values simple_history's `bulk_history_create` writes (each report's
    tracked fields as its instance holds them, type "+", the default user, the change
    reason or "", now), without a historical instance per report nor Django's
    client-side quoting of every value.
    """
    if not reports:
        return
    history = Report.history.model
    now = timezone.now()
    columns = {
        field.attname: [getattr(report, field.attname) for report in reports]
        for field in history.tracked_fields
    }
    users = [getattr(r, "_history_user", history.get_default_history_user(r)) for r in reports]
    columns |= {
        "history_date": [getattr(report, "_history_date", now) for report in reports],
        "history_user_id": [getattr(user, "pk", None) for user in users],
        "history_change_reason": [get_change_reason_from_object(r) or "" for r in reports],
        "history_type": ["+"] * len(reports),
    }
    insert_columns(history, columns, len(reports))


def insert_links(through, target: str, pairs: list[tuple[int, int]]) -> None:
    """Insert (initiative id, target id) link rows in one statement; repeats once."""
    pairs = list(dict.fromkeys(pairs))
    columns = {"initiative_id": [i for i, _ in pairs], target: [t for _, t in pairs]}
    insert_columns(through, columns, len(pairs))
