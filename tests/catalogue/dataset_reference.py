"""The dataset as the first builder wrote it, row by row in Python: the oracle that the
files PostgreSQL writes (catalogue.dataset) are compared with."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

from catalogue.dataset import TABLES, table_rows


def _cell(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(v for v in value if v)
    return value


def _json_cell(value):
    if isinstance(value, list):
        return [v for v in value if v]
    return _cell(value)


def reference_files() -> tuple[dict[str, bytes], bytes]:
    """Each table's CSV (BOM, CRLF rows) and the JSON Lines, as the Python builder wrote them."""
    tables, lines = {}, io.StringIO()
    encode = json.JSONEncoder(ensure_ascii=False).encode
    for table in TABLES:
        names = [c.name for c in table.columns]
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(names)
        for row in table_rows(table):
            writer.writerow(["" if v is None else _cell(v) for v in row])
            cells = dict(zip(names, map(_json_cell, row), strict=True))
            lines.write(encode({"type": table.name.removesuffix("s"), **cells}) + "\n")
        tables[table.name] = ("\ufeff" + text.getvalue()).encode()
    return tables, lines.getvalue().encode()
