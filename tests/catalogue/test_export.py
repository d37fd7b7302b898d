"""CSV and JSON exports: the filters applied, spreadsheet-friendly encoding, a stated cap."""

import csv
import io
import json

import pytest

from catalogue import export
from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_csv_has_a_bom_and_the_filtered_rows(client, make_report):
    """The CSV opens in spreadsheets (UTF-8 BOM) and holds only the filtered rows."""
    add_report(make_report, code="150102")
    add_report(make_report, code="450205")
    response = client.get("/indicators/?format=csv&region=150100&unit=场次")
    assert response["Content-Type"].startswith("text/csv")
    raw = _body(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["region_name"], r["value"], r["qualifier"]) for r in rows] == [
        ("新城区", "120", "more_than")
    ]


def test_json_states_the_cap(client, make_report):
    """The JSON says how many rows it may hold and that it was not truncated."""
    add_report(make_report)
    data = json.loads(_body(client.get("/initiatives/?format=json")))
    assert data["cap"] == export.EXPORT_CAP and data["truncated"] is False
    assert {row["title"] for row in data["rows"]} == {"开展主题宣讲", "建设红石榴驿站"}


def test_exports_stop_at_the_cap_and_say_so(client, make_report, monkeypatch):
    """Past the cap the CSV ends with a note and the JSON says truncated."""
    add_report(make_report)
    monkeypatch.setattr(export, "EXPORT_CAP", 2)
    monkeypatch.setattr(export.export_response, "__kwdefaults__", {"cap": 2})
    lines = _body(client.get("/indicators/?format=csv")).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 2 + 1 and lines[-1].startswith("# truncated")
    data = json.loads(_body(client.get("/indicators/?format=json")))
    assert len(data["rows"]) == 2 and data["truncated"] is True


def test_export_of_invalid_filters_is_a_400(client):
    """An export with a bad filter value is refused with the reason."""
    response = client.get("/indicators/?format=csv&region=abc")
    assert response.status_code == 400


def test_hidden_and_rejected_rows_are_not_exported(client, make_report):
    """Exports follow the public rules."""
    add_report(make_report, hidden=True)
    assert len(json.loads(_body(client.get("/reports/?format=json")))["rows"]) == 0
