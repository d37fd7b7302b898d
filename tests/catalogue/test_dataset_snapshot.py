"""The two dataset files are written at once on two connections reading one snapshot."""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from catalogue import dataset, state
from catalogue.dataset import CSV_ZIP, JSONL, MANIFEST, TABLES, build_dataset, is_current
from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.usefixtures("division_table")  # committed rows: other connections see them


def commit_elsewhere(write) -> None:
    """Run `write` on a connection of its own (a thread's), committed when it returns."""

    def run():
        try:
            write()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(run).result()


def keys_in_files(target) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each table's first column, as the zip's CSV and the JSON Lines hold them."""
    first = {t.name.removesuffix("s"): t.columns[0].name for t in TABLES}
    with zipfile.ZipFile(target / CSV_ZIP) as archive:
        in_csv = {
            t.name: [
                row[0]
                for row in csv.reader(
                    io.StringIO(archive.read(f"{t.name}.csv").decode("utf-8-sig"))
                )
            ][1:]
            for t in TABLES
        }
    in_lines = {t.name: [] for t in TABLES}
    for line in (target / JSONL).read_text("utf-8").splitlines():
        record = json.loads(line)
        in_lines[record["type"] + "s"].append(str(record[first[record["type"]]]))
    return in_csv, in_lines


def test_a_report_published_during_the_build_is_in_neither_file(make_report, tmp_path, monkeypatch):
    """A report committed just before the reports' JSON Lines are read is in neither file
    (not in the JSON Lines only), both files hold the same rows, and the manifest's
    version is the one before it (so the next ingest rebuilds)."""
    add_report(make_report, title="建造前的报告")
    copied, published = dataset._copied, []

    def publish_before_the_reports_json_copy(statement, write, **options):
        if '"type": "report"' in statement[0] and not published:
            published.append(True)
            commit_elsewhere(lambda: add_report(make_report, title="建造中发布", code="450205"))
        return copied(statement, write, **options)

    monkeypatch.setattr(dataset, "_copied", publish_before_the_reports_json_copy)
    manifest = build_dataset(tmp_path)
    assert published
    in_csv, in_lines = keys_in_files(tmp_path)
    assert in_csv == in_lines
    assert {name: len(keys) for name, keys in in_csv.items()} == manifest["counts"]
    assert manifest["counts"]["reports"] == 1
    assert "建造中发布" not in (tmp_path / JSONL).read_text("utf-8")
    assert manifest["version"] != state.version() and not is_current(tmp_path)


@pytest.mark.parametrize("failing", ["csv", "json"])
def test_a_failing_stream_leaves_the_last_build_in_place(
    make_report, tmp_path, monkeypatch, failing
):
    """When writing either file fails, the build raises its error and the downloads stay
    the last complete build: no half file, no temporary file left beside them."""
    add_report(make_report, title="第一次建造")
    build_dataset(tmp_path)
    before = {name: (tmp_path / name).read_bytes() for name in (CSV_ZIP, JSONL, MANIFEST)}
    add_report(make_report, title="第二次建造", code="450205")
    copied = dataset._copied

    def full_disk(statement, write, **options):
        if ("FORMAT csv" in statement[0]) == (failing == "csv"):
            write(b"half a row")
            raise OSError(28, "No space left on device")
        return copied(statement, write, **options)

    monkeypatch.setattr(dataset, "_copied", full_disk)
    with pytest.raises(OSError, match="No space left"):
        build_dataset(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before)
    assert {name: (tmp_path / name).read_bytes() for name in before} == before


def other_connections() -> int:
    """How many other connections the server has open to the test database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_builds_leave_no_connection_open_behind_them(make_report, tmp_path):
    """The thread's connection is closed after each build: repeated builds do not pile
    connections up on the server."""
    add_report(make_report, title="连接")
    before = other_connections()  # e.g. a live server's, left by the browser tests
    for _ in range(3):
        build_dataset(tmp_path)
    # A closed connection's backend leaves the server's list when its process has ended,
    # just after the close: wait for that, not for connections left open.
    for _ in range(50):
        if other_connections() <= before:
            break
        time.sleep(0.1)
    assert other_connections() == before
