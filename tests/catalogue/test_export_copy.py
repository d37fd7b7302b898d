"""The CSV that PostgreSQL writes (COPY) follows every rule of the CSV Python writes."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections

from catalogue import export
from catalogue.models import Indicator, Initiative, Programme, Report
from catalogue.selectors import indicator_list, initiative_list, programme_list, report_list
from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db

LISTS = {
    "report": report_list,
    "programme": programme_list,
    "initiative": initiative_list,
    "indicator": indicator_list,
}
# Cells a spreadsheet or a CSV reader could get wrong: formulas, quotes, commas, line
# breaks, an empty text, a negative decimal with trailing zeros, a missing date.
AWKWARD = ["=1+2", "-5", '"引号", 逗号', "两行\n文本", "", "@SUM(A1)", "\t制表"]


def _awkward_catalogue(make_report) -> None:
    add_report(make_report, title=AWKWARD[0], sources=["=甲", "乙,丙"], url="")
    add_report(make_report, title="两行\n标题", published=None, sources=[], title_derived=True)
    Programme.objects.update(title=AWKWARD[2], summary="")
    Initiative.objects.filter(position=0).update(title=AWKWARD[3], text=AWKWARD[5])
    Indicator.objects.filter(label="建成驿站").update(label=AWKWARD[1], value=-5.25)
    Indicator.objects.filter(label="服务群众").update(quote=AWKWARD[6], period="", unit="")


def _parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _python_csv(queryset, kind: str) -> str:
    columns = export.COLUMNS[kind]
    data = export.rows(queryset, columns, cap=export.EXPORT_CAP)
    return "".join(export.csv_lines(data, columns, cap=export.EXPORT_CAP)).removeprefix("\ufeff")


@pytest.mark.parametrize("kind", LISTS)
def test_copy_writes_the_same_cells_as_python(client, make_report, kind):
    """Each list's CSV comes from COPY and reads cell for cell as the Python writer's would."""
    _awkward_catalogue(make_report)
    queryset = LISTS[kind]()
    assert export.copy_statement(queryset, export.COLUMNS[kind], cap=10) is not None
    response = client.get(f"/{kind}s/?format=csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    copied, python = _parsed(body.removeprefix("\ufeff")), _parsed(_python_csv(queryset, kind))
    assert len(copied) > 1 and copied == python


def test_copy_neutralises_formulas_and_keeps_numbers(client, make_report):
    """COPY's cells: text that starts like a formula gets an apostrophe; numbers stay numbers."""
    _awkward_catalogue(make_report)
    body = b"".join(client.get("/indicators/?format=csv").streaming_content).decode("utf-8-sig")
    rows = {row["label"]: row for row in csv.DictReader(io.StringIO(body))}
    assert rows["'-5"]["value"] == "-5.25"
    assert (
        rows["开展宣讲活动"]["value"] == "120" and rows["开展宣讲活动"]["published"] == "2024-03-05"
    )
    assert rows["服务群众"]["quote"] == "'\t制表"
    reports = {r["id"]: r for r in csv.DictReader(io.StringIO(_report_csv(client)))}
    assert {r["title"] for r in reports.values()} == {"'=1+2", "两行\n标题"}
    assert {r["sources"] for r in reports.values()} == {"'=甲; 乙,丙", ""}
    assert {r["title_derived"] for r in reports.values()} == {"True", "False"}


def _report_csv(client) -> str:
    return b"".join(client.get("/reports/?format=csv").streaming_content).decode("utf-8-sig")


def test_copy_stops_at_the_cap_and_says_so(make_report):
    """Past the cap, COPY's CSV ends with the truncation note after exactly `cap` rows."""
    add_report(make_report)
    response = export.export_response(indicator_list(), "indicator", "csv", filename="x", cap=2)
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 2 + 1 and lines[-1].startswith("# truncated")


def test_a_copy_that_fails_midway_ends_with_an_error_line(make_report, monkeypatch):
    """A database error after COPY sent rows: those whole rows, then the `# error:` line."""
    figures = [(f"指标{n}", "120余场次", n, "场次", "exact", 0) for n in (1, 2, 3, 4)]
    add_report(make_report, figures=figures)
    # The figure of value 3 divides by zero. Unordered, COPY writes rows as it reads them,
    # so the response starts (with the one row read first) before that row is reached.
    monkeypatch.setitem(export._CELL_SQL, "DecimalField", "1 / (%(expressions)s - 3)")
    monkeypatch.setattr(export, "CHUNK", 1)
    queryset = Indicator.objects.order_by()
    response = export.export_response(queryset, "indicator", "csv", filename="x")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    *table, last = _parsed(body)
    assert last[0].startswith("# error:")
    assert 1 + 1 <= len(table) <= 1 + 3  # the header, then every row sent before the failure
    assert all(len(row) == len(export.COLUMNS["indicator"]) for row in table)


def test_a_copy_that_fails_before_the_first_row_is_a_503(make_report, monkeypatch):
    """A COPY that fails on its first rows answers 503 before sending anything."""
    add_report(make_report)
    monkeypatch.setitem(export._CELL_SQL, "DecimalField", "1 / (%(expressions)s * 0)")
    response = export.export_response(Indicator.objects.all(), "indicator", "csv", filename="x")
    assert response.status_code == 503 and not response.streaming


def test_the_connection_works_after_an_abandoned_copy(make_report, monkeypatch):
    """A download the reader abandons midway leaves the connection usable for the next query."""
    for _ in range(3):
        add_report(make_report)
    monkeypatch.setattr(export, "CHUNK", 1)  # COPY still running when the response starts
    monkeypatch.setattr(export, "BLOCK", 1)  # one row per block
    response = export.export_response(indicator_list(), "indicator", "csv", filename="x")
    assert next(iter(response.streaming_content)).startswith(b"\xef\xbb\xbfid,")
    # The server closes the response; as the test client does, keep the test's transaction.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert Report.objects.filter(published=date(2024, 3, 5)).count() == 3
