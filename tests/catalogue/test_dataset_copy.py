"""The dataset PostgreSQL writes (COPY) holds what the Python builder wrote, value for value."""

from __future__ import annotations

import csv
import io
import json
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from catalogue.dataset import CSV_ZIP, JSONL, TABLES, build_dataset
from catalogue.models import Indicator, Initiative, Report, Theme
from tests.catalogue.dataset_reference import reference_files
from tests.catalogue.test_pages import add_report

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import pgload  # noqa: E402

# Cells csv.writer must quote and JSON must escape, empty list items, a NUL-free control.
AWKWARD = 'a "quoted", comma\nnew line\r\nback\\slash\ttab\x01 \\N ='
SHORT = 'a "b", c\r\nd\\e\x01'  # for names of at most 40 characters


def parsed(data: bytes) -> list[list[str]]:
    """A CSV file's rows as a spreadsheet reads them (UTF-8 with BOM)."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def assert_same_as_reference(tmp_path: Path) -> None:
    """Build the files and compare them with the Python builder's on the same database."""
    manifest = build_dataset(tmp_path)
    expected_tables, expected_lines = reference_files()
    with zipfile.ZipFile(tmp_path / CSV_ZIP) as archive:
        for table in TABLES:
            written = parsed(archive.read(f"{table.name}.csv"))
            assert written == parsed(expected_tables[table.name]), table.name
            assert len(written) - 1 == manifest["counts"][table.name]
    assert (tmp_path / JSONL).read_bytes() == expected_lines


# Uncommitted rows are built on the caller's connection, one COPY after another;
# committed ones on two connections at once, reading one snapshot.
BOTH_WAYS = pytest.mark.parametrize(
    "committed",
    [
        pytest.param(False, marks=pytest.mark.django_db, id="in-a-transaction"),
        pytest.param(True, marks=pytest.mark.django_db(transaction=True), id="two-connections"),
    ],
)


@pytest.fixture
def divisions(request, committed):
    """The division table, reloaded in a transactional test (an earlier flush may have emptied it)."""
    if committed:
        request.getfixturevalue("division_table")


@BOTH_WAYS
def test_a_catalogue_without_public_reports_gives_tables_with_headers_only(
    divisions, make_report, tmp_path
):
    """With every report hidden the files still build: no region, report or extracted row."""
    add_report(make_report, title="不公开的报告", hidden=True)
    assert_same_as_reference(tmp_path)
    lines = (tmp_path / JSONL).read_text("utf-8").splitlines()
    assert {json.loads(line)["type"] for line in lines} <= {"measure", "theme"}


@BOTH_WAYS
def test_awkward_values_are_written_as_the_python_builder_wrote_them(
    divisions, make_report, tmp_path
):
    """Quotes, line breaks, backslashes, control characters, empty and missing values,
    decimals with trailing zeros and lists with empty items read back unchanged."""
    report = add_report(make_report, title=AWKWARD, sources=["", AWKWARD, "新华网"], url="")
    add_report(make_report, title="无日期", code="450205", published=None, title_derived=True)
    Indicator.objects.filter(report=report).update(
        value=Decimal("1.50"), quote=AWKWARD, period="", period_year=None
    )
    Indicator.objects.filter(report=report, label="建成驿站").update(value=Decimal("100000"))
    initiative = Initiative.objects.filter(report=report).first()
    initiative.themes.add(Theme.objects.create(slug="t-1", name=SHORT))
    initiative.brands.create(name="")
    initiative.brands.create(name=SHORT)
    type(report.content).objects.filter(pk=report.content.pk).update(body=AWKWARD)
    assert_same_as_reference(tmp_path)


@pytest.mark.django_db
def test_ingested_seed_reports_are_written_as_the_python_builder_wrote_them(seeds_dir, tmp_path):
    """The real seed reports, ingested, give the same files from either builder."""
    call_command("ingest", str(seeds_dir), stdout=io.StringIO())
    assert Report.objects.exists()
    assert_same_as_reference(tmp_path)


def test_generated_catalogue_is_written_as_the_python_builder_wrote_it(division_table, tmp_path):
    """The page benchmark's generated catalogue gives the same files from either builder."""
    pgload.build(200, seed=7)
    assert Indicator.objects.count() > 1_000
    assert_same_as_reference(tmp_path)
