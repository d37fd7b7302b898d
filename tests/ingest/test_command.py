"""`manage.py ingest`: idempotent, force-safe for staff work, clear about bad input."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from catalogue.models import Indicator, Initiative, Origin, Programme, Report

from .command_support import ingest
from .samples import CITY_REPORT, COUNTY_REPORT

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int]:
    return (
        Report.objects.count(),
        Programme.objects.count(),
        Initiative.objects.count(),
        Indicator.objects.count(),
    )


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "county.txt").write_text(COUNTY_REPORT, encoding="utf-8")
    (folder / "sub" / "city.html").write_text(
        "<html><body><nav>首页 | 机构</nav><article>"
        + "".join(f"<p>{line}</p>" for line in CITY_REPORT.splitlines())
        + "</article></body></html>",
        encoding="gb18030",
    )
    return folder


def test_ingest_twice_changes_nothing(reports):
    """The second run over the same folder reports every file unchanged and adds no rows."""
    status, out, _ = ingest(str(reports))
    assert status == 0
    assert "files: 2 new, 0 updated, 0 unchanged, 0 failed" in out
    first = counts()
    assert first[0] == 2 and first[1] >= 4 and first[3] >= 6
    status, out, _ = ingest(str(reports))
    assert "files: 0 new, 0 updated, 2 unchanged, 0 failed" in out
    assert counts() == first


def test_same_content_under_another_name_is_unchanged(reports, tmp_path):
    """Identity is the content, not the file name."""
    ingest(str(reports))
    copy = tmp_path / "copy.txt"
    copy.write_text(COUNTY_REPORT, encoding="utf-8")
    _, out, _ = ingest(str(copy))
    assert "0 new, 0 updated, 1 unchanged" in out
    assert Report.objects.count() == 2


def test_force_repairs_machine_rows_and_reports_one_update(reports):
    """--force re-extracts: a machine row that drifted is restored and the file counts as updated."""
    ingest(str(reports))
    before = counts()
    indicator = Indicator.objects.filter(report__source_file="county.txt").first()
    Indicator.objects.filter(pk=indicator.pk).update(label="旧解析器的标签")
    _, out, _ = ingest("--force", str(reports))
    assert "0 new, 1 updated, 1 unchanged" in out
    indicator.refresh_from_db()
    assert indicator.label != "旧解析器的标签"
    assert counts() == before


def test_force_keeps_staff_corrections_and_rejections(reports):
    """Staff-owned rows keep their values, rejected rows stay rejected, nothing is duplicated."""
    ingest(str(reports))
    before = counts()
    corrected, rejected = Indicator.objects.filter(report__source_file="county.txt")[:2]
    Indicator.objects.filter(pk=corrected.pk).update(value=999, origin=Origin.STAFF)
    Indicator.objects.filter(pk=rejected.pk).update(rejected=True)
    report = corrected.report
    Report.objects.filter(pk=report.pk).update(region_id="150102", staff_fields=["region"])
    ingest("--force", str(reports))
    corrected.refresh_from_db()
    rejected.refresh_from_db()
    report.refresh_from_db()
    assert corrected.value == 999 and corrected.origin == Origin.STAFF
    assert rejected.rejected
    assert report.region_id == "150102"
    assert counts() == before


def test_dry_run_writes_nothing_and_json_is_one_object_per_file(reports):
    """--dry-run --json prints JSON Lines and leaves the database empty."""
    import json

    status, out, _ = ingest("--dry-run", "--json", str(reports))
    assert status == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert {r["file"] for r in records} == {"county.txt", "city.html"}
    assert Report.objects.count() == 0
    county = next(r for r in records if r["file"] == "county.txt")
    assert county["region"]["code"] == "150121"
    assert county["published"] == "2024-03-05"
    assert {"value": 80, "unit": "场次", "qualifier": "more_than"}.items() <= county["indicators"][
        0
    ].items()


def _unreadable(folder: Path) -> Path:
    """A .txt path whose read fails with an OS error (root ignores file modes, so use /proc)."""
    path = folder / "unreadable.txt"
    if os.geteuid() == 0:
        path.symlink_to("/proc/self/mem")
    else:
        path.write_text("x")
        path.chmod(0)
    return path


def test_bad_files_are_named_with_their_reason_and_the_rest_ingested(tmp_path):
    """Each bad file gets a one-line error; good files still load; exit status is 1."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text(COUNTY_REPORT, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "big.txt").write_text(CITY_REPORT * 40, encoding="utf-8")
    (folder / "undecodable.txt").write_bytes(b"\x80\xff" * 200)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    _unreadable(folder)
    status, out, err = ingest("--max-bytes", "20000", str(folder))
    assert status == 1
    lines = {line.split(":")[0]: line for line in err.splitlines()}
    for name in ("empty.txt", "binary.txt", "big.txt", "undecodable.txt", "unreadable.txt"):
        assert f"FAILED {folder / name}" in lines, err
    assert "20,000-byte limit" in lines[f"FAILED {folder / 'big.txt'}"]
    assert f"skipped {folder / 'photo.jpg'}" in lines
    assert "1 new" in out and "5 failed" in out
    assert Report.objects.get().source_file == "good.txt"


def test_a_file_that_fails_to_save_leaves_nothing_behind(tmp_path):
    """A database error midway through one file rolls back all of that file's rows."""
    with connection.cursor() as cursor:  # the database refuses the first indicator row
        cursor.execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'disk full (simulated by a trigger)'; END $$;"
            "CREATE TRIGGER refuse BEFORE INSERT ON catalogue_indicator FOR EACH ROW EXECUTE FUNCTION refuse()"
        )
    report = tmp_path / "county.txt"
    report.write_text(COUNTY_REPORT, encoding="utf-8")
    status, _, err = ingest(str(report))
    assert status == 1
    assert f"FAILED {report}: could not be saved" in err and "disk full" in err
    assert counts() == (0, 0, 0, 0)


def test_missing_path_is_an_error_naming_it(tmp_path):
    """A path that does not exist is reported, not ignored."""
    status, _, err = ingest(str(tmp_path / "nope"))
    assert status == 1
    assert "no such file or folder" in err


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_ingests_create_no_duplicates(division_table, reports, tmp_path):
    """Two processes over overlapping folders at once leave each report once."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "county-again.txt").write_text(COUNTY_REPORT, encoding="utf-8")
    (other / "city.txt").write_text(CITY_REPORT.replace("3条", "4条"), encoding="utf-8")
    env = _subprocess_env()
    procs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "ingest", str(folder)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in (reports, other, reports)
    ]
    results = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), results
    assert Report.objects.count() == 3  # county once, city.html, city.txt
    assert Report.objects.filter(source_file__in=["county.txt", "county-again.txt"]).count() == 1


def _subprocess_env() -> dict[str, str]:
    """Point a child process at this test database."""
    env = dict(os.environ)
    name = connection.settings_dict["NAME"]
    if env.get("DATABASE_URL"):
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(env["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    else:
        env["CATALOGUE_DB_NAME"] = name
    return env


def test_parallel_parsing_gives_the_same_extraction(reports):
    """--jobs 2 extracts exactly what one process does, in the same order."""
    _, one, _ = ingest("--dry-run", "--json", str(reports))
    _, two, _ = ingest("--dry-run", "--json", "--jobs", "2", str(reports))
    assert one == two and one.count("\n") == 2


def test_verbose_run_prints_one_line_per_file(reports):
    """-v 2 names each file with what happened to it."""
    _, out, _ = ingest("-v", "2", str(reports))
    lines = [line for line in out.splitlines() if line.startswith("new")]
    assert len(lines) == 2 and any("county.txt: 150121" in line for line in lines)


@pytest.mark.django_db(transaction=True)
def test_parallel_ingest_loads_every_file_once(division_table, reports):
    """With --jobs 2 the workers load side by side; a second run finds everything unchanged."""
    status, out, err = ingest("--jobs", "2", str(reports))
    assert status == 0 and "files: 2 new" in out, err
    first = counts()
    _, out, _ = ingest("--jobs", "2", str(reports))
    assert "0 new, 0 updated, 2 unchanged" in out
    assert counts() == first and first[3] >= 6
