"""The whole-dataset download: build_dataset, the /data/ page and its files, and ingest's rebuild."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command

from catalogue.dataset import CSV_ZIP, JSONL, TABLES, dataset_dir
from catalogue.models import Indicator, Initiative, Measure, Report, Theme
from tests.catalogue.test_pages import add_report
from tests.ingest.samples import COUNTY_REPORT

pytestmark = pytest.mark.django_db


def build() -> str:
    out = io.StringIO()
    call_command("build_dataset", stdout=out)
    return out.getvalue()


def csv_tables() -> dict[str, list[dict]]:
    """Every CSV of the zip, read as a spreadsheet would (UTF-8 with BOM)."""
    with zipfile.ZipFile(dataset_dir() / CSV_ZIP) as archive:
        return {
            name.removesuffix(".csv"): list(
                csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig")))
            )
            for name in archive.namelist()
        }


def jsonl_records() -> list[dict]:
    return [json.loads(line) for line in (dataset_dir() / JSONL).read_text("utf-8").splitlines()]


@pytest.fixture
def catalogue(make_report):
    """A public report with a theme, brand and measure, a hidden one, and two rejected rows."""
    shown = add_report(make_report, title="公开的报告")
    add_report(make_report, title="不公开的报告", code="450205", hidden=True)
    Indicator.objects.filter(report=shown, label="服务群众").update(rejected=True)
    initiative = Initiative.objects.get(report=shown, title="建设红石榴驿站")
    initiative.themes.add(Theme.objects.create(slug="migrant-services", name="流动人口服务"))
    initiative.brands.create(name="红石榴驿站")
    Indicator.objects.filter(report=shown, label="建成驿站").update(
        measure=Measure.objects.first(), period_kind="year", period_year=2023
    )
    return shown


def test_csv_set_holds_the_public_catalogue_only(catalogue):
    """The zip has one CSV per table with the public rows: no hidden report, no rejected row."""
    assert "reports 1" in build()
    tables = csv_tables()
    assert set(tables) == {table.name for table in TABLES}
    assert [r["title"] for r in tables["reports"]] == ["公开的报告"]
    assert {r["label"] for r in tables["indicators"]} == {"开展宣讲活动", "建成驿站"}
    assert {r["code"] for r in tables["regions"]} == {"150000", "150100", "150102"}
    built = next(r for r in tables["indicators"] if r["label"] == "建成驿站")
    assert (built["value"], built["unit"], built["period_year"]) == ("8", "个", "2023")
    assert built["measure"] == Measure.objects.first().slug
    station = next(r for r in tables["initiatives"] if r["title"] == "建设红石榴驿站")
    assert station["themes"] == "migrant-services" and station["brands"] == "红石榴驿站"
    assert len(tables["measures"]) == Measure.objects.count()


def test_json_lines_hold_the_same_rows_typed(catalogue):
    """Each line is one row with its table in `type`; lists stay lists; counts match the CSVs."""
    build()
    records = jsonl_records()
    tables = csv_tables()
    for table in TABLES:
        kind = table.name.removesuffix("s")
        assert sum(r["type"] == kind for r in records) == len(tables[table.name]), kind
    station = next(r for r in records if r.get("title") == "建设红石榴驿站")
    assert station["themes"] == ["migrant-services"] and station["brands"] == ["红石榴驿站"]
    report = next(r for r in records if r["type"] == "report")
    assert report["published"] == "2024-03-05" and report["region_code"] == "150102"


def test_data_page_offers_files_dictionary_and_build_date(client, catalogue):
    """/data/ links both files with sizes, shows when they were built and describes every column."""
    page = client.get("/data/").content.decode()
    assert "python manage.py build_dataset" in page  # not built yet: says how
    build()
    page = client.get("/data/").content.decode()
    assert f'href="/data/{CSV_ZIP}"' in page and f'href="/data/{JSONL}"' in page
    assert '<p class="built">' in page and "<time datetime=" in page
    for table in TABLES:
        for column in table.columns:
            assert f"<code>{column.name}</code>" in page
    english = client.get("/en/data/").content.decode()
    assert "Data download" in english and "Data dictionary" in english


def test_data_files_download(client, catalogue):
    """The files download as attachments; unknown names are 404."""
    build()
    response = client.get(f"/data/{CSV_ZIP}")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert client.get(f"/data/{JSONL}").status_code == 200
    assert client.get("/data/manifest.json").status_code == 404
    assert client.get("/data/..%2Fsecret_key").status_code == 404


def test_data_page_query_count(client, catalogue, django_assert_max_num_queries):
    """The data page reads files, not the database."""
    build()
    with django_assert_max_num_queries(0):
        client.get("/data/")


def test_ingest_rebuilds_the_dataset_but_dry_run_does_not(tmp_path):
    """After ingest the downloads hold the new report; a dry run writes nothing."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "county.txt").write_text(COUNTY_REPORT, encoding="utf-8")
    call_command("ingest", "--dry-run", str(folder), stdout=io.StringIO())
    assert not (dataset_dir() / CSV_ZIP).exists()
    out = io.StringIO()
    call_command("ingest", str(folder), stdout=out)
    assert "dataset rebuilt for /data/" in out.getvalue()
    assert len(csv_tables()["reports"]) == 1


def test_ingest_rebuilds_the_dataset_only_when_the_catalogue_changed(tmp_path):
    """Ingesting the same folder again writes nothing and leaves /data/ as it was; after a
    staff edit the next ingest rebuilds it, with the edit."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "county.txt").write_text(COUNTY_REPORT, encoding="utf-8")
    call_command("ingest", str(folder), stdout=io.StringIO())
    built = (dataset_dir() / CSV_ZIP).stat().st_mtime_ns
    out = io.StringIO()
    call_command("ingest", str(folder), stdout=out)
    assert "dataset for /data/ is up to date: not rebuilt" in out.getvalue()
    assert (dataset_dir() / CSV_ZIP).stat().st_mtime_ns == built
    report = Report.objects.get()
    report.title = "工作人员改过的标题"
    report.save()
    out = io.StringIO()
    call_command("ingest", str(folder), stdout=out)
    assert "dataset rebuilt for /data/" in out.getvalue()
    assert [row["title"] for row in csv_tables()["reports"]] == ["工作人员改过的标题"]
