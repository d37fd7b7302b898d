"""Hostile files in an ingest folder fail or are skipped with a reason naming them; the run goes on."""

import os
from pathlib import Path

import pytest

from ingest.budget import Budget, OverBudget
from ingest.parse import parse_report

from .command_support import ingest
from .samples import COUNTY_REPORT

pytestmark = pytest.mark.django_db


def _long_report(lines: int) -> str:
    body = "".join(
        f"全旗第{i}批开展宣讲活动{i % 90 + 1}场次,覆盖群众{i + 100}人。\n" for i in range(lines)
    )
    return COUNTY_REPORT.replace("下一步,", body + "下一步,")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "county.txt").write_text(COUNTY_REPORT, encoding="utf-8")
    return tmp_path


def test_too_many_indicators_fail_that_file_only(folder):
    """A report with more indicators than --max-indicators fails, named, and the others are ingested."""
    (folder / "many.txt").write_text(_long_report(20), encoding="utf-8")
    status, out, err = ingest("--max-indicators", "10", "-v", "2", str(folder))
    assert status == 1
    assert (
        f"FAILED {folder / 'many.txt'}: over the parse budget: 46 indicators, more than 10" in err
    )
    assert "new       " + str(folder / "county.txt") in out
    assert "files: 1 new, 0 updated, 0 unchanged, 1 failed" in out


def test_a_file_over_its_time_budget_fails_instead_of_stalling_the_run(folder):
    """A report that cannot be parsed within --max-seconds fails with that reason; the rest goes on."""
    (folder / "long.txt").write_text(_long_report(40_000), encoding="utf-8")
    status, out, err = ingest("--max-seconds", "0.3", "--dry-run", str(folder))
    assert status == 1
    assert f"FAILED {folder / 'long.txt'}: over the parse budget: not parsed within 0.3 s" in err
    assert "files: 1 parsed, 1 failed" in out


def test_budget_holds_between_parsing_steps_without_a_timer():
    """Outside the main thread (no timer signal) the deadline is still checked between steps."""
    data = _long_report(20_000).encode()
    with pytest.raises(OverBudget, match="not parsed within 0.01 s"):
        parse_report(data, budget=Budget(seconds=0.01))


def test_reports_within_budget_parse_as_without_one():
    """A budget that is not reached changes nothing in the extraction."""
    data = COUNTY_REPORT.encode()
    limited = parse_report(data, budget=Budget(seconds=30, indicators=100))
    assert limited == parse_report(data)


def test_damaged_pages_are_saved_and_flagged_for_review(folder):
    """A NUL byte or a cut last character no longer refuses the page; it is saved, flagged."""
    from catalogue.models import Report

    data = COUNTY_REPORT.encode()
    middle = data.index("。".encode()) + 3
    (folder / "county.txt").write_bytes(data[:middle] + b"\x00" + data[middle:])
    (folder / "cut.txt").write_bytes(COUNTY_REPORT.replace("土默特左旗", "托克托县").encode()[:-2])
    status, out, err = ingest(str(folder))
    assert status == 0, err
    assert "files: 2 new" in out
    assert Report.objects.filter(flags__contains=["decoding_repaired"]).count() == 2
    assert all(
        "\x00" not in text for text in Report.objects.values_list("content__text", flat=True)
    )


def test_symlinks_and_fifos_are_skipped_with_a_reason(folder):
    """Dangling and looping symlinks and FIFOs are reported as skipped; a FIFO never blocks the run."""
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "link.txt").symlink_to(folder / "county.txt")
    status, out, err = ingest("--dry-run", str(folder))
    assert status == 0, err
    assert f"skipped {folder / 'gone.txt'}: dangling symlink" in err
    assert f"skipped {folder / 'loop-a.txt'}: looping symlink" in err
    assert f"skipped {folder / 'loop-b.txt'}: looping symlink" in err
    assert f"skipped {folder / 'pipe.txt'}: not a regular file: a FIFO (named pipe)" in err
    assert "files: 2 parsed, 0 failed, 4 skipped" in out  # county.txt and the link to it


def test_a_fifo_named_on_the_command_line_fails_without_blocking(tmp_path):
    """A FIFO given as the path fails with its reason instead of waiting for a writer."""
    os.mkfifo(tmp_path / "pipe.txt")
    status, _, err = ingest("--dry-run", str(tmp_path / "pipe.txt"))
    assert status == 1
    assert "not a regular file: a FIFO (named pipe)" in err


@pytest.mark.django_db(transaction=True)
def test_summary_counts_only_what_was_written(division_table, folder):
    """A second run writes nothing, so its summary counts no programmes, initiatives or indicators."""
    _, out, _ = ingest(str(folder))
    assert "files: 1 new" in out and "programmes 2," in out
    _, out, _ = ingest(str(folder))
    assert "files: 0 new, 0 updated, 1 unchanged" in out
    assert "programmes 0, initiatives 0, indicators 0" in out


@pytest.mark.django_db(transaction=True)
def test_a_huge_summary_is_saved_with_its_search_tokens_capped(division_table, tmp_path):
    """A page of 1.5 MB of distinct words saves (PostgreSQL's 1 MB tsvector limit is not hit)."""
    from catalogue.models import Report

    words = "".join(f"编号{i}甲{i * 7}乙{i * 13}丙" for i in range(45_000))
    (tmp_path / "distinct.txt").write_text("新城区民族团结进步创建工作。" + words, encoding="utf-8")
    # no limits: this is about the saved tokens, not about how long a loaded machine takes
    status, out, err = ingest("--max-indicators", "0", "--max-seconds", "0", str(tmp_path))
    assert status == 0, err
    assert "files: 1 new" in out
    assert len(Report.objects.get().search_tokens) <= 100_000
