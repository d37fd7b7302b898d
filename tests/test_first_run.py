"""First run: how to ingest is said where a newcomer looks; start-up and progress output is plain."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.ingest.samples import CITY_REPORT, COUNTY_REPORT

REPO = Path(__file__).resolve().parent.parent


def test_make_run_without_a_folder_says_how_to_ingest_one(tmp_path):
    """`make run` with a missing folder prints the exact `make run SEEDS=…` command."""
    plan = subprocess.run(
        ["make", "-n", "run", f"SEEDS={tmp_path / 'absent'}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    shell = plan[plan.index("if [ -d") : plan.index("\nfi") + 3]  # the ingest step only
    said = subprocess.run(
        ["sh", "-c", shell.replace("manage.py ingest", "true")],
        capture_output=True,
        text=True,
        cwd=REPO,
    ).stdout
    assert "make run SEEDS=path/to/reports" in said
    assert f"No reports folder at {tmp_path / 'absent'}" in said


@pytest.mark.django_db
def test_empty_home_page_says_make_run_seeds(client):
    """With no reports the home page gives the same `make run SEEDS=…` command."""
    page = client.get("/").content.decode()
    assert '<p class="first-run">' in page and "<code>make run SEEDS=path/to/reports</code>" in page
    english = client.get("/en/").content.decode()
    assert "Ingest a folder of reports and serve the site:" in english


def test_jieba_start_up_lines_print_once(tmp_path):
    """jieba's 'Building prefix dict' lines appear once, not again through Django's root logger."""
    env = {**os.environ, "JIEBA_CACHE_DIR": str(tmp_path)}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from ingest.segment import tokenizer; tokenizer()",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    output = result.stdout + result.stderr
    assert output.count("Building prefix dict") == 1, output


@pytest.mark.django_db
def test_ingest_off_a_terminal_prints_progress_lines_with_rate(tmp_path):
    """Without a terminal, ingest prints a plain line every N files and at the end, with files/s."""
    for n in range(3):
        (tmp_path / f"county-{n}.txt").write_text(
            COUNTY_REPORT.replace("80余场次", f"{80 + n}余场次"), encoding="utf-8"
        )
    (tmp_path / "city.txt").write_text(CITY_REPORT, encoding="utf-8")
    out = io.StringIO()
    call_command("ingest", "--progress-every", "2", str(tmp_path), stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.startswith("progress:")]
    assert [line.split(",")[0] for line in lines] == ["progress: 2/4 files", "progress: 4/4 files"]
    assert all(re.search(r", \d+\.\d files/s$", line) for line in lines)
