"""The `public` flag of extracted rows, kept equal to what the public site may show.

A programme, initiative or indicator is public when staff did not reject it, its
report is not hidden, and no programme or initiative it stands under is rejected.
Search and lists filter on the flag (with partial GIN indexes `WHERE public`) instead
of joining reports. Every writer that changes `hidden` or `rejected` (ingest, reprint
grouping, admin saves and actions) calls `refresh_public` with the reports it touched;
three UPDATEs per call, each writing only rows whose flag changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

# Per table: the condition that makes a row public, over its own columns (alias t).
_NOT_HIDDEN = "NOT EXISTS (SELECT 1 FROM catalogue_report r WHERE r.id = t.report_id AND r.hidden)"
_PROGRAMME_OK = (
    "(t.programme_id IS NULL OR NOT EXISTS (SELECT 1 FROM catalogue_programme p"
    " WHERE p.id = t.programme_id AND p.rejected))"
)
_INITIATIVE_OK = (
    "(t.initiative_id IS NULL OR NOT EXISTS (SELECT 1 FROM catalogue_initiative i"
    " LEFT JOIN catalogue_programme ip ON ip.id = i.programme_id"
    " WHERE i.id = t.initiative_id AND (i.rejected OR COALESCE(ip.rejected, false))))"
)
_RULES = {
    "catalogue_programme": f"NOT t.rejected AND {_NOT_HIDDEN}",
    "catalogue_initiative": f"NOT t.rejected AND {_NOT_HIDDEN} AND {_PROGRAMME_OK}",
    "catalogue_indicator": (
        f"NOT t.rejected AND {_NOT_HIDDEN} AND {_PROGRAMME_OK} AND {_INITIATIVE_OK}"
    ),
}


def refresh_public(report_ids: Iterable[int]) -> int:
    """Recompute the `public` flag of every extracted row of these reports; returns rows changed."""
    ids = sorted({int(pk) for pk in report_ids})
    if not ids:
        return 0
    changed = 0
    with connection.cursor() as cursor:
        for table, rule in _RULES.items():
            cursor.execute(
                f"UPDATE {table} AS t SET public = ({rule})"  # noqa: S608 - fixed table names
                f" WHERE t.report_id = ANY(%s) AND t.public IS DISTINCT FROM ({rule})",
                [ids],
            )
            changed += cursor.rowcount
    if changed:
        # Which figure is a region's latest public one may have changed with the flags (a
        # save's own signal refreshed the summary before the flags were right).
        from catalogue import measure_summary

        measure_summary.touch_reports(ids)
    return changed


def refresh_all() -> int:
    """Recompute the flag of every extracted row (migrations, repairs); returns rows changed."""
    changed = 0
    with connection.cursor() as cursor:
        for table, rule in _RULES.items():
            cursor.execute(
                f"UPDATE {table} AS t SET public = ({rule})"  # noqa: S608 - fixed table names
                f" WHERE t.public IS DISTINCT FROM ({rule})"
            )
            changed += cursor.rowcount
    return changed
