"""Streamed CSV and JSON exports of the filtered lists.

CSV is UTF-8 with a byte-order mark so spreadsheet programs read Chinese correctly.
Both formats stop at EXPORT_CAP rows and say so: the JSON carries "cap" and
"truncated"; the CSV ends with a "# truncated …" line when rows were left out; every
response carries an X-Export-Cap header.

Exports fail loudly. The query runs and its first batch is fetched before the first
byte is sent, so a database error there is a 503 page, not a 200 with an empty file.
An error after streaming began cannot change the status any more, so the body ends
with a marker instead: a final "# error: …" CSV line, or JSON that stops inside the
rows array with an "error" key, which no JSON parser accepts as a complete document.

CSV text cells that a spreadsheet would run as a formula (starting with =, +, -, @,
tab or CR) get a leading apostrophe (OWASP's rule), whoever wrote the text; numeric
columns are written as numbers, so a negative value stays -5 and sums in a sheet.

The CSV is written by PostgreSQL itself: `COPY (SELECT …) TO STDOUT (FORMAT csv)` of the
list's own query, each cell put into its CSV form in SQL (the apostrophe rule, lists
joined with "; ", decimals without trailing zeros, ISO dates), streamed row by row
through psycopg's copy API. Python only counts rows for the cap and passes bytes on,
in blocks of about BLOCK bytes rather than one write per row. A column of a type that
rule does not cover falls back to the same rules applied in Python (`csv_lines`).
Rows end with LF, as PostgreSQL writes them; the Python path's rows end with CRLF.
"""

from __future__ import annotations

import csv
import itertools
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import FieldDoesNotExist
from django.db import DatabaseError, connections, models
from django.db.models import F, Func, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

EXPORT_CAP = 50_000
CHUNK = 2_000  # rows fetched before the first byte is sent (and per fetch on the Python path)
BLOCK = 64 * 1024  # bytes of CSV or JSON handed to the server at a time
FORMATS = ("csv", "json")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One exported column: its header and the queryset path it reads."""

    name: str
    path: str


REGION = (
    Column("region_code", "report__region__code"),
    Column("region_name", "report__region__name"),
)
REPORT = (
    Column("report_id", "report_id"),
    Column("report_title", "report__title"),
    Column("published", "report__published"),
    *REGION,
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "report": (
        Column("id", "id"),
        Column("title", "title"),
        Column("title_derived", "title_derived"),  # 标题为系统生成: no title stated on the page
        Column("published", "published"),
        Column("region_code", "region__code"),
        Column("region_name", "region__name"),
        Column("sources", "sources"),
        Column("url", "url"),
    ),
    "programme": (
        Column("id", "id"),
        Column("title", "title"),
        Column("summary", "summary"),
        *REPORT,
    ),
    "initiative": (
        Column("id", "id"),
        Column("title", "title"),
        Column("text", "text"),
        Column("programme_id", "programme_id"),
        *REPORT,
    ),
    "indicator": (
        Column("id", "id"),
        Column("label", "label"),
        Column("value", "value"),
        Column("unit", "unit"),
        Column("qualifier", "qualifier"),
        Column("figure", "figure"),
        Column("quote", "quote"),
        Column("period", "period"),
        Column("period_kind", "period_kind"),
        Column("period_year", "period_year"),
        Column("measure", "measure__slug"),
        Column("initiative_id", "initiative_id"),
        *REPORT,
    ),
    # /compare/: one row per region and period kind, with what a reader needs to check it.
    "compare": (
        Column("measure", "measure__slug"),
        Column("measure_name", "measure__name"),
        Column("measure_kind", "measure__kind"),
        Column("level", "report__region__level"),
        *REGION,
        Column("value", "value"),
        Column("unit", "unit"),
        Column("qualifier", "qualifier"),
        Column("figure", "figure"),
        Column("label", "label"),
        Column("period_kind", "period_kind"),
        Column("period_year", "period_year"),
        Column("period", "period"),
        Column("report_id", "report_id"),
        Column("report_url", "report__url"),
        Column("published", "report__published"),
        Column("quote", "quote"),
        Column("id", "id"),
    ),
}


def rows(queryset: QuerySet, columns: tuple[Column, ...], *, cap: int) -> Iterator[tuple]:
    """At most cap + 1 rows of `queryset` as tuples, fetched in chunks (the extra row tells truncation)."""
    values = queryset.prefetch_related(None).values_list(*(c.path for c in columns))[: cap + 1]
    return values.iterator(chunk_size=CHUNK)


def _cell(value) -> str | int | float | list | None:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_cell(value) -> str | int | float | None:
    """A CSV cell: text a spreadsheet would evaluate gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, list):
        value = "; ".join(value)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_START) else value
    return _cell(value)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(data: Iterable[tuple], columns: tuple[Column, ...], *, cap: int) -> Iterator[str]:
    """The CSV text: BOM, header, rows, and a final note when the cap cut rows off."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([c.name for c in columns])
    for n, row in enumerate(data):
        if n == cap:
            yield writer.writerow(
                [f"# truncated: export is capped at {cap} rows; narrow the filters"]
            )
            return
        yield writer.writerow([csv_cell(v) for v in row])


def json_chunks(data: Iterable[tuple], columns: tuple[Column, ...], *, cap: int) -> Iterator[str]:
    """A JSON object {"cap", "columns", "rows": [...], "truncated"} written row by row."""
    names = [c.name for c in columns]
    yield f'{{"cap": {cap}, "columns": {json.dumps(names)}, "rows": ['
    truncated = False
    for n, row in enumerate(data):
        if n == cap:
            truncated = True
            break
        item = json.dumps(dict(zip(names, map(_cell, row), strict=True)), ensure_ascii=False)
        yield ("," if n else "") + "\n" + item
    yield f'\n], "truncated": {json.dumps(truncated)}}}\n'


ERROR_MARKERS = {
    "csv": "# error: the export stopped on a database error; the rows above are incomplete\n",
    "json": '\n], "error": "the export stopped on a database error; the rows are incomplete"\n',
}


def ending_loudly(body: Iterator[str | bytes], fmt: str) -> Iterator[bytes]:
    """`body` in blocks of about BLOCK bytes, ended by the format's error marker if the
    database fails while it streams (the rows before the failure are sent first)."""
    block: list[bytes] = []
    size = 0
    try:
        for piece in body:
            block.append(piece.encode() if isinstance(piece, str) else piece)
            size += len(block[-1])
            if size >= BLOCK:
                yield b"".join(block)
                block, size = [], 0
    except DatabaseError:
        logger.exception("export stopped by a database error after streaming began")
        block.append(ERROR_MARKERS[fmt].encode())
    if block:
        yield b"".join(block)


# --- CSV written by PostgreSQL ---------------------------------------------------------

_INTEGER_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
}
_TEXT_TYPES = {"CharField", "TextField", "SlugField", "URLField", "EmailField"}
# csv_cell's rules in SQL, each naming its value once: text that starts like a formula
# gets an apostrophe (and an empty text is written as nothing, as csv.writer does);
# decimals lose their trailing zeros; dates are ISO; booleans read True/False.
_NEUTRALISED = "NULLIF(regexp_replace({}, '^([-=+@\\t\\r])', '''\\1'), '')"
_CELL_SQL = {
    "text": _NEUTRALISED.format("%(expressions)s"),
    "list": _NEUTRALISED.format("array_to_string(%(expressions)s, '; ')"),
    "DecimalField": "trim_scale(%(expressions)s)",
    "DateField": "to_char(%(expressions)s, 'YYYY-MM-DD')",
    "BooleanField": "initcap((%(expressions)s)::text)",
}


def _field(queryset: QuerySet, path: str) -> models.Field | None:
    """The model field a column path reads; None for a computed (annotated) column.

    A computed column is left to the Python path: its declared output field need not be
    the SQL type its expression yields, and csv_cell converts the values it gets. (COPY
    plans for the whole result, where a cursor plans to start fast: an expression that
    fails on some row can fail before the first row is written instead of midway.)
    """
    if path in queryset.query.annotations:
        return None
    model = queryset.model
    *links, last = path.split("__")
    for name in links:
        model = model._meta.get_field(name).related_model
    field = model._meta.get_field(last)
    return field.target_field if field.is_relation else field


def _cell_sql(field: models.Field) -> str | None:
    """The SQL template writing a value of `field` as its CSV cell; None when there is none."""
    kind = field.get_internal_type()
    if kind in _INTEGER_TYPES:
        return "%(expressions)s"
    if kind in _TEXT_TYPES:
        return _CELL_SQL["text"]
    if isinstance(field, ArrayField):
        return _CELL_SQL["list"] if field.base_field.get_internal_type() in _TEXT_TYPES else None
    return _CELL_SQL.get(kind)


def copy_statement(
    queryset: QuerySet, columns: tuple[Column, ...], *, cap: int
) -> tuple[str, tuple] | None:
    """`COPY (the query's first cap + 1 rows, as CSV cells) TO STDOUT` and its parameters;
    None when a column's type has no SQL form or the query selects more than the columns."""
    cells = []
    for column in columns:
        try:
            field = _field(queryset, column.path)
        except (FieldDoesNotExist, AttributeError):
            return None  # a column the model does not describe: written by Python instead
        template = _cell_sql(field) if field is not None else None
        if template is None:
            return None
        cells.append(Func(F(column.path), template=template, output_field=models.TextField()))
    values = queryset.prefetch_related(None).values_list(*cells)[: cap + 1]
    compiler = values.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    if len(compiler.select) != len(columns):  # e.g. DISTINCT adding its ordering columns
        return None
    return f"COPY ({sql}) TO STDOUT (FORMAT csv)", params


def copied_rows(statement: tuple[str, tuple], *, using: str) -> Iterator[bytes]:
    """The rows PostgreSQL writes for a COPY … TO STDOUT statement, one CSV line each."""
    connection = connections[using]
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(*statement) as copy,
    ):
        for row in copy:
            yield bytes(row)


def copy_csv_lines(data: Iterable[bytes], columns: tuple[Column, ...], *, cap: int) -> Iterator:
    """The CSV text around rows PostgreSQL wrote: BOM, header, rows, the note past the cap."""
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield "\ufeff" + writer.writerow([c.name for c in columns])
    for n, row in enumerate(data):
        if n == cap:
            yield writer.writerow(
                [f"# truncated: export is capped at {cap} rows; narrow the filters"]
            )
            return
        yield row


def export_response(
    queryset: QuerySet, kind: str, fmt: str, *, filename: str, cap: int = EXPORT_CAP
) -> HttpResponse | StreamingHttpResponse:
    """A streamed CSV or JSON download of `queryset` with the columns of `kind` (503 if the
    query fails before the first byte)."""
    columns = COLUMNS[kind]
    statement = copy_statement(queryset, columns, cap=cap) if fmt == "csv" else None
    if statement:
        data = copied_rows(statement, using=queryset.db)
    else:
        data = rows(queryset, columns, cap=cap)
    try:
        first = list(itertools.islice(data, CHUNK))  # runs the query, fetches its first batch
    except DatabaseError:
        logger.exception("export query failed")
        return HttpResponse(
            _("导出失败(数据库错误)。请稍后重试或缩小筛选范围。") + "\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    data = itertools.chain(first, data)
    if statement:
        body, content_type = copy_csv_lines(data, columns, cap=cap), "text/csv; charset=utf-8"
    elif fmt == "csv":
        body, content_type = csv_lines(data, columns, cap=cap), "text/csv; charset=utf-8"
    else:
        body, content_type = json_chunks(data, columns, cap=cap), "application/json"
    response = StreamingHttpResponse(ending_loudly(body, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["X-Export-Cap"] = str(cap)
    return response
