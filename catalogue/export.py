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

from django.db import DatabaseError
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

EXPORT_CAP = 50_000
CHUNK = 2_000
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


def ending_loudly(body: Iterator[str], fmt: str) -> Iterator[str]:
    """`body`, ended by the format's error marker if the database fails while it streams."""
    try:
        yield from body
    except DatabaseError:
        logger.exception("export stopped by a database error after streaming began")
        yield ERROR_MARKERS[fmt]


def export_response(
    queryset: QuerySet, kind: str, fmt: str, *, filename: str, cap: int = EXPORT_CAP
) -> HttpResponse | StreamingHttpResponse:
    """A streamed CSV or JSON download of `queryset` with the columns of `kind` (503 if the
    query fails before the first byte)."""
    columns = COLUMNS[kind]
    data = rows(queryset, columns, cap=cap)
    try:
        first = list(itertools.islice(data, 1))  # runs the query and fetches its first batch
    except DatabaseError:
        logger.exception("export query failed")
        return HttpResponse(
            _("导出失败(数据库错误)。请稍后重试或缩小筛选范围。") + "\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    data = itertools.chain(first, data)
    if fmt == "csv":
        body, content_type = csv_lines(data, columns, cap=cap), "text/csv; charset=utf-8"
    else:
        body, content_type = json_chunks(data, columns, cap=cap), "application/json"
    response = StreamingHttpResponse(ending_loudly(body, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["X-Export-Cap"] = str(cap)
    return response
