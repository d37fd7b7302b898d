"""Exports fail loudly on database errors and never hand a spreadsheet a formula."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db.models import F, Value

from catalogue import export
from catalogue.models import Indicator
from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db

# A column whose value is 1 / (position - 2): PostgreSQL raises "division by zero" when it
# reaches the third figure, a real database error partway through the rows. Ordered by id
# (a cursor walks the primary key lazily): in physical order an updated row can come first.
FAILING = (export.Column("id", "id"), export.Column("ratio", "ratio"))


def _failing_figures():
    return Indicator.objects.annotate(ratio=Value(1) / (F("position") - 2)).order_by("id")


def _body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.fixture
def failing_kind(make_report, monkeypatch):
    """An export kind over three figures whose third makes the database fail."""
    add_report(make_report)
    monkeypatch.setitem(export.COLUMNS, "failing", FAILING)
    return "failing"


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_a_query_that_fails_before_the_first_byte_is_a_503(failing_kind, fmt):
    """A database error in the first batch gives an error page, not a 200 with a short file."""
    response = export.export_response(_failing_figures(), failing_kind, fmt, filename="x")
    assert response.status_code == 503
    assert not response.streaming


def test_a_csv_that_fails_midway_ends_with_an_error_line(failing_kind, monkeypatch):
    """When the database fails after rows were sent, the CSV's last line says so."""
    monkeypatch.setattr(export, "CHUNK", 1)  # one row per fetch: the third fetch fails
    response = export.export_response(_failing_figures(), failing_kind, "csv", filename="x")
    assert response.status_code == 200
    lines = _body(response).splitlines()
    assert lines[0] == "id,ratio" and len(lines) == 1 + 2 + 1
    assert lines[-1].startswith("# error:")


def test_a_json_that_fails_midway_does_not_parse(failing_kind, monkeypatch):
    """When the database fails after rows were sent, no JSON parser accepts the body."""
    monkeypatch.setattr(export, "CHUNK", 1)
    response = export.export_response(_failing_figures(), failing_kind, "json", filename="x")
    body = _body(response)
    assert '"error"' in body
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)


def _csv_rows(client, url: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(_body(client.get(url)))))


def test_csv_cells_that_look_like_formulas_are_neutralised(client, make_report):
    """Text starting with = + - @ tab or CR gets a leading apostrophe, ingested or staff-set."""
    add_report(make_report, title='=HYPERLINK("http://evil.example","点击")')
    Indicator.objects.filter(label="建成驿站").update(label="+1+2")  # as staff would
    Indicator.objects.filter(label="服务群众").update(label="@SUM(A1)", quote="\tcmd")
    Indicator.objects.filter(label="开展宣讲活动").update(label="-2+3", unit="\r场次")
    reports = _csv_rows(client, "/reports/?format=csv")
    assert reports[0]["title"] == '\'=HYPERLINK("http://evil.example","点击")'
    labels = {r["label"]: r for r in _csv_rows(client, "/indicators/?format=csv")}
    assert set(labels) == {"'+1+2", "'@SUM(A1)", "'-2+3"}
    assert labels["'@SUM(A1)"]["quote"] == "'\tcmd"
    assert labels["'-2+3"]["unit"] == "'\r场次"


def test_negative_figures_stay_numbers_in_csv(client, make_report):
    """A negative value is a number in the sheet, not text: no apostrophe on numeric columns."""
    add_report(make_report, figures=[("人口增长", "120余场次", -120, "人", "exact", 0)])
    rows = _csv_rows(client, "/indicators/?format=csv")
    assert [r["value"] for r in rows] == ["-120"]
