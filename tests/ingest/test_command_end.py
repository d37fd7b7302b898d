"""The end of `manage.py ingest`: the cache warmed beside the /data/ rebuild, and a fast exit."""

import gc
from pathlib import Path

import pytest
from django.core.cache import cache

from catalogue import state, warm
from catalogue.dataset import read_manifest
from ingest.management.commands.ingest import Command

from .command_support import ingest
from .samples import COUNTY_REPORT

# Committed rows: the cache is warmed and the dataset built on connections of their own.
pytestmark = pytest.mark.usefixtures("division_table")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with one report, and an empty cache (the file cache drops a third of its
    entries at random once it holds 300: a full one could drop what warm() just set)."""
    cache.clear()
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "county.txt").write_text(COUNTY_REPORT, encoding="utf-8")
    return folder


def warmed_reports() -> int | None:
    """The report count the home page would show from the cache at the current version."""
    summary = cache.get(f"home-summary:{state.version()}")
    return summary and summary["counts"]["reports"]


def test_ingest_warms_the_cache_and_rebuilds_the_dataset_in_order(folder):
    """After an ingest the home figures are cached at the new version and /data/ holds the
    report; the summary line still comes before the rebuild's line."""
    status, out, _ = ingest(str(folder))
    assert status == 0
    assert warmed_reports() == 1
    assert read_manifest()["counts"]["reports"] == 1
    lines = out.splitlines()
    summary = next(i for i, line in enumerate(lines) if line.startswith("files: 1 new"))
    assert lines[summary + 1].startswith("dataset rebuilt for /data/: ")


def test_a_failing_warm_is_reported_and_the_dataset_still_rebuilt(folder, monkeypatch):
    """When filling the cache fails the command raises its error, after /data/ was rebuilt."""

    def unreachable_cache():
        raise ConnectionError("cache server unreachable")

    monkeypatch.setattr(warm, "refresh_list_facets", unreachable_cache)
    with pytest.raises(ConnectionError, match="cache server unreachable"):
        ingest(str(folder))
    assert read_manifest()["counts"]["reports"] == 1


def test_a_failing_rebuild_is_reported_and_the_cache_still_warmed(folder, tmp_path, settings):
    """When /data/ cannot be written the command raises that error, after the cache was filled."""
    settings.DATASET_DIR = tmp_path / "not-a-folder"
    settings.DATASET_DIR.write_text("a file where the folder should be")
    with pytest.raises(FileExistsError):
        ingest(str(folder))
    assert warmed_reports() == 1


def test_only_a_command_line_run_freezes_the_collector(folder):
    """A run from the command line freezes the objects it leaves for the exit; one through
    call_command (a test, a long-lived process) leaves the collector as it was."""
    ingest(str(folder))
    assert gc.get_freeze_count() == 0
    try:
        Command().run_from_argv(["manage.py", "ingest", "-v", "0", str(folder)])
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
