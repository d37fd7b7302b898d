"""A common word's search reads a bounded window of rows, walked down the primary key.

On generated reports (the page benchmark's generator, VACUUM ANALYZEd as in
test_list_plans), each query of a two-word search is EXPLAINed under the settings it ran
with: the initiative candidates and count (the words match one initiative in twenty)
walk the newest ids and read no more rows than their first window holds, instead of the
text index's posting lists, which grow with the table.
"""

from __future__ import annotations

import json

from django.db import connection, transaction

from catalogue import windows
from catalogue.search import CANDIDATES, COUNT_BOUND
from tests.catalogue.test_list_plans import catalogue  # noqa: F401 - the generated data

QUERY = "红石榴 驿站"


def queries_with_settings(client, url: str) -> list[tuple[str, tuple, bool]]:
    """The SELECTs answering `url` runs, each with whether it ran walked (no bitmap scans)."""
    seen, walking = [], False

    def record(execute, sql, params, many, context):
        nonlocal walking
        if "enable_bitmapscan = off" in sql:
            walking = True
        elif "enable_bitmapscan = on" in sql or sql.startswith(("COMMIT", "ROLLBACK")):
            walking = False
        elif sql.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((sql, params, walking))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(url).status_code == 200
    return seen


def analysed(sql: str, params, *, walked: bool) -> dict:
    """EXPLAIN ANALYZE of one statement under the settings it ran with: its top plan node."""
    with transaction.atomic(), connection.cursor() as cursor:
        if walked:
            cursor.execute(f"{windows.WALK}; {windows.SERIAL}")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        found = cursor.fetchone()[0]
    return (json.loads(found) if isinstance(found, str) else found)[0]["Plan"]


def nodes(node: dict):
    """Every node of a plan."""
    yield node
    for child in node.get("Plans", []):
        yield from nodes(child)


def test_a_common_words_initiative_candidates_and_count_read_one_window(catalogue, client):  # noqa: F811
    """The initiative candidates and count walk the primary key through the newest ids, and
    read at most their window's rows (no bitmap of every match)."""
    initiative = [
        (sql, params, walked)
        for sql, params, walked in queries_with_settings(client, f"/search/?q={QUERY}")
        if 'FROM "catalogue_initiative" WHERE' in sql and "search_vector" in sql
    ]
    windowed = [(s, p) for s, p, walked in initiative if walked]
    assert len(windowed) == 2, "candidates and count each ran walked"
    for (sql, params), want in zip(windowed, (CANDIDATES, COUNT_BOUND + 1), strict=True):
        scans = [n for n in nodes(analysed(sql, params, walked=True)) if "Scan" in n["Node Type"]]
        assert [n["Node Type"] for n in scans] == ["Index Scan"], sql
        assert scans[0]["Index Name"] == "catalogue_initiative_pkey"
        read = scans[0]["Actual Rows"] + scans[0].get("Rows Removed by Filter", 0)
        assert scans[0]["Actual Rows"] == want and read <= windows.FIRST * want
