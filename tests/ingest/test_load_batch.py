"""Several files per transaction, each still all or nothing: a bad one fails alone, by name."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection, transaction

from catalogue.models import Indicator, Initiative, Programme, Report
from ingest import identity, minhash
from ingest.load import BatchItem, load_batch
from ingest.parse import parse_report

from .command_support import ingest
from .samples import CITY_REPORT, COUNTY_OTHER_REPORT, COUNTY_REPORT

pytestmark = pytest.mark.django_db

# The database refuses a row: the report row of a file named bad.txt (its own savepoint
# fails), or an indicator row of CITY_REPORT (the batch's shared insert of new rows fails).
REFUSE_REPORT = (
    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN IF NEW.source_file = 'bad.txt' THEN RAISE EXCEPTION 'refused by a trigger'; "
    "END IF; RETURN NEW; END $$;"
    "CREATE TRIGGER refuse BEFORE INSERT ON catalogue_report "
    "FOR EACH ROW EXECUTE FUNCTION refuse()"
)
REFUSE_INDICATOR = (
    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN IF NEW.quote LIKE '%示范街区%' THEN RAISE EXCEPTION 'refused by a trigger'; "
    "END IF; RETURN NEW; END $$;"
    "CREATE TRIGGER refuse BEFORE INSERT ON catalogue_indicator "
    "FOR EACH ROW EXECUTE FUNCTION refuse()"
)


def item(text: str, name: str) -> BatchItem:
    """A parsed report as the pipeline hands it to the loader."""
    return BatchItem(parse_report(text.encode()), name, f"/in/{name}")


@contextmanager
def held_by_another_load(keys: list[int], *, until: str) -> Iterator[list[str]]:
    """Another connection holds the advisory locks `keys` from before the block until a
    report of the file `until` is committed (or 10 s); the yielded list then says so."""
    held, seen = threading.Event(), []

    def other_load() -> None:
        try:
            with transaction.atomic():
                identity.lock(keys)
                held.set()
                for _ in range(100):
                    if Report.objects.filter(source_file=until).exists():
                        seen.append(f"{until} committed while the locks were held")
                        break
                    threading.Event().wait(0.1)
        finally:
            connection.close()

    thread = threading.Thread(target=other_load)
    thread.start()
    assert held.wait(30)
    try:
        yield seen
    finally:
        thread.join()


def refuse(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def written(name: str) -> tuple[int, int, int, int, int]:
    """Reports, history rows, programmes, initiatives and indicators stored for a file."""
    reports = Report.objects.filter(source_file=name)
    return (
        reports.count(),
        Report.history.filter(source_file=name).count(),
        Programme.objects.filter(report__in=reports).count(),
        Initiative.objects.filter(report__in=reports).count(),
        Indicator.objects.filter(report__in=reports).count(),
    )


@pytest.mark.parametrize(
    "trigger", [REFUSE_REPORT, REFUSE_INDICATOR], ids=["own-savepoint", "batch-end"]
)
def test_a_bad_file_inside_a_batch_fails_alone_and_leaves_nothing(trigger):
    """The other files of the batch are written whole; the bad one comes back failed, with nothing stored."""
    refuse(trigger)
    items = [
        item(COUNTY_REPORT, "county.txt"),
        item(CITY_REPORT, "bad.txt"),
        item(COUNTY_OTHER_REPORT, "other.txt"),
    ]
    results = load_batch(items, parser_version="test")
    assert [getattr(r, "status", None) for r in results] == ["new", None, "new"]
    assert "refused by a trigger" in str(results[1])
    assert written("bad.txt") == (0, 0, 0, 0, 0)
    for good in ("county.txt", "other.txt"):
        reports, history, programmes, initiatives, indicators = written(good)
        assert (reports, history) == (1, 1) and programmes and initiatives and indicators


def test_the_command_names_the_bad_file_of_a_batch_and_writes_the_others(tmp_path):
    """ingest reports the refused file by name and counts the other files of its batch as new."""
    refuse(REFUSE_REPORT)
    for name, text in [
        ("a.txt", COUNTY_REPORT),
        ("bad.txt", CITY_REPORT),
        ("c.txt", COUNTY_OTHER_REPORT),
    ]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    status, out, err = ingest(str(tmp_path))
    assert status == 1
    assert f"FAILED {tmp_path / 'bad.txt'}: could not be saved" in err
    assert "refused by a trigger" in err
    assert "2 new" in out and "1 failed" in out
    assert set(Report.objects.values_list("source_file", flat=True)) == {"a.txt", "c.txt"}


@pytest.mark.django_db(transaction=True)
def test_a_file_another_load_holds_is_loaded_after_the_batch_commits(division_table):
    """A batch does not wait for a report another load is writing: it commits its other
    files, then loads that one once the other load is done."""
    county = parse_report(COUNTY_REPORT.encode())
    bands = minhash.bands(minhash.signature(county.body))
    keys = identity.lock_keys(county, source_path="/in/county.txt", bands=bands)
    with held_by_another_load(keys, until="city.txt") as seen:
        results = load_batch(
            [item(COUNTY_REPORT, "county.txt"), item(CITY_REPORT, "city.txt")],
            parser_version="test",
        )
    assert [getattr(r, "status", r) for r in results] == ["new", "new"]
    assert seen == ["city.txt committed while the locks were held"]
    assert Report.objects.count() == 2


def test_a_new_version_of_a_report_of_the_same_batch_replaces_its_rows():
    """A rewritten text at the same original URL, later in the same batch, updates the
    report that batch created: its rows are the new text's only, the old text a version."""
    url = "原文链接:https://www.example.gov.cn/mz/2024/0305.html\n"
    items = [item(url + COUNTY_REPORT, "first.txt"), item(url + COUNTY_OTHER_REPORT, "new.txt")]
    results = load_batch(items, parser_version="test")
    assert [getattr(r, "status", r) for r in results] == ["new", "updated"]
    report = Report.objects.get()
    assert report.versions.count() == 1
    figures = sorted(report.indicators.values_list("figure", flat=True))
    assert figures == sorted(n.figure for n in items[1].parsed.indicators)


@pytest.mark.django_db(transaction=True)
def test_a_file_that_loses_a_deadlock_is_loaded_again_not_failed(division_table):
    """When the server breaks a deadlock between a batch and another writer by aborting
    the batch's statement, that file is loaded again instead of reported as bad."""
    county, city = (parse_report(text.encode()) for text in (COUNTY_REPORT, CITY_REPORT))
    county_key = identity.lock_keys(county, source_path="/in/county.txt", bands=[])[0]
    started = threading.Event()

    def other_writer() -> None:
        """Holds an uncommitted report with CITY's hash, then asks for a lock the batch holds."""
        try:
            with transaction.atomic():
                _deadlock_timeout("10s")  # the batch's side notices the cycle first
                # No save signals: they would take the measure summary's and version's locks.
                Report.objects.bulk_create(
                    [Report(sha256=city.sha256, title="x", source_file="x", parser_version="x")]
                )
                started.set()
                while not _someone_waits_for_a_row():
                    threading.Event().wait(0.05)
                identity.lock([county_key])  # the batch holds it: a cycle, one side aborted
                raise RuntimeError("roll back")
        except Exception:
            pass
        finally:
            connection.close()

    thread = threading.Thread(target=other_writer)
    thread.start()
    assert started.wait(30)
    _deadlock_timeout("2s")
    try:
        results = load_batch(
            [BatchItem(county, "county.txt", "/in/county.txt"), item(CITY_REPORT, "city.txt")],
            parser_version="test",
        )
    finally:
        _deadlock_timeout("DEFAULT")
    thread.join()
    assert [getattr(r, "status", r) for r in results] == ["new", "new"]
    assert Report.objects.count() == 2


def _deadlock_timeout(value: str) -> None:
    """How long this connection waits before it checks for a deadlock (and, finding one, aborts)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET deadlock_timeout = {value if value == 'DEFAULT' else repr(value)}")


def _someone_waits_for_a_row() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted"
        )
        return cursor.fetchone()[0] > 0
