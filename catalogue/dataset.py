"""The whole public catalogue as files: a zipped set of CSV tables and one JSON Lines file.

`build_dataset()` writes them into DATA_DIR/dataset/ with a manifest (build time, row
counts, sizes); the /data/ page offers them with the data dictionary (catalogue.dataset_tables). Rows come
from the selectors' public querysets, so the files hold exactly what the pages show.
Files are written beside the old ones and renamed into place, so a download never
sees half a build.

PostgreSQL writes every row: `COPY (the table's queryset, each cell in its file form)
TO STDOUT`, as CSV for the zip and as one JSON text per row for the JSON Lines, and
Python passes the bytes on in blocks (at 20,000 reports the Python builder's 650,000
rows of conversions and encoding took most of the rebuild). The JSON Lines are the
bytes json.dumps wrote; the CSV holds the same cells, its rows ending with LF (as
PostgreSQL writes them) instead of csv.writer's CRLF. The zip is deflated at level
COMPRESSION (3: a quarter of level 6's time, files about a fifth larger).

The zip (on the caller's connection) and the JSON Lines (on a thread's) are written at
once from one snapshot, as pg_dump --jobs does: the caller's REPEATABLE READ transaction
exports it (with the version and counts read in it), the thread's imports it. Inside a
caller's transaction (writes no other connection sees) the COPYs run one after another.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from . import selectors, state
from .dataset_tables import TABLES, Table
from .models import Measure, Region, Theme

CSV_ZIP = "catalogue-csv.zip"
JSONL = "catalogue.jsonl"
MANIFEST = "manifest.json"
COMPRESSION = 3


def table_rows(table: Table) -> QuerySet:
    """The public rows of one table, ordered by identifier."""
    reports = selectors.report_public()
    querysets = {
        "regions": Region.objects.filter(code__in=_region_codes(reports)),
        "reports": reports,
        "programmes": selectors.programme_public(),
        "initiatives": selectors.initiative_public().annotate(
            theme_slugs=ArrayAgg("themes__slug", distinct=True, default=[]),
            brand_names=ArrayAgg("brands__name", distinct=True, default=[]),
        ),
        "indicators": selectors.indicator_public(),
        "measures": Measure.objects.all(),
        "themes": Theme.objects.all(),
    }
    key = table.columns[0].path
    return querysets[table.name].order_by(key).values_list(*(c.path for c in table.columns))


def _region_codes(reports: QuerySet) -> set[str]:
    """The regions of public reports and every region above them."""
    codes = set(reports.exclude(region=None).values_list("region_id", flat=True).distinct())
    above = Region.objects.filter(code__in=codes).values_list("parent_id", "parent__parent_id")
    for parent, grandparent in above:
        codes.update(code for code in (parent, grandparent) if code)
    return codes


# Each cell is put into its file form by PostgreSQL, from the column's type, so Python
# only passes bytes on. CSV: what csv.writer wrote for the Python value (an empty text or
# list as NULL, so PostgreSQL leaves it unquoted as csv.writer did; decimals without
# trailing zeros; ISO dates; True/False). JSON: what json.dumps wrote for it (decimals
# and dates as strings, lists without empty items, ", " between items).
_CSV_SQL = {
    "int": "%(value)s",
    "text": "NULLIF(%(value)s, '')",
    "list": "NULLIF(array_to_string(array_remove(%(value)s, ''), '; '), '')",
    "bool": "initcap((%(value)s)::text)",
    "date": "to_char(%(value)s, 'YYYY-MM-DD')",
    "decimal": "trim_scale(%(value)s)",
}
_JSON_SQL = {
    "int": "to_json(%(value)s)::text",
    "text": "to_json(%(value)s)::text",
    "list": (
        "(SELECT '[' || COALESCE(string_agg(to_json(e)::text, ', ' ORDER BY n), '') || ']'"
        " FROM unnest(%(value)s) WITH ORDINALITY AS u(e, n) WHERE e <> '')"
    ),
    "bool": "to_json(%(value)s)::text",
    "date": "to_json(to_char(%(value)s, 'YYYY-MM-DD'))::text",
    "decimal": "to_json(trim_scale(%(value)s)::text)::text",
}
_KINDS = {
    "BooleanField": "bool",
    "DateField": "date",
    "DecimalField": "decimal",
    "ArrayField": "list",
    "CharField": "text",
    "TextField": "text",
    "SlugField": "text",
    "URLField": "text",
}
# COPY's text format doubles each backslash (its escape); a JSON line has no tab, newline
# or other control character raw, so undoing that is the only unescaping it needs.
_COPY_BACKSLASH = (b"\\\\", b"\\")
BLOCK = 1 << 20  # bytes gathered before one write
# Both streams read in such a transaction: one snapshot, and nothing written meanwhile.
_SNAPSHOT_READ = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"


def _kind(queryset: QuerySet, path: str) -> str:
    """The cell kind of a column: from its model field, or a list for an annotation."""
    if path in queryset.query.annotations:
        return "list"  # the ArrayAgg columns of table_rows
    model = queryset.model
    *links, last = path.split("__")
    for name in links:
        model = model._meta.get_field(name).related_model
    field = model._meta.get_field(last)
    field = field.target_field if field.is_relation else field
    return _KINDS.get(field.get_internal_type(), "int")


def copy_statements(table: Table) -> tuple[tuple[str, tuple], tuple[str, tuple]]:
    """The COPY statements writing a table's CSV rows and its JSON Lines.

    Each reads the table's rows as they are (table_rows) in a subquery and puts them into
    their file form above it, so a grouped query (initiatives' themes and brands) groups
    by its key only, not by every formatted cell.
    """
    queryset = table_rows(table)
    kinds = [_kind(queryset, c.path) for c in table.columns]
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    if len(compiler.select) != len(kinds):  # e.g. DISTINCT adding its ordering columns
        raise ValueError(f"{table.name}: the query selects more than its columns")
    values = [f"s.c{n}" for n in range(len(kinds))]
    csv_cells = ", ".join(_CSV_SQL[k] % {"value": v} for k, v in zip(kinds, values, strict=True))
    prefix = json.dumps({"type": table.name.removesuffix("s")})[:-1]
    pieces = [
        f"', {json.dumps(c.name)}: ' || COALESCE({_JSON_SQL[k] % {'value': v}}, 'null')"
        for c, k, v in zip(table.columns, kinds, values, strict=True)
    ]
    line = " || ".join([f"'{prefix}'", *pieces, "'}'"])
    source = f"FROM ({sql}) AS s({', '.join(v[2:] for v in values)}) ORDER BY s.c0"
    return (
        (f"COPY (SELECT {csv_cells} {source}) TO STDOUT (FORMAT csv)", params),
        (f"COPY (SELECT {line} {source}) TO STDOUT", params),
    )


def _copied(statement: tuple[str, tuple], write, *, replace=None) -> int:
    """Run a COPY … TO STDOUT, writing its rows in blocks of about BLOCK bytes; the count."""
    count, size, block = 0, 0, []
    with connection.cursor() as cursor, cursor.cursor.copy(*statement) as copy:
        for row in copy:
            row = bytes(row)
            block.append(row.replace(*replace) if replace and b"\\" in row else row)
            count += 1
            size += len(row)
            if size >= BLOCK:
                write(b"".join(block))
                block, size = [], 0
    write(b"".join(block))
    return count


Statements = list[tuple[tuple[str, tuple], tuple[str, tuple]] | None]  # None: no rows


def _statements() -> Statements:
    """The COPY statements of every table (building them reads the regions of public reports)."""
    statements: Statements = []
    for table in TABLES:
        try:
            statements.append(copy_statements(table))
        except EmptyResultSet:  # e.g. regions when no report is public: nothing to copy
            statements.append(None)
    return statements


def _write_zip(path: Path, statements: Statements) -> dict[str, int]:
    """Write every table's CSV into the zip at `path`; return the row count of each."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(
        path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION
    ) as archive:
        for table, pair in zip(TABLES, statements, strict=True):
            with archive.open(f"{table.name}.csv", "w") as entry:
                header = io.StringIO()
                csv.writer(header, lineterminator="\n").writerow(c.name for c in table.columns)
                entry.write(("\ufeff" + header.getvalue()).encode())
                counts[table.name] = _copied(pair[0], entry.write) if pair else 0
    return counts


def _write_lines(path: Path, statements: Statements) -> None:
    """Write every table's rows, one JSON text a line, into the file at `path`."""
    with path.open("wb") as lines:
        for pair in statements:
            if pair:
                _copied(pair[1], lines.write, replace=_COPY_BACKSLASH)


def _in_snapshot(snapshot: str, work: Callable, *args):
    """In a thread: run `work` in a read-only transaction on the exported `snapshot`,
    then close the thread's connection (nothing else would)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_SNAPSHOT_READ)
            cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
            return work(*args)
    finally:
        connection.close()


def _write_files(zip_tmp: Path, jsonl_tmp: Path) -> tuple[str, dict[str, int]]:
    """Write both files from one snapshot, at the same time; the version and the counts."""
    if connection.in_atomic_block:  # the caller's own writes: only its connection sees them
        version = state.version()
        statements = _statements()
        _write_lines(jsonl_tmp, statements)
        return version, _write_zip(zip_tmp, statements)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_SNAPSHOT_READ)
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        version = state.version()
        statements = _statements()
        # Leaving the pool waits for the thread: the snapshot stays exported until then.
        with ThreadPoolExecutor(1, thread_name_prefix="dataset") as pool:
            lines = pool.submit(_in_snapshot, snapshot, _write_lines, jsonl_tmp, statements)
            counts = _write_zip(zip_tmp, statements)
            lines.result()  # its error, if any, is raised here
    return version, counts


def dataset_dir() -> Path:
    """Where the dataset files live (settings.DATASET_DIR)."""
    return Path(settings.DATASET_DIR)


def build_dataset(target: Path | None = None) -> dict:
    """Write the zipped CSV set, the JSON Lines file and the manifest; return the manifest.

    The manifest's catalogue version (catalogue.state) is read in the snapshot both files
    are read from, so it names exactly what they hold (stronger than reading it first,
    which the build inside a caller's transaction still does: a build overlapping a
    write carries the older version, so `is_current` is never true of files missing it).
    """
    target = target or dataset_dir()
    target.mkdir(parents=True, exist_ok=True)
    # Unique temporary names: two ingests finishing at once must not write one file.
    zip_tmp, jsonl_tmp = (_temporary(target, name) for name in (CSV_ZIP, JSONL))
    try:
        version, counts = _write_files(zip_tmp, jsonl_tmp)
    except BaseException:
        zip_tmp.unlink(missing_ok=True)
        jsonl_tmp.unlink(missing_ok=True)
        raise
    zip_tmp.replace(target / CSV_ZIP)
    jsonl_tmp.replace(target / JSONL)
    manifest = {
        "built": timezone.now().isoformat(timespec="seconds"),
        "version": version,
        "counts": counts,
        "files": {name: (target / name).stat().st_size for name in (CSV_ZIP, JSONL)},
    }
    manifest_tmp = _temporary(target, MANIFEST)
    manifest_tmp.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    manifest_tmp.replace(target / MANIFEST)
    return manifest


def _temporary(target: Path, name: str) -> Path:
    """A new empty file in `target` to write `name` into before renaming it into place."""
    handle, path = tempfile.mkstemp(prefix=f".{name}.", dir=target)
    os.close(handle)
    return Path(path)


def is_current(target: Path | None = None) -> bool:
    """True when the files were built at the catalogue's current version: nothing to rebuild."""
    manifest = read_manifest(target)
    return manifest is not None and manifest.get("version") == state.version()


def read_manifest(target: Path | None = None) -> dict | None:
    """The manifest of the last build, or None when the dataset was never built."""
    path = (target or dataset_dir()) / MANIFEST
    if not path.is_file():
        return None
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["built"] = datetime.fromisoformat(manifest["built"])
    return manifest
