"""Streamed CSV and JSON exports of the filtered lists.

CSV is UTF-8 with a byte-order mark so spreadsheet programs read Chinese correctly.
Both formats stop at EXPORT_CAP rows and say so: the JSON carries "cap" and
"truncated"; the CSV ends with a "# truncated …" line when rows were left out; every
response carries an X-Export-Cap header.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import StreamingHttpResponse

EXPORT_CAP = 50_000
CHUNK = 2_000
FORMATS = ("csv", "json")


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
        Column("initiative_id", "initiative_id"),
        *REPORT,
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
        yield writer.writerow(["; ".join(v) if isinstance(v, list) else _cell(v) for v in row])


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


def export_response(
    queryset: QuerySet, kind: str, fmt: str, *, filename: str, cap: int = EXPORT_CAP
) -> StreamingHttpResponse:
    """A streamed CSV or JSON download of `queryset` with the columns of `kind`."""
    columns = COLUMNS[kind]
    data = rows(queryset, columns, cap=cap)
    if fmt == "csv":
        body, content_type = csv_lines(data, columns, cap=cap), "text/csv; charset=utf-8"
    else:
        body, content_type = json_chunks(data, columns, cap=cap), "application/json"
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["X-Export-Cap"] = str(cap)
    return response
