"""Load the generated catalogue of bench/data.py into PostgreSQL with COPY (Django set up first)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from data import BRANDS, COLUMNS, PROVINCE, Refs, generate


def load_refs() -> Refs:
    """Read (creating themes and brands if missing) the reference rows the data points at."""
    from catalogue.models import Brand, Measure, Region, Theme
    from ingest.themes import load_themes

    if not Theme.objects.exists():
        for theme in load_themes():
            Theme.objects.create(slug=theme.slug, name=theme.name, name_en=theme.name_en)
    for name in BRANDS:
        Brand.objects.get_or_create(name=name)
    counties = list(Region.objects.filter(level="county").values_list("code", flat=True))
    return Refs(
        counties=counties,
        inner_counties=[c for c in counties if c.startswith(PROVINCE[:2])],
        prefectures=list(Region.objects.filter(level="prefecture").values_list("code", flat=True)),
        theme_ids=list(Theme.objects.values_list("id", flat=True)),
        measure_ids=dict(Measure.objects.values_list("slug", "id")),
        brand_ids=list(Brand.objects.filter(name__in=BRANDS).values_list("id", flat=True)),
    )


def _table_columns(cursor, table: str) -> dict[str, bool]:
    """Column name -> whether it must be given (NOT NULL, no default, not generated)."""
    cursor.execute(
        "SELECT column_name, is_nullable = 'NO' AND column_default IS NULL "
        "AND is_generated = 'NEVER' AND identity_generation IS NULL "
        "FROM information_schema.columns WHERE table_name = %s",
        [table],
    )
    return dict(cursor.fetchall())


def check_columns() -> dict[str, list[int]]:
    """Per table, the positions of COLUMNS the table still has; fail on a required column unfilled."""
    from django.db import connection

    keep = {}
    with connection.cursor() as cursor:
        for table, columns in COLUMNS.items():
            actual = _table_columns(cursor, table)
            missing = [c for c, required in actual.items() if required and c not in columns]
            if missing:
                raise RuntimeError(
                    f"bench/data.py: {table} needs {', '.join(missing)}: add them to COLUMNS "
                    "and to the row builder"
                )
            gone = [c for c in columns if c not in actual]
            if gone:
                print(f"warning: {table} has no {', '.join(gone)} any more; not sent")
            keep[table] = [i for i, c in enumerate(columns) if c in actual]
    return keep


def build(n_reports: int, seed: int = 20_000) -> dict[str, int]:
    """Empty the catalogue tables and COPY n_reports generated reports in; return row counts."""
    from django.core.cache import cache
    from django.db import connection

    from catalogue import state

    refs = load_refs()
    keep = check_columns()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(COLUMNS)} RESTART IDENTITY CASCADE")
    rows = generate(n_reports, refs, seed)
    # Inside a transaction (a test) the rows must go through its own connection.
    counts = _copy_buffered(rows, keep) if connection.in_atomic_block else _copy(rows, keep)
    _finish()
    state.bump()
    cache.clear()
    return counts


def _sent(row: tuple, positions: list[int]) -> tuple | list:
    return row if len(positions) == len(row) else [row[i] for i in positions]


def _copy(rows: Iterator[tuple[str, tuple]], keep: dict[str, list[int]]) -> dict[str, int]:
    """Stream rows to the server, one connection and COPY per table open at once.

    100,000 reports would not fit in memory as lists. Each table commits after its
    parents: the deferred foreign keys are checked at commit.
    """
    import psycopg
    from django.db import connection

    connection.ensure_connection()
    params = connection.get_connection_params()
    counts = dict.fromkeys(COLUMNS, 0)
    started = time.perf_counter()
    conns = {table: psycopg.connect(**params) for table in COLUMNS}
    try:
        with contextlib.ExitStack() as stack:
            copies = {}
            for table, conn in conns.items():
                conn.execute("SET synchronous_commit = off")
                names = ", ".join(f'"{COLUMNS[table][i]}"' for i in keep[table])
                sql = f"COPY {table} ({names}) FROM STDIN"
                copies[table] = stack.enter_context(conn.cursor().copy(sql))
            for table, row in rows:
                copies[table].write_row(_sent(row, keep[table]))
                counts[table] += 1
                if table == "catalogue_report" and row[0] % 10_000 == 0:
                    print(f"  {row[0]:,} reports ({time.perf_counter() - started:.0f} s)")
        for table in COLUMNS:
            conns[table].commit()
    finally:
        for conn in conns.values():
            conn.close()
    return counts


def _copy_buffered(rows: Iterator[tuple[str, tuple]], keep: dict[str, list[int]]) -> dict[str, int]:
    """Collect rows per table, then COPY them table by table through Django's connection."""
    from django.db import connection

    tables: dict[str, list] = {table: [] for table in COLUMNS}
    for table, row in rows:
        tables[table].append(_sent(row, keep[table]))
    for table, table_rows in tables.items():
        names = ", ".join(f'"{COLUMNS[table][i]}"' for i in keep[table])
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({names}) FROM STDIN") as out,
        ):
            for row in table_rows:
                out.write_row(row)
    return {table: len(table_rows) for table, table_rows in tables.items()}


def _finish() -> None:
    """Move the id sequences past the copied rows and refresh the planner's statistics."""
    from django.db import connection

    # VACUUM (for index-only scans) cannot run inside a transaction; ANALYZE can.
    analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    from catalogue import measure_summary
    from catalogue.public import refresh_all

    refresh_all()  # rows of hidden reports are not public
    measure_summary.rebuild()  # COPY sends no signal: fill the summary as the migration does
    with connection.cursor() as cursor:
        for table in COLUMNS:
            if "id" in COLUMNS[table]:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
            cursor.execute(f"{analyze} {table}")
